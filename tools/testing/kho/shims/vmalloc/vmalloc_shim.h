/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page model behind kho_vmalloc_walk.c: an arena of VM_ARENA_PAGES
 * pages, aligned to VM_ARENA_PAGES pages, each with a struct page, inside
 * a larger reservation that is never RAM. A block is preserved when its
 * head page carries a stamp, as kho_boot.c leaves it; stamped blocks never
 * overlap and hold no hole, as the kernel's early walk guarantees.
 * kho_restore_pages() takes stamps off as the kernel's does.
 *
 * Between vm_seal() and the next vm_reset() every page is PROT_NONE but
 * the ones the walk owns: a page kho_restore_pages() returned opens when
 * the walk first touches it (a SIGSEGV handler), and __free_page() closes
 * it again. So the walk crashes if it reads a page it has not restored,
 * or one it has freed.
 */
#ifndef _KHO_VMALLOC_SHIM_H
#define _KHO_VMALLOC_SHIM_H

#include <linux/mm.h>
#include <linux/types.h>

#define VM_ARENA_PAGES		2048
/* The arena is one block of this order: blocks in it stay inside. */
#define VM_MAX_STAMP_ORDER	11
#define VM_NO_STAMP		(-1)

/* Zero the arena: all RAM, no stamps, writable until vm_seal(). */
void vm_reset(void);
/* Close every page; the walk may run. */
void vm_seal(void);

void *vm_mem(unsigned int i);
phys_addr_t vm_phys(unsigned int i);
struct page *vm_page(unsigned int i);
/* Arena index of @page, or -1. */
long vm_index(const struct page *page);
/* Arena index of the page at @phys, or -1 if outside the arena. */
long vm_phys_index(u64 phys);
/* The page just below the arena (@above false) or just above it. */
phys_addr_t vm_guard_phys(bool above);

/*
 * Stamp the block of 2^@order pages at @i, taking the stamps off the
 * blocks it overlaps. Refused (false) if misaligned, past the arena or
 * over a hole.
 */
bool vm_stamp(unsigned int i, unsigned int order);
/* Take the stamp off the block whose head is @i, if any. */
void vm_unstamp(unsigned int i);
/* The order @i is stamped with as a head, or VM_NO_STAMP. */
int vm_stamp_order(unsigned int i);
/* Make page @i no RAM, taking the stamp off the block holding it. */
void vm_set_hole(unsigned int i);
bool vm_is_ram(u64 phys);

/*
 * The arena pages changed since vm_reset(), in *@list: any page not listed
 * is RAM, unstamped, never restored nor freed.
 */
unsigned int vm_touched(const unsigned int **list);

/* Make the @n-th kvmalloc_array() from now fail (1 = the next); 0 disarms. */
void vm_fail_alloc_nth(long n);
/* kvmalloc_array() blocks not yet kvfree()d. */
long vm_allocs_live(void);

#endif
