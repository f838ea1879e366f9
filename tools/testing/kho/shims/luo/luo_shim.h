/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fake physical memory behind luo_in_check.c: a table of blocks, each
 * a physical address and exactly that many bytes of heap, so that ASan
 * catches a read past a block's end. luo_mem_block() is the luo_block_fn
 * the checks are given: it finds a block only at its exact head, as
 * kho_in_block() does. And kvmalloc_array() with failure injection.
 */
#ifndef _KHO_LUO_SHIM_H
#define _KHO_LUO_SHIM_H

#include <linux/types.h>

#define LUO_MEM_BLOCKS	32

/* Free every block; disarm the failure injection. */
void luo_mem_reset(void);
/*
 * A new block of @size zeroed bytes at @phys. NULL if @phys is a block
 * already or the table is full (LUO_MEM_BLOCKS).
 */
void *luo_mem_add(u64 phys, size_t size);
/* The block whose head is exactly @phys, its size in *@size; or NULL. */
const void *luo_mem_block(u64 phys, size_t *size);
/* Calls of luo_mem_block() since luo_mem_reset(). */
unsigned long luo_mem_lookups(void);

/* Make the @n-th kvmalloc_array() from now fail (1 = the next); 0 disarms. */
void luo_fail_alloc_nth(long n);
/* kvmalloc_array() calls since luo_mem_reset(), and blocks not kvfree()d. */
long luo_allocs(void);
long luo_allocs_live(void);

#endif
