/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: what <linux/mm.h> brings in for the handover checks. A
 * struct page has the size of x86_64's, 64 bytes; nothing has one here.
 */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/page.h>

#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)

struct page {
	unsigned long words[8];
};

#endif
