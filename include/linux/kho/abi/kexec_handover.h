/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_KHO_ABI_KEXEC_HANDOVER_H
#define _LINUX_KHO_ABI_KEXEC_HANDOVER_H

#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/io.h>
#include <linux/math.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/page.h>

/**
 * DOC: Kexec HandOver ABI (kho-v2)
 *
 * This header is a versioned contract between the kernel that hands memory
 * over and the kernel that kexec boots next. It fixes the layout of the root
 * KHO FDT, of the radix tree of preserved memory and of the vmalloc
 * descriptors.
 *
 * Any change to the FDT structure, a property name, a compatible string or
 * the layout of any structure below requires a new version in
 * %KHO_FDT_COMPATIBLE. Compatibility is guaranteed only between kernels that
 * speak the same version; a kernel that finds another version ignores the
 * handover and boots as if there were none.
 *
 * All values are in the native endianness of the machine, and both kernels
 * must use the same page size: radix tree nodes and vmalloc chunks are one
 * page each. Only 4 KiB pages are supported by this version.
 */

/**
 * DOC: Root KHO FDT
 *
 * The root FDT is one page. Its root node carries:
 *
 * - ``compatible``: %KHO_FDT_COMPATIBLE.
 * - %KHO_FDT_MEMORY_MAP_PROP_NAME: a native u64, the physical address of
 *   the root node of the radix tree of preserved memory. Never 0.
 *
 * Each subsystem adds one child node, named by it, carrying:
 *
 * - %KHO_FDT_SUB_TREE_PROP_NAME: a native u64, the physical address of the
 *   subsystem's blob. The blob's pages are preserved by its owner.
 * - %KHO_FDT_SUB_TREE_SIZE_PROP_NAME: a native u64, the blob's size in
 *   bytes, never 0. A blob may be any bytes, an FDT or a raw structure.
 *
 * The first stateless kernels wrote children without a size, and their
 * blobs were FDTs. A reader accepts such a child and takes the blob's
 * size from its FDT header (``totalsize``); that much must be preserved.
 */
#define KHO_FDT_COMPATIBLE		"kho-v2"
#define KHO_FDT_MEMORY_MAP_PROP_NAME	"preserved-memory-map"
#define KHO_FDT_SUB_TREE_PROP_NAME	"preserved-data"
#define KHO_FDT_SUB_TREE_SIZE_PROP_NAME	"blob-size"

/**
 * DOC: Radix tree of preserved memory
 *
 * Each preserved block is a naturally aligned run of 2^order pages at
 * physical address pa. It is recorded as one bit, whose number is the key::
 *
 *   key = (1 << (KHO_ORDER_0_LOG2 - order)) | (pa >> (PAGE_SHIFT + order))
 *
 * The highest set bit of the key encodes the order; the bits below it are
 * the block's page frame number in units of its own size. A decoder finds
 * the order with fls64() and shifts the rest back.
 *
 * The tree has %KHO_TREE_MAX_DEPTH levels of page-sized nodes. Levels 5 (the
 * root) down to 1 are &struct kho_radix_node tables of physical addresses of
 * the next level, 0 meaning empty. Level 0 is a &struct kho_radix_leaf
 * bitmap. With 4 KiB pages the key bits split as::
 *
 *   | 63:60  | 59:51 | 50:42 | 41:33 | 32:24 | 23:15 | 14:0     |
 *   | unused | L5    | L4    | L3    | L2    | L1    | L0 (bit) |
 *
 * For example pa 0x123456000 at order 0 has key 0x0010000000123456, which
 * is root slot 2, then slots 0, 0, 0, 36 and bit 13398 of the leaf. Order-0
 * keys all live under root slot 2, order 1 under slot 1 and higher orders
 * under slot 0.
 *
 * Tree nodes are ordinary pages, not themselves preserved: the next kernel
 * allocates only from scratch memory until it has walked the tree.
 */
#define KHO_ORDER_0_LOG2	(64 - PAGE_SHIFT)
#define KHO_TABLE_SIZE_LOG2	(PAGE_SHIFT - 3)
#define KHO_BITMAP_SIZE_LOG2	(PAGE_SHIFT + 3)
#define KHO_TREE_MAX_DEPTH						\
	(DIV_ROUND_UP(KHO_ORDER_0_LOG2 - KHO_BITMAP_SIZE_LOG2,		\
		      KHO_TABLE_SIZE_LOG2) + 1)

/*
 * The v2 depth formula leaves the order-0 marker bit outside the tree with
 * 16 KiB pages, so this version is only defined for 4 KiB pages.
 */
static_assert(PAGE_SHIFT == 12, "kho-v2 is defined for 4 KiB pages only");
static_assert(KHO_TREE_MAX_DEPTH == 6);
static_assert(KHO_BITMAP_SIZE_LOG2 +
	      (KHO_TREE_MAX_DEPTH - 1) * KHO_TABLE_SIZE_LOG2 > KHO_ORDER_0_LOG2);

/**
 * struct kho_radix_node - an interior node (levels 1 and up) of the tree
 * @table: physical addresses of the child nodes, 0 for none
 */
struct kho_radix_node {
	u64 table[1 << KHO_TABLE_SIZE_LOG2];
};

/**
 * struct kho_radix_leaf - a leaf (level 0) of the tree
 * @bitmap: one bit per key, in native unsigned long words
 */
struct kho_radix_leaf {
	DECLARE_BITMAP(bitmap, 1 << KHO_BITMAP_SIZE_LOG2);
};

static_assert(sizeof(struct kho_radix_node) == PAGE_SIZE);
static_assert(sizeof(struct kho_radix_leaf) == PAGE_SIZE);

/**
 * DOC: Serialized pointers
 *
 * A pointer stored in preserved memory is kept as the physical address of
 * its target, 0 meaning NULL, in a u64 that is unioned with the typed
 * pointer for convenience. DECLARE_KHOSER_PTR() declares such a field,
 * KHOSER_STORE_PTR() stores a pointer into it and KHOSER_LOAD_PTR() turns it
 * back into a pointer in the running kernel.
 */
#define DECLARE_KHOSER_PTR(name, type)	\
	union {				\
		u64 phys;		\
		type ptr;		\
	} name

#define KHOSER_STORE_PTR(dest, val)					\
	({								\
		/* Assigning checks the type and accepts NULL. */	\
		typeof((dest).ptr) __kho_v = (val);			\
		(dest).phys = __kho_v ? virt_to_phys(__kho_v) : 0;	\
	})

#define KHOSER_LOAD_PTR(src)						\
	({								\
		typeof(src) __kho_s = (src);				\
		(typeof((__kho_s).ptr))((__kho_s).phys ?		\
					phys_to_virt((__kho_s).phys) :	\
					NULL);				\
	})

/**
 * DOC: vmalloc preservation
 *
 * A preserved vmalloc area is described by a &struct kho_vmalloc, which the
 * caller keeps inside its own preserved data. It points to a list of
 * &struct kho_vmalloc_chunk pages, each holding up to %KHO_VMALLOC_SIZE
 * physical addresses of the area's blocks of 2^order pages, in order. A
 * chunk's list ends at the first 0 entry; a full chunk has no terminator, so
 * readers must stop after %KHO_VMALLOC_SIZE entries.
 */

/* The area was allocated by vmalloc (VM_ALLOC). */
#define KHO_VMALLOC_ALLOC	0x0001
/* The area may be mapped with huge pages (VM_ALLOW_HUGE_VMAP). */
#define KHO_VMALLOC_HUGE_VMAP	0x0002

struct kho_vmalloc_chunk;

/*
 * struct kho_vmalloc_hdr - header of a vmalloc chunk
 * next: physical address of the next chunk, 0 for the last one
 *
 * (Plain comments: kernel-doc cannot parse DECLARE_KHOSER_PTR members.)
 */
struct kho_vmalloc_hdr {
	DECLARE_KHOSER_PTR(next, struct kho_vmalloc_chunk *);
};

#define KHO_VMALLOC_SIZE						\
	((PAGE_SIZE - sizeof(struct kho_vmalloc_hdr)) / sizeof(u64))

/**
 * struct kho_vmalloc_chunk - one page of a vmalloc area's block list
 * @hdr: link to the next chunk
 * @phys: physical addresses of blocks of 2^order pages, 0 after the last
 */
struct kho_vmalloc_chunk {
	struct kho_vmalloc_hdr hdr;
	u64 phys[KHO_VMALLOC_SIZE];
};

/*
 * struct kho_vmalloc - descriptor of a preserved vmalloc area
 * first: physical address of the first struct kho_vmalloc_chunk
 * total_pages: number of base pages in the area
 * flags: KHO_VMALLOC_ALLOC and/or KHO_VMALLOC_HUGE_VMAP
 * order: page order of each block of the area
 */
struct kho_vmalloc {
	DECLARE_KHOSER_PTR(first, struct kho_vmalloc_chunk *);
	u32 total_pages;
	u16 flags;
	u16 order;
};

static_assert(sizeof(struct kho_vmalloc_hdr) == 8);
static_assert(KHO_VMALLOC_SIZE == 511);
static_assert(sizeof(struct kho_vmalloc_chunk) == PAGE_SIZE);
static_assert(offsetof(struct kho_vmalloc_chunk, phys) == 8);
static_assert(sizeof(struct kho_vmalloc) == 16);
static_assert(offsetof(struct kho_vmalloc, first) == 0);
static_assert(offsetof(struct kho_vmalloc, total_pages) == 8);
static_assert(offsetof(struct kho_vmalloc, flags) == 12);
static_assert(offsetof(struct kho_vmalloc, order) == 14);

/**
 * DOC: kexec metadata
 *
 * Every kernel with KHO on publishes a child named %KHO_KEXEC_METADATA_NAME
 * whose blob is a packed &struct kho_kexec_metadata, not an FDT. It tells
 * the next kernel which kernel booted it and how many KHO kexecs in a row
 * led to it. A reader checks @version and the blob's size and ignores the
 * blob otherwise.
 */
#define KHO_KEXEC_METADATA_NAME		"kexec-metadata"
#define KHO_KEXEC_METADATA_VERSION	1
#define KHO_KEXEC_METADATA_RELEASE_LEN	65

/**
 * struct kho_kexec_metadata - the kexec-metadata blob
 * @version: %KHO_KEXEC_METADATA_VERSION
 * @previous_release: the writer's release (``uname -r``), NUL-terminated
 * @kexec_count: KHO kexecs that led to the writer: 0 after a cold boot
 */
struct kho_kexec_metadata {
	u32 version;
	char previous_release[KHO_KEXEC_METADATA_RELEASE_LEN];
	u32 kexec_count;
} __packed;

static_assert(sizeof(struct kho_kexec_metadata) == 73);
static_assert(offsetof(struct kho_kexec_metadata, previous_release) == 4);
static_assert(offsetof(struct kho_kexec_metadata, kexec_count) == 69);

#endif /* _LINUX_KHO_ABI_KEXEC_HANDOVER_H */
