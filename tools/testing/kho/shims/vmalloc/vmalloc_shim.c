// SPDX-License-Identifier: GPL-2.0-only
/* The vmalloc page model: see vmalloc_shim.h. */
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/gfp.h>
#include <linux/kexec_handover.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sprintf.h>
#include "vmalloc_shim.h"

#define VM_ARENA_BYTES	((size_t)VM_ARENA_PAGES * PAGE_SIZE)
#define VM_STAMP_MAGIC	0x4b484f50UL	/* 'KHOP', as the kernel's */

static char *arena;
static unsigned long base_pfn;
static struct page pages[VM_ARENA_PAGES];
static unsigned char opened[VM_ARENA_PAGES];
/* The pages changed since vm_reset(): only these need resetting. */
static unsigned int touched[VM_ARENA_PAGES], nr_touched;
static unsigned char is_touched[VM_ARENA_PAGES];
static long allocs_live, fail_at, allocs;
static struct sigaction old_segv;

static void vm_die(const char *what, long i)
{
	fprintf(stderr, "vmalloc shim: %s (arena page %ld)\n", what, i);
	abort();
}

static void vm_touch(unsigned long i)
{
	if (!is_touched[i]) {
		is_touched[i] = 1;
		touched[nr_touched++] = i;
	}
}

unsigned int vm_touched(const unsigned int **list)
{
	*list = touched;
	return nr_touched;
}

static void vm_protect(unsigned long i, unsigned long n, int prot)
{
	if (mprotect(arena + i * PAGE_SIZE, n * PAGE_SIZE, prot))
		vm_die("mprotect failed", i);
}

/*
 * A restored page stays closed until the walk touches it: the fault lands
 * here and opens the page if the walk owns it, which costs a system call
 * per chunk read rather than per page restored. Any other fault goes back
 * to the previous handler (ASan's report) by faulting again.
 */
static void vm_segv(int sig, siginfo_t *si, void *uc)
{
	long i = vm_phys_index((uintptr_t)si->si_addr);

	(void)sig;
	(void)uc;
	if (i >= 0 && pages[i].restores == 1 && !pages[i].frees &&
	    !opened[i] && !mprotect(vm_mem(i), PAGE_SIZE,
				    PROT_READ | PROT_WRITE)) {
		opened[i] = 1;
		return;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
}

static void vm_init(void)
{
	struct sigaction sa = {
		.sa_sigaction = vm_segv,
		.sa_flags = SA_SIGINFO,
	};

	/* Room to align, plus a page of non-RAM below and above. */
	size_t len = 3 * VM_ARENA_BYTES;
	char *map = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);

	if (map == MAP_FAILED)
		vm_die("mmap failed", -1);
	arena = (char *)(((uintptr_t)map + VM_ARENA_BYTES) &
			 ~(uintptr_t)(VM_ARENA_BYTES - 1));
	base_pfn = PHYS_PFN((uintptr_t)arena);
	if (sigaction(SIGSEGV, &sa, &old_segv))
		vm_die("sigaction failed", -1);
}

void vm_reset(void)
{
	if (!arena)
		vm_init();
	if (madvise(arena, VM_ARENA_BYTES, MADV_DONTNEED))
		vm_die("madvise failed", -1);
	vm_protect(0, VM_ARENA_PAGES, PROT_READ | PROT_WRITE);
	while (nr_touched) {
		unsigned int i = touched[--nr_touched];

		memset(&pages[i], 0, sizeof(pages[i]));
		opened[i] = 0;
		is_touched[i] = 0;
	}
	allocs_live = 0;
	fail_at = 0;
}

void vm_seal(void)
{
	vm_protect(0, VM_ARENA_PAGES, PROT_NONE);
}

void *vm_mem(unsigned int i)
{
	return arena + (size_t)i * PAGE_SIZE;
}

phys_addr_t vm_phys(unsigned int i)
{
	return (uintptr_t)vm_mem(i);
}

struct page *vm_page(unsigned int i)
{
	return &pages[i];
}

long vm_index(const struct page *page)
{
	if (page < pages || page >= pages + VM_ARENA_PAGES)
		return -1;
	return page - pages;
}

long vm_phys_index(u64 phys)
{
	if (phys < vm_phys(0) || phys >= vm_phys(0) + VM_ARENA_BYTES)
		return -1;
	return (phys - vm_phys(0)) / PAGE_SIZE;
}

phys_addr_t vm_guard_phys(bool above)
{
	return above ? vm_phys(0) + VM_ARENA_BYTES : vm_phys(0) - PAGE_SIZE;
}

static unsigned long vm_stamp_value(unsigned int order)
{
	return VM_STAMP_MAGIC << 32 | order;
}

int vm_stamp_order(unsigned int i)
{
	unsigned long v = pages[i].private;

	return v >> 32 == VM_STAMP_MAGIC ? (int)(v & 0xffffffff) : VM_NO_STAMP;
}

void vm_unstamp(unsigned int i)
{
	vm_touch(i);
	pages[i].private = 0;
}

/* Take the stamp off whatever block holds page @i. */
static void vm_unstamp_holder(unsigned int i)
{
	unsigned int o, head;

	for (o = 0; o <= VM_MAX_STAMP_ORDER; o++) {
		head = i & ~((1U << o) - 1);
		if (vm_stamp_order(head) == (int)o)
			vm_unstamp(head);
	}
}

bool vm_stamp(unsigned int i, unsigned int order)
{
	unsigned int n = 1U << order, j;

	if (order > VM_MAX_STAMP_ORDER || i & (n - 1) || i + n > VM_ARENA_PAGES)
		return false;
	for (j = i; j < i + n; j++)
		if (pages[j].hole)
			return false;
	for (j = i; j < i + n; j++)
		vm_unstamp_holder(j);
	vm_touch(i);
	pages[i].private = vm_stamp_value(order);
	return true;
}

void vm_set_hole(unsigned int i)
{
	vm_unstamp_holder(i);
	vm_touch(i);
	pages[i].hole = true;
}

bool vm_is_ram(u64 phys)
{
	long i = vm_phys_index(phys);

	return i >= 0 && !pages[i].hole;
}

void vm_fail_alloc_nth(long n)
{
	fail_at = n ? allocs + n : 0;
}

long vm_allocs_live(void)
{
	return allocs_live;
}

/* ---- What kho_vmalloc_walk.c calls ---- */

struct page *pfn_to_online_page(unsigned long pfn)
{
	if (pfn < base_pfn || pfn - base_pfn >= VM_ARENA_PAGES ||
	    pages[pfn - base_pfn].hole)
		return NULL;
	return &pages[pfn - base_pfn];
}

void *page_address(const struct page *page)
{
	long i = vm_index(page);

	if (i < 0)
		vm_die("page_address() of no arena page", i);
	return vm_mem(i);
}

unsigned long get_num_physpages(void)
{
	return VM_ARENA_PAGES;
}

/* The kernel's kho_range_block(), on one node. */
static unsigned int vm_range_block(unsigned long pfn, unsigned long end)
{
	unsigned int order = 63 - __builtin_clzl(end - pfn);

	if (pfn && (unsigned int)__builtin_ctzl(pfn) < order)
		order = __builtin_ctzl(pfn);
	return order;
}

/*
 * As kexec_handover.c: every block of the range's split must be stamped at
 * its head with its order; then all stamps are taken and each page is an
 * order-0 page the caller owns.
 */
struct page *kho_restore_pages(phys_addr_t phys, unsigned long nr_pages)
{
	unsigned long start = PHYS_PFN(phys), end, pfn;
	unsigned int order;
	struct page *head;

	if (!nr_pages || !PAGE_ALIGNED(phys) || nr_pages > ULONG_MAX - start)
		return NULL;
	end = start + nr_pages;
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = vm_range_block(pfn, end);
		head = pfn_to_online_page(pfn);
		if (!head || vm_stamp_order(vm_index(head)) != (int)order)
			return NULL;
	}
	for (pfn = start; pfn < end; pfn += 1UL << order) {
		order = vm_range_block(pfn, end);
		pfn_to_online_page(pfn)->private = 0;
	}
	for (pfn = start; pfn < end; pfn++) {
		head = pfn_to_online_page(pfn);
		vm_touch(pfn - base_pfn);
		if (!head || head->restores++)
			vm_die("restored a page twice, or a hole", pfn - base_pfn);
	}
	/* Readable now, through vm_segv(). */
	return pfn_to_online_page(start);
}

void __free_page(struct page *page)
{
	long i = vm_index(page);

	if (i < 0)
		vm_die("__free_page() of no arena page", i);
	if (page->restores != 1 || page->frees)
		vm_die("__free_page() of a page not owned", i);
	page->frees++;
	if (opened[i]) {
		vm_protect(i, 1, PROT_NONE);
		opened[i] = 0;
	}
}

void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	void *p;

	(void)flags;
	if (++allocs == fail_at)
		return NULL;
	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size + !(n && size));
	if (p)
		allocs_live++;
	return p;
}

void kvfree(const void *addr)
{
	if (!addr)
		return;
	allocs_live--;
	free((void *)addr);
}
