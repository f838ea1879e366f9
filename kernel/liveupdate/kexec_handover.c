// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_handover.c - kexec handover: preserve memory across kexec
 *
 * A running kernel preserves chosen memory and publishes named blobs; the
 * kernel started by kexec_file_load finds both at the same physical
 * addresses. See Documentation/core-api/kho/index.rst.
 *
 * This file holds the enable switch, the scratch areas, the outgoing FDT
 * and its subtrees, the preservation and restore API and the glue to
 * kexec_file_load. The next kernel's early boot is in kho_boot.c.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/cma.h>
#include <linux/crash_reserve.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/initrd.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/radix_tree.h>
#include <linux/kmemleak.h>
#include <linux/kstrtox.h>
#include <linux/libfdt.h>
#include <linux/log2.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/page-isolation.h>
#include <linux/pgalloc_tag.h>
#include <linux/printk.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timex.h>
#include <asm/sections.h>
#include <kunit/visibility.h>

#include "kexec_handover_internal.h"
#include "../kexec_internal.h"
#include "../../mm/internal.h"

bool kho_enable __ro_after_init =
	IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT);

/* Areas the next kernel may allocate from; see the scratch ABI header. */
struct kho_scratch *kho_scratch;
unsigned int kho_scratch_cnt;

/* kho_scratch=: percent of kernel reservations, or explicit sizes. */
static struct kho_scratch_size kho_scratch_req __initdata = {
	.scale = 100 + KHO_SCRATCH_MARGIN,
};

bool kho_scratch_given __initdata;

/*
 * What a next kernel allocates early besides its kexec segments, as this
 * kernel did: its kernel memblock reservations without its own image and
 * initrd, which are segments for the next one. Set at boot.
 */
phys_addr_t kho_early_need __ro_after_init;

struct kho_out kho_out = {
	.lock = __MUTEX_INITIALIZER(kho_out.lock),
};

/**
 * kho_is_enabled - is kexec handover enabled in this kernel?
 *
 * KHO is off unless the kernel was booted with ``kho=on`` or built with
 * %CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT (``kho=off`` wins over both), and
 * is switched off again if its scratch memory cannot be set up.
 *
 * Return: true if preservation calls may be used (from fs_initcall on).
 */
bool kho_is_enabled(void)
{
	return kho_enable;
}
EXPORT_SYMBOL_GPL(kho_is_enabled);

/**
 * is_kho_boot - was this kernel started with a valid handover?
 *
 * Reliable from kho_populate() on, early in setup_arch(). It turns false if
 * the preserved-memory map fails validation in kho_memory_init().
 *
 * Return: true if the previous kernel handed over preserved memory that
 * this kernel accepted.
 */
bool is_kho_boot(void)
{
	return !!kho_in.fdt_phys;
}
EXPORT_SYMBOL_GPL(is_kho_boot);

VISIBLE_IF_KUNIT int __init kho_parse_enable(char *p)
{
	bool val;

	if (!p || kstrtobool(p, &val)) {
		pr_warn("kho=%s is not a boolean (use on/off, y/n or 1/0); KHO stays %s\n",
			p ? p : "", kho_enable ? "on" : "off");
		return -EINVAL;
	}
	kho_enable = val;
	return 0;
}
early_param("kho", kho_parse_enable);

/*
 * kho_scratch= is either "N%" (a scale of the boot's kernel reservations)
 * or "lowmem,global,pernode" sizes with memparse suffixes.
 */
VISIBLE_IF_KUNIT int kho_parse_scratch_size(const char *p,
					    struct kho_scratch_size *out)
{
	struct kho_scratch_size req = { };
	u64 *sizes[] = { &req.lowmem, &req.global, &req.pernode };
	unsigned int i, scale;
	char *end;
	size_t len;

	if (!p || !*p)
		return -EINVAL;

	len = strlen(p);
	if (p[len - 1] == '%') {
		char buf[12];

		if (len - 1 >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, p, len - 1);
		buf[len - 1] = '\0';
		if (kstrtouint(buf, 10, &scale) || !scale)
			return -EINVAL;
		*out = (struct kho_scratch_size){ .scale = scale };
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		*sizes[i] = memparse(p, &end);
		p = end;
		if (i < ARRAY_SIZE(sizes) - 1) {
			if (*p != ',')
				return -EINVAL;
			p++;
		}
	}
	if (*p || !(req.lowmem || req.global || req.pernode))
		return -EINVAL;
	*out = req;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kho_parse_scratch_size);

static int __init kho_parse_scratch(char *p)
{
	if (kho_parse_scratch_size(p, &kho_scratch_req)) {
		pr_warn("kho_scratch=%s is invalid: use N%% or lowmem,global,pernode sizes such as 16M,512M,256M; keeping the default\n",
			p ? p : "");
		return -EINVAL;
	}
	kho_scratch_given = true;
	return 0;
}
early_param("kho_scratch", kho_parse_scratch);

/**
 * kho_scratch_overlap - does a range overlap a scratch area?
 * @phys: start of the range
 * @size: size of the range in bytes
 *
 * Return: true if any byte of the range lies in scratch memory.
 */
bool kho_scratch_overlap(phys_addr_t phys, phys_addr_t size)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		phys_addr_t start = kho_scratch[i].addr;
		phys_addr_t end = start + kho_scratch[i].size;

		if (phys < end && start < phys + size)
			return true;
	}
	return false;
}

/* ---- Scratch on a cold boot ---- */

static phys_addr_t __init kho_kern_size(phys_addr_t limit, int nid);

/* Bytes of [@start, @end) below @limit. */
static phys_addr_t __init kho_below(phys_addr_t start, phys_addr_t end,
				    phys_addr_t limit)
{
	end = min(end, limit);
	return end > start ? end - start : 0;
}

/*
 * Bytes of this boot's image and initrd below @limit: for a next kernel
 * they are kexec segments, which go to the highest scratch area first.
 */
static phys_addr_t __init kho_own_size(phys_addr_t limit)
{
	phys_addr_t size = kho_below(__pa_symbol(_text), __pa_symbol(_end),
				     limit);

#ifdef CONFIG_BLK_DEV_INITRD
	if (initrd_end > initrd_start)
		size += kho_below(__pa(initrd_start), __pa(initrd_end), limit);
#endif
	return size;
}

/*
 * This boot's kernel reservations that a next kernel makes again outside
 * its segments: without the kernel image and the initrd, whose next
 * versions kexec places in scratch as segments.
 */
phys_addr_t __init kho_measure_early_need(void)
{
	phys_addr_t kern = kho_kern_size(MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	phys_addr_t own = kho_own_size(MEMBLOCK_ALLOC_ANYWHERE);

	return kern > own ? kern - own : 0;
}

/* Size of an area: scaled from @kern, or @explicit bytes from kho_scratch=. */
static phys_addr_t __init kho_scratch_area(phys_addr_t kern, u64 explicit)
{
	u64 size = kho_scratch_req.scale ?
		   div_u64((u64)kern * kho_scratch_req.scale, 100) : explicit;

	/* At least one pageblock, so every area exists. */
	return round_up(max_t(u64, size, 1), CMA_MIN_ALIGNMENT_BYTES);
}

static void __init kho_scratch_free(unsigned int n)
{
	while (n--)
		memblock_phys_free(kho_scratch[n].addr, kho_scratch[n].size);
	memblock_free(kho_scratch, kho_scratch_cnt * sizeof(*kho_scratch));
	kho_scratch = NULL;
	kho_scratch_cnt = 0;
}

/*
 * Reserve the areas the next kernel will boot in: low memory, a global
 * area and one per node. They go to the page allocator as CMA in kho_init(),
 * so only movable allocations, which are never preserved, live there.
 */
/*
 * The kernel memblock reservations below @limit on @nid (%NUMA_NO_NODE:
 * any), which a next kernel makes again and scratch is sized from. The
 * crashkernel= reservation is one, but no next kernel needs it: a 256 MiB
 * crash area would otherwise add 512 MiB to each scratch area holding it.
 */
static phys_addr_t __init kho_kern_size(phys_addr_t limit, int nid)
{
	phys_addr_t size = memblock_reserved_kern_size(limit, nid);
#ifdef CONFIG_CRASH_RESERVE
	struct resource *crash[] = { &crashk_res, &crashk_low_res };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(crash); i++) {
		phys_addr_t start = crash[i]->start;
		phys_addr_t end = min_t(phys_addr_t, crash[i]->end + 1, limit);

		if (!crash[i]->end || start >= end)
			continue;
		if (numa_valid_node(nid) &&
		    early_pfn_to_nid(PHYS_PFN(start)) != nid)
			continue;
		size -= min(size, end - start);
	}
#endif
	return size;
}

/*
 * Give the struct pages of [@start, @end) the state memblock_free_all()
 * gives reserved memory. Scratch is reserved only once it has done that
 * (see kho_release_unpreserved()), and with deferred struct page init
 * nothing else would initialise them before kho_release_scratch_cma().
 */
static void __init kho_init_reserved_pages(phys_addr_t start, phys_addr_t end)
{
	phys_addr_t next, block = PAGE_SIZE << pageblock_order;

	start = PFN_PHYS(PFN_DOWN(start));
	for (; start < end; start = next) {
		next = min(end, ALIGN_DOWN(start, block) + block);
		reserve_bootmem_region(start, next,
				       early_pfn_to_nid(PHYS_PFN(start)));
	}
}

/*
 * Reserve the areas the next kernel will boot in, from
 * kho_release_unpreserved() at the start of memblock_free_all(): every
 * early reservation is made by then, the last ones in mem_init().
 */
void __init kho_reserve_scratch(void)
{
	phys_addr_t total = kho_kern_size(MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	phys_addr_t low = kho_kern_size(ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE);
	unsigned int nodes = num_node_state(N_MEMORY);
	/*
	 * Each reservation is counted once, in the area the next kernel will
	 * make it in: low memory, then each node's memory above it. With one
	 * node that is the global area, and a per-node area would only repeat
	 * it; kho_scratch= with explicit sizes always gets one per node. The
	 * image and the initrd count in the global area, the highest one,
	 * where kexec puts the next ones: counted in low memory, they would
	 * take the room of allocations that must be low, such as swiotlb's.
	 */
	bool pernode = nodes > 1 || !kho_scratch_req.scale;
	phys_addr_t own_low = kho_own_size(ARCH_LOW_ADDRESS_LIMIT);
	phys_addr_t own = kho_own_size(MEMBLOCK_ALLOC_ANYWHERE);
	phys_addr_t addr, size = 0, sum = 0;
	unsigned int i;
	int nid;

	kho_early_need = kho_measure_early_need();
	kho_scratch_cnt = 2 + (pernode ? nodes : 0);
	kho_scratch = memblock_alloc(kho_scratch_cnt * sizeof(*kho_scratch),
				     PAGE_SIZE);
	if (!kho_scratch) {
		kho_scratch_cnt = 0;
		pr_warn("cannot allocate the scratch array; KHO is off for this boot\n");
		kho_enable = false;
		return;
	}

	/* Size every area before any of them counts as a kernel reservation. */
	kho_scratch[0].size = kho_scratch_area(low - min(low, own_low),
					       kho_scratch_req.lowmem);
	kho_scratch[1].size = kho_scratch_area(pernode ? own :
					       total - low + own_low,
					       kho_scratch_req.global);
	i = 2;
	/* FIXME: nodes hot-added later get no area. */
	for_each_node_state(nid, N_MEMORY) {
		if (!pernode)
			break;
		size = kho_kern_size(MEMBLOCK_ALLOC_ANYWHERE, nid);
		/* crashkernel= taken off one node only can leave it short. */
		size -= min(size, kho_kern_size(ARCH_LOW_ADDRESS_LIMIT, nid));
		kho_scratch[i++].size = kho_scratch_area(size,
							 kho_scratch_req.pernode);
	}

	i = 0;
	size = kho_scratch[i].size;
	addr = memblock_phys_alloc_range(size, CMA_MIN_ALIGNMENT_BYTES, 0,
					 ARCH_LOW_ADDRESS_LIMIT);
	if (!addr)
		goto fail;
	kho_scratch[i++].addr = addr;

	size = kho_scratch[i].size;
	addr = memblock_phys_alloc(size, CMA_MIN_ALIGNMENT_BYTES);
	if (!addr)
		goto fail;
	kho_scratch[i++].addr = addr;

	for_each_node_state(nid, N_MEMORY) {
		if (!pernode)
			break;
		size = kho_scratch[i].size;
		addr = memblock_alloc_range_nid(size, CMA_MIN_ALIGNMENT_BYTES,
						0, MEMBLOCK_ALLOC_ACCESSIBLE,
						nid, true);
		if (!addr)
			goto fail;
		kho_scratch[i++].addr = addr;
	}

	addr = __pa(kho_scratch);
	kho_init_reserved_pages(addr, addr + kho_scratch_cnt * sizeof(*kho_scratch));
	for (i = 0; i < kho_scratch_cnt; i++) {
		sum += kho_scratch[i].size;
		kho_init_reserved_pages(kho_scratch[i].addr,
					kho_scratch[i].addr + kho_scratch[i].size);
	}
	/* Shown as CMA, not as reserved: see kho_release_scratch_cma(). */
	totalcma_pages += sum >> PAGE_SHIFT;
	if (pernode)
		pr_info("scratch: lowmem %llu MiB, global %llu MiB, %u node(s) x %llu MiB; %llu MiB in all\n",
			kho_scratch[0].size >> 20, kho_scratch[1].size >> 20,
			kho_scratch_cnt - 2, kho_scratch[2].size >> 20,
			(u64)sum >> 20);
	else
		pr_info("scratch: lowmem %llu MiB, global %llu MiB, none per node on one node; %llu MiB in all\n",
			kho_scratch[0].size >> 20, kho_scratch[1].size >> 20,
			(u64)sum >> 20);
	pr_info("scratch: a next kernel needs about %llu MiB early, plus its kexec segments\n",
		(u64)kho_early_need >> 20);
	return;

fail:
	pr_warn("cannot reserve %llu MiB of scratch memory (area %u); KHO is off for this boot: lower kho_scratch=\n",
		(u64)size >> 20, i);
	kho_scratch_free(i);
	kho_enable = false;
}

/* Hand the scratch areas to the page allocator as CMA pageblocks. */
static void __init kho_release_scratch_cma(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long pfn = PHYS_PFN(kho_scratch[i].addr);
		unsigned long end = pfn + PHYS_PFN(kho_scratch[i].size);

		kmemleak_ignore_phys(kho_scratch[i].addr);
		for (; pfn < end; pfn += pageblock_nr_pages)
			init_cma_reserved_pageblock(pfn_to_page(pfn));
	}
}

/*
 * On a KHO boot memblock_free_all() gave scratch to the page allocator as
 * CMA pageblocks; count it as CMA only now, after the boot "Memory:" line,
 * which counts CMA as not yet available.
 */
static void __init kho_count_scratch_cma(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		totalcma_pages += kho_scratch[i].size >> PAGE_SHIFT;
}

/* ---- Preservation ---- */

static int kho_check_range(phys_addr_t phys, phys_addr_t size)
{
	if (!kho_enable || !kho_out_fdt())
		return -EOPNOTSUPP;
	/* Scratch is reused by the next kernel before it reserves anything. */
	if (kho_scratch_overlap(phys, size))
		return -EINVAL;
	return 0;
}

/*
 * Record one block, unless it shares a page with a preserved block of
 * another order: the next kernel would stamp both heads and could hand one
 * page to two owners. Checked after the add so that racing adds of
 * overlapping blocks cannot both succeed (see kho_radix_overlaps()).
 */
static int kho_add_block(unsigned long pfn, unsigned int order)
{
	int err = kho_radix_add_page(&kho_out.tree, pfn, order);

	if (err || !kho_radix_overlaps(&kho_out.tree, pfn, order))
		return err;
	kho_radix_del_page(&kho_out.tree, pfn, order);
	pr_warn_ratelimited("cannot preserve pfns %#lx-%#lx: they overlap memory already preserved as another block; unpreserve that first\n",
			    pfn, pfn + (1UL << order) - 1);
	return -EEXIST;
}

/**
 * kho_preserve_folio - preserve a folio across kexec
 * @folio: the folio; it must not be split or freed while preserved
 *
 * Records the folio, at its physical address and order, in the map of
 * preserved memory that the next kernel reserves early in boot. May sleep.
 *
 * Gigantic folios (above %MAX_PAGE_ORDER, such as a 1 GiB hugetlb folio)
 * are preserved as one block like any other.
 *
 * Return: 0; -EOPNOTSUPP if KHO is off or not yet initialized (before
 * fs_initcall); -EINVAL if the folio lies in scratch memory; -EEXIST if it
 * is already preserved, or overlaps memory preserved as another block (a
 * range around it, or pages inside it); -ENOMEM.
 */
int kho_preserve_folio(struct folio *folio)
{
	int err = kho_check_range(PFN_PHYS(folio_pfn(folio)),
				  folio_size(folio));

	if (err)
		return err;
	return kho_add_block(folio_pfn(folio), folio_order(folio));
}
EXPORT_SYMBOL_GPL(kho_preserve_folio);

/**
 * kho_unpreserve_folio - stop preserving a folio
 * @folio: a folio preserved with kho_preserve_folio()
 *
 * Does nothing but log a warning if the folio is not preserved as a whole
 * at its current order.
 */
void kho_unpreserve_folio(struct folio *folio)
{
	int err;

	if (!kho_out_fdt())
		return;
	err = kho_radix_del_page(&kho_out.tree, folio_pfn(folio),
				 folio_order(folio));
	if (err)
		pr_warn("cannot unpreserve folio at pfn %#lx order %u: not preserved (%d)\n",
			folio_pfn(folio), folio_order(folio), err);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_folio);

/*
 * The node of @pfn, read only from a struct page proven to exist: restore
 * splits ranges whose addresses come from preserved data.
 */
static int kho_pfn_nid(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);

	return page ? page_to_nid(page) : NUMA_NO_NODE;
}

/*
 * The order of the next block of a page range: the largest naturally
 * aligned block that starts at @pfn, stays below @end and on one node.
 * Preserve, unpreserve and restore must all split with this function.
 */
VISIBLE_IF_KUNIT unsigned int kho_range_block(unsigned long pfn,
					      unsigned long end)
{
	unsigned int order = min_t(unsigned int,
				   pfn ? __ffs(pfn) : KHO_RADIX_MAX_ORDER,
				   ilog2(end - pfn));
	int nid = kho_pfn_nid(pfn);

	while (order && kho_pfn_nid(pfn + (1UL << order) - 1) != nid)
		order--;
	return order;
}
EXPORT_SYMBOL_IF_KUNIT(kho_range_block);

/* Delete the blocks of [@pfn, @end); stop at the first absent one. */
static int kho_unpreserve_range(unsigned long pfn, unsigned long end)
{
	while (pfn < end) {
		unsigned int order = kho_range_block(pfn, end);
		int err = kho_radix_del_page(&kho_out.tree, pfn, order);

		if (err)
			return err;
		pfn += 1UL << order;
	}
	return 0;
}

/**
 * kho_preserve_pages - preserve a range of pages across kexec
 * @page: the first page
 * @nr_pages: number of pages
 *
 * Records [@page, @page + @nr_pages) as the largest naturally aligned
 * blocks it splits into, none of which straddles a NUMA node. The pages
 * need not be one allocation, but must stay allocated while preserved.
 * May sleep.
 *
 * Return: 0; -EOPNOTSUPP if KHO is off or not yet initialized; -EINVAL if
 * @nr_pages is 0 or the range touches scratch memory; -EEXIST if a block of
 * the split is already preserved or overlaps memory preserved as another
 * block (such as a folio inside the range); -ENOMEM. On error nothing of
 * the range is preserved.
 */
int kho_preserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page), pfn = start;
	unsigned long end = start + nr_pages;
	int err;

	if (!nr_pages)
		return -EINVAL;
	err = kho_check_range(PFN_PHYS(start), PFN_PHYS(nr_pages));
	if (err)
		return err;

	while (pfn < end) {
		unsigned int order = kho_range_block(pfn, end);

		err = kho_add_block(pfn, order);
		if (err) {
			kho_unpreserve_range(start, pfn);
			return err;
		}
		pfn += 1UL << order;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(kho_preserve_pages);

/**
 * kho_unpreserve_pages - stop preserving a range of pages
 * @page: the first page, as given to kho_preserve_pages()
 * @nr_pages: number of pages, as given to kho_preserve_pages()
 *
 * The range must be exactly one that was preserved. If any block of its
 * split is not preserved, nothing is changed and a warning is logged.
 */
void kho_unpreserve_pages(struct page *page, unsigned long nr_pages)
{
	unsigned long start = page_to_pfn(page), end = start + nr_pages;
	unsigned long pfn;

	if (!kho_out_fdt() || !nr_pages)
		return;

	for (pfn = start; pfn < end; pfn += 1UL << kho_range_block(pfn, end)) {
		if (!kho_radix_test_page(&kho_out.tree, pfn,
					 kho_range_block(pfn, end))) {
			pr_warn("cannot unpreserve pfns %#lx-%#lx: not preserved as one range\n",
				start, end - 1);
			return;
		}
	}
	kho_unpreserve_range(start, end);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_pages);

/**
 * kho_alloc_preserve - allocate zeroed memory and preserve it
 * @size: bytes wanted; the allocation is a folio of get_order(@size)
 *
 * Return: the virtual address of the memory, or an ERR_PTR: -EINVAL if
 * @size is 0, -E2BIG if it needs more than %MAX_PAGE_ORDER, -ENOMEM, or the
 * error of kho_preserve_folio().
 */
void *kho_alloc_preserve(size_t size)
{
	struct folio *folio;
	unsigned int order;
	int err;

	if (!size)
		return ERR_PTR(-EINVAL);
	order = get_order(size);
	if (order > MAX_PAGE_ORDER)
		return ERR_PTR(-E2BIG);

	folio = folio_alloc(GFP_KERNEL | __GFP_ZERO, order);
	if (!folio)
		return ERR_PTR(-ENOMEM);
	err = kho_preserve_folio(folio);
	if (err) {
		folio_put(folio);
		return ERR_PTR(err);
	}
	return folio_address(folio);
}
EXPORT_SYMBOL_GPL(kho_alloc_preserve);

/**
 * kho_unpreserve_free - undo kho_alloc_preserve()
 * @mem: what kho_alloc_preserve() returned, or NULL
 */
void kho_unpreserve_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	folio = virt_to_folio(mem);
	kho_unpreserve_folio(folio);
	folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_unpreserve_free);

/* ---- Restore, in the next kernel ---- */

/*
 * The head page of a block the previous kernel preserved at exactly @phys,
 * with its order, or NULL. Pages of reserved NOINIT regions keep the state
 * memmap_init gave them: refcount 1, not PG_reserved, not managed.
 */
static struct page *kho_preserved_head(phys_addr_t phys, unsigned int *order)
{
	struct page *page = pfn_to_online_page(PHYS_PFN(phys));
	union kho_page_info info;

	if (!page || !PAGE_ALIGNED(phys))
		return NULL;
	info.page_private = page_private(page);
	if (info.magic != KHO_PAGE_MAGIC || info.order > KHO_RADIX_MAX_ORDER)
		return NULL;
	*order = info.order;
	return page;
}

/*
 * Take the stamp off a block's head page, atomically: of two concurrent
 * restores of one block, only one succeeds, and a later one fails.
 */
static bool kho_claim(struct page *page, unsigned int order)
{
	unsigned long stamp = kho_stamp_value(order);

	return try_cmpxchg(&page->private, &stamp, 0);
}

/* Turn a claimed preserved block into allocated memory. */
static void kho_restore_block(struct page *page, unsigned int order,
			      bool folio)
{
	unsigned long i, nr = 1UL << order;

	/* nth_page(): a block above MAX_PAGE_ORDER may span memory sections. */
	for (i = 0; i < nr; i++) {
		set_page_count(nth_page(page, i), folio && i ? 0 : 1);
		if (!folio)
			clear_page_tag_ref(nth_page(page, i));
	}
	if (folio) {
		clear_page_tag_ref(page);
		if (order)
			prep_compound_page(page, order);
	}
	/* Each MAX_ORDER chunk of a larger block to its own zone. */
	for (i = 0; i < nr; i += MAX_ORDER_NR_PAGES)
		adjust_managed_page_count(nth_page(page, i),
					  min_t(unsigned long, nr - i,
						MAX_ORDER_NR_PAGES));
}

/*
 * The memory of a block the previous kernel preserved at exactly @phys and
 * this kernel has not restored, with its size; NULL for anything else, so
 * that an address read from a handover can be checked before it is used.
 */
const void *kho_in_block(phys_addr_t phys, size_t *size)
{
	unsigned int order;
	struct page *page = kho_preserved_head(phys, &order);

	if (!page)
		return NULL;
	*size = PAGE_SIZE << order;
	return page_address(page);
}

/*
 * A folio above MAX_PAGE_ORDER needs its struct pages contiguous in the
 * memmap (prep_compound_page() walks them as an array) and in one zone.
 */
static bool kho_gigantic_ok(struct page *page, unsigned int order)
{
	unsigned long last = page_to_pfn(page) + (1UL << order) - 1;
	struct page *tail;

	if (order <= MAX_PAGE_ORDER)
		return true;
	tail = pfn_to_online_page(last);
	/* Larger folios than PUD_ORDER overflow the int page counts. */
	if (order <= PUD_ORDER && tail &&
	    (IS_ENABLED(CONFIG_SPARSEMEM_VMEMMAP) ||
	     !IS_ENABLED(CONFIG_SPARSEMEM)) &&
	    page_zone(tail) == page_zone(page))
		return true;
	pr_warn("cannot restore the order-%u folio at pfn %#lx as one folio: above PUD_ORDER, or its struct pages are not one array in one zone; restore it with kho_restore_pages()\n",
		order, page_to_pfn(page));
	return false;
}

/**
 * kho_restore_folio - take back a folio preserved by the previous kernel
 * @phys: physical address the folio was preserved at
 *
 * Gives the folio the state of a fresh allocation of its order: head
 * refcount 1, tails 0, compound for order > 0, counted as managed memory.
 * It can be used and then freed with folio_put() like any folio, also a
 * gigantic one (above %MAX_PAGE_ORDER, e.g. 1 GiB), which the buddy
 * allocator takes back in pageblocks. It is an ordinary compound folio,
 * not a hugetlb one. Usable
 * once the page allocator is up. For example, with @phys read from the
 * subsystem's own blob (see kho_retrieve_subtree())::
 *
 *	folio = kho_restore_folio(phys);
 *	if (!folio)
 *		return -ENOENT;	// not preserved, or already restored
 *	consume(folio_address(folio));
 *	folio_put(folio);
 *
 * A folio that is never restored stays reserved for the life of this
 * kernel.
 *
 * Return: the folio, or NULL if @phys is not the head of a block the
 * previous kernel preserved and this kernel has not restored yet.
 */
struct folio *kho_restore_folio(phys_addr_t phys)
{
	unsigned int order;
	struct page *page = kho_preserved_head(phys, &order);

	if (!page || !kho_gigantic_ok(page, order) || !kho_claim(page, order))
		return NULL;
	kho_restore_block(page, order, true);
	return page_folio(page);
}
EXPORT_SYMBOL_GPL(kho_restore_folio);

/**
 * kho_claim_pages - take a preserved page range for good, as it is
 * @phys: physical address of the first page, as preserved
 * @nr_pages: number of pages, as given to kho_preserve_pages()
 *
 * Takes the blocks of the range off the list of restorable memory without
 * giving them to the page allocator: they stay reserved, untouched, for the
 * life of this kernel, and neither kho_restore_pages() nor any other
 * restore can take them again. For memory its owner reaches by physical
 * address, such as a revived reserve_mem= region (mm/memblock_kho.c).
 * Nothing is changed unless every block of the range's split, the split
 * kho_preserve_pages() made, is found exactly as preserved.
 *
 * Return: 0; -EINVAL if @phys is not page aligned, @nr_pages is 0 or runs
 * past the end of memory, or the range is not exactly blocks the previous
 * kernel preserved and this kernel has not restored or claimed; -EBUSY if
 * a concurrent restore took one of the blocks first.
 */
int kho_claim_pages(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long start = PHYS_PFN(phys), end, pfn;
	unsigned int order, want;

	/* Both come from preserved data: a count may wrap past the end. */
	if (!nr_pages || !PAGE_ALIGNED(phys) || nr_pages > ULONG_MAX - start)
		return -EINVAL;
	end = start + nr_pages;
	for (pfn = start; pfn < end; pfn += 1UL << want) {
		/* The head first: the split reads struct pages past it. */
		if (!kho_preserved_head(PFN_PHYS(pfn), &order))
			return -EINVAL;
		want = kho_range_block(pfn, end);
		if (order != want)
			return -EINVAL;
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = kho_range_block(pfn, end);
		if (kho_claim(pfn_to_page(pfn), order))
			continue;
		/* Lost a race for this block: give back what was claimed. */
		while (start < pfn) {
			order = kho_range_block(start, end);
			set_page_private(pfn_to_page(start),
					 kho_stamp_value(order));
			start += 1UL << order;
		}
		return -EBUSY;
	}
	return 0;
}

/**
 * kho_restore_pages - take back a page range preserved by the previous kernel
 * @phys: physical address of the first page, as preserved
 * @nr_pages: number of pages, as given to kho_preserve_pages()
 *
 * Each page becomes an order-0 page with refcount 1, like a page split off
 * a larger allocation; free each with __free_page() when done. Nothing is
 * changed unless every block of the range's split, the same split
 * kho_preserve_pages() made, is found exactly as preserved.
 *
 * Return: the first page, or NULL.
 */
struct page *kho_restore_pages(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long start = PHYS_PFN(phys), pfn;
	unsigned int order;

	if (kho_claim_pages(phys, nr_pages))
		return NULL;
	for (pfn = start; pfn < start + nr_pages; pfn += 1UL << order) {
		order = kho_range_block(pfn, start + nr_pages);
		kho_restore_block(pfn_to_page(pfn), order, false);
	}
	return pfn_to_page(start);
}
EXPORT_SYMBOL_GPL(kho_restore_pages);

/**
 * kho_restore_free - free memory the previous kernel allocated with
 *	kho_alloc_preserve()
 * @mem: its address, phys_to_virt() of what the previous kernel published
 *
 * Logs a warning and leaks nothing more if @mem was not preserved that way.
 */
void kho_restore_free(void *mem)
{
	struct folio *folio;

	if (!mem)
		return;
	folio = kho_restore_folio(virt_to_phys(mem));
	if (!folio) {
		pr_warn("cannot free %pa: not memory preserved by the previous kernel\n",
			&(phys_addr_t){ virt_to_phys(mem) });
		return;
	}
	folio_put(folio);
}
EXPORT_SYMBOL_GPL(kho_restore_free);

#if IS_ENABLED(CONFIG_KUNIT)
bool kho_is_preserved(phys_addr_t phys, unsigned int order)
{
	return kho_out_fdt() &&
	       kho_radix_test_page(&kho_out.tree, PHYS_PFN(phys), order);
}
EXPORT_SYMBOL_IF_KUNIT(kho_is_preserved);
#endif

/* ---- kexec_file_load ---- */

/* Called from kimage_file_prepare_segments(); see kernel/kexec_internal.h. */
int kho_fill_kimage(struct kimage *image)
{
	struct kexec_buf scratch = {
		.image = image,
		.buffer = kho_scratch,
		.bufsz = kho_scratch_cnt * sizeof(*kho_scratch),
		.memsz = kho_scratch_cnt * sizeof(*kho_scratch),
		.mem = KEXEC_BUF_MEM_UNKNOWN,
		.buf_align = SZ_64K,
		.buf_max = ULONG_MAX,
		.top_down = true,
	};
	int err;

	if (!kho_enable || !kho_out_fdt() || image->type == KEXEC_TYPE_CRASH)
		return 0;

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
	scratch.buffer = kho_debug_scratch_segment(&scratch.bufsz);
#endif
	err = kexec_add_buffer(&scratch);
	if (err) {
		pr_err("kexec: no room for the scratch array in scratch memory (%d)\n",
		       err);
		return err;
	}
	image->kho.scratch = &image->segment[image->nr_segments - 1];
	image->kho.fdt = virt_to_phys(kho_out.fdt);
	return 0;
}

/* Called from kimage_file_prepare_segments(); see kernel/kexec_internal.h. */
int kho_check_kimage(struct kimage *image)
{
	u64 segs = 0, scratch = 0, need;
	unsigned int i;

	if (!kho_enable || !kho_out_fdt() || image->type == KEXEC_TYPE_CRASH)
		return 0;

	for (i = 0; i < image->nr_segments; i++)
		segs += image->segment[i].memsz;
	for (i = 0; i < kho_scratch_cnt; i++)
		scratch += kho_scratch[i].size;
	need = kho_early_need + segs;
	pr_info("kexec: the next kernel needs about %llu of %llu MiB of scratch: %llu MiB early, as this kernel, and %llu MiB of segments\n",
		need >> 20, scratch >> 20, (u64)kho_early_need >> 20,
		segs >> 20);
	if (need + div_u64(need * KHO_SCRATCH_MIN_MARGIN, 100) <= scratch)
		return 0;
	pr_err("kexec: refused: the next kernel would have less than %u%% of its %llu MiB need to spare in %llu MiB of scratch; boot the first kernel with a larger kho_scratch=\n",
	       KHO_SCRATCH_MIN_MARGIN, need >> 20, scratch >> 20);
	return -ENOMEM;
}

/**
 * kho_scratch_pinnable - may a long-term pin keep this CMA folio?
 * @folio: a folio in a %MIGRATE_CMA pageblock
 *
 * KHO scratch is CMA only so that nothing unmovable, and so nothing
 * preserved, is allocated there; nobody takes it back with cma_alloc(),
 * and a pin ends with the kernel at kexec. See folio_is_longterm_pinnable().
 *
 * Return: true if @folio lies in a scratch area.
 */
bool kho_scratch_pinnable(struct folio *folio)
{
	phys_addr_t start = PFN_PHYS(folio_pfn(folio));
	phys_addr_t end = start + folio_size(folio);
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		if (start >= kho_scratch[i].addr &&
		    end <= kho_scratch[i].addr + kho_scratch[i].size)
			return true;
	return false;
}

/*
 * The @i-th scratch area to try for a segment. Top-down: the global area
 * first, which is sized for the segments, then the node areas, low memory
 * last. Bottom-up: in array order.
 */
static unsigned int kho_hole_area(unsigned int i, bool top_down)
{
	if (!top_down)
		return i;
	if (kho_scratch_cnt < 2)
		return kho_scratch_cnt - 1 - i;
	if (i == 0)
		return 1;
	return i == kho_scratch_cnt - 1 ? 0 : kho_scratch_cnt - i;
}

/*
 * Place a segment of a normal kexec in scratch: the next kernel must not
 * find anything of its own outside scratch before it has reserved what is
 * preserved. Return 0 when placed, 1 when not handled here (KHO off, or a
 * crash kernel, which lives in its own reserved area), -EADDRNOTAVAIL.
 */
int kho_locate_mem_hole(struct kexec_buf *kbuf,
			int (*func)(struct resource *, void *))
{
	unsigned int i;

	if (!kho_enable || !kho_out_fdt() ||
	    kbuf->image->type == KEXEC_TYPE_CRASH)
		return 1;

	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned int n = kho_hole_area(i, kbuf->top_down);
		struct resource res = DEFINE_RES_MEM(kho_scratch[n].addr,
						     kho_scratch[n].size);

		if (func(&res, kbuf) == 1)
			return 0;
	}
	pr_warn("kexec: no room for a %lu byte segment in scratch memory: boot with a larger kho_scratch=\n",
		kbuf->memsz);
	return -EADDRNOTAVAIL;
}

/* ---- Runtime setup ---- */

static int __init kho_init(void)
{
	void *fdt;
	int err;

	if (!kho_enable) {
		pr_info("disabled; boot with kho=on to enable\n");
		return 0;
	}

	err = kho_radix_tree_init(&kho_out.tree);
	if (err)
		goto fail;

	/* Published only once complete: the preserve calls test kho_out.fdt. */
	fdt = (void *)get_zeroed_page(GFP_KERNEL);
	err = -ENOMEM;
	if (!fdt)
		goto fail_tree;
	err = kho_radix_add_page(&kho_out.tree, PHYS_PFN(virt_to_phys(fdt)), 0);
	err = err ?: kho_fdt_init(fdt, PAGE_SIZE,
				  virt_to_phys(kho_out.tree.root));
	if (err)
		goto fail_fdt;

	if (!is_kho_boot()) {
		kho_release_scratch_cma();
	} else {
		kho_count_scratch_cma();
		kho_keep_scratch_use();
	}
	kho_debugfs_init(fdt, is_kho_boot() ? phys_to_virt(kho_in.fdt_phys) :
			 NULL);
	/* The tree and the FDT are complete before the API can see them. */
	smp_store_release(&kho_out.fdt, fdt);
	pr_info("enabled\n");
	kho_metadata_init();
	return 0;

fail_fdt:
	free_page((unsigned long)fdt);
fail_tree:
	kho_radix_tree_free(&kho_out.tree);
fail:
	pr_err("cannot set up the outgoing handover (%d); KHO is off\n", err);
	/* Scratch is still memory: let movable allocations have it. */
	if (!is_kho_boot())
		kho_release_scratch_cma();
	kho_enable = false;
	return err;
}
fs_initcall(kho_init);
