/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim for luo_in_check.c: kvmalloc_array() with failure
 * injection (luo_shim.h). The names are the shim's own, as snprintf() is
 * in linux/sprintf.h, so the vmalloc page model's kvmalloc_array() can
 * link into the same binary.
 */
#ifndef _SHIM_LUO_LINUX_SLAB_H
#define _SHIM_LUO_LINUX_SLAB_H

/* ENOMEM, which the kernel's slab.h brings along. */
#include <errno.h>
#include <linux/gfp.h>
#include <linux/types.h>

void *luo_kvmalloc_array(size_t n, size_t size, gfp_t flags);
void luo_kvfree(const void *addr);
#define kvmalloc_array	luo_kvmalloc_array
#define kvfree		luo_kvfree

#endif
