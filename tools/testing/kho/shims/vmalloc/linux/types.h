/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the shared types.h, plus the __u64 of the scratch ABI. */
#ifndef _SHIM_VMALLOC_LINUX_TYPES_H
#define _SHIM_VMALLOC_LINUX_TYPES_H

#include_next <linux/types.h>

/* A repeated typedef of the same type is valid C11. */
typedef u64 __u64;

#endif
