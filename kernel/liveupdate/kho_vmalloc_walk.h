/* SPDX-License-Identifier: GPL-2.0-only */
/* The next kernel's checks and walk of a vmalloc descriptor (kho_vmalloc_walk.c). */
#ifndef LINUX_KHO_VMALLOC_WALK_H
#define LINUX_KHO_VMALLOC_WALK_H

#include <linux/kho/abi/kexec_handover.h>
#include <linux/types.h>

struct page;

#define KHO_VMALLOC_FLAGS	(KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP)

/* Room for any reason kho_vmalloc_restore_blocks() formats. */
#define KHO_VMALLOC_WHY_LEN	112

const char *kho_vmalloc_check(const struct kho_vmalloc *d);
const char *kho_vmalloc_restore_blocks(const struct kho_vmalloc *d,
				       struct page **pages, unsigned long *nr,
				       char *why, size_t len);
void kho_vmalloc_free_pages(struct page **pages, unsigned long nr);

#endif /* LINUX_KHO_VMALLOC_WALK_H */
