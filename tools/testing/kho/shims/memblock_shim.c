// SPDX-License-Identifier: GPL-2.0-only
/* memblock's view of RAM, as mm/memblock.c answers for memblock.memory. */
#include <linux/memblock.h>
#include "memblock_shim.h"

#define PHYS_ADDR_MAX	(~(phys_addr_t)0)

static struct shim_ram ram[SHIM_RAM_MAX];
static unsigned int ram_cnt;
static phys_addr_t ram_total;

bool shim_ram_set(const struct shim_ram *r, unsigned int n)
{
	phys_addr_t total = 0, end = 0, size;
	unsigned int i;

	if (n > SHIM_RAM_MAX)
		return false;
	for (i = 0; i < n; i++) {
		size = r[i].size;
		if (size > PHYS_ADDR_MAX - r[i].base)
			size = PHYS_ADDR_MAX - r[i].base;
		if (!size || (i && r[i].base < end))
			return false;
		end = r[i].base + size;
	}
	for (i = 0; i < n; i++) {
		ram[i] = r[i];
		if (ram[i].size > PHYS_ADDR_MAX - ram[i].base)
			ram[i].size = PHYS_ADDR_MAX - ram[i].base;
		total += ram[i].size;
	}
	ram_cnt = n;
	ram_total = total;
	return true;
}

/* memblock_search(): the region holding @addr, or -1. */
static int shim_ram_search(phys_addr_t addr)
{
	unsigned int i;

	for (i = 0; i < ram_cnt; i++)
		if (addr >= ram[i].base && addr - ram[i].base < ram[i].size)
			return i;
	return -1;
}

/* As mm/memblock.c: the whole range in one region, its size capped. */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	int idx = shim_ram_search(base);
	phys_addr_t end;

	if (size > PHYS_ADDR_MAX - base)
		size = PHYS_ADDR_MAX - base;
	end = base + size;
	if (idx == -1)
		return false;
	return ram[idx].base + ram[idx].size >= end;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return ram_total;
}
