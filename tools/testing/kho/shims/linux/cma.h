/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: x86_64's pageblocks, of 2 MiB (HUGETLB_PAGE_ORDER). */
#ifndef _SHIM_LINUX_CMA_H
#define _SHIM_LINUX_CMA_H

#include <asm/page.h>

#define pageblock_order			9
#define pageblock_nr_pages		(1UL << pageblock_order)
#define CMA_MIN_ALIGNMENT_PAGES		pageblock_nr_pages
#define CMA_MIN_ALIGNMENT_BYTES		(PAGE_SIZE * CMA_MIN_ALIGNMENT_PAGES)

#endif
