/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_KHO_ABI_MEMBLOCK_H
#define _LINUX_KHO_ABI_MEMBLOCK_H

#include <linux/build_bug.h>
#include <linux/types.h>

/**
 * DOC: memblock reserve_mem handover (memblock-v1)
 *
 * This header is a versioned contract between the kernel that hands its
 * ``reserve_mem=`` regions over and the kernel that kexec boots next. Any
 * change to the node layout, a node or property name, a compatible string
 * or the encoding of a property requires a new version in
 * %MEMBLOCK_KHO_NODE_COMPATIBLE (and, for the region nodes, in
 * %RESERVE_MEM_KHO_NODE_COMPATIBLE). A kernel that finds another version
 * ignores the handover and allocates its regions afresh.
 *
 * The blob is published as the %MEMBLOCK_KHO_FDT (``"memblock"``) child of
 * the root KHO FDT. It is a flattened device tree of at most one page, in
 * a page the previous kernel preserved. Its root node carries:
 *
 * - ``compatible``: %MEMBLOCK_KHO_NODE_COMPATIBLE, ``"memblock-v1"``.
 *
 * and one child node per handed-over region, named exactly as the region
 * on the ``reserve_mem=size:align:name`` command line (fewer than 16
 * characters), with:
 *
 * - ``compatible``: %RESERVE_MEM_KHO_NODE_COMPATIBLE, ``"reserve-mem-v1"``.
 * - ``start`` (%RESERVE_MEM_KHO_START_PROP_NAME): the physical address of
 *   the region.
 * - ``size`` (%RESERVE_MEM_KHO_SIZE_PROP_NAME): its size in bytes.
 *
 * Both values are ``phys_addr_t``, exactly 8 bytes, in the native
 * endianness of the machine. Only page-aligned regions are handed over,
 * and their pages are preserved with kho_preserve_pages(), so the next
 * kernel finds them reserved and untouched. A region that lies in KHO
 * scratch memory (one allocated afresh during a KHO boot) cannot be
 * preserved and has no node. A previous kernel without regions to hand
 * over publishes no blob at all. For example, a 4 MiB region at
 * 0x3fc00000 decoded by dtc on x86_64, which shows each little-endian
 * 64-bit value as two byte-swapped 32-bit cells::
 *
 *   / {
 *           compatible = "memblock-v1";
 *
 *           trace {
 *                   compatible = "reserve-mem-v1";
 *                   start = <0xc03f 0x00>;
 *                   size = <0x4000 0x00>;
 *           };
 *   };
 *
 * The next kernel reuses a region while it parses ``reserve_mem=`` with
 * the same name, and only if the node is compatible, both properties are
 * 8 bytes, the size equals the size asked for, the start is page aligned
 * and aligned as asked for, and the range is RAM, outside scratch and not
 * yet reserved. Otherwise it warns and allocates a fresh region. A reused
 * region stays memblock-reserved: it is never returned to the page
 * allocator, and its owner reaches it by physical address.
 */

/* Name of the subtree in the root KHO FDT. */
#define MEMBLOCK_KHO_FDT			"memblock"
/* Compatible of the blob's root node. */
#define MEMBLOCK_KHO_NODE_COMPATIBLE		"memblock-v1"
/* Compatible of each region node. */
#define RESERVE_MEM_KHO_NODE_COMPATIBLE		"reserve-mem-v1"
/* Region node properties: native phys_addr_t, 8 bytes each. */
#define RESERVE_MEM_KHO_START_PROP_NAME		"start"
#define RESERVE_MEM_KHO_SIZE_PROP_NAME		"size"

#ifdef CONFIG_KEXEC_HANDOVER
/* The properties are phys_addr_t as is; the contract fixes 8 bytes. */
static_assert(sizeof(phys_addr_t) == 8);
#endif

#endif /* _LINUX_KHO_ABI_MEMBLOCK_H */
