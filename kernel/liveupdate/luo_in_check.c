// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_in_check.c - the next kernel's checks of the LUO handover
 *
 * Everything here reads memory the previous kernel wrote and trusts none of
 * it (the layout is in include/linux/kho/abi/luo.h). A pointer is followed
 * only once the block it names is known to be one the previous kernel
 * preserved, and an array is read only as far as its block reaches. The
 * root decides for all sessions; after it, each session is accepted or
 * refused on its own. Each check says why it refuses, naming the problem.
 * tools/testing/kho builds this file unchanged and fuzzes it.
 */

#include <linux/kernel.h>
#include <linux/kho/abi/luo.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "luo_in_check.h"

/* @s holds a NUL within @len bytes, and not at its start. */
static const char *luo_check_string(const char *s, size_t len)
{
	if (!memchr(s, '\0', len))
		return "has no NUL";
	if (!s[0])
		return "is empty";
	return NULL;
}

/**
 * luo_check_root - check the root of the LUO handover
 * @blob: the blob as kho_retrieve_subtree() found it
 * @size: its size, as the previous kernel published it
 * @block: how preserved blocks are found
 * @sessions: returns the session array, @nr_sessions entries long
 * @why: room for the reason of a refusal
 * @len: its size
 *
 * Return: NULL if the root is good; otherwise @why, saying what is wrong.
 * Nothing of the handover can be used then.
 */
const char *luo_check_root(const void *blob, size_t size, luo_block_fn block,
			   const struct luo_abi_session **sessions,
			   char *why, size_t len)
{
	const struct luo_abi_root *root = blob;
	const char *bad;
	size_t have;
	u64 need;

	if (size < sizeof(*root)) {
		snprintf(why, len, "a blob of %zu bytes, shorter than the %zu-byte root",
			 size, sizeof(*root));
		return why;
	}
	bad = luo_check_string(root->compatible, sizeof(root->compatible));
	if (bad) {
		snprintf(why, len, "the compatible string %s", bad);
		return why;
	}
	if (strcmp(root->compatible, LUO_ABI_COMPATIBLE)) {
		snprintf(why, len, "compatible \"%s\", not \"%s\"",
			 root->compatible, LUO_ABI_COMPATIBLE);
		return why;
	}
	if (root->version != LUO_ABI_VERSION) {
		snprintf(why, len, "version %u, not %u", root->version,
			 LUO_ABI_VERSION);
		return why;
	}
	if (!root->nr_sessions) {
		snprintf(why, len, "no session in a published handover");
		return why;
	}
	if (root->nr_sessions > LUO_ABI_MAX_SESSIONS) {
		snprintf(why, len, "%u sessions, more than %u", root->nr_sessions,
			 LUO_ABI_MAX_SESSIONS);
		return why;
	}
	*sessions = block(root->sessions, &have);
	if (!*sessions) {
		snprintf(why, len,
			 "the session array at %#llx is not a block the previous kernel preserved",
			 (unsigned long long)root->sessions);
		return why;
	}
	need = (u64)root->nr_sessions * sizeof(**sessions);
	if (need > have) {
		snprintf(why, len, "%u sessions need %llu bytes, but their block at %#llx has %zu",
			 root->nr_sessions, (unsigned long long)need,
			 (unsigned long long)root->sessions, have);
		return why;
	}
	return NULL;
}

/* One session on its own: name, reserved field, file array. */
static void luo_check_session(const struct luo_abi_session *s, u32 idx,
			      u64 root_sessions, u64 blob_phys,
			      luo_block_fn block, struct luo_in_session *in)
{
	const char *bad = luo_check_string(s->name, sizeof(s->name));
	size_t have;
	u64 need;
	u32 i;

	in->abi = s;
	in->files = NULL;
	in->refused[0] = '\0';
	if (bad) {
		snprintf(in->refused, sizeof(in->refused), "session %u: its name %s",
			 idx, bad);
		return;
	}
	if (s->reserved) {
		snprintf(in->refused, sizeof(in->refused), "session \"%s\": reserved field %#x",
			 s->name, s->reserved);
		return;
	}
	if (!s->nr_files) {
		if (s->files)
			snprintf(in->refused, sizeof(in->refused),
				 "session \"%s\": a file array at %#llx for no file",
				 s->name, (unsigned long long)s->files);
		return;
	}
	if (s->nr_files > LUO_ABI_MAX_FILES) {
		snprintf(in->refused, sizeof(in->refused),
			 "session \"%s\": %u files, more than %u", s->name,
			 s->nr_files, LUO_ABI_MAX_FILES);
		return;
	}
	if (s->files == root_sessions || s->files == blob_phys) {
		snprintf(in->refused, sizeof(in->refused),
			 "session \"%s\": its file array at %#llx is the root's",
			 s->name, (unsigned long long)s->files);
		return;
	}
	in->files = block(s->files, &have);
	if (!in->files) {
		snprintf(in->refused, sizeof(in->refused),
			 "session \"%s\": the file array at %#llx is not a block the previous kernel preserved",
			 s->name, (unsigned long long)s->files);
		return;
	}
	need = (u64)s->nr_files * sizeof(*in->files);
	if (need > have) {
		snprintf(in->refused, sizeof(in->refused),
			 "session \"%s\": %u files need %llu bytes, but their block has %zu",
			 s->name, s->nr_files, (unsigned long long)need, have);
		in->files = NULL;
		return;
	}
	for (i = 0; i < s->nr_files; i++) {
		bad = luo_check_string(in->files[i].compatible,
				       sizeof(in->files[i].compatible));
		if (bad) {
			snprintf(in->refused, sizeof(in->refused),
				 "session \"%s\": file %u: its handler compatible %s",
				 s->name, i, bad);
			in->files = NULL;
			return;
		}
	}
}

static int luo_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* A token used twice in @in's file array; 0 if none (or no memory). */
static int luo_dup_token(const struct luo_in_session *in, u64 *dup)
{
	u32 i, n = in->abi->nr_files;
	u64 *tok;

	tok = kvmalloc_array(n, sizeof(*tok), GFP_KERNEL);
	if (!tok)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		tok[i] = in->files[i].token;
	sort(tok, n, sizeof(*tok), luo_cmp_u64, NULL);
	for (i = 1; i < n; i++) {
		if (tok[i] == tok[i - 1]) {
			*dup = tok[i];
			kvfree(tok);
			return 1;
		}
	}
	kvfree(tok);
	return 0;
}

/* Sessions by name, then index; by file array, then index. */
struct luo_key {
	const struct luo_in_session *in;
	u32 idx;
};

static int luo_cmp_name(const void *a, const void *b)
{
	const struct luo_key *x = a, *y = b;
	int c = strcmp(x->in->abi->name, y->in->abi->name);

	return c ?: (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static int luo_cmp_files(const void *a, const void *b)
{
	const struct luo_key *x = a, *y = b;
	u64 p = x->in->abi->files, q = y->in->abi->files;

	if (p != q)
		return p < q ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Refuse the later of two accepted sessions that share a key: a name, or
 * a file array (two sessions reading one array would take its files twice).
 */
static void luo_refuse_shared(struct luo_in_session *in, struct luo_key *key,
			      u32 n, bool by_name)
{
	u32 i, k = 0;

	for (i = 0; i < n; i++) {
		if (in[i].refused[0] || (!by_name && !in[i].files))
			continue;
		key[k].in = &in[i];
		key[k++].idx = i;
	}
	sort(key, k, sizeof(*key), by_name ? luo_cmp_name : luo_cmp_files, NULL);
	for (i = 1; i < k; i++) {
		struct luo_in_session *s = &in[key[i].idx];
		const struct luo_in_session *first = key[i - 1].in;

		if (by_name && !strcmp(s->abi->name, first->abi->name))
			snprintf(s->refused, sizeof(s->refused),
				 "session %u: the name \"%s\" is session %u's",
				 key[i].idx, s->abi->name, key[i - 1].idx);
		else if (!by_name && s->abi->files == first->abi->files)
			snprintf(s->refused, sizeof(s->refused),
				 "session \"%s\": its file array at %#llx is session \"%s\"'s",
				 s->abi->name, (unsigned long long)s->abi->files,
				 first->abi->name);
		else
			continue;
		s->files = NULL;
		/* The kept one stays the first of its run. */
		key[i] = key[i - 1];
	}
}

/**
 * luo_check_sessions - check every session of a root luo_check_root() took
 * @root: the root
 * @sessions: its session array
 * @blob_phys: the physical address of the root blob
 * @block: how preserved blocks are found
 * @in: an array of @root->nr_sessions entries, filled with each session's
 *	verdict
 *
 * A session is refused for a bad name or reserved field, more than
 * %LUO_ABI_MAX_FILES files, a file array that is not a preserved block of
 * its own or is too short for its count, a handler compatible that is
 * empty or has no NUL, a token used twice, or a name an earlier session
 * has (of those that pass the checks of their own name, reserved field
 * and file array); the others are accepted.
 *
 * Return: 0, or -ENOMEM if the checks could not run; nothing is accepted then.
 */
int luo_check_sessions(const struct luo_abi_root *root,
		       const struct luo_abi_session *sessions,
		       u64 blob_phys, luo_block_fn block,
		       struct luo_in_session *in)
{
	u32 i, n = root->nr_sessions;
	struct luo_key *key;
	u64 tok;
	int dup;

	for (i = 0; i < n; i++)
		luo_check_session(&sessions[i], i, root->sessions, blob_phys,
				  block, &in[i]);

	key = kvmalloc_array(n, sizeof(*key), GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	luo_refuse_shared(in, key, n, true);
	luo_refuse_shared(in, key, n, false);
	kvfree(key);

	for (i = 0; i < n; i++) {
		if (in[i].refused[0] || !in[i].files)
			continue;
		dup = luo_dup_token(&in[i], &tok);
		if (dup < 0)
			return dup;
		if (dup) {
			snprintf(in[i].refused, sizeof(in[i].refused),
				 "session \"%s\": token %#llx is used twice",
				 in[i].abi->name, (unsigned long long)tok);
			in[i].files = NULL;
		}
	}
	return 0;
}
