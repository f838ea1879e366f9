// SPDX-License-Identifier: GPL-2.0-only
/*
 * Operation sequences decoded from the input, checked against a model (an
 * array of keys): every return value, the walk's exact sequence, and that
 * no page is leaked. Allocation failures are injected by the input too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kho/radix_tree.h>
#include <linux/pfn.h>
#include "../shims/kho_shim.h"
#include "fuzz.h"

#define MAX_KEYS	1024

struct input {
	const uint8_t *p, *end;
};

static unsigned int next8(struct input *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

static u64 next_bytes(struct input *in, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | next8(in);
	return v;
}

struct model {
	u64 keys[MAX_KEYS];
	int n;
};

static int model_find(const struct model *m, u64 key)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->keys[i] == key)
			return i;
	return -1;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

struct walk_state {
	u64 keys[MAX_KEYS];
	int n, stop_at, stop_val;
	bool overflow;
};

static int collect(phys_addr_t phys, unsigned int order, void *arg)
{
	struct walk_state *w = arg;

	if (w->n == MAX_KEYS) {
		w->overflow = true;
		return -E2BIG;
	}
	w->keys[w->n++] = kho_radix_encode_key(phys, order);
	return w->n == w->stop_at ? w->stop_val : 0;
}

#define FAIL(fmt, ...)							\
	do {								\
		fprintf(stderr, "fuzz_ops: " fmt "\n", ##__VA_ARGS__);	\
		failures++;						\
	} while (0)

int kho_fuzz_ops(const uint8_t *data, size_t size)
{
	struct input in = { data, data + size };
	static struct model m;
	static struct walk_state w;
	struct kho_radix_tree tree;
	long live = shim_pages_live(), fails;
	unsigned int op, sel, order;
	unsigned long pfn;
	int failures = 0, ret, want, i, n;
	bool valid;
	u64 key;

	m.n = 0;
	if (kho_radix_tree_init(&tree))
		return 1;
	/* Ops: 0-7 add (7 with a failure), 8-12 delete, 13-15 walk. */
	for (;;) {
		op = in.p < in.end ? next8(&in) % 16 : 16;
		if (op >= 13) {		/* walk; 14 and 15 stop early */
			memset(&w, 0, sizeof(w));
			if (op == 14 || op == 15) {
				w.stop_at = next8(&in) % 8 + 1;
				w.stop_val = op == 14 ? 1 : -EINTR;
			}
			ret = kho_radix_walk_tree(&tree, collect, &w);
			qsort(m.keys, m.n, sizeof(u64), cmp_u64);
			n = w.stop_at && w.stop_at < m.n ? w.stop_at : m.n;
			want = w.stop_at && w.stop_at <= m.n ? w.stop_val : 0;
			if (ret != want || w.n != n || w.overflow ||
			    memcmp(w.keys, m.keys, n * sizeof(u64)))
				FAIL("walk returned %d after %d, want %d after %d",
				     ret, w.n, want, n);
			if (op == 16)	/* the final check */
				break;
			continue;
		}

		sel = next8(&in);
		if (sel & 0x80 && m.n) {	/* a key in the tree */
			key = m.keys[next8(&in) % m.n];
			pfn = PHYS_PFN(kho_radix_decode_key(key, &order));
		} else {
			order = next8(&in);
			order = order < 224 ? order % 20 : order % 64;
			/* Mostly narrow pfns, so that keys share nodes. */
			pfn = next_bytes(&in, "\x02\x03\x05\x07"[sel >> 4 & 3]);
			if (!(sel & 0x40))	/* usually aligned */
				pfn &= ~((1UL << (order % 64)) - 1);
		}
		valid = order <= KHO_RADIX_MAX_ORDER &&
			pfn <= KHO_RADIX_MAX_PFN &&
			!(pfn & ((1UL << order) - 1));
		key = valid ? kho_radix_encode_key(PFN_PHYS(pfn), order) : 0;
		i = valid ? model_find(&m, key) : -1;

		if (op >= 8) {
			ret = kho_radix_del_page(&tree, pfn, order);
			want = !valid ? -EINVAL : i < 0 ? -ENOENT : 0;
			if (ret != want)
				FAIL("del(%#lx, %u) = %d, want %d", pfn, order,
				     ret, want);
			if (!ret && i >= 0)
				m.keys[i] = m.keys[--m.n];
			continue;
		}

		if (op == 7)		/* inject a failure */
			shim_fail_nth(next8(&in) % 6 + 1);
		fails = shim_fails_total();
		ret = kho_radix_add_page(&tree, pfn, order);
		shim_fail_nth(0);
		want = !valid ? -EINVAL : i >= 0 ? -EEXIST : 0;
		if (ret == -ENOMEM && !want && shim_fails_total() > fails)
			continue;	/* tree unchanged: the next walk checks */
		if (ret != want)
			FAIL("add(%#lx, %u) = %d, want %d", pfn, order, ret,
			     want);
		if (!ret && i < 0) {
			if (m.n == MAX_KEYS)
				break;
			m.keys[m.n++] = key;
		}
	}
	kho_radix_tree_free(&tree);
	if (shim_pages_live() != live)
		FAIL("%ld pages leaked", shim_pages_live() - live);
	return failures;
}
