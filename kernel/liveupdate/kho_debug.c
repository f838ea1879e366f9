// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_debug.c - corrupt the outgoing handover, to test the next kernel
 *
 * Test only (CONFIG_KEXEC_HANDOVER_DEBUG). Writing the name of a corruption
 * to debugfs kho/out/debug_corrupt arms it; reading the file lists them
 * all, the armed one marked with '*'. A scratch corruption is applied to
 * the copy of the scratch array that kexec_file_load puts in the image, so
 * it must be armed before the load; every other one is applied to this
 * kernel's live handover by a reboot notifier, once kexec -e has begun and
 * nothing in this kernel reads the handover again. What each one does and
 * what the next kernel must answer is listed in
 * Documentation/core-api/kho/hostile.rst.
 *
 * The client corruptions act on the "kho_test" blob of lib/test_kho.c (its
 * blocks_vmalloc descriptor for the vmalloc ones) and on the "memblock"
 * blob of reserve_mem= (mm/memblock_kho.c); both must be there.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/abi/memblock.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <asm/sections.h>

#include "kexec_handover_internal.h"
#include "kho_in_check.h"

/* The client blobs the client corruptions act on. */
#define KHO_DEBUG_TEST_BLOB	"kho_test"
#define KHO_DEBUG_VMALLOC_PROP	"blocks_vmalloc"

enum kho_debug_stage { KHO_DEBUG_AT_LOAD, KHO_DEBUG_AT_EXEC };

struct kho_corruption {
	const char *name;
	enum kho_debug_stage stage;
	/* At exec: corrupt the live handover; at load: the scratch copy. */
	int (*apply)(struct kho_scratch *s, unsigned int *cnt, size_t *len);
};

/* An address that no machine we boot has RAM at: 1 GiB past the end. */
static u64 kho_debug_no_ram(void)
{
	return ALIGN(PFN_PHYS(max_pfn), SZ_1G) + SZ_1G;
}

/* A page of this kernel's scratch, which the next kernel reuses first. */
static u64 kho_debug_scratch_page(void)
{
	/* The global area when there is one: its top is least used. */
	unsigned int i = kho_scratch_cnt > 1 ? 1 : 0;

	return kho_scratch[i].addr + kho_scratch[i].size - PAGE_SIZE;
}

/* ---- The root FDT ---- */

static int kho_debug_root_prop(const char *prop, const void *val, int len)
{
	void *fdt = kho_out.fdt;
	int err;

	err = fdt_open_into(fdt, fdt, PAGE_SIZE);
	if (!err)
		err = val ? fdt_setprop(fdt, 0, prop, val, len) :
			    fdt_delprop(fdt, 0, prop);
	return err ?: fdt_pack(fdt);
}

static int kho_debug_map(u64 map)
{
	return kho_debug_root_prop(KHO_FDT_MEMORY_MAP_PROP_NAME, &map,
				   sizeof(map));
}

static int kd_fdt_bad_magic(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	fdt_set_magic(kho_out.fdt, FDT_MAGIC ^ 0xff);
	return 0;
}

static int kd_fdt_totalsize(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	fdt_set_totalsize(kho_out.fdt, 2 * PAGE_SIZE);
	return 0;
}

static int kd_fdt_compatible(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_root_prop("compatible", "kho-v1", sizeof("kho-v1"));
}

static int kd_fdt_map_missing(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_root_prop(KHO_FDT_MEMORY_MAP_PROP_NAME, NULL, 0);
}

static int kd_fdt_map_short(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	u32 half = lower_32_bits(virt_to_phys(kho_out.tree.root));

	return kho_debug_root_prop(KHO_FDT_MEMORY_MAP_PROP_NAME, &half,
				   sizeof(half));
}

static int kd_fdt_map_zero(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_map(0);
}

static int kd_fdt_map_no_ram(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_map(kho_debug_no_ram());
}

static int kd_fdt_map_misaligned(struct kho_scratch *s, unsigned int *c,
				 size_t *l)
{
	return kho_debug_map(virt_to_phys(kho_out.tree.root) + 8);
}

static int kd_fdt_map_scratch(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_map(kho_debug_scratch_page());
}

/* ---- The radix tree ---- */

/* The node of each level on the path of the lowest key, root at level 5. */
static int kho_debug_path(struct kho_radix_node **path)
{
	unsigned int level, i;

	path[KHO_RADIX_ROOT_LEVEL] = kho_out.tree.root;
	for (level = KHO_RADIX_ROOT_LEVEL; level; level--) {
		for (i = 0; i < ARRAY_SIZE(path[level]->table); i++)
			if (path[level]->table[i])
				break;
		if (i == ARRAY_SIZE(path[level]->table))
			return -ENOENT;
		path[level - 1] = phys_to_virt(path[level]->table[i]);
	}
	return 0;
}

/* The first empty slot of @node after its first used one. */
static u64 *kho_debug_free_slot(struct kho_radix_node *node)
{
	unsigned int i;
	bool used = false;

	for (i = 0; i < ARRAY_SIZE(node->table); i++) {
		if (node->table[i])
			used = true;
		else if (used)
			return &node->table[i];
	}
	return NULL;
}

/* Point a new slot of the node at @level on the lowest path at @phys. */
static int kho_debug_slot(unsigned int level, u64 phys)
{
	struct kho_radix_node *path[KHO_TREE_MAX_DEPTH];
	u64 *slot;
	int err;

	err = kho_debug_path(path);
	if (err)
		return err;
	slot = kho_debug_free_slot(path[level]);
	if (!slot)
		return -ENOSPC;
	WRITE_ONCE(*slot, phys);
	return 0;
}

static int kd_tree_self_loop(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_slot(KHO_RADIX_ROOT_LEVEL,
			      virt_to_phys(kho_out.tree.root));
}

static int kd_tree_ancestor(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	struct kho_radix_node *path[KHO_TREE_MAX_DEPTH];
	int err = kho_debug_path(path);

	return err ?: kho_debug_slot(2, virt_to_phys(path[4]));
}

static int kd_tree_no_ram(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_slot(KHO_RADIX_ROOT_LEVEL, kho_debug_no_ram());
}

static int kd_tree_scratch(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_slot(KHO_RADIX_ROOT_LEVEL, kho_debug_scratch_page());
}

static int kd_tree_misaligned(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	struct kho_radix_node *path[KHO_TREE_MAX_DEPTH];
	int err = kho_debug_path(path);

	return err ?: kho_debug_slot(KHO_RADIX_ROOT_LEVEL,
				     virt_to_phys(path[4]) + 8);
}

/* A second level 1 slot for the first leaf: two paths share it. */
static int kd_tree_dag(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	struct kho_radix_node *path[KHO_TREE_MAX_DEPTH];
	int err = kho_debug_path(path);

	return err ?: kho_debug_slot(1, virt_to_phys(path[0]));
}

/* Bypass kho_preserve_*(): they would refuse all of these. */
static int kd_tree_block_no_ram(struct kho_scratch *s, unsigned int *c,
				size_t *l)
{
	return kho_radix_add_page(&kho_out.tree,
				  PHYS_PFN(kho_debug_no_ram()), 0);
}

static int kd_tree_block_scratch(struct kho_scratch *s, unsigned int *c,
				 size_t *l)
{
	return kho_radix_add_page(&kho_out.tree,
				  PHYS_PFN(kho_debug_scratch_page()), 0);
}

/*
 * Key 1 has its order marker below bit 0: order 52, above any order the
 * encoding holds. Its path is the lowest one; build what is missing.
 */
static int kd_tree_order(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	struct kho_radix_node *node = kho_out.tree.root;
	unsigned int level;
	void *page;

	for (level = KHO_RADIX_ROOT_LEVEL; level; level--) {
		if (!node->table[0]) {
			page = (void *)get_zeroed_page(GFP_KERNEL);
			if (!page)
				return -ENOMEM;
			node->table[0] = virt_to_phys(page);
		}
		node = phys_to_virt(node->table[0]);
	}
	set_bit(1, ((struct kho_radix_leaf *)node)->bitmap);
	return 0;
}

/* An order-2 block and an order-0 page inside it, both real memory. */
static int kd_tree_overlap(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	int err;

	if (!page)
		return -ENOMEM;
	err = kho_radix_add_page(&kho_out.tree, page_to_pfn(page), 2);
	return err ?: kho_radix_add_page(&kho_out.tree, page_to_pfn(page) + 1,
					 0);
}

/* ---- Client blobs ---- */

/* The writable preserved-data property of child @name of the root FDT. */
static void *kho_debug_child_addr(const char *name)
{
	void *fdt = kho_out.fdt;
	int off, len;
	void *p;

	off = fdt_subnode_offset(fdt, 0, name);
	if (off < 0)
		return NULL;
	p = fdt_getprop_w(fdt, off, KHO_FDT_SUB_TREE_PROP_NAME, &len);
	return p && len == sizeof(u64) ? p : NULL;
}

static int kho_debug_blob_at(u64 phys)
{
	void *p = kho_debug_child_addr(KHO_DEBUG_TEST_BLOB);

	if (!p)
		return -ENOENT;
	put_unaligned(phys, (u64 *)p);
	return 0;
}

static int kd_blob_no_ram(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_blob_at(kho_debug_no_ram());
}

static int kd_blob_scratch(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_blob_at(kho_debug_scratch_page());
}

/* A page of RAM outside scratch that nobody preserved. */
static int kd_blob_unpreserved(struct kho_scratch *s, unsigned int *c,
			       size_t *l)
{
	void *p = kho_debug_child_addr(KHO_DEBUG_TEST_BLOB);
	unsigned long page;

	if (!p)
		return -ENOENT;
	page = get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	/* Same contents: only the preservation is missing. */
	memcpy((void *)page, phys_to_virt(get_unaligned((u64 *)p)),
	       PAGE_SIZE);
	put_unaligned((u64)virt_to_phys((void *)page), (u64 *)p);
	return 0;
}

/* The root FDT, which no client may restore and free. */
static int kd_blob_root_fdt(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_blob_at(virt_to_phys(kho_out.fdt));
}

/* ---- test_kho's vmalloc descriptor ---- */

static void *kho_debug_blob(const char *name)
{
	void *p = kho_debug_child_addr(name);

	return p ? phys_to_virt(get_unaligned((u64 *)p)) : NULL;
}

/* Edit test_kho's descriptor through @fn, which sees an aligned copy. */
static int kho_debug_vmalloc(void (*fn)(struct kho_vmalloc *d))
{
	void *blob = kho_debug_blob(KHO_DEBUG_TEST_BLOB);
	struct kho_vmalloc d;
	void *p;
	int len;

	p = blob ? fdt_getprop_w(blob, 0, KHO_DEBUG_VMALLOC_PROP, &len) : NULL;
	if (!p || len != sizeof(d))
		return -ENOENT;
	memcpy(&d, p, sizeof(d));
	if (!d.first.phys)
		return -ENOENT;
	fn(&d);
	memcpy(p, &d, sizeof(d));
	return 0;
}

static struct kho_vmalloc_chunk *kho_debug_last_chunk(struct kho_vmalloc *d)
{
	struct kho_vmalloc_chunk *c = KHOSER_LOAD_PTR(d->first);

	while (c && c->hdr.next.phys)
		c = KHOSER_LOAD_PTR(c->hdr.next);
	return c;
}

static void vm_loop(struct kho_vmalloc *d)
{
	kho_debug_last_chunk(d)->hdr.next.phys = d->first.phys;
}

static void vm_no_ram(struct kho_vmalloc *d)
{
	kho_debug_last_chunk(d)->hdr.next.phys = kho_debug_no_ram();
}

static void vm_order(struct kho_vmalloc *d)
{
	d->order = MAX_PAGE_ORDER + 1;
}

/* One block more in the list than total_pages: test_kho's page again. */
static void vm_total(struct kho_vmalloc *d)
{
	struct kho_vmalloc_chunk *c = kho_debug_last_chunk(d);
	unsigned int i = 0;

	while (i < KHO_VMALLOC_SIZE - 1 && c->phys[i])
		i++;
	c->phys[i] = c->phys[0];
}

static int kd_vmalloc_loop(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_vmalloc(vm_loop);
}

static int kd_vmalloc_no_ram(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_vmalloc(vm_no_ram);
}

static int kd_vmalloc_order(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_vmalloc(vm_order);
}

static int kd_vmalloc_total(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_vmalloc(vm_total);
}

/* ---- reserve_mem's memblock blob: its first region ---- */

static int kho_debug_region(const char *prop, u64 val)
{
	void *blob = kho_debug_blob(MEMBLOCK_KHO_FDT);
	int off = blob ? fdt_first_subnode(blob, 0) : -1;

	if (off < 0)
		return -ENOENT;
	return fdt_setprop_inplace(blob, off, prop, &val, sizeof(val)) ?
	       -EINVAL : 0;
}

static int kd_rmem_scratch(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_region(RESERVE_MEM_KHO_START_PROP_NAME,
				ALIGN_DOWN(kho_debug_scratch_page(), SZ_1M));
}

/* This kernel's image: RAM outside scratch, but nothing preserved it. */
static int kd_rmem_kernel(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_region(RESERVE_MEM_KHO_START_PROP_NAME,
				ALIGN_DOWN(__pa_symbol(_text), SZ_1M));
}

static int kd_rmem_size0(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	return kho_debug_region(RESERVE_MEM_KHO_SIZE_PROP_NAME, 0);
}

/* Overwrite the terminator and padding of the first region's name. */
static int kd_rmem_name(struct kho_scratch *s, unsigned int *c, size_t *l)
{
	void *blob = kho_debug_blob(MEMBLOCK_KHO_FDT);
	int off = blob ? fdt_first_subnode(blob, 0) : -1;
	const char *name;
	int len;

	name = off >= 0 ? fdt_get_name(blob, off, &len) : NULL;
	if (!name)
		return -ENOENT;
	memset((char *)name + len, 'X', ALIGN(len + 1, FDT_TAGSIZE) - len);
	return 0;
}

/* ---- The scratch array, in the copy kexec_file_load loads ---- */

static int kd_scratch_empty(struct kho_scratch *s, unsigned int *cnt,
			    size_t *len)
{
	*len = 0;
	return 0;
}

static int kd_scratch_len(struct kho_scratch *s, unsigned int *cnt, size_t *len)
{
	*len -= sizeof(*s) / 2;
	return 0;
}

static int kd_scratch_overlap(struct kho_scratch *s, unsigned int *cnt,
			      size_t *len)
{
	if (*cnt < 2)
		return -ENOENT;
	s[*cnt - 1] = s[0];
	return 0;
}

static int kd_scratch_no_ram(struct kho_scratch *s, unsigned int *cnt,
			     size_t *len)
{
	s[*cnt - 1].addr = kho_debug_no_ram();
	return 0;
}

static int kd_scratch_misaligned(struct kho_scratch *s, unsigned int *cnt,
				 size_t *len)
{
	s[*cnt - 1].addr += PAGE_SIZE;
	return 0;
}

/* One pageblock per area: far below what any next kernel needs. */
static int kd_scratch_small(struct kho_scratch *s, unsigned int *cnt,
			    size_t *len)
{
	unsigned int i;

	for (i = 0; i < *cnt; i++)
		s[i].size = pageblock_nr_pages * PAGE_SIZE;
	return 0;
}

#define AT_EXEC(n, fn)	{ .name = n, .stage = KHO_DEBUG_AT_EXEC, .apply = fn }
#define AT_LOAD(n, fn)	{ .name = n, .stage = KHO_DEBUG_AT_LOAD, .apply = fn }

static const struct kho_corruption kho_corruptions[] = {
	AT_EXEC("fdt-bad-magic", kd_fdt_bad_magic),
	AT_EXEC("fdt-totalsize", kd_fdt_totalsize),
	AT_EXEC("fdt-compatible", kd_fdt_compatible),
	AT_EXEC("fdt-map-missing", kd_fdt_map_missing),
	AT_EXEC("fdt-map-short", kd_fdt_map_short),
	AT_EXEC("fdt-map-zero", kd_fdt_map_zero),
	AT_EXEC("fdt-map-no-ram", kd_fdt_map_no_ram),
	AT_EXEC("fdt-map-misaligned", kd_fdt_map_misaligned),
	AT_EXEC("fdt-map-scratch", kd_fdt_map_scratch),
	AT_EXEC("tree-self-loop", kd_tree_self_loop),
	AT_EXEC("tree-ancestor", kd_tree_ancestor),
	AT_EXEC("tree-no-ram", kd_tree_no_ram),
	AT_EXEC("tree-scratch", kd_tree_scratch),
	AT_EXEC("tree-misaligned", kd_tree_misaligned),
	AT_EXEC("tree-dag", kd_tree_dag),
	AT_EXEC("tree-block-no-ram", kd_tree_block_no_ram),
	AT_EXEC("tree-block-scratch", kd_tree_block_scratch),
	AT_EXEC("tree-order", kd_tree_order),
	AT_EXEC("tree-overlap", kd_tree_overlap),
	AT_LOAD("scratch-empty", kd_scratch_empty),
	AT_LOAD("scratch-len", kd_scratch_len),
	AT_LOAD("scratch-overlap", kd_scratch_overlap),
	AT_LOAD("scratch-no-ram", kd_scratch_no_ram),
	AT_LOAD("scratch-misaligned", kd_scratch_misaligned),
	AT_LOAD("scratch-small", kd_scratch_small),
	AT_EXEC("blob-no-ram", kd_blob_no_ram),
	AT_EXEC("blob-scratch", kd_blob_scratch),
	AT_EXEC("blob-unpreserved", kd_blob_unpreserved),
	AT_EXEC("blob-root-fdt", kd_blob_root_fdt),
	AT_EXEC("vmalloc-loop", kd_vmalloc_loop),
	AT_EXEC("vmalloc-no-ram", kd_vmalloc_no_ram),
	AT_EXEC("vmalloc-order", kd_vmalloc_order),
	AT_EXEC("vmalloc-total", kd_vmalloc_total),
	AT_EXEC("rmem-scratch", kd_rmem_scratch),
	AT_EXEC("rmem-kernel", kd_rmem_kernel),
	AT_EXEC("rmem-size0", kd_rmem_size0),
	AT_EXEC("rmem-name", kd_rmem_name),
};

/* The armed corruption, or NULL; under kho_out.lock. */
static const struct kho_corruption *kho_armed;

static const struct kho_corruption *kho_debug_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kho_corruptions); i++)
		if (!strcmp(kho_corruptions[i].name, name))
			return &kho_corruptions[i];
	return NULL;
}

/**
 * kho_debug_corrupt - arm a corruption of the outgoing handover
 * @name: its name, or "none" to disarm
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int kho_debug_corrupt(const char *name)
{
	const struct kho_corruption *c = NULL;

	if (strcmp(name, "none")) {
		c = kho_debug_find(name);
		if (!c)
			return -EINVAL;
	}
	mutex_lock(&kho_out.lock);
	kho_armed = c;
	mutex_unlock(&kho_out.lock);
	pr_warn("debug: %s armed\n", c ? c->name : "no corruption");
	return 0;
}

/**
 * kho_debug_corrupt_show - list the corruptions, the armed one with '*'
 * @m: the seq_file of debugfs kho/out/debug_corrupt
 */
void kho_debug_corrupt_show(struct seq_file *m)
{
	unsigned int i;

	mutex_lock(&kho_out.lock);
	for (i = 0; i < ARRAY_SIZE(kho_corruptions); i++)
		seq_printf(m, "%c %s\n",
			   kho_armed == &kho_corruptions[i] ? '*' : ' ',
			   kho_corruptions[i].name);
	mutex_unlock(&kho_out.lock);
}

static void kho_debug_report(const struct kho_corruption *c, int err)
{
	if (err)
		pr_err("debug: cannot apply %s (%d): the handover is intact\n",
		       c->name, err);
	else
		pr_warn("debug: %s applied to the outgoing handover\n", c->name);
}

/**
 * kho_debug_scratch_segment - the scratch array kexec_file_load loads
 * @len: in: its length in bytes; out: the length to tell the next kernel
 *
 * Called from kho_fill_kimage() with kho_out.lock not held.
 *
 * Return: kho_scratch, or a corrupted copy of it if a scratch corruption
 * is armed; valid until the next call.
 */
void *kho_debug_scratch_segment(size_t *len)
{
	static struct kho_scratch copy[KHO_SCRATCH_MAX_AREAS];
	const struct kho_corruption *c;
	unsigned int cnt = kho_scratch_cnt;
	int err;

	mutex_lock(&kho_out.lock);
	c = kho_armed;
	mutex_unlock(&kho_out.lock);
	if (!c || c->stage != KHO_DEBUG_AT_LOAD || cnt > ARRAY_SIZE(copy))
		return kho_scratch;
	memcpy(copy, kho_scratch, cnt * sizeof(*copy));
	err = c->apply(copy, &cnt, len);
	kho_debug_report(c, err);
	return err ? kho_scratch : copy;
}

/* At kexec -e, after the last kexec_file_load: nothing reads it again. */
static int kho_debug_reboot(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	const struct kho_corruption *c;
	int err;

	if (!kexec_in_progress)
		return NOTIFY_DONE;
	mutex_lock(&kho_out.lock);
	c = kho_armed;
	if (c && c->stage == KHO_DEBUG_AT_EXEC) {
		err = c->apply(NULL, NULL, NULL);
		kho_debug_report(c, err);
	}
	mutex_unlock(&kho_out.lock);
	return NOTIFY_DONE;
}

static struct notifier_block kho_debug_nb = {
	.notifier_call = kho_debug_reboot,
};

/**
 * kho_debug_init - set up the fault injector
 *
 * Called by kho_debugfs_init().
 */
void __init kho_debug_init(void)
{
	register_reboot_notifier(&kho_debug_nb);
}
