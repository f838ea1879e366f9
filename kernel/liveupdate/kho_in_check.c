// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_in_check.c - the next kernel's checks of the handover it was given
 *
 * Everything here reads memory the previous kernel wrote and trusts none
 * of it: the root FDT and the scratch array, before kho_populate() lets
 * memblock act on them. Each check returns why it refuses, naming the
 * problem, or NULL. The functions need only libfdt and memblock's view of
 * RAM, so tools/testing/kho builds this file unchanged and fuzzes it.
 */

#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kho/abi/scratch.h>
#include <linux/libfdt.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/sprintf.h>

#include "kho_in_check.h"

/*
 * The least scratch a next kernel is accepted with: it allocates its
 * memory map from scratch before anything else, plus room for the page
 * tables, the log buffer and the other early tables. A smaller array would
 * leave the boot to fail allocations in scratch-only mode; refusing it
 * boots with KHO off instead.
 */
u64 __init kho_scratch_floor(u64 ram_bytes)
{
	return (ram_bytes >> PAGE_SHIFT) * sizeof(struct page) +
	       KHO_SCRATCH_FLOOR_EXTRA;
}

/* Is [@phys, @phys + @size) inside the areas of @s? Any overlap counts. */
bool __init kho_in_areas(const struct kho_scratch *s, unsigned int cnt,
			 phys_addr_t phys, phys_addr_t size)
{
	unsigned int i;

	for (i = 0; i < cnt; i++)
		if (phys < s[i].addr + s[i].size && s[i].addr < phys + size)
			return true;
	return false;
}

/**
 * kho_check_lengths - check where the handover lies, before mapping it
 * @fdt_phys: physical address of the root FDT
 * @fdt_len: its buffer length, a page
 * @scratch_phys: physical address of the scratch array
 * @scratch_len: its length in bytes
 * @why: room for the reason
 * @len: size of @why
 *
 * Return: NULL, or why the handover is refused.
 */
const char *__init kho_check_lengths(phys_addr_t fdt_phys, u64 fdt_len,
			      phys_addr_t scratch_phys, u64 scratch_len,
			      char *why, size_t len)
{
	if (!fdt_len || fdt_len > PAGE_SIZE || !PAGE_ALIGNED(fdt_phys) ||
	    fdt_phys + fdt_len < fdt_phys ||
	    !memblock_is_region_memory(fdt_phys, fdt_len)) {
		snprintf(why, len, "the FDT at %pa (%llu bytes) is not a page of RAM",
			 &fdt_phys, fdt_len);
		return why;
	}
	if (!scratch_len)
		return "the scratch array is empty";
	if (scratch_len % sizeof(struct kho_scratch)) {
		snprintf(why, len,
			 "the scratch array is %llu bytes, not a multiple of %zu",
			 scratch_len, sizeof(struct kho_scratch));
		return why;
	}
	if (scratch_len / sizeof(struct kho_scratch) > KHO_SCRATCH_MAX_AREAS) {
		snprintf(why, len, "the scratch array has %llu areas, more than %u",
			 scratch_len / sizeof(struct kho_scratch),
			 KHO_SCRATCH_MAX_AREAS);
		return why;
	}
	if (scratch_phys + scratch_len < scratch_phys ||
	    !memblock_is_region_memory(scratch_phys, scratch_len)) {
		snprintf(why, len, "the scratch array at %pa is not in RAM",
			 &scratch_phys);
		return why;
	}
	return NULL;
}

/**
 * kho_check_fdt - check the root FDT of a handover
 * @fdt: the FDT, mapped
 * @fdt_len: the length of its buffer
 * @map_phys: returns the root of the preserved-memory map
 * @why: room for the reason
 * @len: size of @why
 *
 * Return: NULL, or why the FDT is refused.
 */
const char *__init kho_check_fdt(const void *fdt, u64 fdt_len, u64 *map_phys,
			  char *why, size_t len)
{
	const void *compat;
	const u64 *map;
	int err, plen;

	/* fdt_check_header() reads a whole header before any size. */
	if (fdt_len < sizeof(struct fdt_header))
		return "the FDT's buffer is smaller than an FDT header";
	err = fdt_check_header(fdt);
	if (err) {
		snprintf(why, len, "the FDT header is invalid (%s)",
			 fdt_strerror(err));
		return why;
	}
	if (fdt_totalsize(fdt) > fdt_len) {
		snprintf(why, len, "the FDT's totalsize %u is larger than its %llu-byte page",
			 fdt_totalsize(fdt), fdt_len);
		return why;
	}
	if (fdt_node_check_compatible(fdt, 0, KHO_FDT_COMPATIBLE)) {
		compat = fdt_getprop(fdt, 0, "compatible", &plen);
		/* Only print it if it is a terminated, short string. */
		if (compat && plen > 0 && plen <= 32 &&
		    !((const char *)compat)[plen - 1])
			snprintf(why, len,
				 "the FDT is compatible with \"%s\", not with " KHO_FDT_COMPATIBLE,
				 (const char *)compat);
		else
			return "the FDT is not compatible with " KHO_FDT_COMPATIBLE;
		return why;
	}
	map = fdt_getprop(fdt, 0, KHO_FDT_MEMORY_MAP_PROP_NAME, &plen);
	if (!map)
		return "the " KHO_FDT_MEMORY_MAP_PROP_NAME " property is missing";
	if (plen != sizeof(*map)) {
		snprintf(why, len, "the " KHO_FDT_MEMORY_MAP_PROP_NAME
			 " property is %d bytes, not 8", plen);
		return why;
	}
	/* FDT properties are only 4-byte aligned. */
	memcpy(map_phys, map, sizeof(*map_phys));
	if (!*map_phys)
		return "the " KHO_FDT_MEMORY_MAP_PROP_NAME " root is 0";
	if (!PAGE_ALIGNED(*map_phys)) {
		snprintf(why, len, "the " KHO_FDT_MEMORY_MAP_PROP_NAME
			 " root %#llx is not page aligned", *map_phys);
		return why;
	}
	if (*map_phys + PAGE_SIZE < *map_phys ||
	    !memblock_is_region_memory(*map_phys, PAGE_SIZE)) {
		snprintf(why, len, "the " KHO_FDT_MEMORY_MAP_PROP_NAME
			 " root %#llx is not RAM", *map_phys);
		return why;
	}
	return NULL;
}

/* Say what is wrong with area @i of @s. */
static const char *__init kho_area_why(const struct kho_scratch *s,
				       unsigned int i, const char *what,
				       char *why, size_t len)
{
	snprintf(why, len, "scratch area %u at %#llx (%#llx bytes) %s", i,
		 s[i].addr, s[i].size, what);
	return why;
}

/**
 * kho_check_scratch - check the scratch array of a handover
 * @s: the array, mapped
 * @cnt: its number of areas, at least 1
 * @why: room for the reason
 * @len: size of @why
 *
 * Every area must be non-empty RAM, in whole pageblocks, apart from the
 * others, and all together at least kho_scratch_floor() of this machine.
 *
 * Return: NULL, or why the array is refused.
 */
const char *__init kho_check_scratch(const struct kho_scratch *s, unsigned int cnt,
			      char *why, size_t len)
{
	u64 total = 0, floor;
	unsigned int i, j;

	for (i = 0; i < cnt; i++) {
		u64 addr = s[i].addr, size = s[i].size;

		if (!size || addr + size < addr)
			return kho_area_why(s, i, "is empty or wraps", why, len);
		if (!IS_ALIGNED(addr | size, KHO_SCRATCH_ALIGN))
			return kho_area_why(s, i, "is not pageblock aligned",
					    why, len);
		if (!memblock_is_region_memory(addr, size))
			return kho_area_why(s, i, "is not RAM", why, len);
		for (j = 0; j < i; j++) {
			if (kho_in_areas(&s[j], 1, addr, size)) {
				snprintf(why, len, "scratch areas %u and %u overlap",
					 j, i);
				return why;
			}
		}
		total += size;
	}
	floor = kho_scratch_floor(memblock_phys_mem_size());
	if (total < floor) {
		snprintf(why, len,
			 "the scratch areas hold %llu MiB, below the %llu MiB floor of this machine",
			 total >> 20, floor >> 20);
		return why;
	}
	return NULL;
}

/**
 * kho_check_handover - check all a handover gives before it is used
 * @fdt_phys: physical address of the root FDT
 * @fdt: the FDT, mapped
 * @fdt_len: its buffer length
 * @s: the scratch array, mapped
 * @cnt: its number of areas
 * @map_phys: returns the root of the preserved-memory map
 * @why: room for the reason
 * @len: size of @why
 *
 * What kho_populate() checks once kho_check_lengths() passed: the FDT, the
 * scratch array, and that neither the FDT nor the map root lies in scratch,
 * which the next kernel reuses first.
 *
 * Return: NULL, or why the handover is refused.
 */
const char *__init kho_check_handover(phys_addr_t fdt_phys, const void *fdt,
			       u64 fdt_len, const struct kho_scratch *s,
			       unsigned int cnt, u64 *map_phys, char *why,
			       size_t len)
{
	const char *reason;

	reason = kho_check_fdt(fdt, fdt_len, map_phys, why, len) ?:
		 kho_check_scratch(s, cnt, why, len);
	if (reason)
		return reason;
	if (kho_in_areas(s, cnt, fdt_phys, fdt_len)) {
		snprintf(why, len, "the FDT at %pa lies in scratch", &fdt_phys);
		return why;
	}
	if (kho_in_areas(s, cnt, *map_phys, PAGE_SIZE)) {
		snprintf(why, len, "the " KHO_FDT_MEMORY_MAP_PROP_NAME
			 " root %#llx lies in scratch", *map_phys);
		return why;
	}
	return NULL;
}
