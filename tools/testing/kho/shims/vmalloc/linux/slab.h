/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: kvmalloc_array() with failure injection (vmalloc_shim.h). */
#ifndef _SHIM_VMALLOC_LINUX_SLAB_H
#define _SHIM_VMALLOC_LINUX_SLAB_H

#include <linux/types.h>

void *kvmalloc_array(size_t n, size_t size, gfp_t flags);
void kvfree(const void *addr);

#endif
