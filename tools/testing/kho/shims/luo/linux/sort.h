/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: sort() as lib/sort.c's, a heapsort, so not stable. glibc's
 * qsort() is a merge sort, stable, which would hide a comparison that
 * leaves the order of equal elements to the algorithm. Only the default
 * swap (a NULL @swap_func) is supported.
 */
#ifndef _SHIM_LUO_LINUX_SORT_H
#define _SHIM_LUO_LINUX_SORT_H

#include <stdlib.h>
#include <linux/types.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

static inline void __sort_swap(char *a, char *b, size_t size)
{
	char t;

	while (size--) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Move the element at @i down the heap of the first @n elements. */
static inline void __sort_sift(char *base, size_t i, size_t n, size_t size,
			       cmp_func_t cmp)
{
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && cmp(base + c * size, base + (c + 1) * size) < 0)
			c++;
		if (cmp(base + i * size, base + c * size) >= 0)
			return;
		__sort_swap(base + i * size, base + c * size, size);
		i = c;
	}
}

static inline void sort(void *base, size_t num, size_t size,
			cmp_func_t cmp_func, swap_func_t swap_func)
{
	char *b = base;
	size_t i;

	if (swap_func)
		abort();
	for (i = num / 2; i-- > 0;)
		__sort_sift(b, i, num, size, cmp_func);
	for (i = num; i-- > 1;) {
		__sort_swap(b, b + i * size, size);
		__sort_sift(b, 0, i, size, cmp_func);
	}
}

#endif
