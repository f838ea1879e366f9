/* SPDX-License-Identifier: GPL-2.0-only */
/* A minimal test runner: each test is a function; any failed check fails it. */
#ifndef _KHO_TEST_H
#define _KHO_TEST_H

#include <stdio.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/pfn.h>
#include <linux/kho/radix_tree.h>

extern int test_failures;	/* failed checks in the running test */

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			test_failures++;				\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (__a != __b) {					\
			test_failures++;				\
			fprintf(stderr,					\
				"%s:%d: %s == %lld, expected %s == %lld\n", \
				__FILE__, __LINE__, #a, __a, #b, __b);	\
		}							\
	} while (0)

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST_CASE(fn) { #fn, fn }

extern const struct test_case radix_tests[];
extern const struct test_case untrusted_tests[];
extern const struct test_case concurrency_tests[];
extern const struct test_case regress_tests[];
extern const struct test_case vmalloc_tests[];
extern const struct test_case overlaps_tests[];
extern const struct test_case handover_tests[];
extern const struct test_case rmem_tests[];
extern const struct test_case luo_tests[];

/* Helpers shared by the tests (common.c). */
struct key_set {
	u64 *keys;
	size_t n, cap;
};

void key_set_add(struct key_set *s, u64 key);
void key_set_sort(struct key_set *s);
void key_set_free(struct key_set *s);
/* Walk @tree into @s, in walk order. Returns the walk's result. */
int walk_keys(struct kho_radix_tree *tree, struct key_set *s);
/* Do @s (sorted) and the walk of @tree hold exactly the same keys? */
bool tree_equals(struct kho_radix_tree *tree, const struct key_set *s);
/* The fewest pages a tree holding the keys of @s (sorted) can have. */
long min_tree_pages(const struct key_set *s);
u64 rand64(void);

/* A check that @reason (a string, or NULL for none) contains @word. */
#define CHECK_REASON(reason, word)					\
	do {								\
		const char *__r = (reason), *__w = (word);		\
									\
		if (!__r || !strstr(__r, __w)) {			\
			test_failures++;				\
			fprintf(stderr, "%s:%d: reason \"%s\", expected \"%s\"\n", \
				__FILE__, __LINE__, __r ?: "(none)", __w); \
		}							\
	} while (0)

#endif
