// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vmalloc descriptor walk (kho_vmalloc_walk.c) on valid lists and on
 * each kind of corruption: every case must pass the checks of
 * vm_scene_run() (model, accounting, nothing left) and give the reason
 * named here, which the kernel prints in its warning.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "../fuzz/vmalloc_scene.h"
#include "test.h"

static struct vm_scene s;
static struct vm_result r;

static void build(unsigned int order, unsigned int nr_blocks)
{
	vm_scene_build(&s, order, nr_blocks, 7, 3);
	CHECK_EQ(s.nr_blocks, nr_blocks);
}

/* Walk the scene: it fails for a reason holding @want, or succeeds. */
static void expect(const char *want, unsigned long nr)
{
	CHECK_EQ(vm_scene_run(&s, &r), 0);
	if (want) {
		CHECK(r.reason && strstr(r.reason, want));
		printf("#   %s\n", r.reason ? r.reason : "(restored)");
	} else {
		CHECK(!r.reason);
	}
	CHECK_EQ(r.nr, nr);
}

static void test_vmalloc_valid(void)
{
	static const unsigned int cases[][2] = {
		{ 0, 1 }, { 0, 2 }, { 0, 511 }, { 0, 512 }, { 0, 1022 },
		{ 0, 1023 }, { 0, 2044 }, { 1, 5 }, { 4, 100 }, { 9, 3 },
		{ 10, 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		build(cases[i][0], cases[i][1]);
		expect(NULL, (unsigned long)cases[i][1] << cases[i][0]);
	}
}

static void test_vmalloc_loop(void)
{
	/* The last chunk links to the first: one chunk, then two, three. */
	build(0, 3);
	vm_scene_chunk(0)->hdr.next.phys = vm_phys(VM_CHUNK_PAGE(0));
	expect("the chunk list loops back to chunk 0", 3);
	build(0, 1000);
	vm_scene_chunk(1)->hdr.next.phys = vm_phys(VM_CHUNK_PAGE(0));
	expect("the chunk list loops back to chunk 0", 1000);
	build(0, 1500);
	vm_scene_chunk(2)->hdr.next.phys = vm_phys(VM_CHUNK_PAGE(1));
	expect("the chunk list loops back to chunk 1", 1500);
	/* Before the list is too long: restoring the chunk again fails. */
	build(0, 1000);
	vm_scene_chunk(0)->hdr.next.phys = vm_phys(VM_CHUNK_PAGE(0));
	expect("the chunk list loops back to chunk 0", KHO_VMALLOC_SIZE);
}

static void test_vmalloc_not_ram(void)
{
	/* The first chunk: below the arena, far away. */
	build(0, 3);
	s.d.first.phys = vm_guard_phys(false);
	expect("is not RAM", 0);
	build(0, 3);
	s.d.first.phys = 1ULL << 50;
	expect("is not RAM", 0);
	/* A link: above the arena, and to a hole in it. */
	build(0, 3);
	vm_scene_chunk(0)->hdr.next.phys = vm_guard_phys(true);
	expect("is not RAM", 3);
	build(0, 1000);
	vm_set_hole(VM_CHUNK_PAGE(1));
	expect("is not RAM", KHO_VMALLOC_SIZE);
	/* A block; a hole past its head just takes its stamp. */
	build(2, 3);
	vm_set_hole(s.block[1]);
	expect("a block at", 4);
	CHECK(r.reason && strstr(r.reason, "is not RAM"));
	build(2, 3);
	vm_set_hole(s.block[1] + 3);
	expect("was not preserved at order 2", 4);
}

static void test_vmalloc_order(void)
{
	build(0, 3);
	s.d.order = MAX_PAGE_ORDER + 1;
	s.d.total_pages = 1U << (MAX_PAGE_ORDER + 1);
	expect("above MAX_PAGE_ORDER", 0);
	CHECK(r.invalid);
	build(0, 3);
	s.d.order = 1;
	expect("not a multiple of 2^order", 0);
	build(0, 3);
	s.d.flags = KHO_VMALLOC_HUGE_VMAP;
	expect("KHO_VMALLOC_ALLOC is not set", 0);
	build(0, 3);
	s.d.flags |= 0x100;
	expect("unknown flags", 0);
	build(0, 3);
	s.d.total_pages = VM_ARENA_PAGES + 1;
	expect("more than this kernel's memory", 0);
}

static void test_vmalloc_totals(void)
{
	build(0, 3);
	s.d.total_pages++;
	expect("fewer blocks than total_pages", 3);
	build(0, 1000);
	s.d.total_pages += 600;
	expect("fewer blocks than total_pages", 1000);
	build(3, 3);
	s.d.total_pages -= 8;
	expect("more blocks than total_pages", 16);
	/* A chunk more than total_pages needs, even a valid one. */
	build(0, 3);
	vm_stamp(VM_CHUNK_PAGE(1), 0);
	vm_scene_chunk(1)->phys[0] = vm_phys(s.block[0] ^ 1);
	vm_stamp(s.block[0] ^ 1, 0);
	vm_scene_chunk(0)->hdr.next.phys = vm_phys(VM_CHUNK_PAGE(1));
	s.d.total_pages = 3;
	expect("the chunk list is longer than total_pages needs", 3);
	/* An empty chunk. */
	build(0, 600);
	vm_scene_chunk(1)->phys[0] = 0;
	expect("is empty", KHO_VMALLOC_SIZE);
}

static void test_vmalloc_blocks(void)
{
	/* Page aligned, not block aligned. */
	build(1, 3);
	vm_scene_chunk(0)->phys[1] += PAGE_SIZE;
	expect("not aligned to its order 1", 2);
	/* Not preserved, or preserved at another order. */
	build(0, 3);
	vm_unstamp(s.block[2]);
	expect("was not preserved at order 0", 2);
	build(2, 3);
	vm_stamp(s.block[0], 1);
	expect("was not preserved at order 2", 0);
	/* Listed twice: restored already. */
	build(0, 3);
	vm_scene_chunk(0)->phys[2] = vm_phys(s.block[0]);
	expect("was not preserved", 2);
	/* The chunk listed as a block of itself. */
	build(0, 3);
	vm_scene_chunk(0)->phys[1] = vm_phys(VM_CHUNK_PAGE(0));
	expect("was not preserved", 1);
	/* A block, taken back already, linked as the next chunk. */
	build(0, 3);
	vm_scene_chunk(0)->hdr.next.phys = vm_phys(s.block[1]);
	s.d.total_pages = 1000;
	expect("a chunk at", 3);
	CHECK(r.reason && strstr(r.reason, "was not preserved"));
	/* A misaligned chunk link. */
	build(0, 3);
	vm_scene_chunk(0)->hdr.next.phys = vm_phys(VM_CHUNK_PAGE(1)) + 8;
	expect("is not page aligned", 3);
}

static void test_vmalloc_nomem(void)
{
	build(0, 3);
	s.fail_alloc = true;
	expect("no memory", 0);
}

static void segv_exit(int sig)
{
	(void)sig;
	_exit(42);
}

/* Outside the pages the walk owns, the arena is closed: reads crash. */
static void test_vmalloc_arena_closed(void)
{
	int status = 0;
	pid_t pid;

	build(0, 3);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		signal(SIGSEGV, segv_exit);
		vm_seal();
		/* The load is used, so it stays. */
		_exit(*(char *)vm_mem(VM_CHUNK_PAGE(0)) ? 1 : 0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	expect(NULL, 3);
}

const struct test_case vmalloc_tests[] = {
	TEST_CASE(test_vmalloc_valid),
	TEST_CASE(test_vmalloc_loop),
	TEST_CASE(test_vmalloc_not_ram),
	TEST_CASE(test_vmalloc_order),
	TEST_CASE(test_vmalloc_totals),
	TEST_CASE(test_vmalloc_blocks),
	TEST_CASE(test_vmalloc_nomem),
	TEST_CASE(test_vmalloc_arena_closed),
	{ NULL, NULL }
};
