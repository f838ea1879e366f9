/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser of the memblock-v1 handover blob (mm/memblock_kho_blob.c). */
#ifndef _MM_MEMBLOCK_KHO_BLOB_H
#define _MM_MEMBLOCK_KHO_BLOB_H

#include <linux/types.h>

/* Region names are shorter than this, as reserve_mem= requires. */
#define RESERVE_MEM_KHO_NAME_SIZE	16

bool reserve_mem_kho_prop(const void *fdt, int off, const char *prop,
			  phys_addr_t *val);
const char *reserve_mem_kho_check_blob(const void *fdt, size_t size,
				       char *why, size_t len);
int reserve_mem_kho_parse(const void *fdt, const char *name, phys_addr_t size,
			  phys_addr_t align, phys_addr_t *start,
			  const char **reason, char *why, size_t len);

#endif /* _MM_MEMBLOCK_KHO_BLOB_H */
