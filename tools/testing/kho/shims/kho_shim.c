// SPDX-License-Identifier: GPL-2.0-only
/* The page allocator shim: see kho_shim.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/page.h>
#include <linux/gfp.h>
#include "kho_shim.h"

static long live, allocs, fail_at, fails;
static char *arena;
static size_t arena_pages;
static unsigned char *arena_used;

long shim_pages_live(void)
{
	return __atomic_load_n(&live, __ATOMIC_SEQ_CST);
}

long shim_allocs_total(void)
{
	return __atomic_load_n(&allocs, __ATOMIC_SEQ_CST);
}

long shim_fails_total(void)
{
	return __atomic_load_n(&fails, __ATOMIC_SEQ_CST);
}

void shim_fail_nth(long n)
{
	__atomic_store_n(&fail_at, n ? shim_allocs_total() + n : 0,
			 __ATOMIC_SEQ_CST);
}

void shim_arena_use(void *base, size_t npages)
{
	free(arena_used);
	arena = base;
	arena_pages = base ? npages : 0;
	arena_used = base ? calloc(npages, 1) : NULL;
}

static void *arena_alloc(void)
{
	size_t i;

	for (i = 0; i < arena_pages; i++) {
		if (!arena_used[i]) {
			arena_used[i] = 1;
			memset(arena + i * PAGE_SIZE, 0, PAGE_SIZE);
			return arena + i * PAGE_SIZE;
		}
	}
	return NULL;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	long n = __atomic_add_fetch(&allocs, 1, __ATOMIC_SEQ_CST);
	void *p;

	(void)gfp;
	if (n == __atomic_load_n(&fail_at, __ATOMIC_SEQ_CST)) {
		__atomic_add_fetch(&fails, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	if (arena) {
		p = arena_alloc();
	} else {
		p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
		if (p)
			memset(p, 0, PAGE_SIZE);
	}
	if (p)
		__atomic_add_fetch(&live, 1, __ATOMIC_SEQ_CST);
	return (unsigned long)p;
}

void free_pages(unsigned long addr, unsigned int order)
{
	char *p = (char *)addr;

	if (!p)
		return;
	if (order) {
		fprintf(stderr, "shim: free_pages order %u unsupported\n",
			order);
		abort();
	}
	__atomic_sub_fetch(&live, 1, __ATOMIC_SEQ_CST);
	if (arena && p >= arena && p < arena + arena_pages * PAGE_SIZE) {
		if (((uintptr_t)p & (PAGE_SIZE - 1)) ||
		    !arena_used[(p - arena) / PAGE_SIZE]) {
			fprintf(stderr, "shim: bad arena free %p\n", p);
			abort();
		}
		arena_used[(p - arena) / PAGE_SIZE] = 0;
		return;
	}
	free(p);
}
