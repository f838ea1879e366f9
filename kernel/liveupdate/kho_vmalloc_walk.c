// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_vmalloc_walk.c - the next kernel's checks and walk of a vmalloc
 * descriptor
 *
 * The descriptor and the chunk pages it leads to were written by the
 * previous kernel and are not trusted. A chunk is read only once
 * kho_restore_pages() took it back, which proves it is a page of RAM the
 * previous kernel preserved and this kernel has not restored yet. Each
 * rejection names the problem. The file needs only kho_restore_pages() and
 * a few page helpers, so tools/testing/kho builds it unchanged and fuzzes
 * it.
 */

#include <linux/gfp.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sprintf.h>

#include "kho_vmalloc_walk.h"

/**
 * kho_vmalloc_check - check a vmalloc descriptor from the previous kernel
 * @d: the descriptor, copied out of preserved data
 *
 * Return: NULL if kho_vmalloc_restore_blocks() may walk @d, or why not.
 */
const char *kho_vmalloc_check(const struct kho_vmalloc *d)
{
	if (!d->first.phys)
		return "it has no chunk list";
	if (!d->total_pages)
		return "it has no pages";
	if (d->flags & ~KHO_VMALLOC_FLAGS)
		return "it has unknown flags";
	if (!(d->flags & KHO_VMALLOC_ALLOC))
		return "KHO_VMALLOC_ALLOC is not set";
	/* vmalloc maps no block larger than the buddy allocator gives. */
	if (d->order > MAX_PAGE_ORDER)
		return "the order is above MAX_PAGE_ORDER";
	if (d->total_pages & ((1UL << d->order) - 1))
		return "total_pages is not a multiple of 2^order";
	/* This also bounds the page array the caller allocates. */
	if (d->total_pages > get_num_physpages())
		return "total_pages is more than this kernel's memory";
	return NULL;
}

/*
 * Why the chunk at @phys, linked after the @n chunks in @seen, is refused:
 * kho_restore_pages() failed on it, or the list already has the @max
 * chunks total_pages needs.
 */
static const char *kho_vmalloc_bad_chunk(u64 phys, const u64 *seen,
					 unsigned long n, unsigned long max,
					 char *why, size_t len)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (seen[i] == phys) {
			snprintf(why, len,
				 "the chunk list loops back to chunk %lu at %#llx",
				 i, phys);
			return why;
		}
	}
	if (!PAGE_ALIGNED(phys))
		snprintf(why, len, "a chunk at %#llx is not page aligned", phys);
	else if (!pfn_to_online_page(PHYS_PFN(phys)))
		snprintf(why, len, "a chunk at %#llx is not RAM", phys);
	else if (n == max)
		snprintf(why, len,
			 "the chunk list is longer than total_pages needs (chunk %lu at %#llx)",
			 n, phys);
	else
		snprintf(why, len,
			 "a chunk at %#llx was not preserved, or was restored already",
			 phys);
	return why;
}

/* Why kho_restore_pages() refused the aligned block at @phys. */
static const char *kho_vmalloc_bad_block(u64 phys, unsigned int order,
					 char *why, size_t len)
{
	if (!pfn_to_online_page(PHYS_PFN(phys)))
		snprintf(why, len, "a block at %#llx is not RAM", phys);
	else
		snprintf(why, len,
			 "a block at %#llx was not preserved at order %u, or was restored already",
			 phys, order);
	return why;
}

/**
 * kho_vmalloc_restore_blocks - take back the chunks and blocks of a vmalloc
 *	descriptor
 * @d: a descriptor kho_vmalloc_check() accepted
 * @pages: room for @d->total_pages pages
 * @nr: set to the number of pages restored into @pages, in any case
 * @why: room for the reason, %KHO_VMALLOC_WHY_LEN bytes
 * @len: size of @why
 *
 * Follows the chunk list, restoring each chunk page before reading it and
 * freeing it once read, and restores the blocks it lists into @pages, in
 * order. The list may hold no more chunks than @d->total_pages needs, and
 * each chunk at least one block, so the walk is bounded. On failure the
 * first @nr pages of @pages are restored and the caller frees them, with
 * kho_vmalloc_free_pages() for instance; the blocks and chunks not reached
 * stay reserved.
 *
 * Return: NULL once exactly @d->total_pages pages are restored, or why the
 * list was refused, naming the problem.
 */
const char *kho_vmalloc_restore_blocks(const struct kho_vmalloc *d,
				       struct page **pages, unsigned long *nr,
				       char *why, size_t len)
{
	unsigned long nr_blocks = d->total_pages >> d->order;
	/* kho_preserve_vmalloc() fills every chunk but the last. */
	unsigned long max_chunks = DIV_ROUND_UP(nr_blocks, KHO_VMALLOC_SIZE);
	unsigned long block = 1UL << d->order, n = 0, idx = 0, j;
	const char *reason = NULL;
	u64 next = d->first.phys;
	u64 *seen;

	*nr = 0;
	/* The chunks taken back so far, to tell a loop from other bad links. */
	seen = kvmalloc_array(max_chunks, sizeof(*seen),
			      GFP_KERNEL | __GFP_NOWARN);
	if (!seen)
		return "no memory to follow its chunk list";

	while (next) {
		struct kho_vmalloc_chunk *chunk;
		struct page *cpage = NULL;
		unsigned int i;

		/* A chunk seen before fails here: restoring took its stamp. */
		if (n < max_chunks)
			cpage = kho_restore_pages(next, 1);
		if (!cpage) {
			reason = kho_vmalloc_bad_chunk(next, seen, n, max_chunks,
						       why, len);
			break;
		}
		seen[n++] = next;
		chunk = page_address(cpage);
		for (i = 0; i < KHO_VMALLOC_SIZE && chunk->phys[i]; i++) {
			u64 phys = chunk->phys[i];
			struct page *page;

			if (idx == d->total_pages) {
				reason = "the list has more blocks than total_pages";
				break;
			}
			/* Restoring a misaligned range would split it. */
			if (!IS_ALIGNED(phys, PAGE_SIZE << d->order)) {
				snprintf(why, len,
					 "a block at %#llx is not aligned to its order %u",
					 phys, d->order);
				reason = why;
				break;
			}
			page = kho_restore_pages(phys, block);
			if (!page) {
				reason = kho_vmalloc_bad_block(phys, d->order,
							       why, len);
				break;
			}
			for (j = 0; j < block; j++)
				pages[idx++] = page + j;
		}
		next = chunk->hdr.next.phys;
		__free_page(cpage);
		if (!reason && !i) {
			snprintf(why, len, "the chunk at %#llx is empty",
				 seen[n - 1]);
			reason = why;
		}
		if (reason)
			break;
	}
	kvfree(seen);
	*nr = idx;
	if (!reason && idx != d->total_pages)
		reason = "the list has fewer blocks than total_pages";
	return reason;
}

/**
 * kho_vmalloc_free_pages - free the pages a failed restore took back
 * @pages: the page array, from kvmalloc_array()
 * @nr: number of restored pages at its start
 *
 * Restored pages are ordinary order-0 pages: each is freed, then @pages.
 */
void kho_vmalloc_free_pages(struct page **pages, unsigned long nr)
{
	while (nr)
		__free_page(pages[--nr]);
	kvfree(pages);
}
