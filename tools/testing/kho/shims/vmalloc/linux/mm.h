/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: struct page and the page helpers of the vmalloc page
 * model (vmalloc_shim.h). Only arena pages have a struct page.
 */
#ifndef _SHIM_VMALLOC_LINUX_MM_H
#define _SHIM_VMALLOC_LINUX_MM_H

#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/pfn.h>
#include <linux/types.h>
#include <asm/page.h>

#define MAX_PAGE_ORDER		10
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)

struct page {
	unsigned long private;	/* the stamp of a preserved block's head */
	unsigned int restores;	/* times kho_restore_pages() took it */
	unsigned int frees;	/* times __free_page() freed it */
	bool hole;		/* not RAM: pfn_to_online_page() fails */
};

void *page_address(const struct page *page);
unsigned long get_num_physpages(void);

#endif
