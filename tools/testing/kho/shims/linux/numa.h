/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: x86_64's default CONFIG_NODES_SHIFT. */
#ifndef _SHIM_LINUX_NUMA_H
#define _SHIM_LINUX_NUMA_H

#define NODES_SHIFT	6
#define MAX_NUMNODES	(1 << NODES_SHIFT)

#endif
