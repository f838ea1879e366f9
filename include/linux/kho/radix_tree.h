/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_KHO_RADIX_TREE_H
#define _LINUX_KHO_RADIX_TREE_H

#include <linux/bitops.h>
#include <linux/types.h>
#include <linux/kho/abi/kexec_handover.h>

/* Level of the root node; level 0 is the leaf bitmap. */
#define KHO_RADIX_ROOT_LEVEL	(KHO_TREE_MAX_DEPTH - 1)

/*
 * The largest order the key encoding holds: the order marker sits at bit
 * KHO_ORDER_0_LOG2 - order, which must stay above bit 0 (keys 0 and 1 carry
 * no address bits), and the address is shifted by PAGE_SHIFT + order, which
 * must stay below 64. That is 51 with 4 KiB pages.
 */
#define KHO_RADIX_MAX_ORDER	(KHO_ORDER_0_LOG2 - 1)

/* The largest pfn the encoding holds: the address must fit in 64 bits. */
#define KHO_RADIX_MAX_PFN	((1UL << KHO_ORDER_0_LOG2) - 1)

/**
 * struct kho_radix_tree - a radix tree of preserved memory blocks
 * @root: the root node (level %KHO_RADIX_ROOT_LEVEL); never changes once set
 * @orders: bit n is set once a block of order n was added; never cleared
 */
struct kho_radix_tree {
	struct kho_radix_node *root;
	unsigned long orders;
};

/**
 * typedef kho_radix_walk_cb_t - callback for each block found by a walk
 * @phys: physical address of the block
 * @order: order of the block
 * @arg: the caller's argument
 *
 * Return: 0 to continue the walk, anything else to stop it and return that.
 */
typedef int (*kho_radix_walk_cb_t)(phys_addr_t phys, unsigned int order,
				   void *arg);

/**
 * struct kho_radix_walk_ops - checks for kho_radix_walk_untrusted()
 * @check_node: accept a node page at @node_phys (already page aligned,
 *	e.g. inside RAM and outside scratch): return 0 or a negative errno
 * @check_block: accept a decoded block of 2^@order pages at @phys, which is
 *	aligned and does not wrap: return 0 or a negative errno
 * @visit: called for each accepted block, like &kho_radix_walk_cb_t
 * @max_order: blocks of a higher order are rejected
 * @max_nodes: nodes (the root included) the walk may read before it gives
 *	up. A genuine tree's nodes are distinct pages, so the number of pages
 *	that @check_node can accept is always enough; this bounds the time a
 *	corrupt tree whose subtrees share nodes can take.
 */
struct kho_radix_walk_ops {
	int (*check_node)(phys_addr_t node_phys, void *arg);
	int (*check_block)(phys_addr_t phys, unsigned int order, void *arg);
	kho_radix_walk_cb_t visit;
	unsigned int max_order;
	unsigned long max_nodes;
};

/**
 * struct kho_radix_walk_error - the first problem kho_radix_walk_untrusted()
 *	found
 * @reason: static description, or NULL if the walk completed or @visit
 *	stopped it
 * @phys: the offending node or block address
 * @level: level of the offending node (root 5), or 0 for a leaf or a block
 */
struct kho_radix_walk_error {
	const char *reason;
	phys_addr_t phys;
	unsigned int level;
};

/**
 * kho_radix_encode_key - key of a block
 * @phys: physical address of the block, aligned to its order
 * @order: order of the block, at most %KHO_RADIX_MAX_ORDER
 *
 * Return: the key, see the radix tree section of the ABI.
 */
static inline u64 kho_radix_encode_key(phys_addr_t phys, unsigned int order)
{
	return BIT_ULL(KHO_ORDER_0_LOG2 - order) |
	       ((u64)phys >> (PAGE_SHIFT + order));
}

/**
 * kho_radix_decode_key - block of a key
 * @key: the key
 * @order: returns the order of the block
 *
 * Return: the physical address of the block. If @key is not a valid key
 * (0, 1 or at least 2^(%KHO_ORDER_0_LOG2 + 1)), *@order is set above
 * %KHO_RADIX_MAX_ORDER and 0 is returned.
 */
static inline phys_addr_t kho_radix_decode_key(u64 key, unsigned int *order)
{
	/* Wraps to a huge value for keys above the order-0 marker. */
	unsigned int o = KHO_ORDER_0_LOG2 + 1 - fls64(key);

	*order = o;
	if (o > KHO_RADIX_MAX_ORDER)
		return 0;
	return (key ^ BIT_ULL(KHO_ORDER_0_LOG2 - o)) << (PAGE_SHIFT + o);
}

/**
 * kho_radix_key_index - slot of a key in a node
 * @key: the key
 * @level: tree level, 0 (leaf) to %KHO_RADIX_ROOT_LEVEL
 *
 * Return: the bit number in the leaf for level 0, otherwise the table index.
 */
static inline unsigned int kho_radix_key_index(u64 key, unsigned int level)
{
	if (!level)
		return key & (BIT_ULL(KHO_BITMAP_SIZE_LOG2) - 1);
	key >>= KHO_BITMAP_SIZE_LOG2 + (level - 1) * KHO_TABLE_SIZE_LOG2;
	return key & (BIT_ULL(KHO_TABLE_SIZE_LOG2) - 1);
}

int kho_radix_tree_init(struct kho_radix_tree *tree);
void kho_radix_tree_free(struct kho_radix_tree *tree);
int kho_radix_add_page(struct kho_radix_tree *tree, unsigned long pfn,
		       unsigned int order);
int kho_radix_del_page(struct kho_radix_tree *tree, unsigned long pfn,
		       unsigned int order);
bool kho_radix_test_page(struct kho_radix_tree *tree, unsigned long pfn,
			 unsigned int order);
bool kho_radix_overlaps(struct kho_radix_tree *tree, unsigned long pfn,
			unsigned int order);
int kho_radix_walk_tree(struct kho_radix_tree *tree, kho_radix_walk_cb_t cb,
			void *arg);
int kho_radix_walk_untrusted(phys_addr_t root_phys,
			     const struct kho_radix_walk_ops *ops, void *arg,
			     struct kho_radix_walk_error *err);

#endif /* _LINUX_KHO_RADIX_TREE_H */
