// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark client of Kexec HandOver (KHO): preserve a chosen pattern of
 * memory at a chosen size and report what preserving cost, so that the
 * next kernel's cost of taking the handover can be measured against the
 * number of blocks (tools/testing/selftests/kho/bench-kexec.sh).
 *
 * With kho=on and test_kho_bench.pattern= set, it runs once at
 * late_initcall time on a boot that received no handover, allocates
 * test_kho_bench.size bytes in the pattern's shape, preserves them and
 * prints one line (wrapped here):
 *
 *   test_kho_bench: pattern <p>: preserved <N> blocks, <P> pages in <T> ns:
 *     <x> ns/block, <y> ns/page
 *
 * Only the preservation calls are timed, not the allocations. Nothing is
 * published and nothing is ever freed or restored: the next kernel keeps
 * the memory reserved, which is what a benchmark of its early boot needs.
 *
 * Patterns (the size is what is preserved):
 *   dense0   contiguous order-0 folios
 *   alt0     order-0 folios no two of which are adjacent: every other pfn
 *            of order-MAX_PAGE_ORDER allocations, the odd pages freed
 *            (needs twice the size in free memory)
 *   mixed    folios of orders drawn uniformly from 0..MAX_PAGE_ORDER
 *   huge     2 MiB and 4 MiB folios, alternately
 *   vmalloc  64 KiB vmalloc areas, each preserved with kho_preserve_vmalloc()
 *            (its pages and one descriptor page count as blocks)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

static char bench_pattern[16];
module_param_string(pattern, bench_pattern, sizeof(bench_pattern), 0444);
MODULE_PARM_DESC(pattern, "dense0, alt0, mixed, huge or vmalloc; empty: do nothing");

static unsigned long bench_size = SZ_64M;
module_param_named(size, bench_size, ulong, 0444);
MODULE_PARM_DESC(size, "Bytes to preserve (default 64M)");

#define BENCH_VMALLOC_SIZE	SZ_64K

struct bench {
	unsigned long pages_left;	/* pages still to preserve */
	unsigned long blocks;		/* blocks preserved */
	unsigned long pages;		/* pages preserved */
	u64 ns;				/* time spent in preservation calls */
	struct rnd_state rnd;
};

static int bench_preserve_folio(struct bench *b, struct folio *folio)
{
	u64 t0 = ktime_get_ns();
	int err = kho_preserve_folio(folio);

	b->ns += ktime_get_ns() - t0;
	if (err)
		return err;
	b->blocks++;
	b->pages += folio_nr_pages(folio);
	b->pages_left -= min(b->pages_left, folio_nr_pages(folio));
	return 0;
}

/*
 * A non-compound block of 2^@order pages split into order-0 pages; the
 * largest order that can be had, down to 0.
 */
static struct page *bench_alloc_split(unsigned int *order)
{
	struct page *page;

	for (;; (*order)--) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
				   *order);
		if (page || !*order)
			break;
	}
	if (page)
		split_page(page, *order);
	return page;
}

/* Order-0 pages, every one (@stride 1) or every other one (@stride 2). */
static int bench_order0(struct bench *b, unsigned int stride)
{
	while (b->pages_left) {
		unsigned int order = MAX_PAGE_ORDER, i;
		struct page *page = bench_alloc_split(&order);
		int err = 0;

		if (!page)
			return -ENOMEM;
		for (i = 0; i < 1U << order; i++) {
			if (i % stride || !b->pages_left || err) {
				__free_page(page + i);
				continue;
			}
			err = bench_preserve_folio(b, page_folio(page + i));
			if (err)
				__free_page(page + i);
		}
		if (err)
			return err;
		cond_resched();
	}
	return 0;
}

static int bench_folios(struct bench *b, bool huge)
{
	unsigned int n = 0;

	while (b->pages_left) {
		unsigned int order = huge ? (n++ & 1 ? PMD_ORDER + 1 : PMD_ORDER) :
				     prandom_u32_state(&b->rnd) %
				     (MAX_PAGE_ORDER + 1);
		struct folio *folio;
		int err;

		while (order && (1UL << order) > b->pages_left)
			order--;
		folio = folio_alloc(GFP_KERNEL | __GFP_NOWARN, order);
		if (!folio)
			return -ENOMEM;
		err = bench_preserve_folio(b, folio);
		if (err) {
			folio_put(folio);
			return err;
		}
		cond_resched();
	}
	return 0;
}

static int bench_vmalloc(struct bench *b)
{
	struct kho_vmalloc desc;

	while (b->pages_left) {
		unsigned long nr = min(b->pages_left,
				       BENCH_VMALLOC_SIZE >> PAGE_SHIFT);
		void *area = vmalloc(nr << PAGE_SHIFT);
		u64 t0;
		int err;

		if (!area)
			return -ENOMEM;
		t0 = ktime_get_ns();
		err = kho_preserve_vmalloc(area, &desc);
		b->ns += ktime_get_ns() - t0;
		if (err) {
			vfree(area);
			return err;
		}
		/* The area's pages and its one descriptor page. */
		b->blocks += nr + 1;
		b->pages += nr + 1;
		b->pages_left -= nr;
		cond_resched();
	}
	return 0;
}

static int __init test_kho_bench_init(void)
{
	struct bench b = { .pages_left = bench_size >> PAGE_SHIFT };
	int err;

	if (!bench_pattern[0] || !kho_is_enabled() || is_kho_boot())
		return 0;

	prandom_seed_state(&b.rnd, 0x6b686f);
	if (!strcmp(bench_pattern, "dense0"))
		err = bench_order0(&b, 1);
	else if (!strcmp(bench_pattern, "alt0"))
		err = bench_order0(&b, 2);
	else if (!strcmp(bench_pattern, "mixed"))
		err = bench_folios(&b, false);
	else if (!strcmp(bench_pattern, "huge"))
		err = bench_folios(&b, true);
	else if (!strcmp(bench_pattern, "vmalloc"))
		err = bench_vmalloc(&b);
	else
		err = -EINVAL;

	if (err) {
		pr_err("pattern %s: stopped after %lu blocks, %lu pages: %d (use a pattern of dense0, alt0, mixed, huge, vmalloc and a size that fits in free memory)\n",
		       bench_pattern, b.blocks, b.pages, err);
		return 0;
	}
	pr_info("pattern %s: preserved %lu blocks, %lu pages in %llu ns: %llu ns/block, %llu ns/page\n",
		bench_pattern, b.blocks, b.pages, b.ns,
		div64_u64(b.ns, max(b.blocks, 1UL)),
		div64_u64(b.ns, max(b.pages, 1UL)));
	return 0;
}
late_initcall(test_kho_bench_init);
