/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_KHO_ABI_SCRATCH_H
#define _LINUX_KHO_ABI_SCRATCH_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

/**
 * DOC: KHO scratch descriptor array
 *
 * This header is a versioned contract between the kernel that hands memory
 * over and the kernel that kexec boots next, versioned together with the
 * root KHO FDT (see %KHO_FDT_COMPATIBLE).
 *
 * Scratch areas are physically contiguous ranges that never hold preserved
 * memory. The next kernel allocates only from them until it has reserved
 * every preserved block, and kexec_file_load places every segment of a
 * normal kexec inside them.
 *
 * The areas travel as an array of &struct kho_scratch, in native
 * endianness: entry 0 is the low-memory area, entry 1 the global area, then
 * one entry per NUMA node with memory. The receiver treats all entries
 * alike. The array itself is a kexec segment inside scratch; its physical
 * address and length in bytes reach the next kernel through the arch
 * handover (on x86, &struct kho_data in a %SETUP_KEXEC_KHO setup_data
 * entry). Each area is aligned to and sized in whole pageblocks, and areas
 * never overlap.
 */

/**
 * struct kho_scratch - one scratch area
 * @addr: physical address of the area
 * @size: size of the area in bytes
 */
struct kho_scratch {
	__u64 addr;
	__u64 size;
};

static_assert(sizeof(struct kho_scratch) == 16);
static_assert(offsetof(struct kho_scratch, size) == 8);

#endif /* _LINUX_KHO_ABI_SCRATCH_H */
