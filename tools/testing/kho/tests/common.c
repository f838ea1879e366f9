// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include "test.h"

void key_set_add(struct key_set *s, u64 key)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->keys = realloc(s->keys, s->cap * sizeof(*s->keys));
		if (!s->keys)
			abort();
	}
	s->keys[s->n++] = key;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

void key_set_sort(struct key_set *s)
{
	if (s->n)
		qsort(s->keys, s->n, sizeof(*s->keys), cmp_u64);
}

void key_set_free(struct key_set *s)
{
	free(s->keys);
	memset(s, 0, sizeof(*s));
}

static int collect(phys_addr_t phys, unsigned int order, void *arg)
{
	key_set_add(arg, kho_radix_encode_key(phys, order));
	return 0;
}

int walk_keys(struct kho_radix_tree *tree, struct key_set *s)
{
	return kho_radix_walk_tree(tree, collect, s);
}

bool tree_equals(struct kho_radix_tree *tree, const struct key_set *s)
{
	struct key_set w = { 0 };
	bool same;

	same = !walk_keys(tree, &w) && w.n == s->n &&
	       (!w.n || !memcmp(w.keys, s->keys, w.n * sizeof(u64)));
	key_set_free(&w);
	return same;
}

/*
 * One root, plus one node per distinct key prefix at each lower level: a
 * node of level l covers the keys sharing bits above 15 + 9 * l.
 */
long min_tree_pages(const struct key_set *s)
{
	long pages = 1;
	unsigned int l, shift;
	size_t i;

	for (l = 0; l < 5; l++) {
		shift = 15 + 9 * l;
		for (i = 0; i < s->n; i++)
			if (!i || s->keys[i] >> shift != s->keys[i - 1] >> shift)
				pages++;
	}
	return pages;
}

u64 rand64(void)
{
	static u64 x = 0x9e3779b97f4a7c15ULL;

	/* xorshift64*: reproducible across runs. */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return x * 0x2545f4914f6cdd1dULL;
}
