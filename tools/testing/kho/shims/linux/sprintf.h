/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: snprintf() with the kernel's formats. u64 is unsigned
 * long here but printed with %ll, and %pa prints the phys_addr_t pointed
 * to, as "0x" and 16 hex digits, where libc's %p would print the pointer.
 * See sprintf_shim.c.
 */
#ifndef _SHIM_LINUX_SPRINTF_H
#define _SHIM_LINUX_SPRINTF_H

#include <stddef.h>

int kho_snprintf(char *buf, size_t size, const char *fmt, ...);
#define snprintf kho_snprintf

#endif
