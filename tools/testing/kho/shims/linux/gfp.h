/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: page allocation, counted, see kho_shim.h. */
#ifndef _SHIM_LINUX_GFP_H
#define _SHIM_LINUX_GFP_H

#include <linux/types.h>

#define GFP_KERNEL	0x1u

unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages((addr), 0)

#endif
