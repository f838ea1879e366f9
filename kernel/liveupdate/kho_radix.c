// SPDX-License-Identifier: GPL-2.0-only
/*
 * Radix tree of memory preserved across kexec, in the kho-v2 layout of
 * <linux/kho/abi/kexec_handover.h>.
 *
 * Locking: there is no lock. Nodes are never freed while the tree is in use
 * and a slot, once set, never changes, so readers can follow slots with
 * READ_ONCE(). A missing part of a path is built privately and published by
 * one cmpxchg() on the first empty slot; the loser of a race frees its
 * private chain and continues below the winner's node. Leaf bits change
 * only with test_and_set_bit() and test_and_clear_bit(). So add and delete
 * may run concurrently on any CPUs, nothing is ever half linked, and a
 * failed allocation leaves the tree unchanged. A walk may run concurrently
 * with add and delete and sees each bit either set or clear.
 * kho_radix_tree_init() and kho_radix_tree_free() need exclusive access.
 *
 * Against one mutex around each call (tools/testing/kho, make bench), an
 * uncontended add or delete costs about half as much, and no call ever
 * waits for another; the README there has the figures.
 */

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/pfn.h>
#include <linux/kho/radix_tree.h>

/**
 * kho_radix_tree_init - allocate the root of an empty tree
 * @tree: the tree
 *
 * Return: 0, or -ENOMEM.
 */
int kho_radix_tree_init(struct kho_radix_tree *tree)
{
	tree->orders = 0;
	tree->root = (struct kho_radix_node *)get_zeroed_page(GFP_KERNEL);
	return tree->root ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_GPL(kho_radix_tree_init);

static void kho_radix_free_node(struct kho_radix_node *node,
				unsigned int level)
{
	unsigned int i;

	for (i = 0; level && i < ARRAY_SIZE(node->table); i++)
		if (node->table[i])
			kho_radix_free_node(phys_to_virt(node->table[i]),
					    level - 1);
	free_page((unsigned long)node);
}

/**
 * kho_radix_tree_free - free every node of a tree
 * @tree: the tree; no other user may access it during or after the call
 *
 * Only the tree's own nodes are freed, not the memory it describes.
 */
void kho_radix_tree_free(struct kho_radix_tree *tree)
{
	if (tree->root)
		kho_radix_free_node(tree->root, KHO_RADIX_ROOT_LEVEL);
	tree->root = NULL;
}
EXPORT_SYMBOL_GPL(kho_radix_tree_free);

static int kho_radix_check_args(struct kho_radix_tree *tree,
				unsigned long pfn, unsigned int order)
{
	if (!tree->root || order > KHO_RADIX_MAX_ORDER ||
	    pfn > KHO_RADIX_MAX_PFN || !IS_ALIGNED(pfn, 1UL << order))
		return -EINVAL;
	return 0;
}

/*
 * Build the nodes of levels @level - 1 down to 0 on the path of @key and
 * publish them in the empty @slot of a level @level node, unless another
 * CPU fills it first. Return what @slot then holds, or 0 if out of memory.
 */
static u64 kho_radix_install(u64 *slot, u64 key, unsigned int level)
{
	void *chain[KHO_RADIX_ROOT_LEVEL];
	struct kho_radix_node *parent;
	unsigned int i;
	u64 old = 0;

	for (i = 0; i < level; i++) {
		chain[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!chain[i])
			goto free;
		if (i) {
			parent = chain[i - 1];
			parent->table[kho_radix_key_index(key, level - i)] =
				virt_to_phys(chain[i]);
		}
	}

	/* Fully ordered: the chain is written before it is visible. */
	old = cmpxchg(slot, 0, virt_to_phys(chain[0]));
	if (!old)
		return virt_to_phys(chain[0]);
free:
	while (i--)
		free_page((unsigned long)chain[i]);
	return old;
}

/* Find the leaf on the path of @key, building the path if @create. */
static struct kho_radix_leaf *kho_radix_leaf(struct kho_radix_tree *tree,
					     u64 key, bool create)
{
	struct kho_radix_node *node = tree->root;
	unsigned int level;
	u64 *slot, child;

	for (level = KHO_RADIX_ROOT_LEVEL; level; level--) {
		slot = &node->table[kho_radix_key_index(key, level)];
		child = READ_ONCE(*slot);
		if (!child && create)
			child = kho_radix_install(slot, key, level);
		if (!child)
			return ERR_PTR(create ? -ENOMEM : -ENOENT);
		node = phys_to_virt(child);
	}
	return (struct kho_radix_leaf *)node;
}

/* Check (@pfn, @order) and find the leaf of its key and the key's bit. */
static struct kho_radix_leaf *kho_radix_lookup(struct kho_radix_tree *tree,
					       unsigned long pfn,
					       unsigned int order, bool create,
					       unsigned int *bit)
{
	int err = kho_radix_check_args(tree, pfn, order);
	u64 key;

	if (err)
		return ERR_PTR(err);
	key = kho_radix_encode_key(PFN_PHYS(pfn), order);
	*bit = kho_radix_key_index(key, 0);
	return kho_radix_leaf(tree, key, create);
}

/**
 * kho_radix_add_page - record a block in the tree
 * @tree: the tree
 * @pfn: first page frame of the block, aligned to 2^@order
 * @order: order of the block, at most %KHO_RADIX_MAX_ORDER
 *
 * Allocates the missing nodes on the block's path. Safe against concurrent
 * add, delete and walk. May sleep.
 *
 * Return: 0; -EINVAL if @order is above %KHO_RADIX_MAX_ORDER, @pfn is not
 * aligned to @order or above %KHO_RADIX_MAX_PFN, or the tree has no root;
 * -EEXIST if this (@pfn, @order) is already recorded; -ENOMEM. On error the
 * tree is unchanged.
 */
int kho_radix_add_page(struct kho_radix_tree *tree, unsigned long pfn,
		       unsigned int order)
{
	struct kho_radix_leaf *leaf;
	unsigned int bit;

	might_sleep();
	leaf = kho_radix_lookup(tree, pfn, order, true, &bit);
	if (IS_ERR(leaf))
		return PTR_ERR(leaf);
	if (!test_bit(order, &tree->orders))
		set_bit(order, &tree->orders);
	/* The order is visible before the bit: see kho_radix_overlaps(). */
	smp_mb__after_atomic();
	if (test_and_set_bit(bit, leaf->bitmap))
		return -EEXIST;
	return 0;
}
EXPORT_SYMBOL_GPL(kho_radix_add_page);

/**
 * kho_radix_del_page - remove a block from the tree
 * @tree: the tree
 * @pfn: first page frame of the block, as given to kho_radix_add_page()
 * @order: order of the block, as given to kho_radix_add_page()
 *
 * Clears the block's bit. Nodes are never freed: deleting is an error path
 * of preserving, and keeping them keeps concurrent readers and writers
 * lock free. Safe against concurrent add, delete and walk. Does not sleep.
 *
 * Return: 0; -EINVAL as for kho_radix_add_page(); -ENOENT if the block is
 * not recorded.
 */
int kho_radix_del_page(struct kho_radix_tree *tree, unsigned long pfn,
		       unsigned int order)
{
	struct kho_radix_leaf *leaf;
	unsigned int bit;

	leaf = kho_radix_lookup(tree, pfn, order, false, &bit);
	if (IS_ERR(leaf))
		return PTR_ERR(leaf);
	if (!test_and_clear_bit(bit, leaf->bitmap))
		return -ENOENT;
	return 0;
}
EXPORT_SYMBOL_GPL(kho_radix_del_page);

/**
 * kho_radix_test_page - is a block recorded in the tree?
 * @tree: the tree
 * @pfn: first page frame of the block
 * @order: order of the block
 *
 * Safe against concurrent add, delete and walk. Does not sleep.
 *
 * Return: true if exactly this (@pfn, @order) is recorded.
 */
bool kho_radix_test_page(struct kho_radix_tree *tree, unsigned long pfn,
			 unsigned int order)
{
	struct kho_radix_leaf *leaf;
	unsigned int bit;

	leaf = kho_radix_lookup(tree, pfn, order, false, &bit);
	return !IS_ERR(leaf) && test_bit(bit, leaf->bitmap);
}
EXPORT_SYMBOL_GPL(kho_radix_test_page);

/* Is any bit of [@first, @last] set in @leaf? The range is in the leaf. */
static bool kho_radix_leaf_any(const struct kho_radix_leaf *leaf,
			       unsigned int first, unsigned int last)
{
	unsigned int w = first / BITS_PER_LONG, lw = last / BITS_PER_LONG;
	unsigned long word;

	for (; w <= lw; w++) {
		word = READ_ONCE(leaf->bitmap[w]);
		if (w == first / BITS_PER_LONG)
			word &= ~0UL << (first % BITS_PER_LONG);
		if (w == lw)
			word &= ~0UL >> (BITS_PER_LONG - 1 - last % BITS_PER_LONG);
		if (word)
			return true;
	}
	return false;
}

/*
 * Is any key in [@first, @last] recorded below @node of @level? Both keys
 * share the bits above @level's span (see kho_radix_range_any()), so only
 * the existing nodes of the range are read.
 */
static bool kho_radix_node_any(const struct kho_radix_node *node,
			       unsigned int level, u64 first, u64 last)
{
	unsigned int shift = KHO_BITMAP_SIZE_LOG2 +
			     (level - 1) * KHO_TABLE_SIZE_LOG2;
	unsigned int i = kho_radix_key_index(first, level);
	unsigned int li = kho_radix_key_index(last, level);
	u64 span = BIT_ULL(shift) - 1, lo, hi;
	/* The key bits this node's subtree covers. */
	u64 below = BIT_ULL(shift + KHO_TABLE_SIZE_LOG2) - 1;

	for (; i <= li; i++) {
		u64 child = READ_ONCE(node->table[i]);

		if (!child)
			continue;
		/* The part of [first, last] under slot i. */
		lo = i == kho_radix_key_index(first, level) ? first :
		     (first & ~below) | (u64)i << shift;
		hi = i == li ? last : lo | span;
		if (level == 1 ?
		    kho_radix_leaf_any(phys_to_virt(child),
				       kho_radix_key_index(lo, 0),
				       kho_radix_key_index(hi, 0)) :
		    kho_radix_node_any(phys_to_virt(child), level - 1, lo, hi))
			return true;
	}
	return false;
}

/* Is any key of [@first, @last] recorded? */
static bool kho_radix_range_any(struct kho_radix_tree *tree, u64 first,
				u64 last)
{
	return kho_radix_node_any(tree->root, KHO_RADIX_ROOT_LEVEL, first,
				  last);
}

/**
 * kho_radix_overlaps - does a recorded block share a page with another?
 * @tree: the tree
 * @pfn: first page frame of the block
 * @order: order of the block
 *
 * Looks for blocks of any order that contain or lie inside (@pfn, @order),
 * other than (@pfn, @order) itself, which need not be recorded. Only the
 * orders ever added to the tree are searched. Called after adding a block,
 * this keeps overlapping blocks out even when they are added concurrently:
 * adding is fully ordered, so of two overlapping adds racing, at least one
 * sees the other (and its caller deletes its block again). Does not sleep.
 *
 * Return: true if another recorded block overlaps the block.
 */
bool kho_radix_overlaps(struct kho_radix_tree *tree, unsigned long pfn,
			unsigned int order)
{
	unsigned long orders = READ_ONCE(tree->orders), above, below;
	unsigned int o;
	u64 first;

	if (kho_radix_check_args(tree, pfn, order))
		return false;
	/* order <= KHO_RADIX_MAX_ORDER < BITS_PER_LONG - 1: no overflow. */
	above = orders & ~(BIT(order + 1) - 1);
	below = orders & (BIT(order) - 1);
	for (; above; above &= above - 1) {
		o = __ffs(above);
		if (kho_radix_test_page(tree, pfn & ~(BIT(o) - 1), o))
			return true;
	}
	for (; below; below &= below - 1) {
		o = __ffs(below);
		/* The keys of order o inside the block are consecutive. */
		first = kho_radix_encode_key(PFN_PHYS(pfn), o);
		if (kho_radix_range_any(tree, first,
					first + BIT_ULL(order - o) - 1))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_GPL(kho_radix_overlaps);

struct kho_radix_walker {
	kho_radix_walk_cb_t cb;
	void *arg;
	/* The rest is used only for an untrusted tree (@ops set). */
	const struct kho_radix_walk_ops *ops;
	struct kho_radix_walk_error *err;
	unsigned int max_order;
	unsigned long nodes_left;
	phys_addr_t path[KHO_TREE_MAX_DEPTH];	/* current node per level */
};

static int kho_radix_reject(struct kho_radix_walker *w, int ret,
			    const char *reason, phys_addr_t phys,
			    unsigned int level)
{
	w->err->reason = reason;
	w->err->phys = phys;
	w->err->level = level;
	return ret;
}

/* Check a pointer to a node of @level, read from an untrusted tree. */
static int kho_radix_check_node(struct kho_radix_walker *w, phys_addr_t phys,
				unsigned int level)
{
	unsigned int l;
	int ret;

	if (!IS_ALIGNED(phys, PAGE_SIZE))
		return kho_radix_reject(w, -EINVAL, "misaligned node pointer",
					phys, level);
	for (l = level + 1; l <= KHO_RADIX_ROOT_LEVEL; l++)
		if (w->path[l] == phys)
			return kho_radix_reject(w, -EINVAL, "node loop", phys,
						level);
	if (!w->nodes_left)
		return kho_radix_reject(w, -EINVAL, "too many nodes", phys,
					level);
	w->nodes_left--;
	ret = w->ops->check_node(phys, w->arg);
	if (ret)
		return kho_radix_reject(w, ret, "node rejected", phys, level);
	w->path[level] = phys;
	return 0;
}

static int kho_radix_visit(struct kho_radix_walker *w, u64 key)
{
	unsigned int order;
	phys_addr_t phys = kho_radix_decode_key(key, &order);
	int ret;

	if (w->ops) {
		if (order > w->max_order)
			return kho_radix_reject(w, -EINVAL, "order too high",
						phys, 0);
		/* So that callers can compute the end without overflow. */
		if (phys + (PAGE_SIZE << order) < phys)
			return kho_radix_reject(w, -EINVAL,
						"block wraps past 2^64", phys,
						0);
		ret = w->ops->check_block(phys, order, w->arg);
		if (ret)
			return kho_radix_reject(w, ret, "block rejected", phys,
						0);
	}
	return w->cb(phys, order, w->arg);
}

static int kho_radix_walk_leaf(struct kho_radix_walker *w,
			       const struct kho_radix_leaf *leaf, u64 key)
{
	unsigned long word;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(leaf->bitmap); i++) {
		for (word = READ_ONCE(leaf->bitmap[i]); word; word &= word - 1) {
			ret = kho_radix_visit(w, key | (i * BITS_PER_LONG +
							__ffs(word)));
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Depth is bounded by @level, which falls by one per call. */
static int kho_radix_walk_node(struct kho_radix_walker *w,
			       const struct kho_radix_node *node,
			       unsigned int level, u64 key)
{
	unsigned int shift = KHO_BITMAP_SIZE_LOG2 +
			     (level - 1) * KHO_TABLE_SIZE_LOG2;
	u64 child, child_key;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(node->table); i++) {
		child = READ_ONCE(node->table[i]);
		if (!child)
			continue;
		if (w->ops) {
			ret = kho_radix_check_node(w, child, level - 1);
			if (ret)
				return ret;
		}
		child_key = key | (u64)i << shift;
		if (level == 1)
			ret = kho_radix_walk_leaf(w, phys_to_virt(child),
						  child_key);
		else
			ret = kho_radix_walk_node(w, phys_to_virt(child),
						  level - 1, child_key);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * kho_radix_walk_tree - call a function for each block in the tree
 * @tree: the tree
 * @cb: called with each block's physical address and order
 * @arg: passed to @cb
 *
 * Blocks come in ascending key order: depth first over ascending slots,
 * then ascending bits in each leaf. As the order marker is the key's top
 * bit, that is the highest order first and order 0 last, and ascending
 * address within one order. Safe against
 * concurrent add and delete, whose blocks may or may not be seen. Does not
 * sleep, though @cb may.
 *
 * Return: 0 after the last block, -EINVAL if the tree has no root, or the
 * first non-zero value returned by @cb, which stops the walk.
 */
int kho_radix_walk_tree(struct kho_radix_tree *tree, kho_radix_walk_cb_t cb,
			void *arg)
{
	struct kho_radix_walker w = { .cb = cb, .arg = arg };

	if (!tree->root)
		return -EINVAL;
	return kho_radix_walk_node(&w, tree->root, KHO_RADIX_ROOT_LEVEL, 0);
}
EXPORT_SYMBOL_GPL(kho_radix_walk_tree);

/**
 * kho_radix_walk_untrusted - walk a tree handed over by another kernel
 * @root_phys: physical address of the root node
 * @ops: checks and the visit callback
 * @arg: passed to each callback in @ops
 * @err: filled with the first problem found
 *
 * Like kho_radix_walk_tree(), but every value read is checked before use,
 * in this order: each node pointer must be page aligned, must not repeat a
 * node above it on the current path (a loop), must be within
 * @ops->max_nodes, and must pass @ops->check_node; each block must have an
 * order of at most @ops->max_order, must end below 2^64, and must pass
 * @ops->check_block before @ops->visit sees it. Depth is bounded by
 * construction: the tree has %KHO_TREE_MAX_DEPTH levels and a level 1 slot
 * always points to a leaf. The memory is read through phys_to_virt() only.
 *
 * The walk is not atomic: blocks visited before a problem is found have
 * been visited. Callers that must apply all or nothing walk twice, or undo.
 *
 * Return: 0 if the whole tree passed; the non-zero value returned by
 * @ops->visit, with @err->reason NULL; otherwise a negative errno, -EINVAL
 * for corruption or the errno of the rejecting check, with @err describing
 * the first problem.
 */
int kho_radix_walk_untrusted(phys_addr_t root_phys,
			     const struct kho_radix_walk_ops *ops, void *arg,
			     struct kho_radix_walk_error *err)
{
	struct kho_radix_walker w = {
		.cb = ops->visit,
		.arg = arg,
		.ops = ops,
		.err = err,
		.max_order = min_t(unsigned int, ops->max_order,
				   KHO_RADIX_MAX_ORDER),
		.nodes_left = ops->max_nodes,
	};
	int ret;

	*err = (struct kho_radix_walk_error){ };
	ret = kho_radix_check_node(&w, root_phys, KHO_RADIX_ROOT_LEVEL);
	if (ret)
		return ret;
	return kho_radix_walk_node(&w, phys_to_virt(root_phys),
				   KHO_RADIX_ROOT_LEVEL, 0);
}
EXPORT_SYMBOL_GPL(kho_radix_walk_untrusted);
