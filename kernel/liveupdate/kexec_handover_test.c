// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for kexec handover: the command line, the root FDT and the
 * preservation API.
 *
 * kho= is an early_param, so its handler lives in .init.text: that suite is
 * an init-section suite and runs before the init sections are freed. The
 * API suites work on the live outgoing tree and need kho=on; the kho_off
 * suite needs kho=off. make kunit boots the test kernel both ways.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "kexec_handover_internal.h"

static bool saved_enable;

static int __init kho_param_test_init(struct kunit *test)
{
	saved_enable = kho_is_enabled();
	return 0;
}

static void __init kho_param_test_exit(struct kunit *test)
{
	kho_parse_enable(saved_enable ? "1" : "0");
}

/* Every spelling kstrtobool accepts, in both directions. */
static void __init kho_param_accepts_booleans(struct kunit *test)
{
	static const struct {
		const char *arg;
		bool enabled;
	} cases[] = {
		{ "on", true }, { "off", false }, { "y", true }, { "n", false },
		{ "1", true }, { "0", false }, { "Y", true }, { "N", false },
		{ "true", true }, { "false", false },
	};
	char buf[8];
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strscpy(buf, cases[i].arg, sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, kho_parse_enable(buf), 0,
				    "kho=%s", cases[i].arg);
		KUNIT_EXPECT_EQ_MSG(test, kho_is_enabled(), cases[i].enabled,
				    "kho=%s", cases[i].arg);
	}
}

/* A malformed value is refused and leaves the state as it was. */
static void __init kho_param_rejects_garbage(struct kunit *test)
{
	static const char * const bad[] = { "", "maybe", "2", "-1", "enable" };
	char buf[8];
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strscpy(buf, "1", sizeof(buf));
		KUNIT_ASSERT_EQ(test, kho_parse_enable(buf), 0);
		strscpy(buf, bad[i], sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, kho_parse_enable(buf), -EINVAL,
				    "kho=%s", bad[i]);
		KUNIT_EXPECT_TRUE_MSG(test, kho_is_enabled(), "kho=%s", bad[i]);
	}
}

/* "kho" with no "=value" reaches the handler as NULL. */
static void __init kho_param_rejects_missing_value(struct kunit *test)
{
	char off[] = "0";

	KUNIT_ASSERT_EQ(test, kho_parse_enable(off), 0);
	KUNIT_EXPECT_EQ(test, kho_parse_enable(NULL), -EINVAL);
	KUNIT_EXPECT_FALSE(test, kho_is_enabled());
}

/*
 * Without kho= on the command line, KHO is on exactly when the kernel is
 * built with KEXEC_HANDOVER_ENABLE_DEFAULT (make kunit's first boot).
 */
static void __init kho_param_default(struct kunit *test)
{
	if (strstr(saved_command_line, "kho="))
		kunit_skip(test, "kho= is on the command line");
	KUNIT_EXPECT_EQ(test, saved_enable,
			IS_ENABLED(CONFIG_KEXEC_HANDOVER_ENABLE_DEFAULT));
}

static struct kunit_case __refdata kho_param_test_cases[] = {
	KUNIT_CASE(kho_param_default),
	KUNIT_CASE(kho_param_accepts_booleans),
	KUNIT_CASE(kho_param_rejects_garbage),
	KUNIT_CASE(kho_param_rejects_missing_value),
	{}
};

static struct kunit_suite __refdata kho_param_test_suite = {
	.name = "kho_param",
	.init = kho_param_test_init,
	.exit = kho_param_test_exit,
	.test_cases = kho_param_test_cases,
};
kunit_test_init_section_suites(&kho_param_test_suite);

/* ---- kho_scratch= ---- */

static void kho_scratch_param_scale(struct kunit *test)
{
	struct kho_scratch_size s = { };

	KUNIT_EXPECT_EQ(test, kho_parse_scratch_size("200%", &s), 0);
	KUNIT_EXPECT_EQ(test, s.scale, 200);
	KUNIT_EXPECT_EQ(test, kho_parse_scratch_size("50%", &s), 0);
	KUNIT_EXPECT_EQ(test, s.scale, 50);
	KUNIT_EXPECT_EQ(test, s.lowmem + s.global + s.pernode, 0);
}

static void kho_scratch_param_sizes(struct kunit *test)
{
	struct kho_scratch_size s = { };

	KUNIT_EXPECT_EQ(test, kho_parse_scratch_size("16M,512M,256M", &s), 0);
	KUNIT_EXPECT_EQ(test, s.scale, 0);
	KUNIT_EXPECT_EQ(test, s.lowmem, SZ_16M);
	KUNIT_EXPECT_EQ(test, s.global, SZ_512M);
	KUNIT_EXPECT_EQ(test, s.pernode, SZ_256M);

	KUNIT_EXPECT_EQ(test, kho_parse_scratch_size("1G,0,4096", &s), 0);
	KUNIT_EXPECT_EQ(test, s.lowmem, SZ_1G);
	KUNIT_EXPECT_EQ(test, s.global, 0);
	KUNIT_EXPECT_EQ(test, s.pernode, 4096);
}

/* Every malformed value is refused and leaves the output untouched. */
static void kho_scratch_param_rejects(struct kunit *test)
{
	static const char * const bad[] = {
		"", "%", "0%", "x%", "-5%", "99999999999%", "200%%",
		"16M", "16M,512M", "16M,512M,256M,", "16M,512M,256M,1M",
		"0,0,0", "16Q,1,1", "-1,2,3", ",1,2", "1,,2", "1 ,2,3",
	};
	struct kho_scratch_size s = { .scale = 7, .lowmem = 1 };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, kho_parse_scratch_size(bad[i], &s),
				    -EINVAL, "kho_scratch=%s", bad[i]);
		KUNIT_EXPECT_EQ(test, s.scale, 7);
		KUNIT_EXPECT_EQ(test, s.lowmem, 1);
	}
	KUNIT_EXPECT_EQ(test, kho_parse_scratch_size(NULL, &s), -EINVAL);
}

static struct kunit_case kho_scratch_param_test_cases[] = {
	KUNIT_CASE(kho_scratch_param_scale),
	KUNIT_CASE(kho_scratch_param_sizes),
	KUNIT_CASE(kho_scratch_param_rejects),
	{}
};

static struct kunit_suite kho_scratch_param_test_suite = {
	.name = "kho_scratch_param",
	.test_cases = kho_scratch_param_test_cases,
};

/* ---- The root FDT, on a private page ---- */

static int kho_test_children(const void *fdt)
{
	int off, n = 0;

	fdt_for_each_subnode(off, fdt, 0)
		n++;
	return n;
}

static void kho_fdt_empty_root(struct kunit *test)
{
	void *fdt = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	const u64 *map;
	int len;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_EQ(test, kho_fdt_init(fdt, PAGE_SIZE, 0x1234000), 0);
	KUNIT_EXPECT_EQ(test, fdt_check_header(fdt), 0);
	KUNIT_EXPECT_EQ(test, fdt_node_check_compatible(fdt, 0, "kho-v2"), 0);
	map = fdt_getprop(fdt, 0, "preserved-memory-map", &len);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_EXPECT_EQ(test, len, 8);
	KUNIT_EXPECT_EQ(test, *map, 0x1234000);
	KUNIT_EXPECT_EQ(test, kho_test_children(fdt), 0);
}

static void kho_fdt_add_remove(struct kunit *test)
{
	void *fdt = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	void *copy = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	const u64 *val;
	int off, len;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_ASSERT_EQ(test, kho_fdt_init(fdt, PAGE_SIZE, 0x1000), 0);
	KUNIT_ASSERT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "memblock",
						0x2000, 300), 0);
	KUNIT_ASSERT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "kho_test",
						0x3000, 1), 0);
	off = fdt_subnode_offset(fdt, 0, "memblock");
	KUNIT_ASSERT_GE(test, off, 0);
	val = fdt_getprop(fdt, off, "preserved-data", &len);
	KUNIT_ASSERT_NOT_NULL(test, val);
	KUNIT_EXPECT_EQ(test, len, 8);
	KUNIT_EXPECT_EQ(test, *val, 0x2000);
	val = fdt_getprop(fdt, off, "blob-size", &len);
	KUNIT_ASSERT_NOT_NULL(test, val);
	KUNIT_EXPECT_EQ(test, len, 8);
	KUNIT_EXPECT_EQ(test, *val, 300);

	/* A duplicate or a bad name changes nothing, not even the size. */
	memcpy(copy, fdt, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "memblock",
						0x4000, 8), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "", 0x4000, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "a/b", 0x4000,
						8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "empty", 0x4000,
						0), -EINVAL);
	KUNIT_EXPECT_EQ(test, memcmp(copy, fdt, PAGE_SIZE), 0);

	KUNIT_EXPECT_EQ(test, kho_fdt_remove_child(fdt, PAGE_SIZE, 0x2000), 0);
	KUNIT_EXPECT_LT(test, fdt_subnode_offset(fdt, 0, "memblock"), 0);
	KUNIT_EXPECT_GE(test, fdt_subnode_offset(fdt, 0, "kho_test"), 0);
	KUNIT_EXPECT_EQ(test, kho_fdt_remove_child(fdt, PAGE_SIZE, 0x2000),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, kho_test_children(fdt), 1);
	KUNIT_EXPECT_EQ(test, fdt_check_header(fdt), 0);
}

/* Filling the page ends in -ENOSPC with the FDT intact and unchanged. */
static void kho_fdt_fills_page(struct kunit *test)
{
	void *fdt = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	void *copy = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	char name[24];
	int n, err = 0;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_ASSERT_EQ(test, kho_fdt_init(fdt, PAGE_SIZE, 0x1000), 0);
	for (n = 0; n < PAGE_SIZE; n++) {
		snprintf(name, sizeof(name), "subsystem-%d", n);
		memcpy(copy, fdt, PAGE_SIZE);
		err = kho_fdt_add_child(fdt, PAGE_SIZE, name, 0x1000 * n,
					PAGE_SIZE);
		if (err)
			break;
	}
	KUNIT_EXPECT_EQ(test, err, -ENOSPC);
	KUNIT_EXPECT_GT(test, n, 10);
	KUNIT_EXPECT_EQ(test, kho_test_children(fdt), n);
	KUNIT_EXPECT_EQ(test, memcmp(copy, fdt, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, fdt_check_header(fdt), 0);
	KUNIT_EXPECT_LE(test, fdt_totalsize(fdt), PAGE_SIZE);

	/* Room again after a removal. */
	KUNIT_EXPECT_EQ(test, kho_fdt_remove_child(fdt, PAGE_SIZE, 0), 0);
	KUNIT_EXPECT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "late", 0x9000,
						PAGE_SIZE), 0);
}

/* Add child @name with the given raw properties; a NULL one is left out. */
static void kho_test_raw_child(struct kunit *test, void *fdt, const char *name,
			       const void *addr, int addr_len,
			       const void *size, int size_len)
{
	int off = fdt_add_subnode(fdt, 0, name);

	KUNIT_ASSERT_GE(test, off, 0);
	if (addr)
		KUNIT_ASSERT_EQ(test, fdt_setprop(fdt, off, "preserved-data",
						  addr, addr_len), 0);
	if (size)
		KUNIT_ASSERT_EQ(test, fdt_setprop(fdt, off, "blob-size", size,
						  size_len), 0);
}

/*
 * What the next kernel reads from a child: blob-size when present, 0 for
 * a child of the first stateless kernels, which wrote none, and -EINVAL
 * for any malformed property.
 */
static void kho_fdt_child_sizes(struct kunit *test)
{
	void *fdt = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	u64 phys = 0x5000, size = 4, four = 4, zero = 0;
	u32 short_size = 16;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_EQ(test, fdt_create_empty_tree(fdt, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, kho_fdt_add_child(fdt, PAGE_SIZE, "sized",
						0x2000, 4096 + 7), 0);
	KUNIT_EXPECT_EQ(test, kho_fdt_child(fdt, "sized", &phys, &size), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x2000);
	KUNIT_EXPECT_EQ(test, size, 4096 + 7);
	KUNIT_EXPECT_EQ(test, kho_fdt_child(fdt, "absent", &phys, &size),
			-ENOENT);

	/* kho_fdt_add_child() packs the tree: make room for raw edits. */
	KUNIT_ASSERT_EQ(test, fdt_open_into(fdt, fdt, PAGE_SIZE), 0);
	kho_test_raw_child(test, fdt, "legacy", &phys, sizeof(phys), NULL, 0);
	KUNIT_EXPECT_EQ(test, kho_fdt_child(fdt, "legacy", &phys, &size), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x2000);
	KUNIT_EXPECT_EQ(test, size, 0);

	kho_test_raw_child(test, fdt, "short-size", &phys, sizeof(phys),
			   &short_size, sizeof(short_size));
	kho_test_raw_child(test, fdt, "zero-size", &phys, sizeof(phys),
			   &zero, sizeof(zero));
	kho_test_raw_child(test, fdt, "short-addr", &four, 4, NULL, 0);
	kho_test_raw_child(test, fdt, "no-addr", NULL, 0, &four, sizeof(four));
	KUNIT_EXPECT_EQ(test, kho_fdt_child(fdt, "short-size", &phys, &size),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kho_fdt_child(fdt, "zero-size", &phys, &size),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kho_fdt_child(fdt, "short-addr", &phys, &size),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kho_fdt_child(fdt, "no-addr", &phys, &size),
			-EINVAL);
}

static struct kunit_case kho_fdt_test_cases[] = {
	KUNIT_CASE(kho_fdt_empty_root),
	KUNIT_CASE(kho_fdt_add_remove),
	KUNIT_CASE(kho_fdt_fills_page),
	KUNIT_CASE(kho_fdt_child_sizes),
	{}
};

static struct kunit_suite kho_fdt_test_suite = {
	.name = "kho_fdt",
	.test_cases = kho_fdt_test_cases,
};

/* ---- The preservation API, on the live outgoing tree ---- */

static int kho_api_test_init(struct kunit *test)
{
	if (!kho_is_enabled())
		kunit_skip(test, "KHO is off (boot with kho=on)");
	return 0;
}

static void kho_api_folio(struct kunit *test)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 2);
	phys_addr_t phys;

	KUNIT_ASSERT_NOT_NULL(test, folio);
	phys = PFN_PHYS(folio_pfn(folio));
	KUNIT_EXPECT_EQ(test, kho_preserve_folio(folio), 0);
	KUNIT_EXPECT_TRUE(test, kho_is_preserved(phys, 2));
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(phys, 0));
	KUNIT_EXPECT_EQ(test, kho_preserve_folio(folio), -EEXIST);
	KUNIT_EXPECT_TRUE(test, kho_is_preserved(phys, 2));

	kho_unpreserve_folio(folio);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(phys, 2));
	/* Never preserved (any more): a warning, and nothing changes. */
	kho_unpreserve_folio(folio);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(phys, 2));
	folio_put(folio);
}

/*
 * Pages [p + 1, p + 7) of an order-3 allocation split into (p + 1, 0),
 * (p + 2, 1), (p + 4, 1) and (p + 6, 0).
 */
static const struct {
	unsigned int off, order;
} kho_split[] = { { 1, 0 }, { 2, 1 }, { 4, 1 }, { 6, 0 } };

static bool kho_split_preserved(unsigned long pfn, int want)
{
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(kho_split); i++)
		n += kho_is_preserved(PFN_PHYS(pfn + kho_split[i].off),
				      kho_split[i].order);
	return n == want;
}

static void kho_api_pages_split(struct kunit *test)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 1, 6), 0);
	KUNIT_EXPECT_TRUE(test, kho_split_preserved(pfn, 4));
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(pfn + 2), 0));
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(pfn), 3));

	/* The same range again: refused whole. */
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 1, 6), -EEXIST);
	KUNIT_EXPECT_TRUE(test, kho_split_preserved(pfn, 4));

	/* A range that splits differently is refused, the tree unchanged. */
	kho_unpreserve_pages(page + 1, 4);
	KUNIT_EXPECT_TRUE(test, kho_split_preserved(pfn, 4));

	kho_unpreserve_pages(page + 1, 6);
	KUNIT_EXPECT_TRUE(test, kho_split_preserved(pfn, 0));
	__free_pages(page, 3);
}

/* A failure halfway through rolls back what the call itself added. */
static void kho_api_pages_rollback(struct kunit *test)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(page + 6, 1), 0);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 1, 6), -EEXIST);
	KUNIT_EXPECT_TRUE(test, kho_is_preserved(PFN_PHYS(pfn + 6), 0));
	KUNIT_EXPECT_TRUE(test, kho_split_preserved(pfn, 1));

	kho_unpreserve_pages(page + 6, 1);
	KUNIT_EXPECT_TRUE(test, kho_split_preserved(pfn, 0));
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page, 0), -EINVAL);
	__free_pages(page, 3);
}

/*
 * One page must never be two blocks: the next kernel would stamp both
 * heads and could hand the page out twice. A folio inside a preserved
 * range, a range over a preserved folio, and a larger folio around a
 * preserved page are all refused with -EEXIST, the tree unchanged.
 */
static void kho_api_overlap(struct kunit *test)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	unsigned long pfn;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(page, 8), 0);
	KUNIT_EXPECT_TRUE(test, kho_is_preserved(PFN_PHYS(pfn), 3));
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 2, 2), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 7, 1), -EEXIST);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(pfn + 2), 1));
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(pfn + 7), 0));
	kho_unpreserve_pages(page, 8);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(pfn), 3));

	/* The reverse: the small block first, then a range over it. */
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(page + 2, 2), 0);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page, 8), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 1, 2), -EEXIST);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(pfn), 3));
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(pfn + 1), 0));
	KUNIT_EXPECT_TRUE(test, kho_is_preserved(PFN_PHYS(pfn + 2), 1));
	/* Neighbours that share no page are fine. */
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 4, 4), 0);
	kho_unpreserve_pages(page + 4, 4);
	kho_unpreserve_pages(page + 2, 2);
	__free_pages(page, 3);
}

static void kho_api_overlap_folio(struct kunit *test)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 2);
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, folio);
	page = folio_page(folio, 0);
	/* A page inside the folio first: the folio is refused. */
	KUNIT_ASSERT_EQ(test, kho_preserve_pages(page + 3, 1), 0);
	KUNIT_EXPECT_EQ(test, kho_preserve_folio(folio), -EEXIST);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(page_to_phys(page), 2));
	kho_unpreserve_pages(page + 3, 1);
	/* The folio first: a page range inside it is refused. */
	KUNIT_ASSERT_EQ(test, kho_preserve_folio(folio), 0);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(page + 1, 1), -EEXIST);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(page_to_phys(page + 1), 0));
	kho_unpreserve_folio(folio);
	folio_put(folio);
}

/* Scratch is where the next kernel boots: preserving it always fails. */
static void kho_api_scratch(struct kunit *test)
{
	unsigned int i;

	KUNIT_ASSERT_GE(test, kho_scratch_cnt, 3);
	for (i = 0; i < kho_scratch_cnt; i++) {
		unsigned long first = PHYS_PFN(kho_scratch[i].addr);
		unsigned long last = first + PHYS_PFN(kho_scratch[i].size) - 1;

		KUNIT_EXPECT_EQ(test, kho_preserve_pages(pfn_to_page(first), 1),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, kho_preserve_pages(pfn_to_page(last), 1),
				-EINVAL);
		KUNIT_EXPECT_FALSE(test, kho_is_preserved(PFN_PHYS(first), 0));
		/* A range that only ends inside scratch. */
		if (pfn_valid(first - 1))
			KUNIT_EXPECT_EQ(test,
					kho_preserve_pages(pfn_to_page(first - 1), 2),
					-EINVAL);
	}
}

static void kho_api_alloc_preserve(struct kunit *test)
{
	void *mem;

	KUNIT_EXPECT_EQ(test, PTR_ERR(kho_alloc_preserve(0)), -EINVAL);
	KUNIT_EXPECT_EQ(test,
			PTR_ERR(kho_alloc_preserve(PAGE_SIZE << (MAX_PAGE_ORDER + 1))),
			-E2BIG);

	mem = kho_alloc_preserve(3 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem);
	KUNIT_EXPECT_TRUE(test, kho_is_preserved(virt_to_phys(mem), 2));
	KUNIT_EXPECT_TRUE(test, mem_is_zero(mem, 4 * PAGE_SIZE));
	kho_unpreserve_free(mem);
	KUNIT_EXPECT_FALSE(test, kho_is_preserved(virt_to_phys(mem), 2));
	kho_unpreserve_free(NULL);
}

static void kho_api_subtree(struct kunit *test)
{
	void *blob = kho_alloc_preserve(PAGE_SIZE);
	phys_addr_t phys;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, blob);
	KUNIT_ASSERT_EQ(test, kho_fdt_init(blob, PAGE_SIZE, 0), 0);
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kunit-blob", blob, 100), 0);
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kunit-blob", blob, 100), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kunit/blob", blob, 100), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kunit-empty", blob, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kunit-null", NULL, 8), -EINVAL);
	kho_remove_subtree(blob);
	/* Removed: the name is free again. */
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kunit-blob", blob, 100), 0);
	kho_remove_subtree(blob);
	kho_unpreserve_free(blob);

	if (!is_kho_boot())
		KUNIT_EXPECT_EQ(test, kho_retrieve_subtree("kunit-blob", &phys,
							   NULL), -ENOENT);
}

static struct kunit_case kho_api_test_cases[] = {
	KUNIT_CASE(kho_api_folio),
	KUNIT_CASE(kho_api_pages_split),
	KUNIT_CASE(kho_api_pages_rollback),
	KUNIT_CASE(kho_api_overlap),
	KUNIT_CASE(kho_api_overlap_folio),
	KUNIT_CASE(kho_api_scratch),
	KUNIT_CASE(kho_api_alloc_preserve),
	KUNIT_CASE(kho_api_subtree),
	{}
};

static struct kunit_suite kho_api_test_suite = {
	.name = "kho_api",
	.init = kho_api_test_init,
	.test_cases = kho_api_test_cases,
};

/* ---- Restore of stamped blocks ---- */

/*
 * A kernel cannot restore what it preserved itself: only the next kernel's
 * early walk stamps head pages. Stamp a fresh allocation the same way to
 * exercise the checks, and take back the managed pages restore adds.
 */
static void kho_test_stamp(struct page *page, unsigned int order)
{
	union kho_page_info info = { .order = order, .magic = KHO_PAGE_MAGIC };

	set_page_private(page, info.page_private);
}

static void kho_restore_folio_checks(struct kunit *test)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 2), *got;
	phys_addr_t phys;

	KUNIT_ASSERT_NOT_NULL(test, folio);
	phys = PFN_PHYS(folio_pfn(folio));
	kho_test_stamp(&folio->page, 2);

	/* Not the head: a tail page carries no stamp. */
	KUNIT_EXPECT_NULL(test, kho_restore_folio(phys + PAGE_SIZE));
	/* A page range of another split than the stamped order. */
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 2));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 8));
	KUNIT_EXPECT_NE(test, page_private(&folio->page), 0);

	got = kho_restore_folio(phys);
	KUNIT_ASSERT_PTR_EQ(test, got, folio);
	adjust_managed_page_count(&folio->page, -4);
	KUNIT_EXPECT_EQ(test, folio_order(got), 2);
	KUNIT_EXPECT_EQ(test, folio_ref_count(got), 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(&folio->page + 1), 0);
	KUNIT_EXPECT_EQ(test, page_private(&folio->page), 0);

	/* The stamp is gone: a second restore fails and changes nothing. */
	KUNIT_EXPECT_NULL(test, kho_restore_folio(phys));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 4));
	KUNIT_EXPECT_EQ(test, folio_ref_count(got), 1);
	folio_put(got);
}

/*
 * A folio above MAX_PAGE_ORDER, as an upstream kernel 1 preserves (a 1 GiB
 * hugetlb folio, say), comes back as one compound folio of its order, and
 * folio_put() gives it to the buddy allocator.
 */
static void kho_restore_gigantic(struct kunit *test)
{
	unsigned int order = MAX_PAGE_ORDER + 1;
	struct folio *folio, *got;
	phys_addr_t phys;

	folio = folio_alloc_gigantic(order, GFP_KERNEL | __GFP_COMP |
				     __GFP_NOWARN, first_online_node, NULL);
	if (!folio)
		kunit_skip(test, "no free order-%u block", order);
	phys = PFN_PHYS(folio_pfn(folio));
	kho_test_stamp(&folio->page, order);

	got = kho_restore_folio(phys);
	KUNIT_ASSERT_PTR_EQ(test, got, folio);
	adjust_managed_page_count(&folio->page, -(1L << order));
	KUNIT_EXPECT_EQ(test, folio_order(got), order);
	KUNIT_EXPECT_EQ(test, folio_ref_count(got), 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(folio_page(got, 1)), 0);
	KUNIT_EXPECT_TRUE(test, PageTail(folio_page(got, (1 << order) - 1)));
	KUNIT_EXPECT_NULL(test, kho_restore_folio(phys));
	folio_put(got);
}

/*
 * The split of an aligned page range is no longer capped at
 * MAX_PAGE_ORDER: the next kernel takes blocks of any order. make kunit's
 * first node is 513 MiB, so [256 MiB, 512 MiB) is one block on it.
 */
static void kho_range_large_blocks(struct kunit *test)
{
	unsigned long pfn = SZ_256M >> PAGE_SHIFT, end = SZ_512M >> PAGE_SHIFT;

	if (!pfn_to_online_page(pfn) || !pfn_to_online_page(end - 1) ||
	    page_to_nid(pfn_to_online_page(pfn)) !=
	    page_to_nid(pfn_to_online_page(end - 1)))
		kunit_skip(test, "[256M, 512M) is not memory of one node");
	KUNIT_EXPECT_EQ(test, kho_range_block(pfn, end), ilog2(end - pfn));
	KUNIT_EXPECT_GT(test, kho_range_block(pfn, end), MAX_PAGE_ORDER);
	/* Unaligned ends still give the largest aligned block inside. */
	KUNIT_EXPECT_EQ(test, kho_range_block(pfn, end - 1),
			ilog2(end - pfn) - 1);
}

static void kho_restore_pages_checks(struct kunit *test)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2), *got;
	phys_addr_t phys;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = page_to_phys(page);
	kho_test_stamp(page, 2);

	got = kho_restore_pages(phys, 4);
	KUNIT_ASSERT_PTR_EQ(test, got, page);
	adjust_managed_page_count(page, -4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(page + i), 1);
	KUNIT_EXPECT_FALSE(test, PageCompound(page));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 4));

	/* Freed one by one, as the kernel-doc says. */
	for (i = 0; i < 4; i++)
		__free_page(page + i);
}

/*
 * A claimed range stays as it is, reserved for good: no restore can take
 * it afterwards, and a range that is not exactly the preserved split is
 * refused without claiming anything.
 */
static void kho_claim_pages_checks(struct kunit *test)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	phys_addr_t phys;

	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = page_to_phys(page);
	kho_test_stamp(page, 2);

	KUNIT_EXPECT_EQ(test, kho_claim_pages(phys, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_claim_pages(phys + PAGE_SIZE, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_claim_pages(phys + 1, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_claim_pages(phys, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_claim_pages(phys, ULONG_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_claim_pages(phys, 4), 0);
	KUNIT_EXPECT_EQ(test, kho_claim_pages(phys, 4), -EINVAL);
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 4));
	KUNIT_EXPECT_NULL(test, kho_restore_folio(phys));
	/* Claiming leaves the pages as allocated: give them back. */
	__free_pages(page, 2);
}

/* A pfn with no struct page: past the end of memory, in no section. */
static unsigned long kho_test_absent_pfn(void)
{
	unsigned long pfn = ALIGN(max_pfn + 1, PAGES_PER_SECTION);

	while (pfn_valid(pfn))
		pfn += PAGES_PER_SECTION;
	return pfn;
}

/*
 * Addresses and counts from a corrupt descriptor: each entry point fails
 * and reads no struct page it has not proven to exist, which an oops or
 * KASAN report would show.
 */
static void kho_restore_untrusted(struct kunit *test)
{
	struct kho_vmalloc desc = { .total_pages = 1,
				    .flags = KHO_VMALLOC_ALLOC };
	unsigned long absent = kho_test_absent_pfn();
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	phys_addr_t phys;
	size_t size = 0;

	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = page_to_phys(page);
	kho_test_stamp(page, 2);

	/* Past the end of memory, and far past it. */
	KUNIT_EXPECT_NULL(test, kho_restore_folio(PFN_PHYS(absent)));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(PFN_PHYS(absent), 1));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(PFN_PHYS(absent), 4));
	KUNIT_EXPECT_NULL(test, kho_restore_folio(1ULL << 50));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(1ULL << 50, 1UL << 20));
	KUNIT_EXPECT_NULL(test, kho_restore_folio(PHYS_ADDR_MAX & PAGE_MASK));
	/* Not page aligned. */
	KUNIT_EXPECT_NULL(test, kho_restore_folio(phys + 8));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys + 8, 4));
	/* Counts that wrap, or run from a stamped head into no memory. */
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, ULONG_MAX));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys,
						  ULONG_MAX - page_to_pfn(page) + 1));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, absent - page_to_pfn(page) + 8));
	KUNIT_EXPECT_NULL(test, kho_restore_pages(phys, 0));
	/* None of that took the stamp: the block is still there, whole. */
	KUNIT_EXPECT_NE(test, page_private(page), 0);
	KUNIT_EXPECT_PTR_EQ(test, kho_in_block(phys, &size),
			    (const void *)page_address(page));
	KUNIT_EXPECT_EQ(test, size, PAGE_SIZE << 2);
	set_page_private(page, 0);
	__free_pages(page, 2);

	/* vmalloc descriptors whose chunk list starts nowhere valid. */
	desc.first.phys = PFN_PHYS(absent);
	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(&desc));
	desc.first.phys = 1ULL << 50;
	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(&desc));
	desc.first.phys = phys + 8;
	KUNIT_EXPECT_NULL(test, kho_restore_vmalloc(&desc));

	/* Blob lookups from the incoming FDT: there is none on this boot. */
	KUNIT_EXPECT_EQ(test, kho_retrieve_subtree("kho_test", &phys, &size),
			-ENOENT);
	KUNIT_EXPECT_NULL(test, kho_in_block(PFN_PHYS(absent), &size));
	KUNIT_EXPECT_NULL(test, kho_in_block(phys + 8, &size));
}

/*
 * The split of a page range (preserve, unpreserve and restore share it)
 * never makes a block that crosses a node boundary, even where natural
 * alignment alone would: make kunit gives the guest two nodes of 513 and
 * 511 MiB, so the boundary is aligned to 256 pages only.
 */
static void kho_range_split_at_node(struct kunit *test)
{
	unsigned long start = 0, pfn, end, order;
	int nid;

	/* The start of the second node with memory borders the first. */
	for_each_node_state(nid, N_MEMORY) {
		if (nid != first_node(node_states[N_MEMORY])) {
			start = node_start_pfn(nid);
			break;
		}
	}
	if (!start || IS_ALIGNED(start, MAX_ORDER_NR_PAGES))
		kunit_skip(test, "no node boundary inside a MAX_ORDER block");

	pfn = ALIGN_DOWN(start, MAX_ORDER_NR_PAGES);
	end = pfn + 2 * MAX_ORDER_NR_PAGES;
	for (; pfn < end; pfn += 1UL << order) {
		order = kho_range_block(pfn, end);
		KUNIT_EXPECT_FALSE_MSG(test, pfn < start &&
				       start < pfn + (1UL << order),
				       "block %#lx order %lu crosses node boundary %#lx",
				       pfn, order, start);
	}
	/* The block before the boundary ends right at it, where it can. */
	pfn = ALIGN_DOWN(start, MAX_ORDER_NR_PAGES);
	if (is_power_of_2(start - pfn))
		KUNIT_EXPECT_EQ(test, pfn + (1UL << kho_range_block(pfn, end)),
				start);
}

static struct kunit_case kho_restore_stamp_test_cases[] = {
	KUNIT_CASE(kho_restore_folio_checks),
	KUNIT_CASE(kho_restore_pages_checks),
	KUNIT_CASE(kho_claim_pages_checks),
	KUNIT_CASE(kho_restore_untrusted),
	KUNIT_CASE(kho_range_split_at_node),
	KUNIT_CASE(kho_restore_gigantic),
	KUNIT_CASE(kho_range_large_blocks),
	{}
};

static struct kunit_suite kho_restore_stamp_test_suite = {
	.name = "kho_restore_stamp",
	.test_cases = kho_restore_stamp_test_cases,
};

/* ---- KHO off: runs only in a kho=off boot, see make kunit ---- */

static void kho_off_api(struct kunit *test)
{
	struct folio *folio;
	phys_addr_t phys;

	if (!strstr(saved_command_line, "kho=off"))
		kunit_skip(test, "needs a boot with kho=off");
	/* kho=off wins, also over KEXEC_HANDOVER_ENABLE_DEFAULT. */
	KUNIT_EXPECT_FALSE(test, kho_is_enabled());
	folio = folio_alloc(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_EXPECT_EQ(test, kho_preserve_folio(folio), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, kho_preserve_pages(&folio->page, 1), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, PTR_ERR(kho_alloc_preserve(PAGE_SIZE)),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, kho_add_subtree("kunit-blob",
					      folio_address(folio), PAGE_SIZE),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, kho_retrieve_subtree("kunit-blob", &phys, NULL),
			-ENOENT);
	KUNIT_EXPECT_FALSE(test, is_kho_boot());
	/* Unpreserving with KHO off is a no-op. */
	kho_unpreserve_folio(folio);
	kho_remove_subtree(folio_address(folio));
	folio_put(folio);
}

static struct kunit_case kho_off_test_cases[] = {
	KUNIT_CASE(kho_off_api),
	{}
};

static struct kunit_suite kho_off_test_suite = {
	.name = "kho_off",
	.test_cases = kho_off_test_cases,
};

kunit_test_suites(&kho_scratch_param_test_suite, &kho_fdt_test_suite,
		  &kho_api_test_suite, &kho_restore_stamp_test_suite,
		  &kho_off_test_suite);
