// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checks of kernel/liveupdate/luo_in_check.c on a LUO handover the
 * input makes in the fake physical memory of shims/luo/: a root blob (a
 * preserved block of its own at BLOB_PHYS, or not a block) and up to
 * NB_MAX more blocks, each made as a session array or a file array of up
 * to 7 entries, of exactly that size, an entry or a byte short, or any
 * size, at its own address or any; or raw bytes. Every pointer (the root's
 * session array, each session's file array) is a block's head, the blob,
 * 0, next to a head, or any value, so they hit, miss and alias. Names,
 * handler compatibles and tokens come from tables, from earlier entries
 * (duplicates), from the input, empty or unterminated.
 *
 * luo_check_root() runs, then luo_check_sessions() if it accepts, as
 * luo_in.c runs them, maybe with one of their allocations failed. A model
 * written from the ABI's rules (include/linux/kho/abi/luo.h) decides every
 * verdict and the text of every reason, cut as snprintf() cuts it, and
 * which allocation exists to fail. Whatever the model says, what is
 * accepted must hold: the root has at most LUO_ABI_MAX_SESSIONS sessions
 * in a block that holds them; each accepted session has a non-empty
 * NUL-terminated name no other accepted session has, reserved 0, no file
 * array for no file, else at most LUO_ABI_MAX_FILES files in a file array
 * that is a block of its own (not the blob, not the session array, not
 * another accepted session's) holding them, each with a non-empty
 * NUL-terminated handler compatible and a token unique in its session; a
 * refused one has a reason, terminated, and no files.
 * Every block is exactly its size of heap, so ASan catches any read past
 * it; no allocation may be left.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/kho/abi/luo.h>
#include "../../../../kernel/liveupdate/luo_in_check.h"
#include "../shims/luo/luo_shim.h"
#include "fuzz.h"
#include "fuzz_input.h"

#define NB_MAX		8	/* blocks besides the blob */
#define COUNT_MAX	7	/* entries a block is made with */
#define BLOCK_MAX	2048	/* bytes of a block of any size */
#define BLOB_PHYS	0x40000000ULL
#define BLOCK_PHYS(i)	(0x50000000ULL + (u64)(i) * PAGE_SIZE)
#define SESS_SIZE	sizeof(struct luo_abi_session)
#define FILE_SIZE	sizeof(struct luo_abi_file)

struct block {
	u64 phys;
	bool added;		/* in the memory map: its address was free */
	bool files;		/* made as a file array, not a session array */
	bool raw;		/* its bytes from the input */
	u32 count;		/* entries it is made with */
	size_t size;
	u8 *mem;
};

struct luo_fuzz {
	struct block b[NB_MAX];
	unsigned int nb;
	u8 *blob;
	size_t blob_size;	/* as published */
	size_t blob_block;	/* bytes of its memory */
	bool blob_is_block;
	char *why;
	size_t wlen;
	long fail_nth;		/* 0: no allocation fails */
	int failures;
};

#define FAIL(f, fmt, ...)						\
	do {								\
		fprintf(stderr, "fuzz_luo: " fmt "\n", ##__VA_ARGS__);	\
		(f)->failures++;					\
	} while (0)

static int verbose = -1;	/* print each verdict: KHO_FUZZ_VERBOSE */

static const char *const names[] = {
	"vm0", "vm1", "a", "ab", "luo-6.12",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",
};

static const char *const handlers[] = {
	"memfd-v1", "luo-test-v1", "memfd-v2", "m",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstu",
};

static const char *const other_compats[] = {
	"luo-6.1", "luo-6.13", "luo-6.12x", "LUO-6.12", "luo-6.12 ",
};

/* ---- The memory ---- */

/* The block at exactly @phys, as the memory map holds it. */
static const u8 *find_block(const struct luo_fuzz *f, u64 phys, size_t *size)
{
	unsigned int i;

	if (f->blob_is_block && phys == BLOB_PHYS) {
		*size = f->blob_block;
		return f->blob;
	}
	for (i = 0; i < f->nb; i++) {
		if (f->b[i].added && f->b[i].phys == phys) {
			*size = f->b[i].size;
			return f->b[i].mem;
		}
	}
	return NULL;
}

/* ---- Making the handover ---- */

/*
 * A pointer: mostly a block's head (its index in *@target), or the blob,
 * 0, just past a head, or any value.
 */
static u64 in_ptr(struct fuzz_in *in, const struct luo_fuzz *f, int *target)
{
	u8 tag = in_u8(in);

	*target = -1;
	switch (tag & 7) {
	case 0:
	case 1:
	case 2:
	case 3:
		if (!f->nb)
			return BLOB_PHYS;
		*target = (tag >> 3) % f->nb;
		return f->b[*target].phys;
	case 4:
		return BLOB_PHYS;
	case 5:
		return 0;
	case 6:
		return (f->nb ? f->b[(tag >> 3) % f->nb].phys : BLOB_PHYS) +
		       8 * (1 + (tag >> 6));
	default:
		return in_u64(in);
	}
}

/*
 * A count for an array at @target: mostly the count it was made with, or
 * small, around the most (LUO_ABI_MAX_SESSIONS, LUO_ABI_MAX_FILES), or any.
 */
static u32 in_count(struct fuzz_in *in, const struct luo_fuzz *f, int target,
		    u32 max)
{
	u8 tag = in_u8(in);

	switch (tag & 3) {
	case 0:
	case 1:
		return target >= 0 ? f->b[target].count : (tag >> 2) & 1;
	case 2:
		return (tag >> 2) % 16;
	default:
		if (tag & 4)
			return max - 1 + (tag >> 3) % 3;
		return in_u32(in);
	}
}

/* At most @len bytes of @src, up to its NUL, into @s (zeroed). */
static void copy_string(char *s, const char *src, size_t len)
{
	memcpy(s, src, strnlen(src, len));
}

/* A string of @len bytes: from @table, another's, the input, empty, full. */
static void in_string(struct fuzz_in *in, char *s, size_t len,
		      const char *const *table, unsigned int nt,
		      const char *earlier)
{
	u8 tag = in_u8(in), n;

	memset(s, 0, len);
	switch (tag & 7) {
	case 0:
	case 1:
	case 2:
	case 3:
		copy_string(s, table[(tag >> 3) % nt], len);
		break;
	case 4:
		copy_string(s, earlier ?: table[0], len);
		break;
	case 5:
		n = in_u8(in) % (len + 1);
		in_copy(in, s, n);
		break;
	case 6:
		break;
	default:
		memset(s, 'x', len);
	}
}

static void make_session(struct fuzz_in *in, struct luo_fuzz *f,
			 struct luo_abi_session *s, u32 i)
{
	const char *earlier = NULL;
	u8 tag;
	int target;

	if (i)
		earlier = s[-(int)(1 + in_u8(in) % i)].name;
	in_string(in, s->name, sizeof(s->name), names, ARRAY_SIZE(names),
		  earlier);
	s->files = in_ptr(in, f, &target);
	s->nr_files = in_count(in, f, target, LUO_ABI_MAX_FILES);
	tag = in_u8(in);
	s->reserved = (tag & 15) == 15 ? in_u32(in) : 0;
}

static void make_file(struct fuzz_in *in, struct luo_abi_file *fl, u32 j)
{
	u8 tag;

	in_string(in, fl->compatible, sizeof(fl->compatible), handlers,
		  ARRAY_SIZE(handlers), j ? fl[-1].compatible : NULL);
	tag = in_u8(in);
	switch (tag & 3) {
	case 0:
		fl->token = 100 + j;
		break;
	case 1:
		fl->token = (tag >> 2) & 3;
		break;
	case 2:
		fl->token = in_u64(in);
		break;
	default:
		fl->token = j ? fl[-(int)(1 + (tag >> 2) % j)].token : 0;
	}
	fl->data = j;
}

/* The block headers: where each lies, what it is made as, its size. */
static void make_headers(struct fuzz_in *in, struct luo_fuzz *f)
{
	struct block *b;
	unsigned int i;
	size_t entry;
	u8 tag;

	for (i = 0; i < f->nb; i++) {
		b = &f->b[i];
		tag = in_u8(in);
		b->files = tag & 1;
		b->count = (tag >> 1) & 7;
		b->raw = (tag & 0xc0) == 0xc0;
		entry = b->files ? FILE_SIZE : SESS_SIZE;
		switch ((tag >> 4) & 3) {
		case 0:
		case 1:
			b->size = b->count * entry;
			break;
		case 2:
			/* An entry short, or a byte. */
			b->size = b->count * entry;
			b->size -= b->size < entry ? b->size : tag & 0x40 ? entry : 1;
			break;
		default:
			b->size = in_u16(in) % BLOCK_MAX;
		}
		tag = in_u8(in);
		if ((tag & 7) == 7)
			b->phys = in_u64(in);
		else if ((tag & 7) == 6)
			b->phys = BLOCK_PHYS(i) + 8;
		else
			b->phys = BLOCK_PHYS(i);
	}
}

static void make_root(struct fuzz_in *in, struct luo_fuzz *f,
		      struct luo_abi_root *r)
{
	u8 tag = in_u8(in);
	int target;

	memset(r, 0, sizeof(*r));
	switch (tag & 7) {
	case 0:
	case 1:
	case 2:
	case 3:
		memcpy(r->compatible, LUO_ABI_COMPATIBLE, sizeof(LUO_ABI_COMPATIBLE));
		/* Bytes after the NUL. */
		if (tag & 8)
			memset(r->compatible + sizeof(LUO_ABI_COMPATIBLE), 'z',
			       sizeof(r->compatible) - sizeof(LUO_ABI_COMPATIBLE));
		break;
	case 4:
		snprintf(r->compatible, sizeof(r->compatible), "%s",
			 other_compats[(tag >> 3) % ARRAY_SIZE(other_compats)]);
		break;
	case 5:
		in_copy(in, r->compatible, sizeof(r->compatible));
		break;
	case 6:
		break;
	default:
		memset(r->compatible, 'l', sizeof(r->compatible));
	}
	tag = in_u8(in);
	r->version = (tag & 3) == 3 ? in_u32(in) : LUO_ABI_VERSION;
	r->sessions = in_ptr(in, f, &target);
	r->nr_sessions = in_count(in, f, target, LUO_ABI_MAX_SESSIONS);
}

static void make_content(struct fuzz_in *in, struct luo_fuzz *f, struct block *b)
{
	static u8 tmp[(COUNT_MAX + 1) * SESS_SIZE];
	u32 j;

	if (b->raw) {
		in_copy(in, b->mem, b->size);
		return;
	}
	memset(tmp, 0, sizeof(tmp));
	/* An entry past the count, for blocks larger than it. */
	for (j = 0; j <= b->count; j++) {
		if (b->files)
			make_file(in, (struct luo_abi_file *)tmp + j, j);
		else
			make_session(in, f, (struct luo_abi_session *)tmp + j, j);
	}
	memcpy(b->mem, tmp, b->size < sizeof(tmp) ? b->size : sizeof(tmp));
}

/* ---- The model ---- */

/* Why the root is refused, as luo_check_root() words it; false if good. */
static bool model_root(const struct luo_fuzz *f, const struct luo_abi_root *r,
		       char *word, size_t len)
{
	size_t have;

	if (f->blob_size < sizeof(*r))
		snprintf(word, len, "a blob of %zu bytes, shorter than the %zu-byte root",
			 f->blob_size, sizeof(*r));
	else if (!memchr(r->compatible, '\0', sizeof(r->compatible)))
		snprintf(word, len, "the compatible string has no NUL");
	else if (!r->compatible[0])
		snprintf(word, len, "the compatible string is empty");
	else if (strcmp(r->compatible, LUO_ABI_COMPATIBLE))
		snprintf(word, len, "compatible \"%s\", not \"%s\"",
			 r->compatible, LUO_ABI_COMPATIBLE);
	else if (r->version != LUO_ABI_VERSION)
		snprintf(word, len, "version %u, not %u", r->version,
			 LUO_ABI_VERSION);
	else if (!r->nr_sessions)
		snprintf(word, len, "no session in a published handover");
	else if (r->nr_sessions > LUO_ABI_MAX_SESSIONS)
		snprintf(word, len, "%u sessions, more than %u", r->nr_sessions,
			 LUO_ABI_MAX_SESSIONS);
	else if (!find_block(f, r->sessions, &have))
		snprintf(word, len, "the session array at 0x%llx is not a block the previous kernel preserved",
			 (unsigned long long)r->sessions);
	else if ((u64)r->nr_sessions * SESS_SIZE > have)
		snprintf(word, len, "%u sessions need %llu bytes, but their block at 0x%llx has %zu",
			 r->nr_sessions,
			 (unsigned long long)r->nr_sessions * SESS_SIZE,
			 (unsigned long long)r->sessions, have);
	else
		return false;
	return true;
}

struct verdict {
	char why[LUO_WHY_LEN];	/* empty: accepted */
	const struct luo_abi_file *files;
};

/* One session on its own. */
static void model_session(const struct luo_fuzz *f, const struct luo_abi_root *r,
			  const struct luo_abi_session *s, u32 i,
			  struct verdict *v)
{
	const struct luo_abi_file *fl;
	size_t have, len = sizeof(v->why);
	u32 j;

	v->why[0] = '\0';
	v->files = NULL;
	if (!memchr(s->name, '\0', sizeof(s->name))) {
		snprintf(v->why, len, "session %u: its name has no NUL", i);
		return;
	}
	if (!s->name[0]) {
		snprintf(v->why, len, "session %u: its name is empty", i);
		return;
	}
	if (s->reserved) {
		snprintf(v->why, len, "session \"%s\": reserved field 0x%x",
			 s->name, s->reserved);
		return;
	}
	if (!s->nr_files) {
		if (s->files)
			snprintf(v->why, len, "session \"%s\": a file array at 0x%llx for no file",
				 s->name, (unsigned long long)s->files);
		return;
	}
	if (s->nr_files > LUO_ABI_MAX_FILES) {
		snprintf(v->why, len, "session \"%s\": %u files, more than %u",
			 s->name, s->nr_files, LUO_ABI_MAX_FILES);
		return;
	}
	if (s->files == r->sessions || s->files == BLOB_PHYS) {
		snprintf(v->why, len, "session \"%s\": its file array at 0x%llx is the root's",
			 s->name, (unsigned long long)s->files);
		return;
	}
	fl = (const void *)find_block(f, s->files, &have);
	if (!fl) {
		snprintf(v->why, len, "session \"%s\": the file array at 0x%llx is not a block the previous kernel preserved",
			 s->name, (unsigned long long)s->files);
		return;
	}
	if ((u64)s->nr_files * FILE_SIZE > have) {
		snprintf(v->why, len, "session \"%s\": %u files need %llu bytes, but their block has %zu",
			 s->name, s->nr_files,
			 (unsigned long long)s->nr_files * FILE_SIZE, have);
		return;
	}
	for (j = 0; j < s->nr_files; j++) {
		if (!memchr(fl[j].compatible, '\0', sizeof(fl[j].compatible)) ||
		    !fl[j].compatible[0]) {
			snprintf(v->why, len, "session \"%s\": file %u: its handler compatible %s",
				 s->name, j,
				 fl[j].compatible[0] ? "has no NUL" : "is empty");
			return;
		}
	}
	v->files = fl;
}

/*
 * luo_check_sessions() by the rules, pairwise: each session on its own;
 * then of the ones left, a name an earlier one has; then of the ones left
 * with files, an array an earlier one has; then a token used twice. The
 * allocations are one for the comparisons and one per session left for
 * the tokens: returns -ENOMEM if the @fail_nth-th is one of them.
 */
static int model_sessions(const struct luo_fuzz *f, const struct luo_abi_root *r,
			  const struct luo_abi_session *s, struct verdict *v)
{
	u32 i, j, k, n = r->nr_sessions;
	long allocs = 1;
	u64 dup;
	bool found;

	for (i = 0; i < n; i++)
		model_session(f, r, &s[i], i, &v[i]);
	if (f->fail_nth == 1)
		return -ENOMEM;
	/* Later ones refused by name: compare with the ones left before. */
	for (i = n; i-- > 0;) {
		if (v[i].why[0])
			continue;
		for (j = 0; j < i; j++) {
			if (!v[j].why[0] && !strcmp(s[j].name, s[i].name)) {
				snprintf(v[i].why, sizeof(v[i].why),
					 "session %u: the name \"%s\" is session %u's",
					 i, s[i].name, j);
				v[i].files = NULL;
				break;
			}
		}
	}
	for (i = n; i-- > 0;) {
		if (v[i].why[0] || !v[i].files)
			continue;
		for (j = 0; j < i; j++) {
			if (!v[j].why[0] && v[j].files &&
			    s[j].files == s[i].files) {
				snprintf(v[i].why, sizeof(v[i].why),
					 "session \"%s\": its file array at 0x%llx is session \"%s\"'s",
					 s[i].name, (unsigned long long)s[i].files,
					 s[j].name);
				v[i].files = NULL;
				break;
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (v[i].why[0] || !v[i].files)
			continue;
		if (++allocs == f->fail_nth)
			return -ENOMEM;
		found = false;
		dup = 0;
		for (j = 0; j < s[i].nr_files; j++)
			for (k = 0; k < j; k++)
				if (v[i].files[j].token == v[i].files[k].token &&
				    (!found || v[i].files[j].token < dup)) {
					dup = v[i].files[j].token;
					found = true;
				}
		if (found) {
			snprintf(v[i].why, sizeof(v[i].why),
				 "session \"%s\": token 0x%llx is used twice",
				 s[i].name, (unsigned long long)dup);
			v[i].files = NULL;
		}
	}
	return 0;
}

/* ---- The checks ---- */

/* What must hold of the verdicts, whatever the model says. */
static void check_verdicts(struct luo_fuzz *f, const struct luo_abi_root *r,
			   const struct luo_abi_session *s,
			   const struct luo_in_session *in)
{
	const struct luo_abi_file *fl;
	u32 i, j, k, n = r->nr_sessions;
	size_t have;

	for (i = 0; i < n; i++) {
		if (in[i].abi != &s[i])
			FAIL(f, "session %u: abi %p, not %p", i,
			     (void *)in[i].abi, (void *)&s[i]);
		if (!memchr(in[i].refused, '\0', sizeof(in[i].refused))) {
			FAIL(f, "session %u: reason not terminated", i);
			continue;
		}
		if (in[i].refused[0]) {
			if (in[i].files)
				FAIL(f, "session %u: refused with files", i);
			continue;
		}
		if (!memchr(s[i].name, '\0', sizeof(s[i].name)) || !s[i].name[0]) {
			FAIL(f, "session %u: accepted a bad name", i);
			continue;
		}
		for (j = 0; j < i; j++)
			if (!in[j].refused[0] && !strcmp(s[j].name, s[i].name))
				FAIL(f, "sessions %u and %u: both accepted as \"%s\"",
				     j, i, s[i].name);
		if (s[i].reserved)
			FAIL(f, "session %u: accepted with reserved %#x", i,
			     s[i].reserved);
		if (!s[i].nr_files) {
			if (s[i].files || in[i].files)
				FAIL(f, "session %u: accepted a file array for no file", i);
			continue;
		}
		if (s[i].nr_files > LUO_ABI_MAX_FILES)
			FAIL(f, "session %u: accepted %u files", i, s[i].nr_files);
		fl = (const void *)find_block(f, s[i].files, &have);
		if (!in[i].files || in[i].files != fl)
			FAIL(f, "session %u: files %p, the block at %#llx is %p", i,
			     (void *)in[i].files, (unsigned long long)s[i].files,
			     (void *)fl);
		if (!fl)
			continue;
		if ((u64)s[i].nr_files * FILE_SIZE > have)
			FAIL(f, "session %u: %u files in a block of %zu", i,
			     s[i].nr_files, have);
		if (s[i].files == r->sessions || s[i].files == BLOB_PHYS)
			FAIL(f, "session %u: accepted the root's array", i);
		for (j = 0; j < i; j++)
			if (!in[j].refused[0] && in[j].files &&
			    (in[j].files == fl || s[j].files == s[i].files))
				FAIL(f, "sessions %u and %u: both accepted with the array at %#llx",
				     j, i, (unsigned long long)s[i].files);
		if ((u64)s[i].nr_files * FILE_SIZE > have)
			continue;
		for (j = 0; j < s[i].nr_files; j++) {
			if (!memchr(fl[j].compatible, '\0', sizeof(fl[j].compatible)) ||
			    !fl[j].compatible[0])
				FAIL(f, "session %u: file %u: accepted a bad compatible", i, j);
			for (k = 0; k < j; k++)
				if (fl[k].token == fl[j].token)
					FAIL(f, "session %u: files %u and %u: both accepted with token %#llx",
					     i, k, j, (unsigned long long)fl[j].token);
		}
	}
}

static void check_sessions(struct luo_fuzz *f, const struct luo_abi_root *r,
			   const struct luo_abi_session *s)
{
	u32 i, n = r->nr_sessions;
	struct luo_in_session *in;
	struct verdict *v;
	unsigned long lookups;
	int ret, expect;

	/* Exactly @n entries, as luo_in.c allocates them. */
	in = calloc(n, sizeof(*in));
	v = calloc(n, sizeof(*v));
	if (!in || !v)
		abort();
	lookups = luo_mem_lookups();
	if (f->fail_nth)
		luo_fail_alloc_nth(f->fail_nth);
	ret = luo_check_sessions(r, s, BLOB_PHYS, luo_mem_block, in);
	luo_fail_alloc_nth(0);
	expect = model_sessions(f, r, s, v);
	if (verbose) {
		fprintf(stderr, "  sessions: %d\n", ret);
		for (i = 0; i < n && !ret; i++)
			fprintf(stderr, "    %u: %s\n", i,
				in[i].refused[0] ? in[i].refused : "accepted");
	}
	if (luo_allocs_live())
		FAIL(f, "sessions: %ld allocations left", luo_allocs_live());
	if (luo_mem_lookups() - lookups > n)
		FAIL(f, "sessions: %lu lookups for %u sessions",
		     luo_mem_lookups() - lookups, n);
	if (ret != expect)
		FAIL(f, "sessions: returned %d, model %d", ret, expect);
	if (ret == 0) {
		for (i = 0; i < n; i++) {
			if (strcmp(in[i].refused, v[i].why))
				FAIL(f, "session %u: \"%s\", model \"%s\"", i,
				     in[i].refused, v[i].why);
			else if (!expect && in[i].files != v[i].files)
				FAIL(f, "session %u: files %p, model %p", i,
				     (void *)in[i].files, (void *)v[i].files);
		}
		check_verdicts(f, r, s, in);
	} else if (ret != -ENOMEM) {
		FAIL(f, "sessions: returned %d", ret);
	}
	free(v);
	free(in);
}

int kho_fuzz_luo(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	const struct luo_abi_session *sessions;
	struct luo_fuzz f = { 0 };
	struct luo_abi_root root;
	char word[LUO_WHY_LEN];
	const char *reason;
	unsigned long lookups;
	bool refuse;
	u8 mode, tag;
	unsigned int i;

	if (verbose < 0)
		verbose = !!getenv("KHO_FUZZ_VERBOSE");
	luo_mem_reset();
	mode = in_u8(&in);
	if ((mode & 3) == 3)
		f.fail_nth = 1 + in_u8(&in) % 4;
	f.wlen = mode & 4 ? 1 + in_u8(&in) % LUO_WHY_LEN : LUO_WHY_LEN;
	f.blob_is_block = !(mode & 8);
	f.nb = in_u8(&in) % (NB_MAX + 1);
	make_headers(&in, &f);

	/* The blob: a root, shorter or longer, in a block maybe larger. */
	tag = in_u8(&in);
	switch (tag & 3) {
	case 0:
	case 1:
		f.blob_size = sizeof(root);
		break;
	case 2:
		f.blob_size = in_u8(&in) % sizeof(root);
		break;
	default:
		f.blob_size = sizeof(root) + in_u8(&in);
	}
	f.blob_block = f.blob_size + (tag & 4 ? in_u16(&in) % PAGE_SIZE : 0);
	if (f.blob_is_block)
		f.blob = luo_mem_add(BLOB_PHYS, f.blob_block);
	else
		f.blob = calloc(1, f.blob_block);
	if (!f.blob)
		abort();
	for (i = 0; i < f.nb; i++) {
		f.b[i].mem = luo_mem_add(f.b[i].phys, f.b[i].size);
		f.b[i].added = f.b[i].mem;
	}
	make_root(&in, &f, &root);
	memcpy(f.blob, &root, f.blob_block < sizeof(root) ? f.blob_block : sizeof(root));
	for (i = 0; i < f.nb; i++)
		if (f.b[i].added)
			make_content(&in, &f, &f.b[i]);
	if (f.blob_block > sizeof(root))
		in_copy(&in, f.blob + sizeof(root), f.blob_block - sizeof(root));

	f.why = malloc(f.wlen);
	memset(f.why, 0xa5, f.wlen);
	sessions = NULL;
	lookups = luo_mem_lookups();
	reason = luo_check_root(f.blob, f.blob_size, luo_mem_block, &sessions,
				f.why, f.wlen);
	if (verbose)
		fprintf(stderr, "  root (%zu bytes, block %zu%s): %s\n",
			f.blob_size, f.blob_block,
			f.blob_is_block ? "" : ", not a block",
			reason ?: "accepted");
	refuse = model_root(&f, &root, word, f.wlen);
	if (luo_mem_lookups() - lookups > 1)
		FAIL(&f, "root: %lu lookups", luo_mem_lookups() - lookups);
	if (!refuse != !reason)
		FAIL(&f, "root: %s, model %s", reason ?: "accepted",
		     refuse ? word : "accepts");
	if (reason) {
		/* Only a 1-byte buffer leaves no room for a word. */
		if (!reason_ok(reason, f.why, f.wlen) ||
		    (f.wlen > 1 && !reason[0]))
			FAIL(&f, "root: malformed reason");
		else if (refuse && strcmp(reason, word))
			FAIL(&f, "root: \"%s\", model \"%s\"", reason, word);
	} else if (!refuse) {
		size_t have;
		const void *b = find_block(&f, root.sessions, &have);

		if (!b || sessions != b || root.nr_sessions > LUO_ABI_MAX_SESSIONS ||
		    (u64)root.nr_sessions * SESS_SIZE > have)
			FAIL(&f, "root: accepted a session array that does not hold it");
		else
			check_sessions(&f, (const struct luo_abi_root *)f.blob,
				       sessions);
	}
	if (luo_allocs_live())
		FAIL(&f, "%ld allocations left", luo_allocs_live());
	free(f.why);
	if (!f.blob_is_block)
		free(f.blob);
	luo_mem_reset();
	return f.failures;
}
