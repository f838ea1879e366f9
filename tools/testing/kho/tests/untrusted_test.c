// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of kho_radix_walk_untrusted(). "RAM" is an arena of ARENA_PAGES
 * pages whose last SCRATCH_PAGES pages are scratch; tree nodes are
 * allocated from the rest, and preserved blocks are arena addresses.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include "../shims/kho_shim.h"
#include "test.h"

#define ARENA_PAGES	4096UL		/* 16 MiB, aligned to 16 MiB */
#define SCRATCH_PAGES	512UL
#define ARENA_SIZE	(ARENA_PAGES * PAGE_SIZE)

static char *map, *arena;
static phys_addr_t ram_start, ram_end, scratch_start;

struct ctx {
	unsigned long nodes, visits;
	unsigned long stop_at;
	int stop_val;
	struct key_set keys;
};

static void arena_setup(void)
{
	map = mmap(NULL, 2 * ARENA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(map != MAP_FAILED);
	arena = (char *)(((uintptr_t)map + ARENA_SIZE - 1) & ~(ARENA_SIZE - 1));
	ram_start = virt_to_phys(arena);
	ram_end = ram_start + ARENA_SIZE;
	scratch_start = ram_end - SCRATCH_PAGES * PAGE_SIZE;
	shim_arena_use(arena, ARENA_PAGES - SCRATCH_PAGES);
}

static void arena_teardown(void)
{
	shim_arena_use(NULL, 0);
	munmap(map, 2 * ARENA_SIZE);
}

static int check_node(phys_addr_t phys, void *arg)
{
	struct ctx *c = arg;

	c->nodes++;
	if (phys < ram_start || phys >= ram_end)
		return -ERANGE;
	if (phys >= scratch_start)
		return -EBUSY;
	return 0;
}

static int check_block(phys_addr_t phys, unsigned int order, void *arg)
{
	u64 size = PAGE_SIZE << order;

	if (phys < ram_start || phys + size > ram_end)
		return -ERANGE;
	if (phys + size > scratch_start)
		return -EBUSY;
	return 0;
}

static int visit(phys_addr_t phys, unsigned int order, void *arg)
{
	struct ctx *c = arg;

	key_set_add(&c->keys, kho_radix_encode_key(phys, order));
	return ++c->visits == c->stop_at ? c->stop_val : 0;
}

static struct kho_radix_walk_ops ops = {
	.check_node = check_node,
	.check_block = check_block,
	.visit = visit,
	.max_order = 10,
	.max_nodes = ARENA_PAGES,
};

static int walk(struct kho_radix_tree *tree, struct ctx *c,
		struct kho_radix_walk_error *err)
{
	return kho_radix_walk_untrusted(virt_to_phys(tree->root), &ops, c, err);
}

/* The node of @level on the path of @key. */
static struct kho_radix_node *node_of(struct kho_radix_tree *tree, u64 key,
				      unsigned int level)
{
	struct kho_radix_node *node = tree->root;
	unsigned int l;

	for (l = KHO_RADIX_ROOT_LEVEL; l > level; l--)
		node = phys_to_virt(node->table[kho_radix_key_index(key, l)]);
	return node;
}

static u64 *slot_of(struct kho_radix_tree *tree, u64 key, unsigned int level)
{
	return &node_of(tree, key, level)->table[kho_radix_key_index(key, level)];
}

/* A slot of the level @level node on @key's path, not the one @key uses. */
static unsigned int other_slot(u64 key, unsigned int level)
{
	return (kho_radix_key_index(key, level) + 1) % 512;
}

static unsigned long arena_pfn(unsigned long page)
{
	return PHYS_PFN(ram_start) + page;
}

/* A tree holding one order-0 page of the arena, key returned. */
static u64 one_page_tree(struct kho_radix_tree *tree)
{
	CHECK_EQ(kho_radix_tree_init(tree), 0);
	CHECK_EQ(kho_radix_add_page(tree, arena_pfn(100), 0), 0);
	return kho_radix_encode_key(PFN_PHYS(arena_pfn(100)), 0);
}

static void check_err(const struct kho_radix_walk_error *err,
		      const char *reason, phys_addr_t phys, unsigned int level)
{
	CHECK(err->reason && !strcmp(err->reason, reason));
	if (err->reason && strcmp(err->reason, reason))
		fprintf(stderr, "reason: %s\n", err->reason);
	CHECK_EQ(err->phys, phys);
	CHECK_EQ(err->level, level);
}

static void test_untrusted_valid_tree(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct key_set ref = { 0 };
	struct ctx c = { 0 };
	unsigned long pfn, added = 0;
	unsigned int order;
	int i, ret;

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (i = 0; i < 3000; i++) {
		order = rand64() % 11;
		pfn = rand64() % (ARENA_PAGES - SCRATCH_PAGES - (1UL << order));
		pfn = arena_pfn(pfn) & ~((1UL << order) - 1);
		ret = kho_radix_add_page(&tree, pfn, order);
		CHECK(ret == 0 || ret == -EEXIST);
		added += !ret;
	}
	CHECK_EQ(walk_keys(&tree, &ref), 0);
	CHECK_EQ(walk(&tree, &c, &err), 0);
	CHECK(!err.reason);
	CHECK_EQ(c.visits, added);
	CHECK_EQ(c.nodes, shim_pages_live());
	CHECK(tree_equals(&tree, &c.keys));
	key_set_free(&c.keys);

	/* Exactly enough nodes passes; one fewer does not. */
	c = (struct ctx){ 0 };
	ops.max_nodes = shim_pages_live();
	CHECK_EQ(walk(&tree, &c, &err), 0);
	key_set_free(&c.keys);
	ops.max_nodes--;
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	CHECK(err.reason && !strcmp(err.reason, "too many nodes"));
	ops.max_nodes = ARENA_PAGES;
	key_set_free(&c.keys);
	key_set_free(&ref);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

static void test_untrusted_empty_tree(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct ctx c = { 0 };

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(walk(&tree, &c, &err), 0);
	CHECK_EQ(c.visits, 0);
	CHECK_EQ(c.nodes, 1);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

static void test_untrusted_misaligned_root(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct ctx c = { 0 };
	phys_addr_t root;

	arena_setup();
	one_page_tree(&tree);
	root = virt_to_phys(tree.root) + 8;
	CHECK_EQ(kho_radix_walk_untrusted(root, &ops, &c, &err), -EINVAL);
	check_err(&err, "misaligned node pointer", root, 5);
	CHECK_EQ(c.nodes, 0);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

/*
 * A one-page tree whose slot of @level on the page's path gets bad values,
 * each walk expected to fail at that value, and the good one put back.
 */
struct bad_slot {
	struct kho_radix_tree tree;
	struct ctx c;
	u64 *slot, good;
};

static void bad_slot_init(struct bad_slot *b, unsigned int level)
{
	arena_setup();
	b->c = (struct ctx){ 0 };
	b->slot = slot_of(&b->tree, one_page_tree(&b->tree), level);
	b->good = *b->slot;
}

static void expect_bad_slot(struct bad_slot *b, u64 bad, int ret,
			    const char *reason, unsigned int level)
{
	struct kho_radix_walk_error err;

	*b->slot = bad;
	CHECK_EQ(walk(&b->tree, &b->c, &err), ret);
	check_err(&err, reason, bad, level);
}

static void bad_slot_free(struct bad_slot *b)
{
	*b->slot = b->good;
	kho_radix_tree_free(&b->tree);
	arena_teardown();
}

static void test_untrusted_misaligned_pointer(void)
{
	struct bad_slot b;

	bad_slot_init(&b, 3);
	expect_bad_slot(&b, b.good + 0x10, -EINVAL, "misaligned node pointer", 2);
	CHECK_EQ(b.c.visits, 0);
	bad_slot_free(&b);
}

static void test_untrusted_node_outside_ram(void)
{
	struct bad_slot b;

	bad_slot_init(&b, 1);
	/* The first page past RAM, then a page below RAM. */
	expect_bad_slot(&b, ram_end, -ERANGE, "node rejected", 0);
	expect_bad_slot(&b, 0x1000, -ERANGE, "node rejected", 0);
	bad_slot_free(&b);
}

static void test_untrusted_node_in_scratch(void)
{
	struct bad_slot b;

	bad_slot_init(&b, 4);
	expect_bad_slot(&b, scratch_start + 3 * PAGE_SIZE, -EBUSY,
			"node rejected", 3);
	bad_slot_free(&b);
}

static void test_untrusted_self_loop(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct kho_radix_node *l3;
	struct ctx c = { 0 };
	unsigned int slot;
	u64 key;

	arena_setup();
	key = one_page_tree(&tree);
	l3 = node_of(&tree, key, 3);
	slot = other_slot(key, 3);
	l3->table[slot] = virt_to_phys(l3);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "node loop", virt_to_phys(l3), 2);
	/* The genuine block is visited if it comes before the loop. */
	CHECK_EQ(c.visits, slot > kho_radix_key_index(key, 3));
	key_set_free(&c.keys);
	l3->table[slot] = 0;
	kho_radix_tree_free(&tree);
	arena_teardown();
}

static void test_untrusted_ancestor_loop(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct kho_radix_node *l1, *l4;
	struct ctx c = { 0 };
	u64 key;

	arena_setup();
	key = one_page_tree(&tree);
	l1 = node_of(&tree, key, 1);
	/* A leaf slot to the root. */
	l1->table[other_slot(key, 1)] = virt_to_phys(tree.root);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "node loop", virt_to_phys(tree.root), 0);
	l1->table[other_slot(key, 1)] = 0;

	l4 = node_of(&tree, key, 4);
	node_of(&tree, key, 2)->table[other_slot(key, 2)] = virt_to_phys(l4);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "node loop", virt_to_phys(l4), 1);
	node_of(&tree, key, 2)->table[other_slot(key, 2)] = 0;
	key_set_free(&c.keys);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

/* Every slot of every level points to the same child: 512^5 paths. */
static void test_untrusted_shared_nodes_bounded(void)
{
	struct kho_radix_node *node[KHO_TREE_MAX_DEPTH];
	struct kho_radix_walk_error err;
	struct ctx c = { 0 };
	unsigned int l, i;

	arena_setup();
	for (l = 0; l < KHO_TREE_MAX_DEPTH; l++)
		node[l] = (void *)get_zeroed_page(GFP_KERNEL);
	for (l = 1; l < KHO_TREE_MAX_DEPTH; l++)
		for (i = 0; i < 512; i++)
			node[l]->table[i] = virt_to_phys(node[l - 1]);
	CHECK_EQ(kho_radix_walk_untrusted(virt_to_phys(node[5]), &ops, &c,
					  &err), -EINVAL);
	CHECK(err.reason && !strcmp(err.reason, "too many nodes"));
	CHECK_EQ(c.nodes, ARENA_PAGES);
	for (l = 0; l < KHO_TREE_MAX_DEPTH; l++)
		free_page((unsigned long)node[l]);
	arena_teardown();
}

static void test_untrusted_order_above_max(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct ctx c = { 0 };

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, arena_pfn(0), 11), 0);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "order too high", ram_start, 0);
	CHECK_EQ(c.visits, 0);
	ops.max_order = 11;
	CHECK_EQ(walk(&tree, &c, &err), 0);
	CHECK_EQ(c.visits, 1);
	ops.max_order = 10;
	key_set_free(&c.keys);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

/* Keys 0 and 1 and keys above the order-0 marker hold no block. */
static void test_untrusted_impossible_keys(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct kho_radix_leaf *leaf;
	struct ctx c = { 0 };

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, 0, 51), 0);	/* key 2 */
	leaf = (void *)node_of(&tree, 2, 0);
	ops.max_order = UINT_MAX;
	CHECK_EQ(test_and_clear_bit(2, leaf->bitmap), true);
	__set_bit(1, leaf->bitmap);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "order too high", 0, 0);
	CHECK(test_and_clear_bit(1, leaf->bitmap));
	__set_bit(0, leaf->bitmap);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "order too high", 0, 0);
	CHECK(test_and_clear_bit(0, leaf->bitmap));

	/* Root slot 4 and up: keys of 2^53 and more. */
	tree.root->table[4] = tree.root->table[0];
	tree.root->table[0] = 0;
	__set_bit(2, leaf->bitmap);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "order too high", 0, 0);
	tree.root->table[0] = tree.root->table[4];
	tree.root->table[4] = 0;
	ops.max_order = 10;
	CHECK_EQ(c.visits, 0);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

static void test_untrusted_block_outside_ram(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct ctx c = { 0 };

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, PHYS_PFN(ram_end), 0), 0);
	CHECK_EQ(walk(&tree, &c, &err), -ERANGE);
	check_err(&err, "block rejected", ram_end, 0);
	CHECK_EQ(c.visits, 0);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

static void test_untrusted_block_in_scratch(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct ctx c = { 0 };
	unsigned long pfn;

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	/* Inside scratch. */
	pfn = arena_pfn(ARENA_PAGES - SCRATCH_PAGES + 1);
	CHECK_EQ(kho_radix_add_page(&tree, pfn, 0), 0);
	CHECK_EQ(walk(&tree, &c, &err), -EBUSY);
	check_err(&err, "block rejected", PFN_PHYS(pfn), 0);
	CHECK_EQ(kho_radix_del_page(&tree, pfn, 0), 0);
	/* Straddling the start of scratch. */
	pfn = arena_pfn(ARENA_PAGES - SCRATCH_PAGES - 512);
	CHECK_EQ(kho_radix_add_page(&tree, pfn, 10), 0);
	CHECK_EQ(walk(&tree, &c, &err), -EBUSY);
	check_err(&err, "block rejected", PFN_PHYS(pfn), 0);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

static void test_untrusted_block_wraps(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct ctx c = { 0 };

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	CHECK_EQ(kho_radix_add_page(&tree, KHO_RADIX_MAX_PFN, 0), 0);
	CHECK_EQ(walk(&tree, &c, &err), -EINVAL);
	check_err(&err, "block wraps past 2^64", PFN_PHYS(KHO_RADIX_MAX_PFN), 0);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

/* A bad order-5 block is walked before a loop under order 0. */
static void test_untrusted_first_problem_reported(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct kho_radix_node *l3;
	struct ctx c = { 0 };
	u64 key;

	arena_setup();
	key = one_page_tree(&tree);
	CHECK_EQ(kho_radix_add_page(&tree, PHYS_PFN(scratch_start), 5), 0);
	l3 = node_of(&tree, key, 3);
	l3->table[other_slot(key, 3)] = virt_to_phys(l3);
	CHECK_EQ(walk(&tree, &c, &err), -EBUSY);
	check_err(&err, "block rejected", scratch_start, 0);
	l3->table[other_slot(key, 3)] = 0;
	kho_radix_tree_free(&tree);
	arena_teardown();
}

static void test_untrusted_visit_stop(void)
{
	struct kho_radix_walk_error err;
	struct kho_radix_tree tree;
	struct ctx c = { .stop_at = 3, .stop_val = 7 };
	unsigned long i;

	arena_setup();
	CHECK_EQ(kho_radix_tree_init(&tree), 0);
	for (i = 0; i < 5; i++)
		CHECK_EQ(kho_radix_add_page(&tree, arena_pfn(i * 8), 0), 0);
	CHECK_EQ(walk(&tree, &c, &err), 7);
	CHECK(!err.reason);
	CHECK_EQ(c.visits, 3);
	key_set_free(&c.keys);
	kho_radix_tree_free(&tree);
	arena_teardown();
}

const struct test_case untrusted_tests[] = {
	TEST_CASE(test_untrusted_valid_tree),
	TEST_CASE(test_untrusted_empty_tree),
	TEST_CASE(test_untrusted_misaligned_root),
	TEST_CASE(test_untrusted_misaligned_pointer),
	TEST_CASE(test_untrusted_node_outside_ram),
	TEST_CASE(test_untrusted_node_in_scratch),
	TEST_CASE(test_untrusted_self_loop),
	TEST_CASE(test_untrusted_ancestor_loop),
	TEST_CASE(test_untrusted_shared_nodes_bounded),
	TEST_CASE(test_untrusted_order_above_max),
	TEST_CASE(test_untrusted_impossible_keys),
	TEST_CASE(test_untrusted_block_outside_ram),
	TEST_CASE(test_untrusted_block_in_scratch),
	TEST_CASE(test_untrusted_block_wraps),
	TEST_CASE(test_untrusted_first_problem_reported),
	TEST_CASE(test_untrusted_visit_stop),
	{ NULL, NULL }
};
