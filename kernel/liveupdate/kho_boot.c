// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_boot.c - kexec handover: the next kernel's early boot
 *
 * Accept or refuse the previous kernel's handover (kho_populate(), from
 * setup_arch()), keep preserved memory away from the page allocator
 * (kho_memory_init(), before mem_init()) and give everything else to it
 * (kho_release_unpreserved(), from memblock_free_all()).
 *
 * The cost is linear in the preserved blocks, whatever their layout. The
 * incoming tree is copied into a bitmap of preserved pages while it is
 * checked; memory outside scratch is then reserved in memblock as one
 * region per memory region, and memblock_free_all() frees that memory
 * minus the bitmap in one ordered pass. Reserving block by block instead
 * made one memblock region per isolated block and cost quadratic time in
 * memblock_add_range(); see "Performance" in
 * Documentation/core-api/kho/index.rst.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/bitmap.h>
#include <linux/cma.h>
#include <linux/completion.h>
#include <linux/crash_dump.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/radix_tree.h>
#include <linux/kthread.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/page-isolation.h>
#include <linux/printk.h>
#include <linux/sched/clock.h>
#include <linux/timex.h>

#include "kexec_handover_internal.h"
#include "kho_in_check.h"
#include "../../mm/internal.h"

struct kho_in kho_in;
bool kho_in_stamped;
u64 *kho_scratch_used;
/* kho_populate() bounds the incoming array to KHO_SCRATCH_MAX_AREAS. */
static u64 kho_used_early[KHO_SCRATCH_MAX_AREAS] __initdata;

/*
 * Gaps between preserved blocks smaller than this many pages are freed by
 * a kthread while the initcalls run: freeing scattered pages one by one
 * costs a buddy insertion each, several times the cost per page of
 * freeing a large range.
 */
#define KHO_RELEASE_LATE_PAGES	pageblock_nr_pages

/* A range of pfns memblock holds back for KHO (MEMBLOCK_RSRV_KHO). */
struct kho_range {
	unsigned long start;
	unsigned long end;
};

/*
 * The preserved pages of the incoming map, one bit per pfn from @base_pfn,
 * and the ranges to release, in scratch memory allocated by memblock; from
 * kho_memory_init() to the end of the late release.
 */
static struct {
	unsigned long *bits;
	unsigned long *nodes;	/* the tree's node pages, during the walk */
	unsigned long base_pfn;
	unsigned long nr_pfns;
	struct kho_range *ranges;
	unsigned int nr_ranges;
	unsigned long blocks;
	unsigned long pages;
	phys_addr_t fdt_block;	/* the block holding the root FDT, or 0 */
	/* Blocks from here on may be in memory deferred init owns. */
	unsigned long deferred_min;
	unsigned long deferred_blocks;
	/* memblock's __free_memory_core(), and what is left for the kthread */
	unsigned long (*free)(phys_addr_t start, phys_addr_t end);
	unsigned long late_pages;
	struct completion late_done;
} kho_map __initdata;

/*
 * The sched clock may not run yet this early (it reads 0 until the TSC is
 * calibrated), so time in cycles as well.
 */
struct kho_time {
	u64 ns;
	cycles_t cycles;
};

static struct kho_time __init kho_time_start(void)
{
	return (struct kho_time){ local_clock(), get_cycles() };
}

static struct kho_time __init kho_time_since(struct kho_time t0)
{
	return (struct kho_time){ local_clock() - t0.ns,
				  get_cycles() - t0.cycles };
}

static void __init kho_reject(const char *reason)
{
	pr_warn("ignoring the handover from the previous kernel: %s; KHO is off for this boot\n",
		reason);
	kho_enable = false;
}

/*
 * Is [@phys, @phys + @size) RAM outside the incoming scratch areas? For
 * blob addresses read between kho_populate() and kho_memory_init(), while
 * memblock still knows the RAM and nothing of the map is checked yet.
 */
bool __init kho_in_early_ok(phys_addr_t phys, phys_addr_t size)
{
	const struct kho_scratch *s;

	if (!kho_in.fdt_phys || !size || phys + size < phys)
		return false;
	s = phys_to_virt(kho_in.scratch_phys);
	return memblock_is_region_memory(phys, size) &&
	       !kho_in_areas(s, kho_in.scratch_len / sizeof(*s), phys, size);
}

/**
 * kho_populate - accept the handover of the previous kernel
 * @fdt_phys: physical address of the root KHO FDT
 * @fdt_len: size of the buffer holding it (a page)
 * @scratch_phys: physical address of the scratch array
 * @scratch_len: size of the scratch array in bytes
 *
 * Called by arch code early in setup_arch(), once memblock knows the RAM.
 * Checks everything it is given; on success marks the scratch areas and
 * puts memblock in scratch-only mode until memblock_free_all(), so nothing
 * allocated early can land on preserved memory. On failure logs why, turns
 * KHO off and leaves memblock as it was.
 */
void __init kho_populate(phys_addr_t fdt_phys, u64 fdt_len,
			 phys_addr_t scratch_phys, u64 scratch_len)
{
	static char why[160] __initdata;
	const struct kho_scratch *scratch = NULL;
	const char *reason = NULL;
	unsigned int cnt = 0, i;
	void *fdt = NULL;
	u64 map_phys = 0;

	if (!kho_enable) {
		pr_info("kho=off: ignoring the handover from the previous kernel\n");
		return;
	}
	/* Its memory is the crash kernel's reservation, nothing was handed. */
	if (is_kdump_kernel()) {
		kho_reject("this is a crash kernel");
		return;
	}

	reason = kho_check_lengths(fdt_phys, fdt_len, scratch_phys,
				   scratch_len, why, sizeof(why));
	if (reason)
		goto out;

	fdt = early_memremap(fdt_phys, fdt_len);
	scratch = early_memremap(scratch_phys, scratch_len);
	if (!fdt || !scratch) {
		reason = "cannot map the FDT or the scratch array";
		goto out;
	}
	cnt = scratch_len / sizeof(*scratch);
	reason = kho_check_handover(fdt_phys, fdt, fdt_len, scratch, cnt,
				    &map_phys, why, sizeof(why));
	if (reason)
		goto out;

	for (i = 0; i < cnt; i++) {
		if (memblock_mark_kho_scratch(scratch[i].addr,
					      scratch[i].size)) {
			while (i--)
				memblock_clear_kho_scratch(scratch[i].addr,
							   scratch[i].size);
			reason = "cannot mark the scratch areas in memblock";
			goto out;
		}
	}
	memblock_reserve(scratch_phys, scratch_len);
	memblock_set_kho_scratch_only();

	kho_in.fdt_phys = fdt_phys;
	kho_in.scratch_phys = scratch_phys;
	kho_in.scratch_len = scratch_len;
	kho_in.map_phys = map_phys;
	pr_info("found kexec handover data: FDT at %pa, %u scratch areas\n",
		&fdt_phys, cnt);
	if (kho_scratch_given)
		pr_info("kho_scratch= ignored: this boot keeps the previous kernel's scratch areas\n");
out:
	if (scratch)
		early_memunmap((void *)scratch, scratch_len);
	if (fdt)
		early_memunmap(fdt, fdt_len);
	if (reason)
		kho_reject(reason);
}

/* ---- The walk: check the map, copy it into the bitmap, stamp heads ---- */

/*
 * The first pfn of @nid whose struct page deferred init initialises and
 * frees; ULONG_MAX if none is deferred.
 */
static unsigned long __init kho_deferred_start(int nid)
{
#ifdef CONFIG_DEFERRED_STRUCT_PAGE_INIT
	if (nid >= 0 && nid < MAX_NUMNODES && node_online(nid))
		return NODE_DATA(nid)->first_deferred_pfn;
#endif
	return ULONG_MAX;
}

static int __init kho_check_reject(void *arg, const char *reason,
				   phys_addr_t phys, int err)
{
	struct kho_radix_walk_error *werr = arg;

	werr->reason = reason;
	werr->phys = phys;
	return err;
}

static int __init kho_check_block(phys_addr_t phys, unsigned int order,
				  void *arg)
{
	phys_addr_t size = PAGE_SIZE << order;

	if (!memblock_is_region_memory(phys, size))
		return kho_check_reject(arg, "block outside RAM", phys, -ERANGE);
	if (kho_scratch_overlap(phys, size))
		return kho_check_reject(arg, "block overlaps scratch", phys,
					-EINVAL);
	return 0;
}

/*
 * A node page must be RAM outside scratch and used once: without its bit
 * in kho_map.nodes, two slots sharing a child would make the walk read one
 * page as two subtrees; and neither a block nor a node may lie on the
 * other (kho_map_block() checks the other way).
 */
static int __init kho_check_node(phys_addr_t phys, void *arg)
{
	unsigned long idx = PHYS_PFN(phys) - kho_map.base_pfn;

	if (!memblock_is_region_memory(phys, PAGE_SIZE))
		return kho_check_reject(arg, "node outside RAM", phys, -ERANGE);
	if (kho_scratch_overlap(phys, PAGE_SIZE))
		return kho_check_reject(arg, "node in scratch", phys, -EINVAL);
	if (__test_and_set_bit(idx, kho_map.nodes))
		return kho_check_reject(arg, "node shared by two slots", phys,
					-EINVAL);
	if (test_bit(idx, kho_map.bits))
		return kho_check_reject(arg, "node inside a preserved block",
					phys, -EINVAL);
	return 0;
}

/* Is any bit of [@idx, @idx + @nr) set in @map? */
static bool __init kho_map_any(const unsigned long *map, unsigned long idx,
			       unsigned long nr)
{
	return find_next_bit(map, idx + nr, idx) < idx + nr;
}

static int __init kho_stamp_block(phys_addr_t phys, unsigned int order,
				  void *arg)
{
	set_page_private(pfn_to_page(PHYS_PFN(phys)), kho_stamp_value(order));
	return 0;
}

/*
 * Mark a checked block in the bitmap and stamp its head page. Memory
 * checks put it inside [base_pfn, base_pfn + nr_pfns); a bit already set
 * means two blocks overlap, which would hand one page to two owners.
 */
static int __init kho_map_block(phys_addr_t phys, unsigned int order,
				void *arg)
{
	struct kho_radix_walk_error *werr = arg;
	unsigned long idx = PHYS_PFN(phys) - kho_map.base_pfn;
	unsigned long nr = 1UL << order;

	if (nr == 1 ? __test_and_set_bit(idx, kho_map.bits) :
	    kho_map_any(kho_map.bits, idx, nr)) {
		werr->reason = "two preserved blocks overlap";
		werr->phys = phys;
		return -EINVAL;
	}
	if (kho_map_any(kho_map.nodes, idx, nr)) {
		werr->reason = "block over a tree node";
		werr->phys = phys;
		return -EINVAL;
	}
	if (nr > 1)
		bitmap_set(kho_map.bits, idx, nr);
	/* Struct pages deferred init owns are initialised after the walk. */
	if (PHYS_PFN(phys) + nr > kho_map.deferred_min)
		kho_map.deferred_blocks++;
	else
		kho_stamp_block(phys, order, NULL);
	if (kho_in.fdt_phys >= phys && kho_in.fdt_phys < phys + PAGE_SIZE * nr)
		kho_map.fdt_block = phys;
	kho_map.blocks++;
	kho_map.pages += nr;
	return 0;
}

/* Free a bitmap of kho_map and clear its pointer. */
static void __init kho_bitmap_free(unsigned long **map)
{
	memblock_free(*map, BITS_TO_LONGS(kho_map.nr_pfns) * sizeof(long));
	*map = NULL;
}

static void __init kho_map_free(void)
{
	kho_bitmap_free(&kho_map.bits);
}

/* For the stamping walk: the tree passed the checking walk unchanged. */
static int __init kho_checked_node(phys_addr_t phys, void *arg)
{
	return 0;
}

static int __init kho_checked_block(phys_addr_t phys, unsigned int order,
				    void *arg)
{
	return 0;
}

/*
 * Undo the stamps of a refused map. Only pages of blocks that passed their
 * checks have a bit, and struct pages are pristine before
 * memblock_free_all(), so clearing every marked page is exact.
 */
static void __init kho_map_unstamp(void)
{
	unsigned long idx;

	for_each_set_bit(idx, kho_map.bits, kho_map.nr_pfns)
		set_page_private(pfn_to_page(kho_map.base_pfn + idx), 0);
}

/*
 * Blocks in memory whose struct pages deferred init owns: initialise the
 * struct pages of every MAX_ORDER block that holds preserved pages, then
 * stamp the heads in a second walk (initialising a page clears it).
 * Deferred init skips the preserved pages and initialises the others
 * again before it frees them; initialising them here as well means that a
 * block restored and freed before deferred init has run finds initialised,
 * unfree neighbours in the buddy allocator, not garbage.
 */
static void __init kho_stamp_deferred(struct kho_radix_walk_ops *ops)
{
	unsigned long base = kho_map.base_pfn, nbits = kho_map.nr_pfns;
	unsigned long idx = kho_map.deferred_min - base, end;
	struct kho_radix_walk_error werr;

	for_each_set_bit_from(idx, kho_map.bits, nbits) {
		idx = max(ALIGN_DOWN(idx + base, MAX_ORDER_NR_PAGES), base) - base;
		end = min(idx + MAX_ORDER_NR_PAGES, nbits);
		init_deferred_pages(base + idx, end - idx);
		idx = end - 1;
	}
	/* The tree passed the first walk and nothing changed it since. */
	ops->check_node = kho_checked_node;
	ops->check_block = kho_checked_block;
	ops->visit = kho_stamp_block;
	kho_radix_walk_untrusted(kho_in.map_phys, ops, NULL, &werr);
}

/*
 * Copy the incoming map into a fresh bitmap and stamp each block's head,
 * checking all of it in one walk. On failure nothing of it stays: the
 * stamps are undone and the bitmap freed.
 */
static int __init kho_map_incoming(void)
{
	struct kho_radix_walk_ops ops = {
		.check_node = kho_check_node,
		.check_block = kho_check_block,
		.visit = kho_map_block,
		/* Upstream kernels preserve 1 GiB folios and larger ranges. */
		.max_order = KHO_RADIX_MAX_ORDER,
		.max_nodes = memblock_phys_mem_size() >> PAGE_SHIFT,
	};
	struct kho_radix_walk_error werr, visit_err = { };
	static char reason[160] __initdata;
	int err, nid;

	kho_map.base_pfn = PFN_DOWN(memblock_start_of_DRAM());
	kho_map.nr_pfns = PFN_UP(memblock_end_of_DRAM()) - kho_map.base_pfn;
	kho_map.deferred_min = ULONG_MAX;
	for_each_online_node(nid)
		kho_map.deferred_min = min(kho_map.deferred_min,
					   kho_deferred_start(nid));
	kho_map.bits = memblock_alloc(BITS_TO_LONGS(kho_map.nr_pfns) *
				      sizeof(long), SMP_CACHE_BYTES);
	kho_map.nodes = memblock_alloc(BITS_TO_LONGS(kho_map.nr_pfns) *
				       sizeof(long), SMP_CACHE_BYTES);
	if (!kho_map.bits || !kho_map.nodes) {
		snprintf(reason, sizeof(reason),
			 "no 2 x %lu KiB in scratch for the maps of preserved pages and tree nodes",
			 BITS_TO_LONGS(kho_map.nr_pfns) * sizeof(long) >> 10);
		kho_reject(reason);
		if (kho_map.bits)
			kho_map_free();
		if (kho_map.nodes)
			kho_bitmap_free(&kho_map.nodes);
		return -ENOMEM;
	}

	err = kho_radix_walk_untrusted(kho_in.map_phys, &ops, &visit_err,
				       &werr);
	kho_bitmap_free(&kho_map.nodes);
	if (err) {
		/* The checks name what they refused; the walker only where. */
		if (!werr.reason)
			werr = visit_err;
		else if (visit_err.reason)
			werr.reason = visit_err.reason;
		snprintf(reason, sizeof(reason),
			 "preserved-memory map: %s at %pa (level %u)",
			 werr.reason ?: "walk failed", &werr.phys, werr.level);
		kho_reject(reason);
	} else if (!kho_map.fdt_block) {
		/* It stays in use: kho_retrieve_subtree() reads it all along. */
		kho_reject("the root FDT page is not in the preserved-memory map");
		err = -EINVAL;
	}
	if (err) {
		kho_map_unstamp();
		kho_map_free();
		return err;
	}
	if (kho_map.deferred_blocks)
		kho_stamp_deferred(&ops);
	/*
	 * The root FDT stays reserved and readable for this boot's
	 * kho_retrieve_subtree() and debugfs: no client may restore it.
	 */
	set_page_private(pfn_to_page(PHYS_PFN(kho_map.fdt_block)), 0);
	return 0;
}

/* ---- Reserve everything outside scratch, release the rest later ---- */

static void __init kho_unreserve_outside_scratch(void)
{
	struct memblock_region *r;

again:
	/* The array shrinks as regions go: look again from the start. */
	for_each_reserved_mem_region(r) {
		if (r->flags & MEMBLOCK_RSRV_KHO) {
			memblock_phys_free(r->base, r->size);
			goto again;
		}
	}
}

/*
 * Reserve all memory outside scratch, one region per memblock memory
 * region (scratch areas are regions of their own since kho_populate()),
 * up to where deferred struct page init takes over: that part stays free
 * in memblock, and deferred init skips the preserved pages in it (see
 * kho_preserved_in()). Ranges already reserved keep their own region and
 * flags, so the %MEMBLOCK_RSRV_KHO regions are exactly what may be
 * released. NOINIT keeps preserved struct pages as memmap_init() left
 * them, and the stamps on them. The regions are copied to kho_map.ranges
 * for the release.
 */
static int __init kho_reserve_outside_scratch(void)
{
	struct memblock_region *r;
	unsigned int n = 0;
	int err = 0;

	for_each_mem_region(r) {
		phys_addr_t end = r->base + r->size;
		unsigned long dpfn;

		if (memblock_is_kho_scratch(r) || memblock_is_nomap(r))
			continue;
		dpfn = kho_deferred_start(memblock_get_region_node(r));
		if (dpfn != ULONG_MAX)
			end = clamp(PFN_PHYS(dpfn), r->base, end);
		if (end == r->base)
			continue;
		err = __memblock_reserve(r->base, end - r->base, NUMA_NO_NODE,
					 MEMBLOCK_RSRV_NOINIT |
					 MEMBLOCK_RSRV_KHO);
		if (err)
			goto fail;
	}

	for_each_reserved_mem_region(r)
		n += !!(r->flags & MEMBLOCK_RSRV_KHO);
	/* None when deferred init owns all memory outside scratch. */
	if (!n)
		return 0;
	kho_map.ranges = memblock_alloc(n * sizeof(*kho_map.ranges),
					SMP_CACHE_BYTES);
	err = -ENOMEM;
	if (!kho_map.ranges)
		goto fail;
	for_each_reserved_mem_region(r) {
		if (!(r->flags & MEMBLOCK_RSRV_KHO))
			continue;
		kho_map.ranges[kho_map.nr_ranges++] = (struct kho_range){
			PFN_UP(r->base), PFN_DOWN(r->base + r->size) };
	}
	return 0;

fail:
	kho_unreserve_outside_scratch();
	return err;
}

/*
 * Scratch pageblocks become CMA, so that only movable memory, which is
 * never preserved, is allocated there: what memblock frees now, what
 * deferred init frees (it asks kho_free_migratetype()), and what is freed
 * later from memory reserved in scratch, such as the initrd. Setting the
 * migratetype needs the pageblock's first struct page initialised, which
 * deferred init has not done yet where it owns them.
 */
static void __init kho_mark_scratch_cma(void)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long pfn = PHYS_PFN(kho_scratch[i].addr);
		unsigned long end = pfn + PHYS_PFN(kho_scratch[i].size);

		for (; pfn < end; pfn += pageblock_nr_pages) {
			init_deferred_pages(pfn, 1);
			set_pageblock_migratetype(pfn_to_page(pfn),
						  MIGRATE_CMA);
		}
	}
}

/*
 * Reserve the preserved memory, or nothing: a refused map leaves no stamp
 * and no reservation behind.
 */
static int __init kho_reserve_preserved(void)
{
	struct kho_time t = kho_time_start();
	int err;

	err = kho_map_incoming();
	if (err)
		return err;
	err = kho_reserve_outside_scratch();
	if (err) {
		kho_map_unstamp();
		kho_map_free();
		kho_reject("cannot reserve the memory outside scratch in memblock");
		return err;
	}
	t = kho_time_since(t);
	pr_info("reserved %lu preserved blocks (%lu pages) in %u memblock regions of %lu reserved in %llu cycles, %llu us\n",
		kho_map.blocks, kho_map.pages, kho_map.nr_ranges,
		memblock.reserved.cnt, (u64)t.cycles,
		div_u64(t.ns, NSEC_PER_USEC));
	return 0;
}

/**
 * kho_memory_init - reserve preserved memory, or scratch for the next kexec
 *
 * Called from mm_core_init() before mem_init() hands memblock memory to the
 * page allocator. On a KHO boot it checks the whole incoming map, stamps
 * each block's head page for restore, keeps the memory outside scratch
 * from the page allocator until kho_release_unpreserved(), and marks
 * scratch as CMA; if the map fails validation nothing is reserved and KHO
 * is off. A crash kernel turns KHO off here. On any other boot nothing
 * happens yet: kho_release_unpreserved() reserves the scratch areas.
 *
 * reserve_mem= calls it earlier, from start_kernel()'s parse_args(), so
 * that a region is revived only from a map this kernel accepted; struct
 * pages exist by then (setup_arch() ran free_area_init()). Later calls do
 * nothing.
 */
void __init kho_memory_init(void)
{
	static bool done __initdata;

	/* reserve_mem= may have called it already, see memblock_kho.c. */
	if (done)
		return;
	done = true;
	/*
	 * A crash kernel lives in the crashkernel= reservation and exists to
	 * save the old kernel's memory: no scratch out of it, no next KHO.
	 */
	if (kho_enable && is_kdump_kernel()) {
		pr_info("crash kernel: KHO stays off, reserving no scratch memory\n");
		kho_enable = false;
	}
	/* A cold boot reserves its scratch in kho_release_unpreserved(). */
	if (!kho_in.fdt_phys)
		return;

	/* Set together: kho_scratch_overlap() may run from here on. */
	kho_scratch = phys_to_virt(kho_in.scratch_phys);
	kho_scratch_cnt = kho_in.scratch_len / sizeof(*kho_scratch);
	if (kho_reserve_preserved()) {
		kho_in.fdt_phys = 0;
		kho_scratch = NULL;
		kho_scratch_cnt = 0;
		return;
	}
	kho_mark_scratch_cma();
	WRITE_ONCE(kho_in_stamped, true);
}

/**
 * kho_preserved_in - does a pfn range hold preserved memory?
 * @pfn: first pfn
 * @nr_pages: number of pages
 *
 * For deferred struct page init on a KHO boot: the memory it initialises
 * and frees is not reserved in memblock (see kho_reserve_outside_scratch()),
 * so it asks here which pages to leave alone. Read-only, so any number of
 * its threads may call it; valid until late_initcall_sync, long after
 * deferred init has finished.
 *
 * Return: true if any page of the range was preserved by the previous
 * kernel and accepted by this one.
 */
bool __init kho_preserved_in(unsigned long pfn, unsigned long nr_pages)
{
	unsigned long idx, end;

	if (!kho_map.bits || pfn + nr_pages <= kho_map.base_pfn ||
	    pfn >= kho_map.base_pfn + kho_map.nr_pfns)
		return false;
	idx = max(pfn, kho_map.base_pfn) - kho_map.base_pfn;
	end = min(pfn + nr_pages - kho_map.base_pfn, kho_map.nr_pfns);
	return find_next_bit(kho_map.bits, end, idx) < end;
}

/**
 * kho_free_migratetype - migratetype of a pageblock freed by deferred init
 * @pfn: first pfn of the pageblock
 *
 * Return: %MIGRATE_CMA for a scratch pageblock on a KHO boot, as
 * kho_memory_init() marked the early ones, else %MIGRATE_MOVABLE.
 */
int __init kho_free_migratetype(unsigned long pfn)
{
	if (kho_map.bits && kho_scratch_overlap(PFN_PHYS(pfn), PAGE_SIZE))
		return MIGRATE_CMA;
	return MIGRATE_MOVABLE;
}

/*
 * Free a small gap from the kthread. The page allocator is up by then, so
 * the pages are freed the ordinary way, through the per-CPU lists, and
 * counted as managed only now; they are as memmap_init() left them
 * (refcount 1, not reserved), which free_reserved_page() accepts.
 */
static void __init kho_free_small_gap(unsigned long pfn, unsigned long end)
{
	accept_memory(PFN_PHYS(pfn), PFN_PHYS(end - pfn));
	for (; pfn < end; pfn++)
		free_reserved_page(pfn_to_page(pfn));
}

/*
 * Free the unpreserved gaps of the held-back ranges, in address order: the
 * large ones through memblock (@late false), or the small ones from the
 * kthread (@late true). Return the pages freed; add those of the gaps of
 * the other kind, which are left alone, to *@other.
 */
static unsigned long __init kho_release_gaps(bool late, unsigned long *other)
{
	unsigned long *bits = kho_map.bits, base = kho_map.base_pfn;
	unsigned long freed = 0;
	unsigned int i;

	for (i = 0; i < kho_map.nr_ranges; i++) {
		unsigned long idx = kho_map.ranges[i].start - base;
		unsigned long end = kho_map.ranges[i].end - base;
		unsigned long set;

		while (idx < end) {
			set = find_next_bit(bits, end, idx);
			if ((set - idx < KHO_RELEASE_LATE_PAGES) != late) {
				*other += set - idx;
			} else if (late) {
				kho_free_small_gap(base + idx, base + set);
				freed += set - idx;
			} else {
				freed += kho_map.free(PFN_PHYS(base + idx),
						      PFN_PHYS(base + set));
			}
			idx = find_next_zero_bit(bits, end, set);
		}
		if (late)
			cond_resched();
	}
	return freed;
}

/* Preserved pages in [@spfn, @epfn). */
static unsigned long __init kho_preserved_pages(unsigned long spfn,
						unsigned long epfn)
{
	unsigned long base = kho_map.base_pfn, n = 0, idx, end, set;

	spfn = max(spfn, base);
	epfn = min(epfn, base + kho_map.nr_pfns);
	if (spfn >= epfn)
		return 0;
	end = epfn - base;
	for (idx = find_next_bit(kho_map.bits, end, spfn - base); idx < end;
	     idx = find_next_bit(kho_map.bits, end, set)) {
		set = find_next_zero_bit(kho_map.bits, end, idx);
		n += set - idx;
	}
	return n;
}

/*
 * memblock_free_all() counts all free memblock memory as RAM, including
 * the memory deferred init frees later, and with it the preserved pages
 * there (see kho_reserve_outside_scratch()); restore counts a page when
 * it takes it, as everywhere else.
 */
static void __init kho_uncount_deferred_preserved(void)
{
	unsigned long n = 0;
	phys_addr_t start, end;
	u64 i;

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end,
				NULL)
		n += kho_preserved_pages(PFN_UP(start), PFN_DOWN(end));
	totalram_pages_add(-(long)n);
}

/*
 * How much of each scratch area this boot used while it could allocate
 * nowhere else: memblock reservations at the end of scratch-only mode,
 * the kexec segments it came in (image, initrd) included. Logged, kept
 * for debugfs, and the base of what the next kexec is checked against.
 */
static void __init kho_measure_scratch_use(void)
{
	u64 used = 0, size = 0;
	struct memblock_region *r;
	static char line[160] __initdata;
	unsigned int i, n = 0;

	kho_early_need = kho_measure_early_need();
	/* No allocation: scratch-only mode has ended, see kho_keep_scratch_use(). */
	for (i = 0; i < kho_scratch_cnt; i++) {
		phys_addr_t start = kho_scratch[i].addr;
		phys_addr_t end = start + kho_scratch[i].size;

		for_each_reserved_mem_region(r) {
			phys_addr_t s = max(r->base, start);
			phys_addr_t e = min(r->base + r->size, end);

			if (s < e)
				kho_used_early[i] += e - s;
		}
		used += kho_used_early[i];
		size += kho_scratch[i].size;
		if (i < 2)
			n += scnprintf(line + n, sizeof(line) - n, "%s%s %llu/%llu",
				       i ? ", " : "", i ? "global" : "lowmem",
				       kho_used_early[i] >> 20,
				       kho_scratch[i].size >> 20);
		else
			n += scnprintf(line + n, sizeof(line) - n,
				       ", node%d %llu/%llu",
				       early_pfn_to_nid(PHYS_PFN(start)),
				       kho_used_early[i] >> 20,
				       kho_scratch[i].size >> 20);
	}
	pr_info("scratch used %llu of %llu MiB (%s)\n", used >> 20, size >> 20,
		line);
}

/**
 * kho_keep_scratch_use - keep the scratch use of this boot for debugfs
 *
 * Called by kho_init() on a KHO boot, before init memory is freed.
 */
void __init kho_keep_scratch_use(void)
{
	kho_scratch_used = kmemdup(kho_used_early,
				   kho_scratch_cnt * sizeof(*kho_used_early),
				   GFP_KERNEL);
}

/**
 * kho_release_unpreserved - free what kho_memory_init() held back
 * @free: frees [start, end) to the page allocator and returns the number
 *	of pages freed (memblock's __free_memory_core())
 *
 * Called by memblock_free_all() before it frees the memory memblock has
 * not reserved. On a boot without a handover and with KHO on, it reserves
 * this boot's scratch areas: every early reservation is made by then, the
 * last ones in mem_init() (the swiotlb buffer, in low memory), and a next
 * kernel makes them all again in scratch. On a KHO boot it frees each
 * %MEMBLOCK_RSRV_KHO region minus the preserved
 * pages in one ordered pass over the regions and the bitmap, so the cost
 * grows with the preserved blocks and the size of RAM, never with their
 * product. Gaps smaller than %KHO_RELEASE_LATE_PAGES are left to a kthread
 * that frees them while the initcalls run (kho_release_late()).
 *
 * Return: the number of pages freed now.
 */
unsigned long __init
kho_release_unpreserved(unsigned long (*free)(phys_addr_t, phys_addr_t))
{
	struct kho_time t = kho_time_start();
	unsigned long count;

	if (!kho_map.bits) {
		if (kho_enable && !is_kho_boot())
			kho_reserve_scratch();
		return 0;
	}

	kho_measure_scratch_use();
	kho_map.free = free;
	kho_uncount_deferred_preserved();
	count = kho_release_gaps(false, &kho_map.late_pages);
	t = kho_time_since(t);
	pr_info("released %lu pages around the preserved blocks to the page allocator in %llu cycles, %llu us; %lu pages in small gaps follow\n",
		count, (u64)t.cycles, div_u64(t.ns, NSEC_PER_USEC),
		kho_map.late_pages);
	return count;
}

static void __init kho_map_free_late(void)
{
	memblock_free_late(__pa(kho_map.bits), BITS_TO_LONGS(kho_map.nr_pfns) *
			   sizeof(long));
	if (kho_map.ranges)
		memblock_free_late(__pa(kho_map.ranges),
				   kho_map.nr_ranges * sizeof(*kho_map.ranges));
	kho_map.bits = NULL;
	kho_map.ranges = NULL;
}

static int __init kho_release_late_fn(void *unused)
{
	struct kho_time t = kho_time_start();
	unsigned long large = 0;

	kho_release_gaps(true, &large);
	/* So that MemFree counts them: the per-CPU lists hold the last ones. */
	drain_local_pages(NULL);
	/* Watermarks were computed without these pages. */
	setup_per_zone_wmarks();
	t = kho_time_since(t);
	pr_info("released %lu pages in small gaps between preserved blocks in %llu us\n",
		kho_map.late_pages, div_u64(t.ns, NSEC_PER_USEC));
	complete(&kho_map.late_done);
	return 0;
}

/* After smp_init(): another CPU frees the small gaps during the initcalls. */
static int __init kho_release_late(void)
{
	struct task_struct *task;
	unsigned int cpu;

	if (!kho_map.bits)
		return 0;
	init_completion(&kho_map.late_done);
	if (!kho_map.late_pages) {
		complete(&kho_map.late_done);
		return 0;
	}
	task = kthread_create(kho_release_late_fn, NULL, "kho_release");
	if (IS_ERR(task)) {
		kho_release_late_fn(NULL);
		return 0;
	}
	/* Off the CPU running the initcalls, if there is another one. */
	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (cpu < nr_cpu_ids)
		kthread_bind(task, cpu);
	wake_up_process(task);
	return 0;
}
core_initcall(kho_release_late);

/* Everything is free before init runs and before init memory goes. */
static int __init kho_release_late_wait(void)
{
	if (!kho_map.bits)
		return 0;
	wait_for_completion(&kho_map.late_done);
	kho_map_free_late();
	return 0;
}
late_initcall_sync(kho_release_late_wait);
