/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the system's libfdt (Debian's libfdt-dev), as the kernel's. */
#ifndef _SHIM_LINUX_LIBFDT_H
#define _SHIM_LINUX_LIBFDT_H

#include <libfdt.h>

#endif
