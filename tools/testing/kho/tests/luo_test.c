// SPDX-License-Identifier: GPL-2.0-only
/*
 * Named cases of the next kernel's checks of the LUO handover
 * (kernel/liveupdate/luo_in_check.c) over the fake physical memory of
 * shims/luo/: each reason, word for word, and what is accepted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kho/abi/luo.h>
#include "../../../../kernel/liveupdate/luo_in_check.h"
#include "../shims/luo/luo_shim.h"
#include "test.h"

#define BLOB_PHYS	0x40000000ULL
#define SESS_PHYS	0x40001000ULL
#define FILES_PHYS(i)	(0x50000000ULL + (u64)(i) * 0x1000)
#define NAME_63		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"
#define MAX_SESSIONS	4

static struct luo_abi_root *root;
static struct luo_abi_session *sess;
static const struct luo_abi_session *got;
static char why[LUO_WHY_LEN];
static struct luo_in_session in[MAX_SESSIONS];

/* A reason exactly @want. */
#define CHECK_WHY(reason, want)						\
	do {								\
		const char *__r = (reason), *__w = (want);		\
									\
		if (!__r || strcmp(__r, __w)) {				\
			test_failures++;				\
			fprintf(stderr, "%s:%d: reason \"%s\", expected \"%s\"\n", \
				__FILE__, __LINE__, __r ?: "(none)", __w); \
		}							\
	} while (0)

/*
 * A good root of @nr sessions, its blob a block of its own at BLOB_PHYS,
 * the session array one of @bytes (zeroed) at SESS_PHYS.
 */
static void make_root_sized(u32 nr, size_t bytes)
{
	luo_mem_reset();
	root = luo_mem_add(BLOB_PHYS, sizeof(*root));
	memcpy(root->compatible, LUO_ABI_COMPATIBLE, sizeof(LUO_ABI_COMPATIBLE));
	root->version = LUO_ABI_VERSION;
	root->nr_sessions = nr;
	root->sessions = SESS_PHYS;
	sess = luo_mem_add(SESS_PHYS, bytes);
}

static void make_root(u32 nr)
{
	make_root_sized(nr, nr * sizeof(*sess));
}

/*
 * Session @i named @name with @nr files, in a block of @bytes at
 * FILES_PHYS(@i) (none for no file): handler "memfd-v1", tokens 100 + j.
 */
static struct luo_abi_file *session_sized(u32 i, const char *name, u32 nr,
					  size_t bytes)
{
	struct luo_abi_file *f = NULL;
	u32 j;

	memset(&sess[i], 0, sizeof(sess[i]));
	memcpy(sess[i].name, name, strnlen(name, sizeof(sess[i].name)));
	sess[i].nr_files = nr;
	if (!nr)
		return NULL;
	sess[i].files = FILES_PHYS(i);
	f = luo_mem_add(FILES_PHYS(i), bytes);
	for (j = 0; j < nr && (j + 1) * sizeof(*f) <= bytes; j++) {
		memcpy(f[j].compatible, "memfd-v1", sizeof("memfd-v1"));
		f[j].token = 100 + j;
		f[j].data = j;
	}
	return f;
}

static struct luo_abi_file *session(u32 i, const char *name, u32 nr)
{
	return session_sized(i, name, nr, nr * sizeof(struct luo_abi_file));
}

static const char *check_root(void)
{
	got = NULL;
	memset(why, 0xa5, sizeof(why));
	return luo_check_root(root, sizeof(*root), luo_mem_block, &got, why,
			      sizeof(why));
}

/* The root must pass; then every session is checked. */
static int check(void)
{
	int ret;

	CHECK(!check_root());
	CHECK(got == sess);
	if (got != sess)
		return -1;
	memset(in, 0xa5, sizeof(in));
	ret = luo_check_sessions(root, got, BLOB_PHYS, luo_mem_block, in);
	CHECK_EQ(luo_allocs_live(), 0);
	return ret;
}

static void accepted(u32 i, const struct luo_abi_file *files)
{
	CHECK_WHY(in[i].refused, "");
	CHECK(in[i].abi == &sess[i]);
	CHECK(in[i].files == files);
}

static void refused(u32 i, const char *want)
{
	CHECK_WHY(in[i].refused, want);
	CHECK(in[i].abi == &sess[i]);
	CHECK(!in[i].files);
}

/* ---- Accepted ---- */

static void test_luo_valid_one_session(void)
{
	const struct luo_abi_file *f;

	make_root(1);
	f = session(0, "vm0", 2);
	CHECK_EQ(check(), 0);
	accepted(0, f);
	CHECK_EQ(in[0].files[1].token, 101);
}

static void test_luo_valid_several_sessions(void)
{
	const struct luo_abi_file *f0, *f2, *f3;

	make_root(4);
	f0 = session(0, "vm0", 2);
	session(1, "vm1", 0);
	f2 = session(2, "vm2", 1);
	f3 = session(3, NAME_63, 3);
	CHECK_EQ(check(), 0);
	accepted(0, f0);
	accepted(1, NULL);
	accepted(2, f2);
	accepted(3, f3);
}

/* The session array in a larger block, as a page holds it. */
static void test_luo_valid_larger_blocks(void)
{
	const struct luo_abi_file *f;

	make_root_sized(1, 4096);
	f = session_sized(0, "vm0", 2, 4096);
	CHECK_EQ(check(), 0);
	accepted(0, f);
}

/* ---- luo_check_root() ---- */

static void test_luo_root_shorter_than_root(void)
{
	make_root(1);
	session(0, "vm0", 0);
	CHECK_WHY(luo_check_root(root, sizeof(*root) - 1, luo_mem_block, &got,
				 why, sizeof(why)),
		  "a blob of 47 bytes, shorter than the 48-byte root");
	CHECK_WHY(luo_check_root(root, 0, luo_mem_block, &got, why, sizeof(why)),
		  "a blob of 0 bytes, shorter than the 48-byte root");
	/* Exactly a root. */
	CHECK(!luo_check_root(root, sizeof(*root), luo_mem_block, &got, why,
			      sizeof(why)));
}

static void test_luo_root_compat_no_nul(void)
{
	char want[80];

	make_root(1);
	memset(root->compatible, 'l', sizeof(root->compatible));
	CHECK_WHY(check_root(), "the compatible string has no NUL");
	/* A NUL in the last byte is enough to be read. */
	root->compatible[sizeof(root->compatible) - 1] = '\0';
	snprintf(want, sizeof(want), "compatible \"%s\", not \"luo-6.12\"",
		 root->compatible);
	CHECK_EQ(strlen(root->compatible), 31);
	CHECK_WHY(check_root(), want);
}

static void test_luo_root_compat_empty(void)
{
	make_root(1);
	memset(root->compatible, 0, sizeof(root->compatible));
	CHECK_WHY(check_root(), "the compatible string is empty");
}

static void test_luo_root_compat_other(void)
{
	static const char *const other[] = {
		"luo-6.13", "luo-6.1", "luo-6.12x", "LUO-6.12", "luo-6.12 ",
	};
	char want[80];
	unsigned int i;

	make_root(1);
	session(0, "vm0", 0);
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		memset(root->compatible, 0, sizeof(root->compatible));
		snprintf(root->compatible, sizeof(root->compatible), "%s",
			 other[i]);
		snprintf(want, sizeof(want), "compatible \"%s\", not \"luo-6.12\"",
			 other[i]);
		CHECK_WHY(check_root(), want);
	}
	/* Bytes after the NUL are not looked at. */
	memset(root->compatible, 'x', sizeof(root->compatible));
	memcpy(root->compatible, LUO_ABI_COMPATIBLE, sizeof(LUO_ABI_COMPATIBLE));
	CHECK(!check_root());
}

static void test_luo_root_wrong_version(void)
{
	make_root(1);
	root->version = 2;
	CHECK_WHY(check_root(), "version 2, not 1");
	root->version = 0;
	CHECK_WHY(check_root(), "version 0, not 1");
	root->version = ~0U;
	CHECK_WHY(check_root(), "version 4294967295, not 1");
}

static void test_luo_root_zero_sessions(void)
{
	make_root(1);
	root->nr_sessions = 0;
	CHECK_WHY(check_root(), "no session in a published handover");
}

static void test_luo_root_sessions_not_a_block(void)
{
	make_root(1);
	root->sessions = SESS_PHYS + 8;
	CHECK_WHY(check_root(),
		  "the session array at 0x40001008 is not a block the previous kernel preserved");
	root->sessions = 0;
	CHECK_WHY(check_root(),
		  "the session array at 0x0 is not a block the previous kernel preserved");
	root->sessions = FILES_PHYS(0);
	CHECK_WHY(check_root(),
		  "the session array at 0x50000000 is not a block the previous kernel preserved");
	CHECK(!got);
}

static void test_luo_root_sessions_too_short(void)
{
	/* One entry short. */
	make_root_sized(3, 2 * sizeof(*sess));
	CHECK_WHY(check_root(),
		  "3 sessions need 240 bytes, but their block at 0x40001000 has 160");
	/* One byte short. */
	make_root_sized(3, 3 * sizeof(*sess) - 1);
	CHECK_WHY(check_root(),
		  "3 sessions need 240 bytes, but their block at 0x40001000 has 239");
	/* An empty block. */
	make_root_sized(1, 0);
	CHECK_WHY(check_root(),
		  "1 sessions need 80 bytes, but their block at 0x40001000 has 0");
	/* The most sessions, in too short a block. */
	make_root_sized(1, sizeof(*sess));
	root->nr_sessions = LUO_ABI_MAX_SESSIONS;
	CHECK_WHY(check_root(),
		  "65536 sessions need 5242880 bytes, but their block at 0x40001000 has 80");
}

static void test_luo_root_too_many_sessions(void)
{
	make_root(1);
	session(0, "a", 0);
	root->nr_sessions = LUO_ABI_MAX_SESSIONS + 1;
	CHECK_WHY(check_root(), "65537 sessions, more than 65536");
	root->nr_sessions = ~0U;
	CHECK_WHY(check_root(), "4294967295 sessions, more than 65536");
	/* Counted before the array is looked at. */
	root->sessions = 0;
	CHECK_WHY(check_root(), "4294967295 sessions, more than 65536");
}

/* The most sessions, all accepted: their names compared by sort(). */
static void test_luo_root_most_sessions(void)
{
	struct luo_in_session *all;
	u32 i, bad = 0;

	make_root(LUO_ABI_MAX_SESSIONS);
	for (i = 0; i < LUO_ABI_MAX_SESSIONS; i++)
		snprintf(sess[i].name, sizeof(sess[i].name), "s%u",
			 (i * 40503u) % LUO_ABI_MAX_SESSIONS);
	CHECK(!check_root());
	CHECK(got == sess);
	all = calloc(LUO_ABI_MAX_SESSIONS, sizeof(*all));
	CHECK_EQ(luo_check_sessions(root, got, BLOB_PHYS, luo_mem_block, all), 0);
	for (i = 0; i < LUO_ABI_MAX_SESSIONS; i++)
		bad += all[i].refused[0] || all[i].abi != &sess[i];
	CHECK_EQ(bad, 0);
	/* The last one named as the first: the later refused. */
	memcpy(sess[LUO_ABI_MAX_SESSIONS - 1].name, sess[0].name,
	       sizeof(sess[0].name));
	CHECK_EQ(luo_check_sessions(root, got, BLOB_PHYS, luo_mem_block, all), 0);
	CHECK_WHY(all[0].refused, "");
	CHECK_WHY(all[LUO_ABI_MAX_SESSIONS - 1].refused,
		  "session 65535: the name \"s0\" is session 0's");
	CHECK_EQ(luo_allocs_live(), 0);
	free(all);
	luo_mem_reset();
}

static void test_luo_root_sessions_exact_fit(void)
{
	make_root_sized(3, 3 * sizeof(*sess));
	session(0, "a", 0);
	session(1, "b", 0);
	session(2, "c", 0);
	CHECK_EQ(check(), 0);
	accepted(0, NULL);
	accepted(1, NULL);
	accepted(2, NULL);
}

/*
 * A root naming its own blob as its session array: the blob's block is
 * too short here; in a page it is read as one, as luo_in.c expects
 * ("A hostile root may name itself as its session array").
 */
static void test_luo_root_sessions_are_the_blob(void)
{
	make_root(1);
	root->sessions = BLOB_PHYS;
	CHECK_WHY(check_root(),
		  "1 sessions need 80 bytes, but their block at 0x40000000 has 48");

	luo_mem_reset();
	root = luo_mem_add(BLOB_PHYS, 4096);
	memcpy(root->compatible, LUO_ABI_COMPATIBLE, sizeof(LUO_ABI_COMPATIBLE));
	root->version = LUO_ABI_VERSION;
	root->nr_sessions = 1;
	root->sessions = BLOB_PHYS;
	CHECK(!check_root());
	CHECK(got == (void *)root);
	CHECK_EQ(luo_check_sessions(root, got, BLOB_PHYS, luo_mem_block, in), 0);
	/* Its name is the compatible string; no file. */
	CHECK_WHY(in[0].refused, "");
	CHECK_WHY(in[0].abi->name, LUO_ABI_COMPATIBLE);
	CHECK(!in[0].files);
}

static void test_luo_root_why_truncated(void)
{
	char small[10];

	make_root(1);
	memset(small, 0xa5, sizeof(small));
	CHECK(luo_check_root(root, 1, luo_mem_block, &got, small,
			     sizeof(small)) == small);
	CHECK_WHY(small, "a blob of");
}

/* ---- luo_check_sessions(): each session on its own ---- */

static void test_luo_session_name_no_nul(void)
{
	make_root(2);
	session(0, "vm0", 0);
	memset(sess[0].name, 'n', sizeof(sess[0].name));
	session(1, "vm1", 0);
	CHECK_EQ(check(), 0);
	refused(0, "session 0: its name has no NUL");
	accepted(1, NULL);
}

static void test_luo_session_name_empty(void)
{
	make_root(2);
	session(0, "vm0", 0);
	session(1, "", 0);
	CHECK_EQ(check(), 0);
	accepted(0, NULL);
	refused(1, "session 1: its name is empty");
}

static void test_luo_session_name_63(void)
{
	make_root(1);
	session(0, NAME_63, 0);
	CHECK_EQ(check(), 0);
	accepted(0, NULL);
}

static void test_luo_session_reserved(void)
{
	make_root(2);
	session(0, "a", 1);
	sess[0].reserved = 1;
	session(1, "b", 0);
	sess[1].reserved = 0x80000000;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": reserved field 0x1");
	refused(1, "session \"b\": reserved field 0x80000000");
}

static void test_luo_session_no_file_with_array(void)
{
	make_root(1);
	session(0, "a", 1);
	sess[0].nr_files = 0;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": a file array at 0x50000000 for no file");
}

static void test_luo_session_no_file_no_array(void)
{
	make_root(1);
	session(0, "a", 0);
	CHECK_EQ(check(), 0);
	accepted(0, NULL);
	/* No file: nothing is looked up, nothing allocated for tokens. */
	CHECK_EQ(luo_allocs(), 1);
}

static void test_luo_session_files_are_session_array(void)
{
	make_root(1);
	session(0, "a", 1);
	sess[0].files = SESS_PHYS;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": its file array at 0x40001000 is the root's");
}

static void test_luo_session_files_are_blob(void)
{
	make_root(1);
	session(0, "a", 1);
	sess[0].files = BLOB_PHYS;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": its file array at 0x40000000 is the root's");
}

static void test_luo_session_files_not_a_block(void)
{
	make_root(3);
	session(0, "a", 1);
	sess[0].files += 8;
	session(1, "b", 1);
	sess[1].files = FILES_PHYS(3);
	session(2, "c", 1);
	sess[2].files = ~0ULL;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": the file array at 0x50000008 is not a block the previous kernel preserved");
	refused(1, "session \"b\": the file array at 0x50003000 is not a block the previous kernel preserved");
	refused(2, "session \"c\": the file array at 0xffffffffffffffff is not a block the previous kernel preserved");
}

static void test_luo_session_files_too_short(void)
{
	const struct luo_abi_file *f;

	make_root(3);
	/* One entry short, one byte short; then an exact fit. */
	session_sized(0, "a", 3, 2 * sizeof(*f));
	session_sized(1, "b", 3, 3 * sizeof(*f) - 1);
	f = session_sized(2, "c", 3, 3 * sizeof(*f));
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": 3 files need 192 bytes, but their block has 128");
	refused(1, "session \"b\": 3 files need 192 bytes, but their block has 191");
	accepted(2, f);
}

static void test_luo_session_too_many_files(void)
{
	make_root(3);
	session(0, "a", 1);
	sess[0].nr_files = LUO_ABI_MAX_FILES + 1;
	session(1, "b", 1);
	sess[1].nr_files = ~0U;
	/* Counted before the array is looked at. */
	session(2, "c", 1);
	sess[2].nr_files = LUO_ABI_MAX_FILES + 1;
	sess[2].files = SESS_PHYS;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": 65537 files, more than 65536");
	refused(1, "session \"b\": 4294967295 files, more than 65536");
	refused(2, "session \"c\": 65537 files, more than 65536");
}

static void test_luo_session_most_files(void)
{
	struct luo_abi_file *f;
	u32 j;

	make_root(2);
	/* The most files, in a block of one. */
	session(0, "a", 1);
	sess[0].nr_files = LUO_ABI_MAX_FILES;
	/* And in their block, every token unique but the last. */
	f = session(1, "b", LUO_ABI_MAX_FILES);
	for (j = 0; j < LUO_ABI_MAX_FILES; j++)
		f[j].token = (u64)j << 40;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": 65536 files need 4194304 bytes, but their block has 64");
	accepted(1, f);
	f[LUO_ABI_MAX_FILES - 1].token = f[0].token;
	CHECK_EQ(check(), 0);
	refused(1, "session \"b\": token 0x0 is used twice");
	luo_mem_reset();
}

static void test_luo_file_compat_no_nul(void)
{
	struct luo_abi_file *f;

	make_root(2);
	f = session(0, "a", 3);
	memset(f[1].compatible, 'h', sizeof(f[1].compatible));
	f = session(1, "b", 1);
	/* The NUL in the last byte is enough. */
	memset(f[0].compatible, 'h', sizeof(f[0].compatible) - 1);
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": file 1: its handler compatible has no NUL");
	accepted(1, f);
}

static void test_luo_file_compat_empty(void)
{
	struct luo_abi_file *f;

	make_root(1);
	f = session(0, "a", 2);
	memset(f[1].compatible, 0, sizeof(f[1].compatible));
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": file 1: its handler compatible is empty");
}

static void test_luo_file_dup_token(void)
{
	struct luo_abi_file *f, *g;

	make_root(3);
	f = session(0, "a", 4);
	f[3].token = f[1].token;
	f = session(1, "b", 3);
	f[0].token = 0;
	f[2].token = 0;
	/* Equal tokens in two sessions are fine. */
	g = session(2, "c", 4);
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": token 0x65 is used twice");
	refused(1, "session \"b\": token 0x0 is used twice");
	accepted(2, g);
}

/* The smallest token used twice is named. */
static void test_luo_file_dup_token_smallest(void)
{
	struct luo_abi_file *f;

	make_root(1);
	f = session(0, "a", 4);
	f[0].token = 9;
	f[1].token = 7;
	f[2].token = 7;
	f[3].token = 9;
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": token 0x7 is used twice");
}

/* ---- luo_check_sessions(): sessions against each other ---- */

static void test_luo_dup_name(void)
{
	const struct luo_abi_file *f;

	make_root(2);
	f = session(0, "a", 1);
	session(1, "a", 1);
	CHECK_EQ(check(), 0);
	accepted(0, f);
	refused(1, "session 1: the name \"a\" is session 0's");
}

static void test_luo_dup_name_three(void)
{
	const struct luo_abi_file *f;

	make_root(4);
	session(0, "b", 0);
	f = session(1, "a", 1);
	session(2, "a", 0);
	session(3, "a", 2);
	CHECK_EQ(check(), 0);
	accepted(0, NULL);
	accepted(1, f);
	refused(2, "session 2: the name \"a\" is session 1's");
	refused(3, "session 3: the name \"a\" is session 1's");
}

/* A session refused on its own takes no name. */
static void test_luo_dup_name_of_refused(void)
{
	const struct luo_abi_file *f;

	make_root(2);
	session(0, "a", 0);
	sess[0].reserved = 1;
	f = session(1, "a", 1);
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": reserved field 0x1");
	accepted(1, f);
}

/*
 * Names are compared before tokens: a session kept for its name and then
 * refused for a token still refuses a later one of its name.
 */
static void test_luo_dup_name_then_dup_token(void)
{
	struct luo_abi_file *f;

	make_root(2);
	f = session(0, "a", 2);
	f[1].token = f[0].token;
	session(1, "a", 1);
	CHECK_EQ(check(), 0);
	refused(0, "session \"a\": token 0x64 is used twice");
	refused(1, "session 1: the name \"a\" is session 0's");
}

static void test_luo_shared_file_array(void)
{
	const struct luo_abi_file *f;

	make_root(3);
	f = session(0, "a", 2);
	session(1, "b", 2);
	sess[1].files = sess[0].files;
	session(2, "c", 1);
	sess[2].files = sess[0].files;
	CHECK_EQ(check(), 0);
	accepted(0, f);
	refused(1, "session \"b\": its file array at 0x50000000 is session \"a\"'s");
	refused(2, "session \"c\": its file array at 0x50000000 is session \"a\"'s");
}

/* The later of two sharing an array is refused, whatever the order of addresses. */
static void test_luo_shared_file_array_later(void)
{
	const struct luo_abi_file *f;

	make_root(3);
	session(0, "a", 1);
	f = session(1, "b", 1);
	session(2, "c", 1);
	sess[2].files = sess[1].files;
	CHECK_EQ(check(), 0);
	accepted(1, f);
	refused(2, "session \"c\": its file array at 0x50001000 is session \"b\"'s");
}

/* A session refused before the comparison holds no array. */
static void test_luo_shared_file_array_of_refused(void)
{
	const struct luo_abi_file *f;

	make_root(2);
	f = session(0, "", 1);
	session(1, "b", 0);
	sess[1].nr_files = 1;
	sess[1].files = sess[0].files;
	CHECK_EQ(check(), 0);
	refused(0, "session 0: its name is empty");
	accepted(1, f);
}

/* One bad session among good ones is dropped alone. */
static void test_luo_refused_alone(void)
{
	const struct luo_abi_file *f0, *f2;

	make_root(3);
	f0 = session(0, "a", 1);
	session(1, "b", 1);
	sess[1].files = 0x1234;
	f2 = session(2, "c", 1);
	CHECK_EQ(check(), 0);
	accepted(0, f0);
	refused(1, "session \"b\": the file array at 0x1234 is not a block the previous kernel preserved");
	accepted(2, f2);
}

/*
 * The longest reason the checks write, two names of 63 characters and an
 * address of 16 digits, is not cut.
 */
static void test_luo_refused_long_names(void)
{
	char name_b[] = NAME_63, want[2 * LUO_WHY_LEN];
	struct luo_abi_file *f;

	make_root(1);
	session(0, NAME_63, 1);
	sess[0].files = ~0ULL;
	CHECK_EQ(check(), 0);
	refused(0, "session \"" NAME_63 "\": the file array at 0xffffffffffffffff is not a block the previous kernel preserved");

	make_root(2);
	session(0, NAME_63, 0);
	name_b[0] = 'b';
	session(1, name_b, 0);
	sess[0].nr_files = 1;
	sess[1].nr_files = 1;
	sess[0].files = 0xfffffffffffff000ULL;
	sess[1].files = 0xfffffffffffff000ULL;
	f = luo_mem_add(0xfffffffffffff000ULL, sizeof(*f));
	memcpy(f->compatible, "memfd-v1", sizeof("memfd-v1"));
	CHECK_EQ(check(), 0);
	accepted(0, f);
	snprintf(want, sizeof(want),
		 "session \"%s\": its file array at 0xfffffffffffff000 is session \"%s\"'s",
		 name_b, NAME_63);
	CHECK_EQ(strlen(want), 190);
	CHECK(strlen(want) < LUO_WHY_LEN);
	refused(1, want);
}

/* ---- Allocation failures ---- */

static void test_luo_enomem(void)
{
	make_root(2);
	session(0, "a", 1);
	session(1, "b", 1);
	/* The keys of the comparisons, then each session's tokens. */
	luo_fail_alloc_nth(1);
	CHECK_EQ(check(), -ENOMEM);
	luo_fail_alloc_nth(2);
	CHECK_EQ(check(), -ENOMEM);
	luo_fail_alloc_nth(3);
	CHECK_EQ(check(), -ENOMEM);
	/* There is no fourth. */
	luo_fail_alloc_nth(4);
	CHECK_EQ(check(), 0);
	accepted(0, luo_mem_block(FILES_PHYS(0), &(size_t){ 0 }));
	accepted(1, luo_mem_block(FILES_PHYS(1), &(size_t){ 0 }));
	luo_fail_alloc_nth(0);
}

/* A refused session needs no token array. */
static void test_luo_enomem_refused_session(void)
{
	long before;

	make_root(2);
	session(0, "a", 1);
	sess[0].reserved = 1;
	session(1, "b", 1);
	before = luo_allocs();
	luo_fail_alloc_nth(3);
	CHECK_EQ(check(), 0);
	CHECK_EQ(luo_allocs() - before, 2);
	luo_fail_alloc_nth(2);
	CHECK_EQ(check(), -ENOMEM);
	luo_fail_alloc_nth(0);
	luo_mem_reset();
}

const struct test_case luo_tests[] = {
	TEST_CASE(test_luo_valid_one_session),
	TEST_CASE(test_luo_valid_several_sessions),
	TEST_CASE(test_luo_valid_larger_blocks),
	TEST_CASE(test_luo_root_shorter_than_root),
	TEST_CASE(test_luo_root_compat_no_nul),
	TEST_CASE(test_luo_root_compat_empty),
	TEST_CASE(test_luo_root_compat_other),
	TEST_CASE(test_luo_root_wrong_version),
	TEST_CASE(test_luo_root_zero_sessions),
	TEST_CASE(test_luo_root_sessions_not_a_block),
	TEST_CASE(test_luo_root_sessions_too_short),
	TEST_CASE(test_luo_root_too_many_sessions),
	TEST_CASE(test_luo_root_most_sessions),
	TEST_CASE(test_luo_root_sessions_exact_fit),
	TEST_CASE(test_luo_root_sessions_are_the_blob),
	TEST_CASE(test_luo_root_why_truncated),
	TEST_CASE(test_luo_session_name_no_nul),
	TEST_CASE(test_luo_session_name_empty),
	TEST_CASE(test_luo_session_name_63),
	TEST_CASE(test_luo_session_reserved),
	TEST_CASE(test_luo_session_no_file_with_array),
	TEST_CASE(test_luo_session_no_file_no_array),
	TEST_CASE(test_luo_session_files_are_session_array),
	TEST_CASE(test_luo_session_files_are_blob),
	TEST_CASE(test_luo_session_files_not_a_block),
	TEST_CASE(test_luo_session_files_too_short),
	TEST_CASE(test_luo_session_too_many_files),
	TEST_CASE(test_luo_session_most_files),
	TEST_CASE(test_luo_file_compat_no_nul),
	TEST_CASE(test_luo_file_compat_empty),
	TEST_CASE(test_luo_file_dup_token),
	TEST_CASE(test_luo_file_dup_token_smallest),
	TEST_CASE(test_luo_dup_name),
	TEST_CASE(test_luo_dup_name_three),
	TEST_CASE(test_luo_dup_name_of_refused),
	TEST_CASE(test_luo_dup_name_then_dup_token),
	TEST_CASE(test_luo_shared_file_array),
	TEST_CASE(test_luo_shared_file_array_later),
	TEST_CASE(test_luo_shared_file_array_of_refused),
	TEST_CASE(test_luo_refused_alone),
	TEST_CASE(test_luo_refused_long_names),
	TEST_CASE(test_luo_enomem),
	TEST_CASE(test_luo_enomem_refused_session),
	{ NULL, NULL }
};
