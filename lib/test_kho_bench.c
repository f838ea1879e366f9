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
 * Only the preservation pass is timed, not the allocations, which come
 * first. Nothing is published and nothing is ever freed or restored: the
 * next kernel keeps the memory reserved, which is what a benchmark of its
 * early boot needs.
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
#include <linux/delay.h>
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

/*
 * Allocation and preservation are separate passes with a pause between
 * them, so that the work allocation sets off in the background (kswapd,
 * kcompactd, lazy vmalloc purges and their TLB flushes) does not run while
 * the preservation calls are timed.
 */
#define BENCH_SETTLE_MS		1000

/*
 * What was allocated: a chunk of split pages, of which @nr are kept (every
 * stride-th from the first); a folio of @order; a vmalloc area of @nr
 * pages.
 */
struct bench_item {
	void *ptr;
	unsigned int order;
	unsigned long nr;
};

struct bench {
	unsigned long pages_left;	/* pages still to allocate */
	struct bench_item *items;
	unsigned long nr_items;
	unsigned long max_items;
	unsigned int stride;		/* order-0 patterns: 1 or 2 */
	unsigned long blocks;		/* blocks preserved */
	unsigned long pages;		/* pages preserved */
	struct rnd_state rnd;
};

static int bench_add(struct bench *b, void *ptr, unsigned int order,
		     unsigned long nr)
{
	if (b->nr_items == b->max_items)
		return -ENOSPC;
	b->items[b->nr_items++] = (struct bench_item){ ptr, order, nr };
	return 0;
}

/*
 * Order-0 pages, every one (@b->stride 1) or every other one (stride 2):
 * split blocks of the largest order that can be had, the odd pages of
 * which are freed at once for alt0.
 */
static int bench_alloc_order0(struct bench *b)
{
	while (b->pages_left) {
		unsigned int order = MAX_PAGE_ORDER, i, kept = 0;
		struct page *page;

		for (;; order--) {
			page = alloc_pages(GFP_KERNEL | __GFP_NOWARN |
					   __GFP_NORETRY, order);
			if (page || !order)
				break;
		}
		if (!page)
			return -ENOMEM;
		split_page(page, order);
		for (i = 0; i < 1U << order; i++) {
			if (i % b->stride || !b->pages_left) {
				__free_page(page + i);
			} else {
				b->pages_left--;
				kept++;
			}
		}
		if (bench_add(b, page, order, kept))
			return -ENOSPC;
		cond_resched();
	}
	return 0;
}

static int bench_alloc_folios(struct bench *b, bool huge)
{
	unsigned int n = 0;

	while (b->pages_left) {
		unsigned int order = huge ? (n++ & 1 ? PMD_ORDER + 1 : PMD_ORDER) :
				     prandom_u32_state(&b->rnd) %
				     (MAX_PAGE_ORDER + 1);
		struct folio *folio;

		while (order && (1UL << order) > b->pages_left)
			order--;
		folio = folio_alloc(GFP_KERNEL | __GFP_NOWARN, order);
		if (!folio)
			return -ENOMEM;
		if (bench_add(b, folio, order, 1UL << order)) {
			folio_put(folio);
			return -ENOSPC;
		}
		b->pages_left -= 1UL << order;
		cond_resched();
	}
	return 0;
}

static int bench_alloc_vmalloc(struct bench *b)
{
	while (b->pages_left) {
		unsigned long nr = min(b->pages_left,
				       BENCH_VMALLOC_SIZE >> PAGE_SHIFT);
		void *area = vmalloc(nr << PAGE_SHIFT);

		if (!area)
			return -ENOMEM;
		if (bench_add(b, area, 0, nr)) {
			vfree(area);
			return -ENOSPC;
		}
		b->pages_left -= nr;
		cond_resched();
	}
	return 0;
}

/* Preserve one item; count its blocks and pages. */
static int bench_preserve(struct bench *b, const struct bench_item *it,
			  const char *pattern)
{
	struct kho_vmalloc desc;
	unsigned long i;
	int err;

	if (!strcmp(pattern, "vmalloc")) {
		err = kho_preserve_vmalloc(it->ptr, &desc);
		if (err)
			return err;
		/* The area's pages and its one descriptor page. */
		b->blocks += it->nr + 1;
		b->pages += it->nr + 1;
		return 0;
	}
	if (strcmp(pattern, "dense0") && strcmp(pattern, "alt0")) {
		err = kho_preserve_folio(it->ptr);
		if (!err) {
			b->blocks++;
			b->pages += it->nr;
		}
		return err;
	}
	for (i = 0; i < it->nr; i++) {
		struct page *page = (struct page *)it->ptr + i * b->stride;

		err = kho_preserve_folio(page_folio(page));
		if (err)
			return err;
		b->blocks++;
		b->pages++;
	}
	return 0;
}

static int __init test_kho_bench_init(void)
{
	struct bench b = { .pages_left = bench_size >> PAGE_SHIFT, .stride = 1 };
	unsigned long i;
	int err;
	u64 t0, ns;

	if (!bench_pattern[0] || !kho_is_enabled() || is_kho_boot())
		return 0;

	/* At most one item per page, whatever the pattern. */
	b.max_items = b.pages_left;
	b.items = kvmalloc_array(b.max_items, sizeof(*b.items), GFP_KERNEL);
	if (!b.items) {
		pr_err("pattern %s: no memory for the list of %lu items\n",
		       bench_pattern, b.max_items);
		return 0;
	}

	prandom_seed_state(&b.rnd, 0x6b686f);
	if (!strcmp(bench_pattern, "dense0")) {
		err = bench_alloc_order0(&b);
	} else if (!strcmp(bench_pattern, "alt0")) {
		b.stride = 2;
		err = bench_alloc_order0(&b);
	} else if (!strcmp(bench_pattern, "mixed")) {
		err = bench_alloc_folios(&b, false);
	} else if (!strcmp(bench_pattern, "huge")) {
		err = bench_alloc_folios(&b, true);
	} else if (!strcmp(bench_pattern, "vmalloc")) {
		err = bench_alloc_vmalloc(&b);
	} else {
		pr_err("unknown pattern %s: use dense0, alt0, mixed, huge or vmalloc\n",
		       bench_pattern);
		goto out;
	}
	if (err) {
		pr_err("pattern %s: allocation stopped %lu pages short: %d (choose a size that fits in free memory)\n",
		       bench_pattern, b.pages_left, err);
		goto out;
	}

	msleep(BENCH_SETTLE_MS);
	t0 = ktime_get_ns();
	for (i = 0; i < b.nr_items; i++) {
		err = bench_preserve(&b, &b.items[i], bench_pattern);
		if (err)
			break;
		if (!(i % 256))
			cond_resched();
	}
	ns = ktime_get_ns() - t0;
	if (err) {
		pr_err("pattern %s: preserving stopped after %lu blocks: %d\n",
		       bench_pattern, b.blocks, err);
		goto out;
	}
	pr_info("pattern %s: preserved %lu blocks, %lu pages in %llu ns: %llu ns/block, %llu ns/page\n",
		bench_pattern, b.blocks, b.pages, ns,
		div64_u64(ns, max(b.blocks, 1UL)),
		div64_u64(ns, max(b.pages, 1UL)));
out:
	/* The memory stays allocated, preserved or not: kexec follows. */
	kvfree(b.items);
	return 0;
}
late_initcall(test_kho_bench_init);
