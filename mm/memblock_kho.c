// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kexec handover of reserve_mem= regions.
 *
 * A kernel with kexec handover enabled preserves the pages of every
 * reserve_mem= region and describes the regions in the "memblock" KHO
 * subtree (see include/linux/kho/abi/memblock.h). The next kernel, while it
 * parses reserve_mem= for a region of the same name, reuses exactly the
 * same physical range if it fits what is asked for, so that a persistent
 * ftrace buffer or ramoops area keeps its contents across kexec.
 */

#define pr_fmt(fmt) "reserve_mem: " fmt

#include <linux/err.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/memblock.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "internal.h"
#include "memblock_kho_blob.h"

/* ---- The next kernel: reuse a handed-over range ---- */

/*
 * The previous kernel's memblock blob once checked, or NULL if there is
 * none or it is unusable. The first reserve_mem= checks it for all.
 */
static void *reserve_mem_kho_in __initdata;
static bool reserve_mem_kho_checked __initdata;

static const void *__init reserve_mem_kho_fdt(void)
{
	static char why[112] __initdata;
	const char *reason;
	phys_addr_t phys;
	size_t size;
	int err;

	if (reserve_mem_kho_checked)
		return reserve_mem_kho_in;
	reserve_mem_kho_checked = true;

	/*
	 * Accept or refuse the whole handover first: a region is revived
	 * only from a map this kernel checked, and its blocks are claimed
	 * from it, so no other client can restore them.
	 */
	kho_memory_init();
	err = kho_retrieve_subtree(MEMBLOCK_KHO_FDT, &phys, &size);
	if (err == -ENOENT || err == -EOPNOTSUPP) {
		pr_debug("no regions handed over by the previous kernel\n");
		return NULL;
	}
	reason = err ? "KHO refused its blob" :
		 reserve_mem_kho_check_blob(phys_to_virt(phys), size, why,
					    sizeof(why));
	if (reason) {
		pr_warn("ignoring the regions handed over by the previous kernel: %s\n",
			reason);
		return NULL;
	}
	reserve_mem_kho_in = phys_to_virt(phys);
	return reserve_mem_kho_in;
}

/*
 * Until kho_memory_init() the scratch areas are known only to memblock, as
 * the memory ranges marked MEMBLOCK_KHO_SCRATCH by kho_populate().
 */
static bool __init reserve_mem_kho_in_scratch(phys_addr_t start,
					      phys_addr_t size)
{
	struct memblock_region *r;

	for_each_mem_region(r) {
		if (memblock_is_kho_scratch(r) &&
		    start < r->base + r->size && r->base < start + size)
			return true;
	}
	return false;
}

/**
 * reserve_mem_kho_revive - reuse a region the previous kernel handed over
 * @name: name of the region, from reserve_mem=
 * @size: size asked for
 * @align: alignment asked for
 *
 * Called while reserve_mem= is parsed, before a fresh region is allocated.
 * If the previous kernel handed over a region called @name that fits @size
 * and @align, lies in RAM outside scratch and is exactly memory it
 * preserved with kho_preserve_pages(), that memory is claimed for good
 * (kho_claim_pages(): it stays reserved and no other client can restore
 * it) and returned. Anything else found for @name is logged as a warning;
 * no handover at all is silent.
 *
 * Return: the start of the reused range, or 0 to allocate a fresh region.
 */
phys_addr_t __init reserve_mem_kho_revive(const char *name, phys_addr_t size,
					  phys_addr_t align)
{
	static char why[112] __initdata;
	const char *reason = NULL;
	phys_addr_t start = 0;
	const void *fdt;
	int found;

	fdt = reserve_mem_kho_fdt();
	if (!fdt)
		return 0;
	found = reserve_mem_kho_parse(fdt, name, size, align, &start, &reason,
				      why, sizeof(why));
	if (!found) {
		pr_debug("%s: not handed over by the previous kernel\n", name);
		return 0;
	}
	if (found > 0) {
		if (!memblock_is_region_memory(start, size))
			reason = "the range is not RAM";
		else if (reserve_mem_kho_in_scratch(start, size))
			reason = "the range overlaps KHO scratch memory";
		else if (kho_claim_pages(start, size >> PAGE_SHIFT))
			reason = "the range is not exactly memory the previous kernel preserved";
	}
	if (reason) {
		pr_warn("%s: handover region not reused: %s; allocating a fresh one\n",
			name, reason);
		return 0;
	}
	pr_info("%s revived at %pa (size %pa) from the previous kernel\n",
		name, &start, &size);
	return start;
}

/* ---- This kernel: hand the regions over to the next one ---- */

static int __init reserve_mem_kho_add(void *fdt, const char *name,
				      phys_addr_t start, phys_addr_t size)
{
	int off, err;

	off = fdt_add_subnode(fdt, 0, name);
	if (off < 0)
		return off;
	err = fdt_setprop_string(fdt, off, "compatible",
				 RESERVE_MEM_KHO_NODE_COMPATIBLE);
	if (!err)
		err = fdt_setprop(fdt, off, RESERVE_MEM_KHO_START_PROP_NAME,
				  &start, sizeof(start));
	if (!err)
		err = fdt_setprop(fdt, off, RESERVE_MEM_KHO_SIZE_PROP_NAME,
				  &size, sizeof(size));
	if (err)
		fdt_del_node(fdt, off);
	return err;
}

/* Unpreserve every region the blob lists so far, then the blob itself. */
static void __init reserve_mem_kho_undo(void *fdt)
{
	phys_addr_t start, size;
	int off;

	fdt_for_each_subnode(off, fdt, 0) {
		if (reserve_mem_kho_prop(fdt, off,
					 RESERVE_MEM_KHO_START_PROP_NAME,
					 &start) &&
		    reserve_mem_kho_prop(fdt, off,
					 RESERVE_MEM_KHO_SIZE_PROP_NAME, &size))
			kho_unpreserve_pages(pfn_to_page(PHYS_PFN(start)),
					     size >> PAGE_SHIFT);
	}
	kho_unpreserve_free(fdt);
}

/*
 * Preserve region @i and add its node: 1 if done, 0 if the region cannot
 * be handed over by its nature (logged), or a negative error (logged).
 */
static int __init reserve_mem_kho_region(void *fdt, int i)
{
	phys_addr_t start, size;
	const char *name;
	struct page *page;
	int err;

	reserve_mem_get(i, &name, &start, &size);
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(size)) {
		pr_warn("%s at %pa (size %pa) is not page aligned; it will not survive kexec\n",
			name, &start, &size);
		return 0;
	}
	page = pfn_to_page(PHYS_PFN(start));
	err = kho_preserve_pages(page, size >> PAGE_SHIFT);
	if (err == -EINVAL) {
		/* Allocated afresh during a KHO boot: the next kernel boots there. */
		pr_warn("%s at %pa lies in KHO scratch memory; it will not survive kexec\n",
			name, &start);
		return 0;
	}
	if (err) {
		pr_warn("cannot preserve %s at %pa (%d)\n", name, &start, err);
		return err;
	}
	err = reserve_mem_kho_add(fdt, name, start, size);
	if (err) {
		kho_unpreserve_pages(page, size >> PAGE_SHIFT);
		pr_warn("cannot describe %s in the memblock FDT: %s\n",
			name, fdt_strerror(err));
		return -EINVAL;
	}
	return 1;
}

static int __init reserve_mem_kho_init(void)
{
	const char *name;
	phys_addr_t start, size;
	int i, n = 0, err;
	void *fdt;

	if (!kho_is_enabled() || !reserve_mem_get(0, &name, &start, &size))
		return 0;

	fdt = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(fdt)) {
		pr_warn("cannot allocate the memblock FDT (%pe); reserve_mem regions will not survive kexec\n",
			fdt);
		return 0;
	}
	err = fdt_create_empty_tree(fdt, PAGE_SIZE);
	if (!err)
		err = fdt_setprop_string(fdt, 0, "compatible",
					 MEMBLOCK_KHO_NODE_COMPATIBLE);
	if (err) {
		pr_warn("cannot build the memblock FDT: %s\n", fdt_strerror(err));
		goto undo;
	}

	for (i = 0; reserve_mem_get(i, &name, &start, &size); i++) {
		err = reserve_mem_kho_region(fdt, i);
		if (err < 0)
			goto undo;
		n += err;
	}
	if (!n) {
		kho_unpreserve_free(fdt);
		return 0;
	}

	fdt_pack(fdt);
	err = kho_add_subtree(MEMBLOCK_KHO_FDT, fdt, fdt_totalsize(fdt));
	if (err) {
		pr_warn("cannot add the " MEMBLOCK_KHO_FDT " KHO subtree (%d)\n",
			err);
		goto undo;
	}
	pr_info("%d region(s) will be handed over to the next kernel\n", n);
	return 0;

undo:
	reserve_mem_kho_undo(fdt);
	pr_warn("no region will survive kexec\n");
	return 0;
}
late_initcall(reserve_mem_kho_init);
