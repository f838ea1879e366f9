// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the KHO radix tree (kho_radix.c): keys, every API error,
 * walk order, the validating walk on corrupt trees made of real pages, and
 * concurrent add and delete from one kthread per online CPU.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/kho/radix_tree.h>

#define HIGH_PFN(order)	(KHO_RADIX_MAX_PFN & ~((1UL << (order)) - 1))

KUNIT_DEFINE_ACTION_WRAPPER(kho_radix_tree_free_action, kho_radix_tree_free,
			    struct kho_radix_tree *);

/* An empty tree, freed when the test case ends however it ends. */
static struct kho_radix_tree *kho_test_tree(struct kunit *test)
{
	struct kho_radix_tree *tree;
	int ret;

	tree = kunit_kzalloc(test, sizeof(*tree), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tree);
	KUNIT_ASSERT_EQ(test, kho_radix_tree_init(tree), 0);
	ret = kunit_add_action_or_reset(test, kho_radix_tree_free_action, tree);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return tree;
}

struct kho_test_keys {
	u64 *keys;
	unsigned int n, cap;
};

static int kho_test_collect(phys_addr_t phys, unsigned int order, void *arg)
{
	struct kho_test_keys *k = arg;

	if (k->n == k->cap)
		return -E2BIG;
	k->keys[k->n++] = kho_radix_encode_key(phys, order);
	return 0;
}

static int kho_test_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void kho_radix_test_example(struct kunit *test)
{
	u64 key = kho_radix_encode_key(0x123456000ULL, 0);
	unsigned int order;

	KUNIT_EXPECT_EQ(test, key, 0x0010000000123456ULL);
	KUNIT_EXPECT_EQ(test, kho_radix_key_index(key, 5), 2);
	KUNIT_EXPECT_EQ(test, kho_radix_key_index(key, 4), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_key_index(key, 3), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_key_index(key, 2), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_key_index(key, 1), 36);
	KUNIT_EXPECT_EQ(test, kho_radix_key_index(key, 0), 13398);
	KUNIT_EXPECT_EQ(test, kho_radix_decode_key(key, &order),
			0x123456000ULL);
	KUNIT_EXPECT_EQ(test, order, 0);
	KUNIT_EXPECT_EQ(test, kho_radix_decode_key(1, &order), 0);
	KUNIT_EXPECT_GT(test, order, (unsigned int)KHO_RADIX_MAX_ORDER);
}

static void kho_test_single(struct kunit *test, unsigned long pfn,
			    unsigned int order)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	u64 buf[2] = { };
	struct kho_test_keys k = { .keys = buf, .cap = ARRAY_SIZE(buf) };

	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, pfn, order), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_walk_tree(tree, kho_test_collect, &k),
			0);
	KUNIT_EXPECT_EQ(test, k.n, 1);
	KUNIT_EXPECT_EQ(test, buf[0],
			kho_radix_encode_key(PFN_PHYS(pfn), order));
	KUNIT_EXPECT_EQ(test, kho_radix_del_page(tree, pfn, order), 0);
	k.n = 0;
	KUNIT_EXPECT_EQ(test, kho_radix_walk_tree(tree, kho_test_collect, &k),
			0);
	KUNIT_EXPECT_EQ(test, k.n, 0);
	/* Free now rather than hold a tree per order until the end. */
	kunit_release_action(test, kho_radix_tree_free_action, tree);
}

static void kho_radix_test_every_order(struct kunit *test)
{
	unsigned int order;

	for (order = 0; order <= KHO_RADIX_MAX_ORDER; order++) {
		kho_test_single(test, 0, order);
		kho_test_single(test, HIGH_PFN(order), order);
	}
}

static void kho_radix_test_errors(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);

	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 0, 52), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 0, UINT_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, KHO_RADIX_MAX_PFN + 1,
						 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_radix_del_page(tree, 0, 52), -EINVAL);
	KUNIT_EXPECT_EQ(test, kho_radix_del_page(tree, 1, 1), -EINVAL);

	KUNIT_EXPECT_EQ(test, kho_radix_del_page(tree, 0x12345, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 0x12345, 0), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 0x12345, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, kho_radix_del_page(tree, 0x12346, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, kho_radix_del_page(tree, 0x12345, 0), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_del_page(tree, 0x12345, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, 0x12345, 0), 0);
}

static void kho_radix_test_walk_order(struct kunit *test)
{
	static const struct {
		unsigned long pfn;
		unsigned int order;
	} blocks[] = {
		{ 1UL << 30, 0 }, { 0, 0 }, { 512, 9 }, { 0, 1 },
		{ 1UL << 18, 18 }, { 1, 0 }, { 0, 9 },
	};
	struct kho_radix_tree *tree = kho_test_tree(test);
	u64 want[ARRAY_SIZE(blocks)], got[ARRAY_SIZE(blocks) + 1];
	struct kho_test_keys k = { .keys = got, .cap = ARRAY_SIZE(got) };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		KUNIT_EXPECT_EQ(test, kho_radix_add_page(tree, blocks[i].pfn,
							 blocks[i].order), 0);
		want[i] = kho_radix_encode_key(PFN_PHYS(blocks[i].pfn),
					       blocks[i].order);
	}
	sort(want, ARRAY_SIZE(want), sizeof(u64), kho_test_cmp_u64, NULL);
	KUNIT_EXPECT_EQ(test, kho_radix_walk_tree(tree, kho_test_collect, &k),
			0);
	KUNIT_ASSERT_EQ(test, k.n, ARRAY_SIZE(want));
	KUNIT_EXPECT_MEMEQ(test, got, want, sizeof(want));
	/* Highest order first, order 0 last. */
	KUNIT_EXPECT_EQ(test, got[0], kho_radix_encode_key(1ULL << 30, 18));
	KUNIT_EXPECT_EQ(test, got[k.n - 1],
			kho_radix_encode_key(1ULL << 42, 0));
}

struct kho_test_walk {
	unsigned long visits;
};

static int kho_test_check_node(phys_addr_t phys, void *arg)
{
	return pfn_valid(PHYS_PFN(phys)) ? 0 : -ERANGE;
}

static int kho_test_check_block(phys_addr_t phys, unsigned int order,
				void *arg)
{
	return 0;
}

static int kho_test_visit(phys_addr_t phys, unsigned int order, void *arg)
{
	struct kho_test_walk *w = arg;

	w->visits++;
	return 0;
}

static const struct kho_radix_walk_ops kho_test_ops = {
	.check_node = kho_test_check_node,
	.check_block = kho_test_check_block,
	.visit = kho_test_visit,
	.max_order = 10,
	.max_nodes = 64,
};

static struct kho_radix_node *kho_test_node(struct kho_radix_tree *tree,
					    u64 key, unsigned int level)
{
	struct kho_radix_node *node = tree->root;
	unsigned int l;

	for (l = KHO_RADIX_ROOT_LEVEL; l > level; l--)
		node = phys_to_virt(node->table[kho_radix_key_index(key, l)]);
	return node;
}

static void kho_radix_test_untrusted(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	phys_addr_t root = virt_to_phys(tree->root);
	u64 key = kho_radix_encode_key(PFN_PHYS(0x12345), 0);
	struct kho_radix_walk_error err;
	struct kho_test_walk w = { };
	struct kho_radix_node *l3;
	unsigned int slot;

	KUNIT_ASSERT_EQ(test, kho_radix_add_page(tree, 0x12345, 0), 0);
	KUNIT_ASSERT_EQ(test, kho_radix_add_page(tree, 0x400, 10), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_walk_untrusted(root, &kho_test_ops,
						       &w, &err), 0);
	KUNIT_EXPECT_EQ(test, w.visits, 2);
	KUNIT_EXPECT_NULL(test, err.reason);

	KUNIT_EXPECT_EQ(test, kho_radix_walk_untrusted(root + 8, &kho_test_ops,
						       &w, &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.reason, "misaligned node pointer");

	/* A level 3 node pointing to itself. */
	l3 = kho_test_node(tree, key, 3);
	slot = (kho_radix_key_index(key, 3) + 1) % (1 << KHO_TABLE_SIZE_LOG2);
	l3->table[slot] = virt_to_phys(l3);
	KUNIT_EXPECT_EQ(test, kho_radix_walk_untrusted(root, &kho_test_ops,
						       &w, &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.reason, "node loop");
	KUNIT_EXPECT_EQ(test, err.phys, virt_to_phys(l3));
	KUNIT_EXPECT_EQ(test, err.level, 2);
	l3->table[slot] = 0;

	/* An order the receiver cannot restore. */
	KUNIT_ASSERT_EQ(test, kho_radix_add_page(tree, 0x800, 11), 0);
	KUNIT_EXPECT_EQ(test, kho_radix_walk_untrusted(root, &kho_test_ops,
						       &w, &err), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.reason, "order too high");
	KUNIT_EXPECT_EQ(test, err.phys, PFN_PHYS(0x800));
	KUNIT_EXPECT_EQ(test, err.level, 0);
}

/* Concurrency: one kthread per online CPU on a shared tree. */

#define KHO_TEST_ITERS	1000	/* even */
#define KHO_TEST_SHARED	512

struct kho_test_conc {
	struct kho_radix_tree *tree;
	unsigned int nr_threads;
	bool del_shared;
	atomic_t remaining, errors;
	atomic_t add_wins[KHO_TEST_SHARED], del_wins[KHO_TEST_SHARED];
	struct completion done;
};

struct kho_test_worker {
	struct kho_test_conc *c;
	unsigned int idx;
};

/* Own keys interleave across threads, so threads race to build nodes. */
static unsigned long kho_test_own(struct kho_test_conc *c, unsigned int t,
				  unsigned int i, unsigned int *order)
{
	*order = i % 4;
	return ((unsigned long)i * c->nr_threads + t) << 4;
}

static unsigned long kho_test_shared(unsigned int i)
{
	return (1UL << 30) + ((unsigned long)i << 9);
}

static void kho_test_add_del(struct kho_test_conc *c, unsigned int t)
{
	unsigned int i, order, prev;
	unsigned long pfn;
	int ret;

	for (i = 0; i < KHO_TEST_ITERS; i++) {
		pfn = kho_test_own(c, t, i, &order);
		if (kho_radix_add_page(c->tree, pfn, order))
			atomic_inc(&c->errors);
		if (i % 2) {
			pfn = kho_test_own(c, t, i - 1, &prev);
			if (kho_radix_del_page(c->tree, pfn, prev))
				atomic_inc(&c->errors);
		}
		ret = kho_radix_add_page(c->tree,
					 kho_test_shared(i % KHO_TEST_SHARED), 0);
		if (!ret)
			atomic_inc(&c->add_wins[i % KHO_TEST_SHARED]);
		else if (ret != -EEXIST)
			atomic_inc(&c->errors);
	}
}

static void kho_test_del_shared(struct kho_test_conc *c)
{
	unsigned int i;
	int ret;

	for (i = 0; i < KHO_TEST_SHARED; i += 3) {
		ret = kho_radix_del_page(c->tree, kho_test_shared(i), 0);
		if (!ret)
			atomic_inc(&c->del_wins[i]);
		else if (ret != -ENOENT)
			atomic_inc(&c->errors);
	}
}

static int kho_test_thread(void *data)
{
	struct kho_test_worker *w = data;
	struct kho_test_conc *c = w->c;

	if (c->del_shared)
		kho_test_del_shared(c);
	else
		kho_test_add_del(c, w->idx);
	if (atomic_dec_and_test(&c->remaining))
		complete(&c->done);
	return 0;
}

/* Run one round on every online CPU and wait for all of it. */
static int kho_test_run_round(struct kunit *test, struct kho_test_conc *c,
			      struct kho_test_worker *workers)
{
	struct task_struct **tasks;
	unsigned int cpu, n = 0, i;

	tasks = kunit_kcalloc(test, nr_cpu_ids, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		if (n == c->nr_threads)
			break;
		workers[n] = (struct kho_test_worker){ .c = c, .idx = n };
		tasks[n] = kthread_create_on_cpu(kho_test_thread, &workers[n],
						 cpu, "kho_radix_test/%u");
		if (IS_ERR(tasks[n])) {
			/* Never woken: kthread_stop() makes them exit. */
			while (n--)
				kthread_stop(tasks[n]);
			return -ENOMEM;
		}
		n++;
	}
	atomic_set(&c->remaining, n);
	reinit_completion(&c->done);
	for (i = 0; i < n; i++)
		wake_up_process(tasks[i]);
	wait_for_completion(&c->done);
	return n == c->nr_threads ? 0 : -EAGAIN;
}

static void kho_radix_test_concurrent(struct kunit *test)
{
	struct kho_radix_tree *tree = kho_test_tree(test);
	struct kho_test_worker *workers;
	struct kho_test_keys got = { };
	struct kho_test_conc *c;
	unsigned int t, i, order, nr, n = 0;
	u64 *want;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->tree = tree;
	c->nr_threads = num_online_cpus();
	kunit_info(test, "%u threads, one per online CPU\n", c->nr_threads);
	init_completion(&c->done);
	workers = kunit_kcalloc(test, c->nr_threads, sizeof(*workers),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, workers);

	KUNIT_ASSERT_EQ(test, kho_test_run_round(test, c, workers), 0);
	c->del_shared = true;
	KUNIT_ASSERT_EQ(test, kho_test_run_round(test, c, workers), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->errors), 0);

	for (i = 0; i < KHO_TEST_SHARED; i++) {
		KUNIT_EXPECT_EQ(test, atomic_read(&c->add_wins[i]), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&c->del_wins[i]), !(i % 3));
	}

	nr = c->nr_threads * KHO_TEST_ITERS / 2 + KHO_TEST_SHARED;
	want = kunit_kmalloc_array(test, nr, sizeof(u64), GFP_KERNEL);
	got.keys = kunit_kmalloc_array(test, nr + 1, sizeof(u64), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got.keys);
	got.cap = nr + 1;
	for (t = 0; t < c->nr_threads; t++) {
		for (i = 1; i < KHO_TEST_ITERS; i += 2) {
			unsigned long pfn = kho_test_own(c, t, i, &order);

			want[n++] = kho_radix_encode_key(PFN_PHYS(pfn), order);
		}
	}
	for (i = 0; i < KHO_TEST_SHARED; i++) {
		phys_addr_t pa = PFN_PHYS(kho_test_shared(i));

		if (i % 3)
			want[n++] = kho_radix_encode_key(pa, 0);
	}
	sort(want, n, sizeof(u64), kho_test_cmp_u64, NULL);

	KUNIT_EXPECT_EQ(test, kho_radix_walk_tree(tree, kho_test_collect,
						  &got), 0);
	KUNIT_ASSERT_EQ(test, got.n, n);
	KUNIT_EXPECT_MEMEQ(test, got.keys, want, n * sizeof(u64));
}

static struct kunit_case kho_radix_test_cases[] = {
	KUNIT_CASE(kho_radix_test_example),
	KUNIT_CASE(kho_radix_test_every_order),
	KUNIT_CASE(kho_radix_test_errors),
	KUNIT_CASE(kho_radix_test_walk_order),
	KUNIT_CASE(kho_radix_test_untrusted),
	KUNIT_CASE(kho_radix_test_concurrent),
	{ }
};

static struct kunit_suite kho_radix_test_suite = {
	.name = "kho_radix",
	.test_cases = kho_radix_test_cases,
};

kunit_test_suite(kho_radix_test_suite);

MODULE_DESCRIPTION("KUnit tests for the KHO radix tree");
MODULE_LICENSE("GPL");
