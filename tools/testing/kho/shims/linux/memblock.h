/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: memblock's view of RAM, set by memblock_shim.h. */
#ifndef _SHIM_LINUX_MEMBLOCK_H
#define _SHIM_LINUX_MEMBLOCK_H

#include <linux/types.h>

bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
phys_addr_t memblock_phys_mem_size(void);

#endif
