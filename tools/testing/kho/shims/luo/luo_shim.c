// SPDX-License-Identifier: GPL-2.0-only
/* The fake physical memory of luo_in_check.c: see luo_shim.h. */
#include <stdint.h>
#include <stdlib.h>

#include <linux/slab.h>
#include "luo_shim.h"

static struct {
	u64 phys;
	void *mem;
	size_t size;
} blocks[LUO_MEM_BLOCKS];
static unsigned int nr_blocks;
static unsigned long lookups;
static long allocs, allocs_live, fail_at;

void luo_mem_reset(void)
{
	while (nr_blocks)
		free(blocks[--nr_blocks].mem);
	lookups = 0;
	allocs = 0;
	fail_at = 0;
}

void *luo_mem_add(u64 phys, size_t size)
{
	unsigned int i;
	void *mem;

	if (nr_blocks == LUO_MEM_BLOCKS)
		return NULL;
	for (i = 0; i < nr_blocks; i++)
		if (blocks[i].phys == phys)
			return NULL;
	/* Exactly @size bytes: ASan's calloc(1, 0) is a block of none. */
	mem = calloc(1, size);
	if (!mem)
		abort();
	blocks[nr_blocks].phys = phys;
	blocks[nr_blocks].mem = mem;
	blocks[nr_blocks++].size = size;
	return mem;
}

const void *luo_mem_block(u64 phys, size_t *size)
{
	unsigned int i;

	lookups++;
	for (i = 0; i < nr_blocks; i++) {
		if (blocks[i].phys == phys) {
			*size = blocks[i].size;
			return blocks[i].mem;
		}
	}
	return NULL;
}

unsigned long luo_mem_lookups(void)
{
	return lookups;
}

void luo_fail_alloc_nth(long n)
{
	fail_at = n ? allocs + n : 0;
}

long luo_allocs(void)
{
	return allocs;
}

long luo_allocs_live(void)
{
	return allocs_live;
}

void *luo_kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	void *p;

	(void)flags;
	if (++allocs == fail_at)
		return NULL;
	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size + !(n && size));
	if (p)
		allocs_live++;
	return p;
}

void luo_kvfree(const void *addr)
{
	if (!addr)
		return;
	allocs_live--;
	free((void *)addr);
}
