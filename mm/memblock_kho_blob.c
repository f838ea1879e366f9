// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of the memblock-v1 blob a previous kernel handed over with its
 * reserve_mem= regions (include/linux/kho/abi/memblock.h).
 *
 * The blob comes from another kernel and is not trusted: it is checked
 * whole before any region is looked up, and every value is checked before
 * use. Only libfdt is needed, so tools/testing/kho builds this file
 * unchanged and fuzzes it; where the regions may lie in memory is decided
 * by the caller, mm/memblock_kho.c.
 */

#include <linux/kho/abi/memblock.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "memblock_kho_blob.h"

/**
 * reserve_mem_kho_prop - read a region node's phys_addr_t property
 * @fdt: the blob
 * @off: offset of the node
 * @prop: name of the property
 * @val: returns its value
 *
 * FDT values are only 4-byte aligned: the value is copied out.
 *
 * Return: true if the property exists and is exactly 8 bytes.
 */
bool reserve_mem_kho_prop(const void *fdt, int off, const char *prop,
			  phys_addr_t *val)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, off, prop, &len);
	if (!p || len != sizeof(*val))
		return false;
	memcpy(val, p, sizeof(*val));
	return true;
}

/**
 * reserve_mem_kho_check_blob - check a memblock-v1 blob as a whole
 * @fdt: the blob, mapped
 * @size: its size, as the previous kernel published it
 * @why: room for the reason
 * @len: size of @why
 *
 * The blob must be an FDT of at most a page within @size, compatible
 * memblock-v1, whose structure parses to its end, with every node name
 * terminated and shorter than %RESERVE_MEM_KHO_NAME_SIZE.
 *
 * Return: NULL, or why the blob is refused.
 */
const char *reserve_mem_kho_check_blob(const void *fdt, size_t size,
				       char *why, size_t len)
{
	int off, depth = 0, nlen, err;
	const char *name;

	/* fdt_check_header() reads a whole v17 header before any size. */
	if (size > PAGE_SIZE || size < sizeof(struct fdt_header))
		return "the blob is not one page or less";
	err = fdt_check_header(fdt);
	if (err) {
		snprintf(why, len, "the blob is not an FDT (%s)",
			 fdt_strerror(err));
		return why;
	}
	if (fdt_totalsize(fdt) > size)
		return "the blob's FDT is larger than its blob-size";
	if (fdt_node_check_compatible(fdt, 0, MEMBLOCK_KHO_NODE_COMPATIBLE))
		return "the blob is not " MEMBLOCK_KHO_NODE_COMPATIBLE;

	/* Depth 0 again is the end of the root node, and of the walk. */
	for (off = fdt_next_node(fdt, 0, &depth); off >= 0 && depth > 0;
	     off = fdt_next_node(fdt, off, &depth)) {
		name = fdt_get_name(fdt, off, &nlen);
		if (!name || nlen >= RESERVE_MEM_KHO_NAME_SIZE ||
		    strnlen(name, RESERVE_MEM_KHO_NAME_SIZE) != nlen) {
			snprintf(why, len,
				 "a region name at offset %d is not a terminated string of fewer than %d characters",
				 off, RESERVE_MEM_KHO_NAME_SIZE);
			return why;
		}
	}
	if (off < 0 && off != -FDT_ERR_NOTFOUND) {
		snprintf(why, len, "the blob's node structure is corrupt (%s)",
			 fdt_strerror(off));
		return why;
	}
	return NULL;
}

/* The child named exactly @name (no unit-address matching), or < 0. */
static int reserve_mem_kho_find(const void *fdt, const char *name)
{
	const char *node;
	int off;

	fdt_for_each_subnode(off, fdt, 0) {
		node = fdt_get_name(fdt, off, NULL);
		if (node && !strcmp(node, name))
			return off;
	}
	return -FDT_ERR_NOTFOUND;
}

/**
 * reserve_mem_kho_parse - look up a region in a checked blob
 * @fdt: a blob that passed reserve_mem_kho_check_blob()
 * @name: name of the region
 * @size: size asked for
 * @align: alignment asked for, a power of two
 * @start: returns the handed-over start
 * @reason: returns why the region cannot be reused
 * @why: room for @reason
 * @len: size of @why
 *
 * Return: 1 if the blob has a usable node for @name (its range is not
 * checked against memory here), 0 if it has none, -EINVAL if it has one
 * that cannot serve (*@reason says why).
 */
int reserve_mem_kho_parse(const void *fdt, const char *name, phys_addr_t size,
			  phys_addr_t align, phys_addr_t *start,
			  const char **reason, char *why, size_t len)
{
	phys_addr_t old_size;
	int off;

	off = reserve_mem_kho_find(fdt, name);
	if (off < 0)
		return 0;
	if (fdt_node_check_compatible(fdt, off,
				      RESERVE_MEM_KHO_NODE_COMPATIBLE)) {
		*reason = "not " RESERVE_MEM_KHO_NODE_COMPATIBLE;
	} else if (!reserve_mem_kho_prop(fdt, off,
					 RESERVE_MEM_KHO_START_PROP_NAME,
					 start) ||
		   !reserve_mem_kho_prop(fdt, off,
					 RESERVE_MEM_KHO_SIZE_PROP_NAME,
					 &old_size)) {
		*reason = "start or size missing or not 8 bytes";
	} else if (old_size != size) {
		snprintf(why, len, "size differs (handed over %pa, asked for %pa)",
			 &old_size, &size);
		*reason = why;
	} else if (!PAGE_ALIGNED(*start) || !IS_ALIGNED(*start, align)) {
		snprintf(why, len, "start %pa is not aligned to a page and to %pa",
			 start, &align);
		*reason = why;
	} else if (*start + size < *start) {
		*reason = "the range wraps";
	} else {
		return 1;
	}
	return -EINVAL;
}
