// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of vmalloc preservation (kho_vmalloc.c), and of restore
 * refusing memory that was never preserved.
 *
 * A preserved area cannot be restored by the kernel that preserved it: its
 * pages carry no stamp of the previous kernel here. The kho_vmalloc suite
 * instead walks the chunk list of each descriptor exactly as the next
 * kernel does and checks every block against the area and against the tree
 * of preserved memory. It needs kho=on. The kho_restore suite checks that
 * restoring memory that was never preserved fails and changes nothing, and
 * restores chunk lists built by hand from pages stamped as the next kernel
 * stamps preserved memory: a valid one, and corrupt ones, each refused for
 * its own reason.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kexec_handover_internal.h"
#include "kho_vmalloc_walk.h"
#include "../../mm/internal.h"

KUNIT_DEFINE_ACTION_WRAPPER(kho_vm_vfree_action, vfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(kho_vm_unpreserve_action, kho_unpreserve_vmalloc,
			    struct kho_vmalloc *);

/* What a walk of a descriptor found: blocks and chunk pages, in order. */
struct kho_vm_seen {
	phys_addr_t *blocks;
	phys_addr_t *chunks;
	unsigned long nr_blocks;
	unsigned long nr_chunks;
};

static int kho_vmalloc_test_init(struct kunit *test)
{
	if (!kho_is_enabled())
		kunit_skip(test, "KHO is off (boot with kho=on)");
	return 0;
}

/* Page @i of the area at @addr. */
static void *kho_vm_page(void *addr, unsigned long i)
{
	return addr + (i << PAGE_SHIFT);
}

/* Fill each page with its index, so contents can be checked. */
static void kho_vm_fill(void *addr, unsigned long nr_pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++)
		memset(kho_vm_page(addr, i), i & 0xff, PAGE_SIZE);
}

static bool kho_vm_filled(void *addr, unsigned long nr_pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++)
		if (memchr_inv(kho_vm_page(addr, i), i & 0xff, PAGE_SIZE))
			return false;
	return true;
}

/* A filled area, vfree()d when the test ends however it ends. */
static void *kho_vm_area(struct kunit *test, void *addr)
{
	struct vm_struct *vm;

	KUNIT_ASSERT_NOT_NULL(test, addr);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kho_vm_vfree_action,
							addr), 0);
	vm = find_vm_area(addr);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	kho_vm_fill(addr, vm->nr_pages);
	return addr;
}

/* A zeroed descriptor, unpreserved when the test ends (a no-op if done). */
static struct kho_vmalloc *kho_vm_desc(struct kunit *test)
{
	struct kho_vmalloc *kho = kunit_kzalloc(test, sizeof(*kho), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, kho);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kho_vm_unpreserve_action,
							kho), 0);
	return kho;
}

/*
 * Walk the chunk list of @kho as the next kernel does: entries until a 0 or
 * until KHO_VMALLOC_SIZE of them, then the next chunk, until there is none.
 * Each entry must be the physical address of the next 2^order block of the
 * area at @addr, in order, and preserved at that order; each chunk page
 * must be preserved as one page.
 */
static void kho_vm_walk(struct kunit *test, void *addr,
			const struct kho_vmalloc *kho, struct kho_vm_seen *seen)
{
	unsigned long nr_blocks = kho->total_pages >> kho->order;
	unsigned long max_chunks = DIV_ROUND_UP(nr_blocks, KHO_VMALLOC_SIZE);
	struct kho_vmalloc_chunk *chunk = KHOSER_LOAD_PTR(kho->first);
	unsigned long idx = 0;

	seen->blocks = kunit_kcalloc(test, nr_blocks, sizeof(phys_addr_t),
				     GFP_KERNEL);
	seen->chunks = kunit_kcalloc(test, max_chunks, sizeof(phys_addr_t),
				     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen->blocks);
	KUNIT_ASSERT_NOT_NULL(test, seen->chunks);
	seen->nr_chunks = 0;

	while (chunk) {
		struct kho_vmalloc_chunk *next = KHOSER_LOAD_PTR(chunk->hdr.next);
		phys_addr_t cphys = virt_to_phys(chunk);
		unsigned int i;

		KUNIT_ASSERT_LT_MSG(test, seen->nr_chunks, max_chunks,
				    "more chunks than %lu blocks need",
				    nr_blocks);
		seen->chunks[seen->nr_chunks++] = cphys;
		KUNIT_EXPECT_TRUE(test, kho_is_preserved(cphys, 0));

		for (i = 0; i < KHO_VMALLOC_SIZE && chunk->phys[i]; i++, idx++) {
			phys_addr_t want;
			void *va;

			KUNIT_ASSERT_LT_MSG(test, idx, nr_blocks,
					    "more blocks than total_pages");
			va = kho_vm_page(addr, idx << kho->order);
			want = page_to_phys(vmalloc_to_page(va));
			KUNIT_EXPECT_EQ_MSG(test, chunk->phys[i], (u64)want,
					    "block %lu", idx);
			KUNIT_EXPECT_TRUE_MSG(test,
					      kho_is_preserved(chunk->phys[i],
							       kho->order),
					      "block %lu order %u", idx,
					      kho->order);
			seen->blocks[idx] = chunk->phys[i];
		}
		/* The producer fills a chunk before it starts the next. */
		if (next)
			KUNIT_EXPECT_EQ(test, i, KHO_VMALLOC_SIZE);
		chunk = next;
	}
	seen->nr_blocks = idx;
	KUNIT_EXPECT_EQ(test, idx, nr_blocks);
	KUNIT_EXPECT_EQ(test, seen->nr_chunks, max_chunks);
}

static unsigned long kho_vm_preserved(const struct kho_vm_seen *seen,
				      unsigned int order)
{
	unsigned long i, n = 0;

	for (i = 0; i < seen->nr_blocks; i++)
		n += kho_is_preserved(seen->blocks[i], order);
	for (i = 0; i < seen->nr_chunks; i++)
		n += kho_is_preserved(seen->chunks[i], 0);
	return n;
}

/*
 * Preserve the area at @addr, walk the descriptor, check that the same
 * area cannot be preserved twice nor restored in this kernel, then
 * unpreserve it and check that nothing stays preserved.
 */
static void kho_vm_roundtrip(struct kunit *test, void *addr, u16 flags)
{
	struct vm_struct *vm = find_vm_area(addr);
	struct kho_vmalloc *kho = kho_vm_desc(test);
	struct kho_vmalloc *again = kho_vm_desc(test);
	struct kho_vm_seen seen;
	unsigned long all;

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_EQ(test, kho_preserve_vmalloc(addr, kho), 0);
	KUNIT_EXPECT_EQ(test, kho->total_pages, vm->nr_pages);
	KUNIT_EXPECT_EQ(test, kho->order, get_vm_area_page_order(vm));
	KUNIT_EXPECT_EQ(test, kho->flags, flags);
	kho_vm_walk(test, addr, kho, &seen);
	all = seen.nr_blocks + seen.nr_chunks;
	KUNIT_EXPECT_EQ(test, kho_vm_preserved(&seen, kho->order), all);

	/* Already preserved: refused, and the first preservation stays. */
	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(addr, again), -EEXIST);
	KUNIT_EXPECT_EQ(test, again->first.phys, 0);
	KUNIT_EXPECT_EQ(test, kho_vm_preserved(&seen, kho->order), all);

	/* No page here carries the previous kernel's stamp. */
	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(kho));
	KUNIT_EXPECT_EQ(test, kho_vm_preserved(&seen, kho->order), all);

	kho_unpreserve_vmalloc(kho);
	KUNIT_EXPECT_EQ(test, kho_vm_preserved(&seen, kho->order), 0);
	KUNIT_EXPECT_EQ(test, kho->first.phys, 0);
	KUNIT_EXPECT_EQ(test, kho->total_pages, 0);
	KUNIT_EXPECT_TRUE(test, kho_vm_filled(addr, vm->nr_pages));
	/* Unpreserving a zeroed descriptor does nothing. */
	kho_unpreserve_vmalloc(kho);
	kho_unpreserve_vmalloc(NULL);
}

/*
 * 511 blocks fill one chunk exactly (no terminator); 512 spill one block
 * into a second chunk; 1022 fill two; 1023 spill into a third.
 */
static const unsigned int kho_vm_sizes[] = { 1, 2, 511, 512, 1022, 1023 };

static void kho_vm_size_desc(const unsigned int *nr, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u pages", *nr);
}

KUNIT_ARRAY_PARAM(kho_vm_sizes, kho_vm_sizes, kho_vm_size_desc);

static void kho_vmalloc_order0(struct kunit *test)
{
	unsigned int nr = *(const unsigned int *)test->param_value;
	void *addr = kho_vm_area(test, vmalloc(nr * PAGE_SIZE));

	KUNIT_ASSERT_EQ(test, get_vm_area_page_order(find_vm_area(addr)), 0);
	kho_vm_roundtrip(test, addr, KHO_VMALLOC_ALLOC);
}

/*
 * vmalloc_huge() maps with PMD-sized pages on x86_64 (HAVE_ARCH_HUGE_VMALLOC)
 * when it can get order-9 pages, and falls back to base pages otherwise.
 */
static void kho_vmalloc_huge(struct kunit *test)
{
	void *addr = kho_vm_area(test, vmalloc_huge(SZ_4M, GFP_KERNEL));
	unsigned int order = get_vm_area_page_order(find_vm_area(addr));

	kho_vm_roundtrip(test, addr, KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP);
	if (!order)
		kunit_mark_skipped(test,
				   "vmalloc_huge() fell back to base pages: only order 0 was tested");
	else
		KUNIT_EXPECT_EQ(test, order, PMD_SHIFT - PAGE_SHIFT);
}

/* Not a vmalloc area, or not its start: -EINVAL, descriptor untouched. */
static void kho_vmalloc_rejects_pointers(struct kunit *test)
{
	void *addr = kho_vm_area(test, vmalloc(2 * PAGE_SIZE));
	struct kho_vmalloc *kho = kho_vm_desc(test);
	struct kho_vmalloc ref;
	void *mem = kunit_kmalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mem);
	memset(kho, 0x5a, sizeof(*kho));
	ref = *kho;
	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(mem, kho), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(NULL, kho), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(addr + PAGE_SIZE, kho),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, memcmp(kho, &ref, sizeof(ref)), 0);
	memset(kho, 0, sizeof(*kho));
}

/* Areas that vmalloc() did not make plain: -EOPNOTSUPP. */
static void kho_vmalloc_rejects_areas(struct kunit *test)
{
	struct kho_vmalloc *kho = kho_vm_desc(test);
	struct page *pages[2] = {};
	void *addr;

	pages[0] = alloc_page(GFP_KERNEL);
	pages[1] = alloc_page(GFP_KERNEL);
	if (pages[0] && pages[1]) {
		/* VM_MAP, no VM_ALLOC: the pages are not the area's. */
		addr = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, addr);
		if (addr) {
			KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(addr, kho),
					-EOPNOTSUPP);
			vunmap(addr);
		}
	}
	if (pages[0])
		__free_page(pages[0]);
	if (pages[1])
		__free_page(pages[1]);
	KUNIT_ASSERT_NOT_NULL(test, pages[0]);
	KUNIT_ASSERT_NOT_NULL(test, pages[1]);

	/* VM_USERMAP: it may be mapped to user space. */
	addr = kho_vm_area(test, vmalloc_user(PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(addr, kho), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, kho->first.phys, 0);
}

/*
 * A page in the second chunk's range is already preserved: the call fails
 * with -EEXIST and undoes the blocks and chunks it had preserved.
 */
static void kho_vmalloc_undo(struct kunit *test)
{
	const unsigned long nr = 600, busy = 550;
	void *addr = kho_vm_area(test, vmalloc(nr * PAGE_SIZE));
	struct kho_vmalloc *kho = kho_vm_desc(test);
	struct page *busy_page = vmalloc_to_page(kho_vm_page(addr, busy));
	unsigned long i, left = 0;

	KUNIT_ASSERT_EQ(test, kho_preserve_pages(busy_page, 1), 0);
	KUNIT_EXPECT_EQ(test, kho_preserve_vmalloc(addr, kho), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho->first.phys, 0);
	for (i = 0; i < nr; i++) {
		struct page *page = vmalloc_to_page(kho_vm_page(addr, i));

		left += kho_is_preserved(page_to_phys(page), 0);
	}
	KUNIT_EXPECT_EQ(test, left, 1);
	kho_unpreserve_pages(busy_page, 1);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(page_to_phys(busy_page), 0));

	/* With the page free again, the whole area can be preserved. */
	kho_vm_roundtrip(test, addr, KHO_VMALLOC_ALLOC);
}

static struct kunit_case kho_vmalloc_test_cases[] = {
	KUNIT_CASE_PARAM(kho_vmalloc_order0, kho_vm_sizes_gen_params),
	KUNIT_CASE(kho_vmalloc_huge),
	KUNIT_CASE(kho_vmalloc_rejects_pointers),
	KUNIT_CASE(kho_vmalloc_rejects_areas),
	KUNIT_CASE(kho_vmalloc_undo),
	{}
};

static struct kunit_suite kho_vmalloc_test_suite = {
	.name = "kho_vmalloc",
	.init = kho_vmalloc_test_init,
	.test_cases = kho_vmalloc_test_cases,
};

/* ---- Restore refuses memory that was never preserved ---- */

/* A page just allocated carries no stamp: every restore call refuses it. */
static void kho_restore_never_preserved(struct kunit *test)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned long priv;
	phys_addr_t phys;
	int i, ref[4];

	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = page_to_phys(page);
	priv = page_private(page);
	for (i = 0; i < 4; i++)
		ref[i] = page_ref_count(page + i);

	KUNIT_EXPECT_NULL(test, kho_restore_folio(phys));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 1));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 4));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys + PAGE_SIZE, 1));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 0));
	/* Not page aligned. */
	KUNIT_EXPECT_NULL(test, kho_restore_folio(phys + 64));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys + 64, 1));
	/* Beyond the end of memory. */
	KUNIT_EXPECT_NULL(test, kho_restore_folio(PFN_PHYS(max_pfn + 1)));

	KUNIT_EXPECT_EQ(test, page_private(page), priv);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ_MSG(test, page_ref_count(page + i), ref[i],
				    "page %d", i);
	__free_pages(page, 2);
}

/*
 * Descriptors that are malformed, or that name memory that was never
 * preserved, give NULL and touch nothing.
 */
static void kho_restore_vmalloc_garbage(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct kho_vmalloc bad[] = {
		/* No chunk list, and nothing else right either. */
		{ .total_pages = 5, .order = 20, .flags = 0x8000 },
		/* Well formed, but the chunk page was never preserved. */
		{ .total_pages = 1, .flags = KHO_VMALLOC_ALLOC },
		{ .total_pages = 512, .order = 9,
		  .flags = KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP },
		/* Malformed: size, order or flags. */
		{ .total_pages = 0, .flags = KHO_VMALLOC_ALLOC },
		{ .total_pages = 3, .order = 1, .flags = KHO_VMALLOC_ALLOC },
		{ .total_pages = 1, .flags = 0 },
		{ .total_pages = 1, .flags = KHO_VMALLOC_ALLOC | 0x4 },
		{ .total_pages = 1 << 21, .order = MAX_PAGE_ORDER + 1,
		  .flags = KHO_VMALLOC_ALLOC },
		{ .total_pages = U32_MAX, .flags = KHO_VMALLOC_ALLOC },
	};
	phys_addr_t phys;
	int i, ref;

	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = page_to_phys(page);
	ref = page_ref_count(page);
	memset(page_address(page), 0, PAGE_SIZE);
	for (i = 1; i < ARRAY_SIZE(bad); i++)
		bad[i].first.phys = phys;

	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(NULL));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_NULL_MSG(test, kho_restore_vmalloc(&bad[i]),
				      "descriptor %d", i);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), ref);
	KUNIT_EXPECT_EQ(test, page_private(page), 0);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(page_address(page), PAGE_SIZE));
	__free_page(page);
}

/* Each malformed descriptor is refused for its own reason. */
static void kho_restore_vmalloc_reasons(struct kunit *test)
{
	struct kho_vmalloc d = { .first.phys = PAGE_SIZE,
				 .total_pages = 1 << (MAX_PAGE_ORDER + 1),
				 .flags = KHO_VMALLOC_ALLOC,
				 .order = MAX_PAGE_ORDER + 1 };
	const char *reason;

	reason = kho_vmalloc_check(&d);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, "above MAX_PAGE_ORDER"),
				  "%s", reason);
	d.order = MAX_PAGE_ORDER;
	KUNIT_EXPECT_NULL(test, kho_vmalloc_check(&d));
	d.total_pages = 3 << MAX_PAGE_ORDER >> 1;
	reason = kho_vmalloc_check(&d);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, "not a multiple"),
				  "%s", reason);
	d.order = 0;
	d.flags = KHO_VMALLOC_HUGE_VMAP;
	reason = kho_vmalloc_check(&d);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, "KHO_VMALLOC_ALLOC"),
				  "%s", reason);
}

/*
 * The next kernel's early walk stamps the head page of every preserved
 * block. Stamp fresh pages the same way to build chunk lists as a previous
 * kernel would leave them, right or corrupt.
 */
static struct page *kho_vm_stamped(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(test, page);
	set_page_private(page, kho_stamp_value(0));
	return page;
}

/* Restore counts each page it takes back as managed again: undo that. */
static void kho_vm_unmanage(struct page **pages, unsigned int nr)
{
	while (nr--)
		adjust_managed_page_count(pages[nr], -1);
}

/* A page the walk did not reach still carries its stamp. */
static void kho_vm_free_unreached(struct kunit *test, struct page *page)
{
	KUNIT_EXPECT_EQ(test, page_private(page), kho_stamp_value(0));
	set_page_private(page, 0);
	__free_page(page);
}

/* A pfn with no struct page: past the end of memory, in no section. */
static unsigned long kho_vm_absent_pfn(void)
{
	unsigned long pfn = ALIGN(max_pfn + 1, PAGES_PER_SECTION);

	while (pfn_valid(pfn))
		pfn += PAGES_PER_SECTION;
	return pfn;
}

/*
 * Walk @d as kho_restore_vmalloc() does and expect a reason containing
 * @want, with exactly the @nr_blocks order-0 pages of @blocks restored, in
 * order; free them as kho_restore_vmalloc() does. The walk frees the
 * chunks it reached itself.
 */
static void kho_vm_expect_refused(struct kunit *test,
				  const struct kho_vmalloc *d, const char *want,
				  struct page **blocks, unsigned long nr_blocks)
{
	char why[KHO_VMALLOC_WHY_LEN];
	struct page **pages;
	const char *reason;
	unsigned long i, nr;

	KUNIT_ASSERT_NULL(test, kho_vmalloc_check(d));
	pages = kvmalloc_array(d->total_pages, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	reason = kho_vmalloc_restore_blocks(d, pages, &nr, why, sizeof(why));
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, want), "reason: %s",
				  reason);
	KUNIT_ASSERT_EQ(test, nr, nr_blocks);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_PTR_EQ(test, pages[i], blocks[i]);
		KUNIT_EXPECT_EQ(test, page_private(pages[i]), 0);
	}
	kho_vmalloc_free_pages(pages, nr);
}

/*
 * A valid list of three blocks: the area comes back with their contents,
 * mapped in order, the chunk is freed, and vfree() frees the area. The
 * preservation is consumed: restoring it again fails.
 */
static void kho_restore_vmalloc_stamped(struct kunit *test)
{
	struct kho_vmalloc d = { .total_pages = 3, .flags = KHO_VMALLOC_ALLOC };
	struct page *p[4];	/* the chunk, then the blocks */
	struct kho_vmalloc_chunk *chunk;
	struct vm_struct *vm;
	void *addr;
	int i;

	for (i = 0; i < 4; i++)
		p[i] = kho_vm_stamped(test);
	chunk = page_address(p[0]);
	for (i = 0; i < 3; i++) {
		memset(page_address(p[i + 1]), i, PAGE_SIZE);
		chunk->phys[i] = page_to_phys(p[i + 1]);
	}
	d.first.phys = page_to_phys(p[0]);

	addr = kho_restore_vmalloc(&d);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	kho_vm_unmanage(p, 4);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							kho_vm_vfree_action,
							addr), 0);
	vm = find_vm_area(addr);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->nr_pages, 3);
	KUNIT_EXPECT_TRUE(test, kho_vm_filled(addr, 3));
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(kho_vm_page(addr, i)),
				    p[i + 1]);
	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(&d));
}

/*
 * Two lists that come back to a chunk already visited: one whose last
 * chunk links to the first once total_pages is reached, and A -> B -> A
 * in a descriptor with room for three chunks, where restoring A again
 * fails. Both are named a loop; the blocks taken back before are freed.
 */
static void kho_restore_vmalloc_loop(struct kunit *test)
{
	struct kho_vmalloc d = { .total_pages = 1, .flags = KHO_VMALLOC_ALLOC };
	struct page *p[4];	/* chunks A and B, then their blocks */
	struct kho_vmalloc_chunk *a, *b;
	int i;

	for (i = 0; i < 2; i++)
		p[i] = kho_vm_stamped(test);
	a = page_address(p[0]);
	a->phys[0] = page_to_phys(p[1]);
	a->hdr.next.phys = page_to_phys(p[0]);
	d.first.phys = page_to_phys(p[0]);
	kho_vm_expect_refused(test, &d, "the chunk list loops", &p[1], 1);
	kho_vm_unmanage(p, 2);

	for (i = 0; i < 4; i++)
		p[i] = kho_vm_stamped(test);
	a = page_address(p[0]);
	b = page_address(p[1]);
	a->phys[0] = page_to_phys(p[2]);
	a->hdr.next.phys = page_to_phys(p[1]);
	b->phys[0] = page_to_phys(p[3]);
	b->hdr.next.phys = page_to_phys(p[0]);
	d.first.phys = page_to_phys(p[0]);
	d.total_pages = 2 * KHO_VMALLOC_SIZE + 1;
	kho_vm_expect_refused(test, &d, "the chunk list loops", &p[2], 2);
	kho_vm_unmanage(p, 4);
}

/*
 * A chunk pointer to no RAM, as the descriptor's first chunk and as a
 * chunk's next one, is named as such; nothing is read there.
 */
static void kho_restore_vmalloc_not_ram(struct kunit *test)
{
	u64 absent = PFN_PHYS(kho_vm_absent_pfn());
	struct kho_vmalloc d = { .first.phys = absent, .total_pages = 2,
				 .flags = KHO_VMALLOC_ALLOC };
	struct kho_vmalloc_chunk *a;
	struct page *p[2];	/* chunk A, its block */
	int i;

	kho_vm_expect_refused(test, &d, "is not RAM", NULL, 0);

	for (i = 0; i < 2; i++)
		p[i] = kho_vm_stamped(test);
	a = page_address(p[0]);
	a->phys[0] = page_to_phys(p[1]);
	a->hdr.next.phys = absent;
	d.first.phys = page_to_phys(p[0]);
	kho_vm_expect_refused(test, &d, "is not RAM", &p[1], 1);
	kho_vm_unmanage(p, 2);
}

/*
 * The list and total_pages disagree: fewer blocks than total_pages, more,
 * or more chunks than total_pages needs. The walk stops where it finds
 * out and leaves what it did not reach stamped.
 */
static void kho_restore_vmalloc_counts(struct kunit *test)
{
	struct kho_vmalloc d = { .total_pages = 2, .flags = KHO_VMALLOC_ALLOC };
	struct kho_vmalloc_chunk *a, *b;
	struct page *p[4];	/* chunks A and B, then blocks */
	int i;

	/* A lists one block of two. */
	for (i = 0; i < 2; i++)
		p[i] = kho_vm_stamped(test);
	a = page_address(p[0]);
	a->phys[0] = page_to_phys(p[1]);
	d.first.phys = page_to_phys(p[0]);
	kho_vm_expect_refused(test, &d, "fewer blocks than total_pages",
			      &p[1], 1);
	kho_vm_unmanage(p, 2);

	/* A lists two blocks of one. */
	for (i = 0; i < 3; i++)
		p[i] = kho_vm_stamped(test);
	a = page_address(p[0]);
	a->phys[0] = page_to_phys(p[1]);
	a->phys[1] = page_to_phys(p[2]);
	d.first.phys = page_to_phys(p[0]);
	d.total_pages = 1;
	kho_vm_expect_refused(test, &d, "more blocks than total_pages",
			      &p[1], 1);
	kho_vm_unmanage(p, 2);
	kho_vm_free_unreached(test, p[2]);

	/* A lists the only block, then links to B. */
	for (i = 0; i < 4; i++)
		p[i] = kho_vm_stamped(test);
	a = page_address(p[0]);
	b = page_address(p[1]);
	a->phys[0] = page_to_phys(p[2]);
	a->hdr.next.phys = page_to_phys(p[1]);
	b->phys[0] = page_to_phys(p[3]);
	d.first.phys = page_to_phys(p[0]);
	kho_vm_expect_refused(test, &d, "longer than total_pages needs",
			      &p[2], 1);
	adjust_managed_page_count(p[0], -1);
	adjust_managed_page_count(p[2], -1);
	kho_vm_free_unreached(test, p[1]);
	kho_vm_free_unreached(test, p[3]);
}

static struct kunit_case kho_restore_test_cases[] = {
	KUNIT_CASE(kho_restore_never_preserved),
	KUNIT_CASE(kho_restore_vmalloc_garbage),
	KUNIT_CASE(kho_restore_vmalloc_reasons),
	KUNIT_CASE(kho_restore_vmalloc_stamped),
	KUNIT_CASE(kho_restore_vmalloc_loop),
	KUNIT_CASE(kho_restore_vmalloc_not_ram),
	KUNIT_CASE(kho_restore_vmalloc_counts),
	{}
};

static struct kunit_suite kho_restore_test_suite = {
	.name = "kho_restore",
	.test_cases = kho_restore_test_cases,
};

kunit_test_suites(&kho_vmalloc_test_suite, &kho_restore_test_suite);

MODULE_DESCRIPTION("KUnit tests for KHO vmalloc preservation and restore");
MODULE_LICENSE("GPL");
