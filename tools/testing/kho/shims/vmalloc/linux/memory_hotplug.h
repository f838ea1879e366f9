/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_VMALLOC_LINUX_MEMORY_HOTPLUG_H
#define _SHIM_VMALLOC_LINUX_MEMORY_HOTPLUG_H

struct page;

/* The struct page of an arena page that is RAM, else NULL. */
struct page *pfn_to_online_page(unsigned long pfn);

#endif
