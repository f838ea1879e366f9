// SPDX-License-Identifier: GPL-2.0-only
/* Tests of the tree's API on a trusted tree: keys, errors, walk, node cost. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include "../shims/kho_shim.h"
#include "test.h"

#define HIGH_PFN(order)	(KHO_RADIX_MAX_PFN & ~((1UL << (order)) - 1))

static void test_example_key(void)
{
	u64 key = kho_radix_encode_key(0x123456000ULL, 0);
	unsigned int order = 99;

	CHECK_EQ(key, 0x0010000000123456ULL);
	CHECK_EQ(kho_radix_key_index(key, 5), 2);
	CHECK_EQ(kho_radix_key_index(key, 4), 0);
	CHECK_EQ(kho_radix_key_index(key, 3), 0);
	CHECK_EQ(kho_radix_key_index(key, 2), 0);
	CHECK_EQ(kho_radix_key_index(key, 1), 36);
	CHECK_EQ(kho_radix_key_index(key, 0), 13398);
	CHECK_EQ(kho_radix_decode_key(key, &order), 0x123456000ULL);
	CHECK_EQ(order, 0);
}

static void test_constants(void)
{
	CHECK_EQ(KHO_TREE_MAX_DEPTH, 6);
	CHECK_EQ(KHO_RADIX_ROOT_LEVEL, 5);
	CHECK_EQ(KHO_RADIX_MAX_ORDER, 51);
	CHECK_EQ(KHO_RADIX_MAX_PFN, (1ULL << 52) - 1);
	CHECK_EQ(KHO_VMALLOC_SIZE, 511);
	CHECK_EQ(sizeof(struct kho_vmalloc), 16);
}

static void test_abi_khoser_ptr(void)
{
	struct kho_vmalloc_chunk *chunk = malloc(sizeof(*chunk));
	struct kho_vmalloc v = { 0 };

	CHECK_EQ(sizeof(v.first), 8);
	KHOSER_STORE_PTR(v.first, chunk);
	CHECK_EQ(v.first.phys, virt_to_phys(chunk));
	CHECK(KHOSER_LOAD_PTR(v.first) == chunk);
	KHOSER_STORE_PTR(v.first, NULL);
	CHECK_EQ(v.first.phys, 0);
	CHECK(!KHOSER_LOAD_PTR(v.first));
	free(chunk);
}

/* Where each order lands at address 0 (kho-facts.md 2.3). */
static void test_order_slots_at_zero(void)
{
	unsigned int o;

	CHECK_EQ(kho_radix_key_index(kho_radix_encode_key(0, 0), 5), 2);
	CHECK_EQ(kho_radix_key_index(kho_radix_encode_key(0, 1), 5), 1);
	for (o = 2; o <= 10; o++) {
		CHECK_EQ(kho_radix_key_index(kho_radix_encode_key(0, o), 5), 0);
		CHECK_EQ(kho_radix_key_index(kho_radix_encode_key(0, o), 4),
			 1 << (10 - o));
	}
	for (o = 11; o <= 18; o++) {
		CHECK_EQ(kho_radix_key_index(kho_radix_encode_key(0, o), 4), 0);
		CHECK_EQ(kho_radix_key_index(kho_radix_encode_key(0, o), 3),
			 1 << (19 - o));
	}
}

static void test_decode_invalid_keys(void)
{
	unsigned int order;

	CHECK_EQ(kho_radix_decode_key(0, &order), 0);
	CHECK(order > KHO_RADIX_MAX_ORDER);
	CHECK_EQ(kho_radix_decode_key(1, &order), 0);
	CHECK(order > KHO_RADIX_MAX_ORDER);
	CHECK_EQ(kho_radix_decode_key(1ULL << 53, &order), 0);
	CHECK(order > KHO_RADIX_MAX_ORDER);
	CHECK_EQ(kho_radix_decode_key(~0ULL, &order), 0);
	CHECK(order > KHO_RADIX_MAX_ORDER);
	/* The extremes of order 51: pfn 0 and pfn 2^51. */
	CHECK_EQ(kho_radix_decode_key(2, &order), 0);
	CHECK_EQ(order, 51);
	CHECK_EQ(kho_radix_decode_key(3, &order), 1ULL << 63);
	CHECK_EQ(order, 51);
	/* The last order-0 page. */
	CHECK_EQ(kho_radix_decode_key((1ULL << 53) - 1, &order),
		 ~0ULL << PAGE_SHIFT);
	CHECK_EQ(order, 0);
}

static void check_single(unsigned long pfn, unsigned int order)
{
	struct kho_radix_tree tree;
	struct key_set w = { 0 };

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, pfn, order), 0);
	CHECK_EQ(walk_keys(&tree, &w), 0);
	CHECK_EQ(w.n, 1);
	if (w.n == 1)
		CHECK_EQ(w.keys[0], kho_radix_encode_key(PFN_PHYS(pfn), order));
	CHECK_EQ(kho_radix_del_page(&tree, pfn, order), 0);
	key_set_free(&w);
	CHECK_EQ(walk_keys(&tree, &w), 0);
	CHECK_EQ(w.n, 0);
	key_set_free(&w);
	kho_radix_tree_free(&tree);
}

static void test_every_order_at_pfn_0(void)
{
	unsigned int o;

	for (o = 0; o <= KHO_RADIX_MAX_ORDER; o++)
		check_single(0, o);
}

static void test_every_order_at_highest_pfn(void)
{
	unsigned int o;

	for (o = 0; o <= KHO_RADIX_MAX_ORDER; o++)
		check_single(HIGH_PFN(o), o);
}

static void test_order_1gib(void)
{
	check_single(1UL << 18, 18);
	check_single(HIGH_PFN(18), 18);
}

static void test_order_too_high(void)
{
	static const unsigned int orders[] = { 52, 53, 63, 64, 65, UINT_MAX };
	struct kho_radix_tree tree;
	unsigned int i;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		CHECK_EQ(kho_radix_add_page(&tree, 0, orders[i]), -EINVAL);
		CHECK_EQ(kho_radix_del_page(&tree, 0, orders[i]), -EINVAL);
	}
	CHECK_EQ(shim_pages_live(), 1);
	kho_radix_tree_free(&tree);
}

static void test_misaligned_pfn(void)
{
	struct kho_radix_tree tree;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, 1, 1), -EINVAL);
	CHECK_EQ(kho_radix_add_page(&tree, 512 + 256, 9), -EINVAL);
	CHECK_EQ(kho_radix_add_page(&tree, 1UL << 50, 51), -EINVAL);
	CHECK_EQ(kho_radix_del_page(&tree, 1, 1), -EINVAL);
	CHECK_EQ(kho_radix_del_page(&tree, 512 + 256, 9), -EINVAL);
	CHECK_EQ(shim_pages_live(), 1);
	kho_radix_tree_free(&tree);
}

static void test_pfn_too_high(void)
{
	struct kho_radix_tree tree;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, KHO_RADIX_MAX_PFN + 1, 0), -EINVAL);
	CHECK_EQ(kho_radix_add_page(&tree, ULONG_MAX, 0), -EINVAL);
	CHECK_EQ(kho_radix_add_page(&tree, 1UL << 52, 51), -EINVAL);
	CHECK_EQ(kho_radix_del_page(&tree, ULONG_MAX, 0), -EINVAL);
	CHECK_EQ(shim_pages_live(), 1);
	kho_radix_tree_free(&tree);
}

static void test_no_root(void)
{
	struct kho_radix_tree tree = { NULL };

	CHECK_EQ(kho_radix_add_page(&tree, 0, 0), -EINVAL);
	CHECK_EQ(kho_radix_del_page(&tree, 0, 0), -EINVAL);
	CHECK_EQ(walk_keys(&tree, &(struct key_set){ 0 }), -EINVAL);
	kho_radix_tree_free(&tree);
	CHECK(!tree.root);
}

static void test_add_delete_readd(void)
{
	struct kho_radix_tree tree;
	struct key_set ref = { 0 };
	long pages;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, 0x12345, 0), 0);
	pages = shim_pages_live();
	CHECK_EQ(pages, 6);	/* root, 4 interior levels, a leaf */
	CHECK_EQ(kho_radix_del_page(&tree, 0x12345, 0), 0);
	CHECK(tree_equals(&tree, &ref));
	CHECK_EQ(shim_pages_live(), pages);	/* nodes are kept */
	CHECK_EQ(kho_radix_add_page(&tree, 0x12345, 0), 0);
	CHECK_EQ(shim_pages_live(), pages);
	key_set_add(&ref, kho_radix_encode_key(0x12345000, 0));
	CHECK(tree_equals(&tree, &ref));
	key_set_free(&ref);
	kho_radix_tree_free(&tree);
}

static void test_delete_absent(void)
{
	struct kho_radix_tree tree;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	/* No path at all. */
	CHECK_EQ(kho_radix_del_page(&tree, 0x12345, 0), -ENOENT);
	CHECK_EQ(kho_radix_add_page(&tree, 0x12345, 0), 0);
	/* Path present, bit clear: a neighbour, and the same pfn at order 1. */
	CHECK_EQ(kho_radix_del_page(&tree, 0x12346, 0), -ENOENT);
	CHECK_EQ(kho_radix_del_page(&tree, 0x12344, 1), -ENOENT);
	/* Deleted twice. */
	CHECK_EQ(kho_radix_del_page(&tree, 0x12345, 0), 0);
	CHECK_EQ(kho_radix_del_page(&tree, 0x12345, 0), -ENOENT);
	kho_radix_tree_free(&tree);
}

static void test_add_twice_is_eexist(void)
{
	struct kho_radix_tree tree;
	struct key_set ref = { 0 };
	long pages;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, 0x200, 9), 0);
	pages = shim_pages_live();
	CHECK_EQ(kho_radix_add_page(&tree, 0x200, 9), -EEXIST);
	CHECK_EQ(shim_pages_live(), pages);
	key_set_add(&ref, kho_radix_encode_key(0x200000, 9));
	CHECK(tree_equals(&tree, &ref));
	key_set_free(&ref);
	kho_radix_tree_free(&tree);
}

static void test_same_pfn_two_orders(void)
{
	struct kho_radix_tree tree;
	struct key_set ref = { 0 };

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, 0x400, 0), 0);
	CHECK_EQ(kho_radix_add_page(&tree, 0x400, 10), 0);
	key_set_add(&ref, kho_radix_encode_key(0x400000, 0));
	key_set_add(&ref, kho_radix_encode_key(0x400000, 10));
	key_set_sort(&ref);
	CHECK(tree_equals(&tree, &ref));
	key_set_free(&ref);
	kho_radix_tree_free(&tree);
}

struct walk_rec {
	int n;
	phys_addr_t phys[8];
	unsigned int order[8];
	int stop_at, stop_val;
};

static int record(phys_addr_t phys, unsigned int order, void *arg)
{
	struct walk_rec *r = arg;

	if (r->n < 8) {
		r->phys[r->n] = phys;
		r->order[r->n] = order;
	}
	return ++r->n == r->stop_at ? r->stop_val : 0;
}

/* Highest order first, order 0 last, addresses ascending within an order. */
static void test_walk_order_is_key_order(void)
{
	static const struct { unsigned long pfn; unsigned int order; } want[] = {
		{ 1UL << 18, 18 }, { 0, 9 }, { 512, 9 }, { 0, 1 },
		{ 0, 0 }, { 1, 0 }, { 1UL << 30, 0 },
	};
	struct walk_rec r = { 0 };
	struct kho_radix_tree tree;
	int i;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (i = ARRAY_SIZE(want) - 1; i >= 0; i--)
		CHECK_EQ(kho_radix_add_page(&tree, want[i].pfn, want[i].order), 0);
	CHECK_EQ(kho_radix_walk_tree(&tree, record, &r), 0);
	CHECK_EQ(r.n, ARRAY_SIZE(want));
	for (i = 0; i < (int)ARRAY_SIZE(want) && i < r.n; i++) {
		CHECK_EQ(r.phys[i], PFN_PHYS(want[i].pfn));
		CHECK_EQ(r.order[i], want[i].order);
	}
	kho_radix_tree_free(&tree);
}

static void test_walk_stop_value(void)
{
	struct walk_rec r = { .stop_at = 3, .stop_val = 42 };
	struct kho_radix_tree tree;
	unsigned long pfn;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (pfn = 0; pfn < 5; pfn++)
		CHECK_EQ(kho_radix_add_page(&tree, pfn << 20, 0), 0);
	CHECK_EQ(kho_radix_walk_tree(&tree, record, &r), 42);
	CHECK_EQ(r.n, 3);
	r = (struct walk_rec){ .stop_at = 1, .stop_val = -EINTR };
	CHECK_EQ(kho_radix_walk_tree(&tree, record, &r), -EINTR);
	CHECK_EQ(r.n, 1);
	r = (struct walk_rec){ .stop_at = 6, .stop_val = 1 };
	CHECK_EQ(kho_radix_walk_tree(&tree, record, &r), 0);
	CHECK_EQ(r.n, 5);
	kho_radix_tree_free(&tree);
}

static u64 random_key(void)
{
	unsigned int order = rand64() % 19;
	unsigned long pfn = rand64() & ((1UL << 40) - 1);

	pfn &= ~((1UL << order) - 1);
	return kho_radix_encode_key(PFN_PHYS(pfn), order);
}

static void test_walk_100k_random(void)
{
	struct key_set ref = { 0 };
	struct kho_radix_tree tree;
	unsigned int order;
	size_t i, j, n;
	phys_addr_t pa;
	u64 tmp;

	for (i = 0; i < 100000; i++)
		key_set_add(&ref, random_key());
	key_set_sort(&ref);
	for (i = 0, n = 0; i < ref.n; i++)
		if (!n || ref.keys[i] != ref.keys[n - 1])
			ref.keys[n++] = ref.keys[i];
	ref.n = n;
	CHECK(n > 99000);

	/* Insert in a random order: the walk must still be sorted. */
	u64 *shuf = malloc(n * sizeof(u64));

	for (i = 0; i < n; i++)
		shuf[i] = ref.keys[i];
	for (i = n - 1; i > 0; i--) {
		j = rand64() % (i + 1);
		tmp = shuf[i];
		shuf[i] = shuf[j];
		shuf[j] = tmp;
	}
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (i = 0; i < n; i++) {
		pa = kho_radix_decode_key(shuf[i], &order);
		CHECK_EQ(kho_radix_add_page(&tree, PHYS_PFN(pa), order), 0);
	}
	for (i = 0; i < n; i += 97) {
		pa = kho_radix_decode_key(shuf[i], &order);
		CHECK_EQ(kho_radix_add_page(&tree, PHYS_PFN(pa), order), -EEXIST);
	}
	CHECK(tree_equals(&tree, &ref));
	CHECK_EQ(shim_pages_live(), min_tree_pages(&ref));
	for (i = 0; i < n; i++) {
		pa = kho_radix_decode_key(shuf[i], &order);
		CHECK_EQ(kho_radix_del_page(&tree, PHYS_PFN(pa), order), 0);
	}
	ref.n = 0;
	CHECK(tree_equals(&tree, &ref));
	free(shuf);
	key_set_free(&ref);
	kho_radix_tree_free(&tree);
}

static void check_node_count(unsigned long first, unsigned long step,
			     unsigned long count, long want)
{
	struct key_set ref = { 0 };
	struct kho_radix_tree tree;
	unsigned long i;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (i = 0; i < count; i++) {
		CHECK_EQ(kho_radix_add_page(&tree, first + i * step, 0), 0);
		key_set_add(&ref, kho_radix_encode_key(PFN_PHYS(first + i * step), 0));
	}
	CHECK_EQ(min_tree_pages(&ref), want);
	CHECK_EQ(shim_pages_live(), want);
	CHECK(tree_equals(&tree, &ref));
	key_set_free(&ref);
	kho_radix_tree_free(&tree);
}

/* 1 GiB of order 0 at 4 GiB: 8 leaves, one node per upper level. */
static void test_node_count_dense_1gib(void)
{
	check_node_count(1UL << 20, 1, 1UL << 18, 8 + 4 + 1);
}

/* One page per 128 MiB over 1 TiB: a leaf each, 16 L1 nodes, 3 above. */
static void test_node_count_sparse_1tib(void)
{
	check_node_count(0, 1UL << 15, 1UL << 13, 8192 + 16 + 3 + 1);
}

/* The sequence of test_alloc_failure_at_every_point. */
static const struct fail_op {
	bool del;
	unsigned long pfn;
	unsigned int order;
} fail_ops[] = {
	{ false, 0x100000, 0 },		/* full path: 5 nodes */
	{ false, 0x100001, 0 },		/* same leaf: none */
	{ false, 0x108000, 0 },		/* next leaf: 1 node */
	{ false, 0x200, 9 },		/* new root slot: 5 nodes */
	{ true, 0x100001, 0 },
	{ false, 1UL << 18, 18 },	/* shares the root slot: 4 nodes */
	{ false, 0x100001, 0 },		/* re-add: none */
	{ false, 0x7fffffffff, 0 },	/* shares L5 and L4: 3 nodes */
	{ false, 0x400, 1 },		/* root slot 1: 5 nodes */
	{ true, 0x200, 9 },
	{ false, 0x200, 9 },
};

static int model_apply(struct key_set *m, const struct fail_op *op)
{
	u64 key = kho_radix_encode_key(PFN_PHYS(op->pfn), op->order);
	size_t i;

	for (i = 0; i < m->n && m->keys[i] != key; i++)
		;
	if (op->del) {
		if (i == m->n)
			return -ENOENT;
		m->keys[i] = m->keys[--m->n];
		return 0;
	}
	if (i < m->n)
		return -EEXIST;
	key_set_add(m, key);
	return 0;
}

static void test_alloc_failure_at_every_point(void)
{
	struct kho_radix_tree tree;
	long total, k, before, start;
	int ret, want, failed;
	struct key_set m = { 0 };
	unsigned int i;

	/* Count the allocations of a clean run. */
	start = shim_allocs_total();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (i = 0; i < ARRAY_SIZE(fail_ops); i++)
		CHECK_EQ(fail_ops[i].del ?
			 kho_radix_del_page(&tree, fail_ops[i].pfn, fail_ops[i].order) :
			 kho_radix_add_page(&tree, fail_ops[i].pfn, fail_ops[i].order),
			 model_apply(&m, &fail_ops[i]));
	total = shim_allocs_total() - start;
	CHECK_EQ(total, 1 + 5 + 1 + 5 + 4 + 3 + 5);
	kho_radix_tree_free(&tree);
	key_set_free(&m);

	for (k = 1; k <= total; k++) {
		shim_fail_nth(k);
		if (kho_radix_tree_init(&tree)) {
			CHECK_EQ(k, 1);
			CHECK_EQ(shim_pages_live(), 0);
			continue;
		}
		failed = 0;
		for (i = 0; i < ARRAY_SIZE(fail_ops); i++) {
			const struct fail_op *op = &fail_ops[i];
			struct key_set before_m = { 0 };

			before = shim_pages_live();
			ret = op->del ? kho_radix_del_page(&tree, op->pfn, op->order) :
					kho_radix_add_page(&tree, op->pfn, op->order);
			if (ret == -ENOMEM) {
				failed++;
				/* Nothing leaked, nothing linked. */
				CHECK_EQ(shim_pages_live(), before);
				for (size_t j = 0; j < m.n; j++)
					key_set_add(&before_m, m.keys[j]);
				key_set_sort(&before_m);
				CHECK(tree_equals(&tree, &before_m));
				key_set_free(&before_m);
				continue;
			}
			want = model_apply(&m, op);
			CHECK_EQ(ret, want);
		}
		CHECK_EQ(failed, 1);
		key_set_sort(&m);
		CHECK(tree_equals(&tree, &m));
		kho_radix_tree_free(&tree);
		key_set_free(&m);
		CHECK_EQ(shim_pages_live(), 0);
	}
	shim_fail_nth(0);
}

const struct test_case radix_tests[] = {
	TEST_CASE(test_example_key),
	TEST_CASE(test_constants),
	TEST_CASE(test_abi_khoser_ptr),
	TEST_CASE(test_order_slots_at_zero),
	TEST_CASE(test_decode_invalid_keys),
	TEST_CASE(test_every_order_at_pfn_0),
	TEST_CASE(test_every_order_at_highest_pfn),
	TEST_CASE(test_order_1gib),
	TEST_CASE(test_order_too_high),
	TEST_CASE(test_misaligned_pfn),
	TEST_CASE(test_pfn_too_high),
	TEST_CASE(test_no_root),
	TEST_CASE(test_add_delete_readd),
	TEST_CASE(test_delete_absent),
	TEST_CASE(test_add_twice_is_eexist),
	TEST_CASE(test_same_pfn_two_orders),
	TEST_CASE(test_walk_order_is_key_order),
	TEST_CASE(test_walk_stop_value),
	TEST_CASE(test_walk_100k_random),
	TEST_CASE(test_node_count_dense_1gib),
	TEST_CASE(test_node_count_sparse_1tib),
	TEST_CASE(test_alloc_failure_at_every_point),
	{ NULL, NULL }
};
