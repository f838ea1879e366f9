/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scenes for kho_vmalloc_walk.c: a descriptor and its chunk list built in
 * the arena of the vmalloc page model (shims/vmalloc/vmalloc_shim.h),
 * then walked and checked (fuzz_vmalloc.c).
 */
#ifndef _KHO_VMALLOC_SCENE_H
#define _KHO_VMALLOC_SCENE_H

#include <linux/kho/abi/kexec_handover.h>
#include "kho_vmalloc_walk.h"
#include "vmalloc_shim.h"

/* The builder's chunk pages: the last VM_CHUNK_PAGES pages of the arena. */
#define VM_CHUNK_PAGES		4
#define VM_CHUNK_PAGE(k)	(VM_ARENA_PAGES - VM_CHUNK_PAGES + (k))

struct vm_scene {
	struct kho_vmalloc d;
	unsigned int order;
	unsigned int nr_blocks;			/* listed by the builder */
	unsigned int nr_chunks;			/* used by the builder */
	unsigned int block[VM_ARENA_PAGES];	/* arena page of block i */
	bool fail_alloc;			/* fail the walk's kvmalloc */
};

struct vm_result {
	const char *reason;		/* NULL: all pages restored */
	bool invalid;			/* refused by kho_vmalloc_check() */
	unsigned long nr;		/* pages the walk restored */
	char why[KHO_VMALLOC_WHY_LEN];
};

/* The most blocks of 2^@order pages the builder can place. */
unsigned int vm_scene_max_blocks(unsigned int order);

/*
 * vm_reset(), then a valid list of @nr_blocks (capped) blocks of 2^@order
 * pages: block i in slot (i * @mult + @off) % slots, every chunk full but
 * the last, every block and chunk stamped. The arena stays writable, for
 * corruption, until vm_scene_run().
 */
void vm_scene_build(struct vm_scene *s, unsigned int order,
		    unsigned int nr_blocks, unsigned int mult, unsigned int off);

/* The builder's chunk @k, writable until vm_scene_run(). */
struct kho_vmalloc_chunk *vm_scene_chunk(unsigned int k);

/*
 * Check s->d and walk it as kho_restore_vmalloc() does, compare the result
 * with a model of the walk and check the page accounting; then free what
 * was restored, as kho_restore_vmalloc() or vfree() would. Fills @r and
 * returns the number of failed checks.
 */
int vm_scene_run(struct vm_scene *s, struct vm_result *r);

#endif
