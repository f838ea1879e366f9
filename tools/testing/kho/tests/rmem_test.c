// SPDX-License-Identifier: GPL-2.0-only
/*
 * Named cases of the parser of the reserve_mem= handover blob
 * (mm/memblock_kho_blob.c): each reason, and the lookups that succeed.
 */
#include <errno.h>
#include <string.h>
#include <libfdt.h>
#include <linux/bitops.h>
#include <linux/kho/abi/memblock.h>
#include "../../../../mm/memblock_kho_blob.h"
#include "test.h"

#define MiB	BIT_ULL(20)
#define GiB	BIT_ULL(30)

/* Properties of a region node; a length < 0 leaves the property out. */
struct node {
	const char *name;
	const char *compat;		/* NULL: none */
	u64 start, size;
	int start_len, size_len;	/* 8 unless set */
	const char *child;		/* a node below, if set */
};

/* libfdt wants an FDT 8-byte aligned. */
static u64 blob_buf[PAGE_SIZE / sizeof(u64)];
static char *const blob = (char *)blob_buf;
static char why[112];

static int prop_len(int len)
{
	return len ? len : 8;
}

/* A memblock blob with root compatible @compat and the nodes of @n. */
static void make_blob(const char *compat, const struct node *n, unsigned int cnt)
{
	unsigned int i;

	memset(blob, 0, PAGE_SIZE);
	CHECK_EQ(fdt_create(blob, PAGE_SIZE), 0);
	CHECK_EQ(fdt_finish_reservemap(blob), 0);
	CHECK_EQ(fdt_begin_node(blob, ""), 0);
	if (compat)
		CHECK_EQ(fdt_property_string(blob, "compatible", compat), 0);
	for (i = 0; i < cnt; i++, n++) {
		CHECK_EQ(fdt_begin_node(blob, n->name), 0);
		if (n->compat)
			CHECK_EQ(fdt_property_string(blob, "compatible", n->compat), 0);
		if (n->start_len >= 0)
			CHECK_EQ(fdt_property(blob, RESERVE_MEM_KHO_START_PROP_NAME,
					      &n->start, prop_len(n->start_len)), 0);
		if (n->size_len >= 0)
			CHECK_EQ(fdt_property(blob, RESERVE_MEM_KHO_SIZE_PROP_NAME,
					      &n->size, prop_len(n->size_len)), 0);
		if (n->child) {
			CHECK_EQ(fdt_begin_node(blob, n->child), 0);
			CHECK_EQ(fdt_end_node(blob), 0);
		}
		CHECK_EQ(fdt_end_node(blob), 0);
	}
	CHECK_EQ(fdt_end_node(blob), 0);
	CHECK_EQ(fdt_finish(blob), 0);
}

/* A region node: 4 MiB at 1 GiB unless changed. */
static struct node region(const char *name)
{
	return (struct node){
		.name = name, .compat = RESERVE_MEM_KHO_NODE_COMPATIBLE,
		.start = GiB, .size = 4 * MiB,
	};
}

static void make_one(const struct node *n)
{
	make_blob(MEMBLOCK_KHO_NODE_COMPATIBLE, n, 1);
}

static const char *check(size_t size)
{
	return reserve_mem_kho_check_blob(blob, size, why, sizeof(why));
}

static const char *check_whole(void)
{
	return check(fdt_totalsize(blob));
}

/* Look @name up; the reason, if any, in *@reason. */
static int parse(const char *name, u64 size, u64 align, u64 *start,
		 const char **reason)
{
	*reason = NULL;
	return reserve_mem_kho_parse(blob, name, size, align, start, reason,
				     why, sizeof(why));
}

/* ---- reserve_mem_kho_check_blob() ---- */

static void test_rmem_blob_valid(void)
{
	const struct node n[] = { region("trace"), region("oops") };

	make_blob(MEMBLOCK_KHO_NODE_COMPATIBLE, n, 2);
	CHECK(!check_whole());
	CHECK(!check(PAGE_SIZE));
	make_blob(MEMBLOCK_KHO_NODE_COMPATIBLE, NULL, 0);
	CHECK(!check_whole());
}

static void test_rmem_blob_size(void)
{
	const struct node n = region("trace");

	make_one(&n);
	CHECK_REASON(check(PAGE_SIZE + 1), "the blob is not one page or less");
	CHECK_REASON(check(SIZE_MAX), "the blob is not one page or less");
	CHECK_REASON(check(0), "the blob is not one page or less");
	CHECK_REASON(check(FDT_V1_SIZE), "the blob is not one page or less");
	/* fdt_check_header() reads 40 bytes: smaller blobs go unread. */
	CHECK_REASON(check(sizeof(struct fdt_header) - 1),
		     "the blob is not one page or less");
	CHECK_REASON(check(sizeof(struct fdt_header)),
		     "the blob's FDT is larger than its blob-size");
	CHECK_REASON(check(fdt_totalsize(blob) - 1),
		     "the blob's FDT is larger than its blob-size");
}

static void test_rmem_blob_not_fdt(void)
{
	const struct node n = region("trace");

	memset(blob, 0, PAGE_SIZE);
	CHECK_REASON(check(PAGE_SIZE), "the blob is not an FDT (FDT_ERR_BADMAGIC)");
	make_one(&n);
	fdt_set_version(blob, 1);
	CHECK_REASON(check(PAGE_SIZE), "the blob is not an FDT (FDT_ERR_BADVERSION)");
	make_one(&n);
	fdt_set_off_dt_struct(blob, PAGE_SIZE);
	CHECK_REASON(check(PAGE_SIZE), "the blob is not an FDT (FDT_ERR_TRUNCATED)");
}

static void test_rmem_blob_not_memblock(void)
{
	const struct node n = region("trace");

	make_blob("memblock-v2", &n, 1);
	CHECK_REASON(check_whole(), "the blob is not memblock-v1");
	make_blob(NULL, &n, 1);
	CHECK_REASON(check_whole(), "the blob is not memblock-v1");
	make_blob(RESERVE_MEM_KHO_NODE_COMPATIBLE, &n, 1);
	CHECK_REASON(check_whole(), "the blob is not memblock-v1");
}

/* An FDT_END_NODE tag turned into an unknown one. */
static void test_rmem_blob_corrupt(void)
{
	const struct node n = region("trace");
	fdt32_t *tag;
	int off;

	make_one(&n);
	off = fdt_first_subnode(blob, 0);
	CHECK(off > 0);
	tag = (fdt32_t *)(blob + fdt_off_dt_struct(blob) + off);
	CHECK_EQ(fdt32_to_cpu(*tag), FDT_BEGIN_NODE);
	*tag = cpu_to_fdt32(0x7);
	CHECK_REASON(check_whole(), "the blob's node structure is corrupt (FDT_ERR_BADSTRUCTURE)");
	/* A structure block that stops inside the node. */
	make_one(&n);
	fdt_set_size_dt_struct(blob, off + 12);
	CHECK_REASON(check_whole(), "the blob's node structure is corrupt");
}

/* A node name that runs to the end of the structure, unterminated. */
static void test_rmem_blob_unterminated_name(void)
{
	const struct node n = region("abcdefgh");
	char *name;
	int off;

	make_one(&n);
	off = fdt_first_subnode(blob, 0);
	name = blob + fdt_off_dt_struct(blob) + off + 4;
	CHECK(!strcmp(name, "abcdefgh"));
	/* Overwrite the terminator and end the structure after the name. */
	name[8] = 'i';
	fdt_set_size_dt_struct(blob, off + 4 + 9);
	/* libfdt's walk finds no end to the name before the name check. */
	CHECK_REASON(check_whole(), "the blob's node structure is corrupt");
}

static void test_rmem_blob_long_name(void)
{
	const struct node n15 = region("abcdefghijklmno");
	const struct node n16 = region("abcdefghijklmnop");
	struct node deep = region("trace"), ok = region("trace");

	deep.child = "abcdefghijklmnopq";
	ok.child = "abcdefghijklmno";

	make_one(&n15);
	CHECK(!check_whole());
	make_one(&n16);
	CHECK_REASON(check_whole(), "a region name at offset 32 is not a terminated string");
	CHECK_REASON(check_whole(), "string of fewer than 16 characters");
	make_one(&deep);
	CHECK_REASON(check_whole(), "fewer than 16 characters");
	make_one(&ok);
	CHECK(!check_whole());
}

/* ---- reserve_mem_kho_parse() ---- */

static void test_rmem_parse_valid(void)
{
	struct node n[] = { region("trace"), region("oops"), region("a") };
	const char *reason;
	u64 start = 0;

	n[1].start = 2 * GiB;
	n[1].size = 2 * MiB;
	n[2].start = 0;
	n[2].size = PAGE_SIZE;
	make_blob(MEMBLOCK_KHO_NODE_COMPATIBLE, n, 3);
	CHECK(!check_whole());
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), 1);
	CHECK_EQ(start, GiB);
	CHECK(!reason);
	CHECK_EQ(parse("oops", 2 * MiB, 2 * MiB, &start, &reason), 1);
	CHECK_EQ(start, 2 * GiB);
	CHECK_EQ(parse("a", PAGE_SIZE, 1, &start, &reason), 1);
	CHECK_EQ(start, 0);
	/* Aligned to a whole gigabyte, and to 2^30 exactly. */
	CHECK_EQ(parse("trace", 4 * MiB, GiB, &start, &reason), 1);
}

static void test_rmem_parse_not_found(void)
{
	const struct node n[] = { region("trace"), region("oops@1000") };
	const char *reason;
	u64 start = 7;

	make_blob(MEMBLOCK_KHO_NODE_COMPATIBLE, n, 2);
	CHECK_EQ(parse("trac", 4 * MiB, PAGE_SIZE, &start, &reason), 0);
	CHECK_EQ(parse("tracee", 4 * MiB, PAGE_SIZE, &start, &reason), 0);
	CHECK_EQ(parse("", 4 * MiB, PAGE_SIZE, &start, &reason), 0);
	/* No unit-address matching: the name must be exact. */
	CHECK_EQ(parse("oops", 4 * MiB, PAGE_SIZE, &start, &reason), 0);
	CHECK_EQ(parse("oops@1000", 4 * MiB, PAGE_SIZE, &start, &reason), 1);
	CHECK(!reason);
	/* The root itself is not a region, nor a node below one. */
	make_blob(MEMBLOCK_KHO_NODE_COMPATIBLE, NULL, 0);
	CHECK_EQ(parse("", 4 * MiB, PAGE_SIZE, &start, &reason), 0);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), 0);
}

static void test_rmem_parse_child_not_region(void)
{
	struct node n = region("outer");
	const char *reason;
	u64 start;

	n.child = "trace";
	make_one(&n);
	CHECK(!check_whole());
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), 0);
}

/* Of two nodes with the same name, the first is the region. */
static void test_rmem_parse_duplicate(void)
{
	struct node n[] = { region("trace"), region("trace") };
	const char *reason;
	u64 start;

	n[1].start = 2 * GiB;
	make_blob(MEMBLOCK_KHO_NODE_COMPATIBLE, n, 2);
	CHECK(!check_whole());
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), 1);
	CHECK_EQ(start, GiB);
}

static void test_rmem_parse_wrong_compatible(void)
{
	struct node other = region("trace"), none = region("trace");
	const char *reason;
	u64 start;

	other.compat = "reserve-mem-v2";
	none.compat = NULL;
	make_one(&other);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "not reserve-mem-v1");
	make_one(&none);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "not reserve-mem-v1");
}

static void test_rmem_parse_props_missing(void)
{
	struct node nostart = region("trace"), nosize = region("trace");
	const char *reason;
	u64 start;

	nostart.start_len = -1;
	nosize.size_len = -1;
	make_one(&nostart);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "start or size missing or not 8 bytes");
	make_one(&nosize);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "start or size missing or not 8 bytes");
}

static void test_rmem_parse_props_4_bytes(void)
{
	struct node start4 = region("trace"), size4 = region("trace");
	const char *reason;
	u64 start;

	start4.start_len = 4;
	size4.size_len = 4;
	make_one(&start4);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "start or size missing or not 8 bytes");
	make_one(&size4);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "start or size missing or not 8 bytes");
}

static void test_rmem_parse_size_mismatch(void)
{
	const struct node n = region("trace");
	const char *reason;
	u64 start;

	make_one(&n);
	CHECK_EQ(parse("trace", 8 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason,
		     "size differs (handed over 0x0000000000400000, asked for 0x0000000000800000)");
	CHECK(reason == why);
	CHECK_EQ(parse("trace", 4 * MiB - PAGE_SIZE, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "size differs");
}

static void test_rmem_parse_misaligned(void)
{
	struct node off = region("trace"), mib = region("trace");
	const char *reason;
	u64 start;

	off.start = GiB + 0x800;
	mib.start = GiB + MiB;
	make_one(&off);
	CHECK_EQ(parse("trace", 4 * MiB, 1, &start, &reason), -EINVAL);
	CHECK_REASON(reason,
		     "start 0x0000000040000800 is not aligned to a page and to 0x0000000000000001");
	make_one(&mib);
	CHECK_EQ(parse("trace", 4 * MiB, MiB, &start, &reason), 1);
	CHECK_EQ(parse("trace", 4 * MiB, 2 * MiB, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "start 0x0000000040100000 is not aligned to a page and to");
	CHECK_REASON(reason, "and to 0x0000000000200000");
}

static void test_rmem_parse_wraps(void)
{
	struct node top = region("trace"), over = region("trace");
	struct node last = region("trace");
	const char *reason;
	u64 start;

	top.start = -4 * MiB;
	over.start = -2 * MiB;
	last.start = -4 * MiB;
	last.size = 4 * MiB - 1;
	/* Up to the last byte of the address space is fine... */
	make_one(&top);
	CHECK_EQ(parse("trace", 4 * MiB - 1, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "size differs");
	make_one(&last);
	CHECK_EQ(parse("trace", 4 * MiB - 1, PAGE_SIZE, &start, &reason), 1);
	/* ... up to the end of it is not. */
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	make_one(&top);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "the range wraps");
	make_one(&over);
	CHECK_EQ(parse("trace", 4 * MiB, PAGE_SIZE, &start, &reason), -EINVAL);
	CHECK_REASON(reason, "the range wraps");
}

/* A short buffer truncates the reason, terminated within it. */
static void test_rmem_short_why(void)
{
	const struct node n = region("trace");
	const char *reason;
	char small[6];
	u64 start;

	make_one(&n);
	memset(small, 'x', sizeof(small));
	CHECK_EQ(reserve_mem_kho_parse(blob, "trace", MiB, PAGE_SIZE, &start,
				       &reason, small, sizeof(small)), -EINVAL);
	CHECK(reason == small);
	CHECK(!strcmp(small, "size "));
	memset(blob, 0, PAGE_SIZE);
	CHECK(reserve_mem_kho_check_blob(blob, PAGE_SIZE, small, 1) == small);
	CHECK_EQ(small[0], '\0');
}

const struct test_case rmem_tests[] = {
	TEST_CASE(test_rmem_blob_valid),
	TEST_CASE(test_rmem_blob_size),
	TEST_CASE(test_rmem_blob_not_fdt),
	TEST_CASE(test_rmem_blob_not_memblock),
	TEST_CASE(test_rmem_blob_corrupt),
	TEST_CASE(test_rmem_blob_unterminated_name),
	TEST_CASE(test_rmem_blob_long_name),
	TEST_CASE(test_rmem_parse_valid),
	TEST_CASE(test_rmem_parse_not_found),
	TEST_CASE(test_rmem_parse_child_not_region),
	TEST_CASE(test_rmem_parse_duplicate),
	TEST_CASE(test_rmem_parse_wrong_compatible),
	TEST_CASE(test_rmem_parse_props_missing),
	TEST_CASE(test_rmem_parse_props_4_bytes),
	TEST_CASE(test_rmem_parse_size_mismatch),
	TEST_CASE(test_rmem_parse_misaligned),
	TEST_CASE(test_rmem_parse_wraps),
	TEST_CASE(test_rmem_short_why),
	{ NULL, NULL }
};
