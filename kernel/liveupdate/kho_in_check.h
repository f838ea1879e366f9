/* SPDX-License-Identifier: GPL-2.0-only */
/* The next kernel's checks of the handover header (kho_in_check.c). */
#ifndef LINUX_KHO_IN_CHECK_H
#define LINUX_KHO_IN_CHECK_H

#include <linux/cma.h>
#include <linux/init.h>
#include <linux/kho/abi/scratch.h>
#include <linux/numa.h>
#include <linux/sizes.h>
#include <linux/types.h>

/* Low memory, global, and one area per node. */
#define KHO_SCRATCH_MAX_AREAS	(MAX_NUMNODES + 2)
/* Scratch becomes CMA: whole pageblocks only. */
#define KHO_SCRATCH_ALIGN	CMA_MIN_ALIGNMENT_BYTES
/* What a next kernel needs in scratch beyond its memory map, at least. */
#define KHO_SCRATCH_FLOOR_EXTRA	SZ_8M

u64 __init kho_scratch_floor(u64 ram_bytes);
bool __init kho_in_areas(const struct kho_scratch *s, unsigned int cnt,
			 phys_addr_t phys, phys_addr_t size);
const char *__init kho_check_lengths(phys_addr_t fdt_phys, u64 fdt_len,
				     phys_addr_t scratch_phys, u64 scratch_len,
				     char *why, size_t len);
const char *__init kho_check_fdt(const void *fdt, u64 fdt_len, u64 *map_phys,
				 char *why, size_t len);
const char *__init kho_check_scratch(const struct kho_scratch *s,
				     unsigned int cnt, char *why, size_t len);
const char *__init kho_check_handover(phys_addr_t fdt_phys, const void *fdt,
				      u64 fdt_len, const struct kho_scratch *s,
				      unsigned int cnt, u64 *map_phys,
				      char *why, size_t len);

#endif /* LINUX_KHO_IN_CHECK_H */
