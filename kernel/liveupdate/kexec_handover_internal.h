/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LINUX_KEXEC_HANDOVER_INTERNAL_H
#define LINUX_KEXEC_HANDOVER_INTERNAL_H

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/kho/radix_tree.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <asm/barrier.h>

/* kho=on; turned off if scratch or the outgoing FDT cannot be set up. */
extern bool kho_enable;
/* kho_scratch= was given on the command line. */
extern bool kho_scratch_given;

/* The scratch areas: this boot's own, or the ones the previous kernel used. */
extern struct kho_scratch *kho_scratch;
extern unsigned int kho_scratch_cnt;

bool kho_scratch_overlap(phys_addr_t phys, phys_addr_t size);
void __init kho_reserve_scratch(void);

/*
 * Scratch is sized by default at the next kernel's need plus
 * KHO_SCRATCH_MARGIN percent; kexec_file_load refuses a next kernel whose
 * estimated need plus KHO_SCRATCH_MIN_MARGIN percent does not fit.
 */
#define KHO_SCRATCH_MARGIN	25
#define KHO_SCRATCH_MIN_MARGIN	10

extern phys_addr_t kho_early_need;
phys_addr_t __init kho_measure_early_need(void);
/* Bytes of each scratch area this boot used early, on a KHO boot. */
extern u64 *kho_scratch_used;
void __init kho_keep_scratch_use(void);

/**
 * struct kho_out - what this kernel hands over (kexec_handover.c)
 * @tree: the radix tree of preserved blocks; lockless, see kho_radix.c
 * @lock: serializes edits of @fdt and of the debugfs entries
 * @fdt: the root FDT page, published by kho_init() once complete
 */
struct kho_out {
	struct kho_radix_tree tree;
	struct mutex lock;	/* edits of @fdt and of debugfs */
	void *fdt;
};

extern struct kho_out kho_out;

/* The outgoing FDT once kho_init() has published it, else NULL. */
static inline void *kho_out_fdt(void)
{
	/* Pairs with the release in kho_init(): the tree is set up too. */
	return smp_load_acquire(&kho_out.fdt);
}

/* The root FDT and its children (kho_subtree.c). */
int kho_fdt_init(void *fdt, size_t size, u64 map_phys);

/**
 * struct kho_in - what the previous kernel handed over (kho_boot.c)
 * @fdt_phys: the root FDT; 0 on a cold boot or once the handover is refused
 * @scratch_phys: the scratch array
 * @scratch_len: its length in bytes
 * @map_phys: root of the preserved-memory radix tree
 */
struct kho_in {
	phys_addr_t fdt_phys;
	phys_addr_t scratch_phys;
	u64 scratch_len;
	phys_addr_t map_phys;
};

extern struct kho_in kho_in;
/* Set by kho_memory_init() once preserved blocks carry their stamp. */
extern bool kho_in_stamped;

/* 'KHOP': the head page of a reserved preserved block, in page->private. */
#define KHO_PAGE_MAGIC	0x4b484f50U

/*
 * Stamped on the head page of each preserved block when the next kernel
 * reserves it, so that restoring can check the address and the order.
 */
union kho_page_info {
	unsigned long page_private;
	struct {
		unsigned int order;
		unsigned int magic;
	};
};

static_assert(sizeof(union kho_page_info) == sizeof(unsigned long));

static inline unsigned long kho_stamp_value(unsigned int order)
{
	union kho_page_info info = { .order = order, .magic = KHO_PAGE_MAGIC };

	return info.page_private;
}

const void *kho_in_block(phys_addr_t phys, size_t *size);
bool __init kho_in_early_ok(phys_addr_t phys, phys_addr_t size);
int kho_in_blob(const char *name, phys_addr_t *phys, size_t *size,
		bool quiet);

/* The kexec-metadata blob (kho_metadata.c), from kho_init(). */
void __init kho_metadata_init(void);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUGFS
void kho_debugfs_init(void *out_fdt, const void *in_fdt);
void kho_debugfs_out_changed(const void *out_fdt, const char *name,
			     void *blob, size_t size, bool added);
#else
static inline void kho_debugfs_init(void *out_fdt, const void *in_fdt) { }
static inline void kho_debugfs_out_changed(const void *out_fdt,
					   const char *name, void *blob,
					   size_t size, bool added) { }
#endif

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
struct seq_file;

int kho_debug_set_compatible(const char *compat);
int kho_debug_drop_blob_size(const char *name);
/* The fault injector (kho_debug.c). */
int kho_debug_corrupt(const char *name);
void kho_debug_corrupt_show(struct seq_file *m);
void *kho_debug_scratch_segment(size_t *len);
void __init kho_debug_init(void);
#endif

/**
 * struct kho_scratch_size - scratch sizes asked for by kho_scratch=
 * @scale: percent of the boot's kernel memblock reservations, or 0 when the
 *	sizes below are given explicitly
 * @lowmem: bytes of the low-memory area (explicit form only)
 * @global: bytes of the global area (explicit form only)
 * @pernode: bytes of each per-node area (explicit form only)
 */
struct kho_scratch_size {
	unsigned int scale;
	u64 lowmem;
	u64 global;
	u64 pernode;
};

#if IS_ENABLED(CONFIG_KUNIT)
/* Non-static only so the KUnit suites can call them; see VISIBLE_IF_KUNIT. */
int __init kho_parse_enable(char *p);
int kho_parse_scratch_size(const char *p, struct kho_scratch_size *out);
int kho_fdt_add_child(void *fdt, size_t size, const char *name, u64 phys,
		      u64 blob_size);
int kho_fdt_remove_child(void *fdt, size_t size, u64 phys);
int kho_fdt_child(const void *fdt, const char *name, u64 *phys,
		  u64 *blob_size);
bool kho_is_preserved(phys_addr_t phys, unsigned int order);
unsigned int kho_range_block(unsigned long pfn, unsigned long end);
#endif

#endif /* LINUX_KEXEC_HANDOVER_INTERNAL_H */
