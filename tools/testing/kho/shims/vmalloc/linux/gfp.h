/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the shared gfp.h, plus what kho_vmalloc_walk.c uses. */
#ifndef _SHIM_VMALLOC_LINUX_GFP_H
#define _SHIM_VMALLOC_LINUX_GFP_H

#include_next <linux/gfp.h>

#define __GFP_NOWARN	0x2u

struct page;

/* Frees a page the walk owns: see vmalloc_shim.h. */
void __free_page(struct page *page);

#endif
