/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-side control of the memblock shim: the RAM that
 * memblock_is_region_memory() and memblock_phys_mem_size() see.
 */
#ifndef _KHO_MEMBLOCK_SHIM_H
#define _KHO_MEMBLOCK_SHIM_H

#include <linux/types.h>

#define SHIM_RAM_MAX	8

struct shim_ram {
	phys_addr_t base;
	phys_addr_t size;
};

/*
 * Make @n regions (at most SHIM_RAM_MAX) RAM, as memblock.memory holds
 * them: sorted, disjoint and non-empty; adjacent regions stay apart, as
 * memblock keeps regions of different nodes. Sizes are capped at the end
 * of the address space, as memblock_add() does. Returns false, leaving the
 * RAM as it was, for regions that break these rules.
 */
bool shim_ram_set(const struct shim_ram *r, unsigned int n);

#endif
