// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arbitrary tree pages for kho_radix_walk_untrusted(). The input writes
 * u64 values (pointers to arena pages, misaligned or wild values, bitmap
 * words) into the TREE_PAGES writable pages of an arena. The arena's
 * scratch pages and the guard pages around it are PROT_NONE, so reading a
 * rejected node crashes. Every visited block must have passed the checks,
 * in ascending key order, and the walk must stay within max_nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/kho/radix_tree.h>
#include "fuzz.h"

#define TREE_PAGES	12
#define SCRATCH_PAGES	4
#define ARENA_PAGES	(TREE_PAGES + SCRATCH_PAGES)

/* Where blocks may be: [0, 2^46) except [2^40, 2^41). */
#define BLOCK_RAM_END		BIT_ULL(46)
#define BLOCK_SCRATCH_START	BIT_ULL(40)
#define BLOCK_SCRATCH_END	BIT_ULL(41)

static char *arena;
static int verbose = -1;	/* print each walk's result: KHO_FUZZ_VERBOSE */

struct fuzz_ctx {
	unsigned int max_order;
	unsigned long max_nodes, nodes, visits, stop_at;
	int stop_val, failures;
	phys_addr_t checked_phys;
	unsigned int checked_order;
	bool checked;
	u64 last_key;
};

#define FAIL(c, fmt, ...)						\
	do {								\
		fprintf(stderr, "fuzz_untrusted: " fmt "\n", ##__VA_ARGS__); \
		(c)->failures++;					\
	} while (0)

static void arena_init(void)
{
	char *map;

	map = mmap(NULL, (ARENA_PAGES + 2) * PAGE_SIZE, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		abort();
	arena = map + PAGE_SIZE;
	if (mprotect(arena, TREE_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE))
		abort();
}

static phys_addr_t page_phys(unsigned int i)
{
	return virt_to_phys(arena + (size_t)i * PAGE_SIZE);
}

static int check_node(phys_addr_t phys, void *arg)
{
	struct fuzz_ctx *c = arg;

	if (phys & (PAGE_SIZE - 1))
		FAIL(c, "node %#llx checked while misaligned",
		     (unsigned long long)phys);
	if (++c->nodes > c->max_nodes)
		FAIL(c, "more than %lu nodes", c->max_nodes);
	if (phys < page_phys(0) || phys >= page_phys(ARENA_PAGES))
		return -ERANGE;
	if (phys >= page_phys(TREE_PAGES))
		return -EBUSY;
	return 0;
}

static int check_block(phys_addr_t phys, unsigned int order, void *arg)
{
	struct fuzz_ctx *c = arg;
	u64 end = phys + (PAGE_SIZE << order);

	c->checked = false;
	if (end > BLOCK_RAM_END)
		return -ERANGE;
	if (end > BLOCK_SCRATCH_START && phys < BLOCK_SCRATCH_END)
		return -EBUSY;
	c->checked = true;
	c->checked_phys = phys;
	c->checked_order = order;
	return 0;
}

static int visit(phys_addr_t phys, unsigned int order, void *arg)
{
	struct fuzz_ctx *c = arg;
	u64 key;

	if (!c->checked || c->checked_phys != phys || c->checked_order != order)
		FAIL(c, "block visited without a check");
	c->checked = false;
	if (order > c->max_order || order > KHO_RADIX_MAX_ORDER ||
	    phys & ((PAGE_SIZE << order) - 1) ||
	    phys + (PAGE_SIZE << order) < phys)
		FAIL(c, "bad block %#llx order %u", (unsigned long long)phys,
		     order);
	key = kho_radix_encode_key(phys, order);
	if (c->visits && key <= c->last_key)
		FAIL(c, "keys not ascending");
	c->last_key = key;
	return ++c->visits == c->stop_at ? c->stop_val : 0;
}

int kho_fuzz_untrusted(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct kho_radix_walk_ops ops = {
		.check_node = check_node,
		.check_block = check_block,
		.visit = visit,
	};
	struct kho_radix_walk_error err;
	struct fuzz_ctx c = { 0 };
	phys_addr_t root;
	unsigned int page, idx, sel;
	u64 val, *slot;
	int ret;

	if (!arena)
		arena_init();
	memset(arena, 0, TREE_PAGES * PAGE_SIZE);
	if (size < 4)
		return 0;

	/* Header: root, max_order, max_nodes, visit stop. */
	root = page_phys(p[0] % TREE_PAGES) + (p[0] >= 250 ? p[0] : 0);
	ops.max_order = p[1] % 64;
	ops.max_nodes = p[2] % 32;
	c.max_order = ops.max_order;
	c.max_nodes = ops.max_nodes;
	c.stop_at = p[3] % 16;
	c.stop_val = p[3] & 0x80 ? -EINTR : 1;
	p += 4;

	/* Records: page/kind, slot (2 bytes), value selector. */
	while (end - p >= 4) {
		page = (p[0] & 15) % TREE_PAGES;
		idx = (p[1] | p[2] << 8) % 512;
		sel = p[3];
		p += 4;
		slot = (u64 *)(arena + (size_t)page * PAGE_SIZE) + idx;
		switch (p[-4] >> 4) {
		case 0 ... 7:		/* any arena page, scratch included */
			val = page_phys(sel % ARENA_PAGES);
			break;
		case 8:			/* misaligned, or guard pages */
			val = page_phys(sel % ARENA_PAGES) + sel;
			if (sel >= 0xf0)
				val = page_phys(ARENA_PAGES);
			break;
		case 9 ... 11:		/* a leaf bit */
			val = *slot | 1ULL << (sel % 64);
			break;
		case 12:		/* wild value from the input */
			if (end - p < 8)
				return c.failures;
			memcpy(&val, p, 8);
			p += 8;
			break;
		case 13:		/* low address outside the arena */
			val = (u64)sel << PAGE_SHIFT;
			break;
		default:		/* the page itself */
			val = page_phys(page);
			break;
		}
		*slot = val;
	}

	ret = kho_radix_walk_untrusted(root, &ops, &c, &err);
	if (c.stop_at && c.visits == c.stop_at) {
		if (ret != c.stop_val || err.reason)
			FAIL(&c, "stop value %d lost: %d", c.stop_val, ret);
	} else if (ret > 0 || (ret < 0) != !!err.reason) {
		FAIL(&c, "returned %d with reason %s", ret,
		     err.reason ? err.reason : "(none)");
	}
	if (c.nodes > c.max_nodes)
		FAIL(&c, "%lu nodes checked, max %lu", c.nodes, c.max_nodes);
	if (verbose < 0)
		verbose = !!getenv("KHO_FUZZ_VERBOSE");
	if (verbose)
		printf("#   walk: %d (%s), %lu nodes, %lu visits\n", ret,
		       err.reason ? err.reason : "no error", c.nodes, c.visits);
	return c.failures;
}
