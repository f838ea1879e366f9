// SPDX-License-Identifier: GPL-2.0-only
/* Tests of kho_radix_overlaps(): which recorded blocks share a page. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"

static struct kho_radix_tree tree;

/* kho_radix_tree_init() sets the root only: start from a zeroed tree. */
static void setup(void)
{
	memset(&tree, 0, sizeof(tree));
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
}

static void teardown(void)
{
	kho_radix_tree_free(&tree);
}

static void add(unsigned long pfn, unsigned int order)
{
	CHECK_EQ(kho_radix_add_page(&tree, pfn, order), 0);
}

/* An order-2 block and an order-0 page inside it: each sees the other. */
static void test_overlaps_page_in_block(void)
{
	setup();
	add(8, 2);
	CHECK(kho_radix_overlaps(&tree, 9, 0));
	add(9, 0);
	CHECK(kho_radix_overlaps(&tree, 8, 2));
	CHECK(kho_radix_overlaps(&tree, 9, 0));
	teardown();
}

/* The page first, then the block over it. */
static void test_overlaps_block_over_page(void)
{
	unsigned long p;

	setup();
	add(11, 0);
	CHECK(kho_radix_overlaps(&tree, 8, 2));
	CHECK(kho_radix_overlaps(&tree, 0, 4));
	CHECK(kho_radix_overlaps(&tree, 10, 1));
	for (p = 8; p < 12; p++)
		CHECK_EQ(kho_radix_overlaps(&tree, p, 0), 0);
	add(8, 2);
	CHECK(kho_radix_overlaps(&tree, 11, 0));
	teardown();
}

/* Blocks next to each other share no page. */
static void test_overlaps_neighbours(void)
{
	setup();
	add(8, 2);
	CHECK(!kho_radix_overlaps(&tree, 7, 0));
	CHECK(!kho_radix_overlaps(&tree, 12, 0));
	CHECK(!kho_radix_overlaps(&tree, 4, 2));
	CHECK(!kho_radix_overlaps(&tree, 12, 2));
	CHECK(!kho_radix_overlaps(&tree, 6, 1));
	CHECK(!kho_radix_overlaps(&tree, 16, 4));
	add(7, 0);
	add(12, 2);
	CHECK(!kho_radix_overlaps(&tree, 8, 2));
	CHECK(!kho_radix_overlaps(&tree, 7, 0));
	CHECK(!kho_radix_overlaps(&tree, 12, 2));
	/* A larger block covers them all. */
	CHECK(kho_radix_overlaps(&tree, 0, 4));
	teardown();
}

/* An order-18 block (1 GiB) and small blocks far inside it. */
static void test_overlaps_large_block(void)
{
	const unsigned long base = 3UL << 18, far = base + 200001;

	setup();
	add(base, 18);
	CHECK(kho_radix_overlaps(&tree, far, 0));
	CHECK(kho_radix_overlaps(&tree, far & ~7UL, 3));
	CHECK(kho_radix_overlaps(&tree, base + (1UL << 18) - 1, 0));
	CHECK(!kho_radix_overlaps(&tree, base + (1UL << 18), 0));
	CHECK(!kho_radix_overlaps(&tree, base - 1, 0));
	CHECK(kho_radix_overlaps(&tree, 0, 20));
	CHECK(!kho_radix_overlaps(&tree, 0, 19));
	teardown();

	setup();
	add(far, 0);
	CHECK(kho_radix_overlaps(&tree, base, 18));
	CHECK(kho_radix_overlaps(&tree, 0, 30));
	CHECK(!kho_radix_overlaps(&tree, base + (1UL << 18), 18));
	add(far & ~7UL, 3);
	CHECK(kho_radix_overlaps(&tree, far, 0));
	teardown();
}

/* Only orders ever added are searched: the others are skipped. */
static void test_overlaps_orders_skipped(void)
{
	setup();
	add(64, 0);
	add(1024, 5);
	CHECK_EQ(tree.orders, BIT(0) | BIT(5));
	CHECK(kho_radix_overlaps(&tree, 0, 7));
	CHECK(kho_radix_overlaps(&tree, 1030, 0));
	/* With their bits taken away, neither is looked for. */
	tree.orders = BIT(5);
	CHECK(!kho_radix_overlaps(&tree, 0, 7));
	CHECK(kho_radix_overlaps(&tree, 1030, 0));
	tree.orders = BIT(0);
	CHECK(!kho_radix_overlaps(&tree, 1030, 0));
	CHECK(kho_radix_overlaps(&tree, 0, 7));
	tree.orders = BIT(0) | BIT(5);
	/* Deleting keeps the bit; the search then finds nothing. */
	CHECK_EQ(kho_radix_del_page(&tree, 64, 0), 0);
	CHECK_EQ(tree.orders, BIT(0) | BIT(5));
	CHECK(!kho_radix_overlaps(&tree, 0, 7));
	teardown();
}

/* A block does not overlap itself, recorded or not. */
static void test_overlaps_not_itself(void)
{
	setup();
	CHECK(!kho_radix_overlaps(&tree, 8, 2));
	add(8, 2);
	CHECK(!kho_radix_overlaps(&tree, 8, 2));
	add(0, 0);
	CHECK(!kho_radix_overlaps(&tree, 8, 2));
	CHECK(!kho_radix_overlaps(&tree, 0, 0));
	/* Invalid arguments overlap nothing. */
	CHECK(!kho_radix_overlaps(&tree, 9, 2));
	CHECK(!kho_radix_overlaps(&tree, 0, KHO_RADIX_MAX_ORDER + 1));
	teardown();
}

/* Random blocks against a brute-force search, in 2^16 pages. */
static void test_overlaps_random(void)
{
	enum { BLOCKS = 300, QUERIES = 3000, SPAN = 16 };
	unsigned long pfn[BLOCKS], qpfn;
	unsigned int order[BLOCKS], qorder, i, q, n = 0;
	bool expect;
	int err;

	setup();
	for (i = 0; i < BLOCKS; i++) {
		order[n] = rand64() % 12;
		pfn[n] = (rand64() % (1UL << SPAN)) & ~((1UL << order[n]) - 1);
		err = kho_radix_add_page(&tree, pfn[n], order[n]);
		CHECK(!err || err == -EEXIST);
		if (!err)
			n++;
	}
	for (q = 0; q < QUERIES; q++) {
		qorder = rand64() % 14;
		qpfn = (rand64() % (1UL << SPAN)) & ~((1UL << qorder) - 1);
		expect = false;
		for (i = 0; i < n && !expect; i++)
			expect = (pfn[i] != qpfn || order[i] != qorder) &&
				 pfn[i] < qpfn + (1UL << qorder) &&
				 qpfn < pfn[i] + (1UL << order[i]);
		CHECK_EQ(kho_radix_overlaps(&tree, qpfn, qorder), expect);
	}
	teardown();
}

const struct test_case overlaps_tests[] = {
	TEST_CASE(test_overlaps_page_in_block),
	TEST_CASE(test_overlaps_block_over_page),
	TEST_CASE(test_overlaps_neighbours),
	TEST_CASE(test_overlaps_large_block),
	TEST_CASE(test_overlaps_orders_skipped),
	TEST_CASE(test_overlaps_not_itself),
	TEST_CASE(test_overlaps_random),
	{ NULL, NULL }
};
