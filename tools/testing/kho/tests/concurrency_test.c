// SPDX-License-Identifier: GPL-2.0-only
/*
 * Threads add and delete disjoint keys, which share nodes so that node
 * installation races, and race on a set of shared keys, where exactly one
 * add and one delete of each key may win. A walker runs meanwhile.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include "../shims/kho_shim.h"
#include "test.h"

#define THREADS		4
#define OWN		20000	/* even: own keys with odd index remain */
#define SHARED		5000

static struct kho_radix_tree tree;
static pthread_barrier_t barrier;
static int add_wins[SHARED], del_wins[SHARED];
static int walker_stop, walker_bad, thread_bad;

/* Own keys interleave across threads and mix orders 0..3. */
static unsigned long own_pfn(int t, int i, unsigned int *order)
{
	*order = i % 4;
	return ((unsigned long)i * THREADS + t) << 4;
}

static unsigned long shared_pfn(int i)
{
	return (1UL << 30) + ((unsigned long)i << 9);
}

static void *worker(void *arg)
{
	int t = (long)arg, i, ret;
	unsigned int order, prev_order;
	unsigned long pfn;

	for (i = 0; i < OWN; i++) {
		pfn = own_pfn(t, i, &order);
		if (kho_radix_add_page(&tree, pfn, order))
			__atomic_add_fetch(&thread_bad, 1, __ATOMIC_RELAXED);
		if (i % 2) {
			pfn = own_pfn(t, i - 1, &prev_order);
			if (kho_radix_del_page(&tree, pfn, prev_order))
				__atomic_add_fetch(&thread_bad, 1,
						   __ATOMIC_RELAXED);
		}
		ret = kho_radix_add_page(&tree, shared_pfn(i % SHARED), 0);
		if (!ret)
			__atomic_add_fetch(&add_wins[i % SHARED], 1,
					   __ATOMIC_RELAXED);
		else if (ret != -EEXIST)
			__atomic_add_fetch(&thread_bad, 1, __ATOMIC_RELAXED);
	}
	pthread_barrier_wait(&barrier);
	for (i = 0; i < SHARED; i++) {
		if (i % 3)
			continue;
		ret = kho_radix_del_page(&tree, shared_pfn(i), 0);
		if (!ret)
			__atomic_add_fetch(&del_wins[i], 1, __ATOMIC_RELAXED);
		else if (ret != -ENOENT)
			__atomic_add_fetch(&thread_bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

struct walk_state {
	u64 last;
	bool first;
};

static int check_ascending(phys_addr_t phys, unsigned int order, void *arg)
{
	struct walk_state *s = arg;
	u64 key = kho_radix_encode_key(phys, order);

	if (!s->first && key <= s->last)
		walker_bad++;
	s->first = false;
	s->last = key;
	return 0;
}

static void *walker(void *arg)
{
	struct walk_state s;

	(void)arg;
	while (!__atomic_load_n(&walker_stop, __ATOMIC_RELAXED)) {
		s = (struct walk_state){ .first = true };
		if (kho_radix_walk_tree(&tree, check_ascending, &s))
			walker_bad++;
	}
	return NULL;
}

static void test_concurrent_add_del(void)
{
	pthread_t th[THREADS], w;
	struct key_set want = { 0 }, ever = { 0 };
	unsigned int order;
	unsigned long pfn;
	long t;
	int i;

	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	pthread_barrier_init(&barrier, NULL, THREADS);
	pthread_create(&w, NULL, walker, NULL);
	for (t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	for (t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	__atomic_store_n(&walker_stop, 1, __ATOMIC_RELAXED);
	pthread_join(w, NULL);
	pthread_barrier_destroy(&barrier);

	CHECK_EQ(thread_bad, 0);
	CHECK_EQ(walker_bad, 0);
	for (i = 0; i < SHARED; i++) {
		CHECK_EQ(add_wins[i], 1);
		CHECK_EQ(del_wins[i], i % 3 ? 0 : 1);
		key_set_add(&ever, kho_radix_encode_key(PFN_PHYS(shared_pfn(i)), 0));
		if (i % 3)
			key_set_add(&want, kho_radix_encode_key(PFN_PHYS(shared_pfn(i)), 0));
	}
	for (t = 0; t < THREADS; t++) {
		for (i = 0; i < OWN; i++) {
			pfn = own_pfn(t, i, &order);
			key_set_add(&ever, kho_radix_encode_key(PFN_PHYS(pfn), order));
			if (i % 2)
				key_set_add(&want, kho_radix_encode_key(PFN_PHYS(pfn), order));
		}
	}
	key_set_sort(&want);
	key_set_sort(&ever);
	CHECK(tree_equals(&tree, &want));
	/* Lost installation races freed their chains: no extra nodes. */
	CHECK_EQ(shim_pages_live(), min_tree_pages(&ever));
	key_set_free(&want);
	key_set_free(&ever);
	kho_radix_tree_free(&tree);
}

const struct test_case concurrency_tests[] = {
	TEST_CASE(test_concurrent_add_del),
	{ NULL, NULL }
};
