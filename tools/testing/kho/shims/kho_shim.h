/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-side control of the page allocator shim: a count of live pages,
 * failure injection, and an optional arena to allocate from.
 */
#ifndef _KHO_SHIM_H
#define _KHO_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/* Pages allocated and not yet freed. */
long shim_pages_live(void);
/* Allocations attempted since start, failed ones included. */
long shim_allocs_total(void);
/* Make the @n-th allocation from now fail (1 = the next); 0 disarms. */
void shim_fail_nth(long n);
/* Allocations failed on purpose since start. */
long shim_fails_total(void);

/*
 * Serve allocations from @npages pages at page-aligned @base instead of
 * the heap (single-threaded use only); NULL goes back to the heap.
 */
void shim_arena_use(void *base, size_t npages);

#endif
