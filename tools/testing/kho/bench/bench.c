// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark of kho_radix.c: time per add, delete and walked entry, node
 * memory against the layout's minimum, and lock-free against one mutex
 * around every call. Prints figures only; nothing is asserted.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "../shims/kho_shim.h"
#include "../tests/test.h"

int test_failures;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int count_cb(phys_addr_t phys, unsigned int order, void *arg)
{
	++*(unsigned long *)arg;
	return 0;
}

static int accept_node(phys_addr_t phys, void *arg)
{
	return 0;
}

static int accept_block(phys_addr_t phys, unsigned int order, void *arg)
{
	return 0;
}

static const struct kho_radix_walk_ops accept_all = {
	.check_node = accept_node,
	.check_block = accept_block,
	.visit = count_cb,
	.max_order = KHO_RADIX_MAX_ORDER,
	.max_nodes = ~0UL,
};

/* @keys: sorted, distinct. */
static void bench_pattern(const char *name, struct key_set *keys)
{
	struct kho_radix_tree tree;
	unsigned long walked = 0, vwalked = 0;
	struct kho_radix_walk_error err;
	double t0, t_add, t_ovl, t_walk, t_vwalk, t_del;
	unsigned int order;
	phys_addr_t pa;
	long pages;
	size_t i;

	kho_radix_tree_init(&tree);
	t0 = now_ns();
	for (i = 0; i < keys->n; i++) {
		pa = kho_radix_decode_key(keys->keys[i], &order);
		kho_radix_add_page(&tree, PHYS_PFN(pa), order);
	}
	t_add = now_ns() - t0;
	/* What kho_preserve_*() checks after each add. */
	t0 = now_ns();
	for (i = 0; i < keys->n; i++) {
		pa = kho_radix_decode_key(keys->keys[i], &order);
		kho_radix_overlaps(&tree, PHYS_PFN(pa), order);
	}
	t_ovl = now_ns() - t0;
	pages = shim_pages_live();
	t0 = now_ns();
	kho_radix_walk_tree(&tree, count_cb, &walked);
	t_walk = now_ns() - t0;
	t0 = now_ns();
	kho_radix_walk_untrusted(virt_to_phys(tree.root), &accept_all, &vwalked,
				 &err);
	t_vwalk = now_ns() - t0;
	t0 = now_ns();
	for (i = 0; i < keys->n; i++) {
		pa = kho_radix_decode_key(keys->keys[i], &order);
		kho_radix_del_page(&tree, PHYS_PFN(pa), order);
	}
	t_del = now_ns() - t0;
	kho_radix_tree_free(&tree);
	printf("%-34s %8zu %8.1f %8.1f %8.1f %8.2f %8.2f %10ld %10ld\n", name,
	       keys->n, t_add / keys->n, t_ovl / keys->n, t_del / keys->n,
	       t_walk / walked,
	       t_vwalk / vwalked,
	       pages * (long)PAGE_SIZE, min_tree_pages(keys) * (long)PAGE_SIZE);
}

static void dedupe(struct key_set *s)
{
	size_t i, n = 0;

	key_set_sort(s);
	for (i = 0; i < s->n; i++)
		if (!n || s->keys[i] != s->keys[n - 1])
			s->keys[n++] = s->keys[i];
	s->n = n;
}

/* Multi-thread: each thread adds then deletes its share of the keys. */

#define MT_KEYS		BIT(18)

static struct kho_radix_tree mt_tree;
static pthread_mutex_t mt_lock = PTHREAD_MUTEX_INITIALIZER;
static bool mt_use_lock, mt_interleave;
static int mt_threads;

static unsigned long mt_pfn(int t, unsigned long i)
{
	if (mt_interleave)	/* threads share leaves */
		return (1UL << 20) + i * mt_threads + t;
	return (1UL << 20) + t * MT_KEYS + i;	/* a region each */
}

static void *mt_worker(void *arg)
{
	unsigned long i, n = MT_KEYS / mt_threads;
	int t = (long)arg, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			if (mt_use_lock)
				pthread_mutex_lock(&mt_lock);
			if (pass)
				kho_radix_del_page(&mt_tree, mt_pfn(t, i), 0);
			else
				kho_radix_add_page(&mt_tree, mt_pfn(t, i), 0);
			if (mt_use_lock)
				pthread_mutex_unlock(&mt_lock);
		}
	}
	return NULL;
}

/* Best of 3 runs, in ns per operation (wall time / all threads' ops). */
static double bench_mt(int threads, bool use_lock, bool interleave)
{
	pthread_t th[8];
	double best = 1e30, t0, t;
	int run;
	long i;

	mt_threads = threads;
	mt_use_lock = use_lock;
	mt_interleave = interleave;
	for (run = 0; run < 3; run++) {
		kho_radix_tree_init(&mt_tree);
		t0 = now_ns();
		for (i = 0; i < threads; i++)
			pthread_create(&th[i], NULL, mt_worker, (void *)i);
		for (i = 0; i < threads; i++)
			pthread_join(th[i], NULL);
		t = now_ns() - t0;
		kho_radix_tree_free(&mt_tree);
		if (t < best)
			best = t;
	}
	return best / (2.0 * MT_KEYS);
}

int main(void)
{
	struct key_set dense = { 0 }, sparse = { 0 }, mixed = { 0 };
	unsigned long i, pfn;
	unsigned int order;
	int t, layout;

	for (i = 0; i < (1UL << 18); i++)
		key_set_add(&dense, kho_radix_encode_key(PFN_PHYS((1UL << 20) + i), 0));
	for (i = 0; i < (1UL << 13); i++)
		key_set_add(&sparse, kho_radix_encode_key(PFN_PHYS(i << 15), 0));
	for (i = 0; i < 100000; i++) {
		order = rand64() % 19;
		pfn = rand64() & ((1UL << 28) - 1) & ~((1UL << order) - 1);
		key_set_add(&mixed, kho_radix_encode_key(PFN_PHYS(pfn), order));
	}
	key_set_sort(&dense);
	key_set_sort(&sparse);
	dedupe(&mixed);

	printf("%-34s %8s %8s %8s %8s %8s %8s %10s %10s\n", "pattern", "entries",
	       "ns/add", "ns/ovl", "ns/del", "ns/walk", "ns/vwalk", "meta B",
	       "min B");
	bench_pattern("dense: 1 GiB of order 0", &dense);
	bench_pattern("sparse: 1 page per 128 MiB, 1 TiB", &sparse);
	bench_pattern("mixed: orders 0-18 over 1 TiB", &mixed);

	printf("\n%u CPUs online; ns per add or delete, wall time / ops\n",
	       (unsigned int)sysconf(_SC_NPROCESSORS_ONLN));
	printf("%-28s %8s %12s %12s\n", "keys", "threads", "lock-free",
	       "mutex");
	for (layout = 0; layout < 2; layout++) {
		for (t = 1; t <= 4; t *= 2)
			printf("%-28s %8d %12.1f %12.1f\n",
			       layout ? "interleaved (shared leaves)" :
					"disjoint (a region each)", t,
			       bench_mt(t, false, layout), bench_mt(t, true, layout));
	}
	key_set_free(&dense);
	key_set_free(&sparse);
	key_set_free(&mixed);
	return shim_pages_live() ? EXIT_FAILURE : EXIT_SUCCESS;
}
