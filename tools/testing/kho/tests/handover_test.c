// SPDX-License-Identifier: GPL-2.0-only
/*
 * Named cases of the next kernel's handover checks
 * (kernel/liveupdate/kho_in_check.c): each reason, and what passes.
 */
#include <string.h>
#include <libfdt.h>
#include <linux/bitops.h>
#include <linux/kho/abi/kexec_handover.h>
#include "../../../../kernel/liveupdate/kho_in_check.h"
#include "../shims/memblock_shim.h"
#include "test.h"

#define MiB		BIT_ULL(20)
#define GiB		BIT_ULL(30)
#define MAP_PROP	KHO_FDT_MEMORY_MAP_PROP_NAME

/* RAM is [1 GiB, 5 GiB): the floor is 64 MiB of struct pages + 8 MiB. */
#define RAM_BASE	GiB
#define RAM_SIZE	(4 * GiB)
#define FLOOR		(72 * MiB)
#define FDT_PHYS	(RAM_BASE + 512 * MiB)
#define MAP_PHYS	(RAM_BASE + 768 * MiB)
#define SCRATCH_PHYS	(RAM_BASE + 4096)

static char why[160];
/* libfdt wants an FDT 8-byte aligned. */
static u64 fdt_buf[PAGE_SIZE / sizeof(u64)];
static char *const fdt = (char *)fdt_buf;
static struct kho_scratch s[KHO_SCRATCH_MAX_AREAS + 1];

static void ram(void)
{
	static const struct shim_ram r = { RAM_BASE, RAM_SIZE };

	CHECK(shim_ram_set(&r, 1));
}

/* A root FDT: @compat of @clen bytes and a map root of @mlen, < 0: none. */
static void make_fdt(const void *compat, int clen, const void *map, int mlen)
{
	memset(fdt, 0, PAGE_SIZE);
	CHECK_EQ(fdt_create(fdt, PAGE_SIZE), 0);
	CHECK_EQ(fdt_finish_reservemap(fdt), 0);
	CHECK_EQ(fdt_begin_node(fdt, ""), 0);
	if (clen >= 0)
		CHECK_EQ(fdt_property(fdt, "compatible", compat, clen), 0);
	if (mlen >= 0)
		CHECK_EQ(fdt_property(fdt, MAP_PROP, map, mlen), 0);
	CHECK_EQ(fdt_end_node(fdt), 0);
	CHECK_EQ(fdt_finish(fdt), 0);
}

static void make_fdt_map(u64 map)
{
	make_fdt(KHO_FDT_COMPATIBLE, sizeof(KHO_FDT_COMPATIBLE), &map, 8);
}

/* One area of scratch: 128 MiB at the start of RAM. */
static void one_area(void)
{
	s[0].addr = RAM_BASE;
	s[0].size = 128 * MiB;
}

static const char *check_fdt(void)
{
	u64 map = 0;

	return kho_check_fdt(fdt, PAGE_SIZE, &map, why, sizeof(why));
}

static const char *check_handover(unsigned int cnt, u64 *map)
{
	return kho_check_handover(FDT_PHYS, fdt, PAGE_SIZE, s, cnt, map, why,
				  sizeof(why));
}

static const char *lengths(u64 fdt_phys, u64 fdt_len, u64 scratch_len)
{
	ram();
	return kho_check_lengths(fdt_phys, fdt_len, SCRATCH_PHYS, scratch_len,
				 why, sizeof(why));
}

/* ---- kho_scratch_floor(), kho_in_areas() ---- */

static void test_ho_floor(void)
{
	CHECK_EQ(kho_scratch_floor(0), 8 * MiB);
	CHECK_EQ(kho_scratch_floor(4 * GiB), FLOOR);
	CHECK_EQ(kho_scratch_floor(4 * GiB + 4095), FLOOR);
	CHECK_EQ(kho_scratch_floor(1ULL << 40), (16ULL << 30) + 8 * MiB);
}

static void test_ho_in_areas(void)
{
	const struct kho_scratch a[2] = {
		{ RAM_BASE, 2 * MiB }, { RAM_BASE + 8 * MiB, 2 * MiB },
	};

	CHECK(kho_in_areas(a, 2, RAM_BASE, PAGE_SIZE));
	CHECK(kho_in_areas(a, 2, RAM_BASE + 2 * MiB - 1, 1));
	CHECK(!kho_in_areas(a, 2, RAM_BASE + 2 * MiB, 6 * MiB));
	CHECK(kho_in_areas(a, 2, RAM_BASE + 2 * MiB, 6 * MiB + 1));
	CHECK(kho_in_areas(a, 2, 0, 2 * GiB));
	CHECK(!kho_in_areas(a, 2, RAM_BASE - PAGE_SIZE, PAGE_SIZE));
	CHECK(!kho_in_areas(a, 1, RAM_BASE + 8 * MiB, PAGE_SIZE));
	CHECK(!kho_in_areas(a, 0, RAM_BASE, PAGE_SIZE));
}

/* ---- kho_check_lengths() ---- */

static void test_ho_lengths_ok(void)
{
	CHECK(!lengths(FDT_PHYS, PAGE_SIZE, sizeof(struct kho_scratch)));
	CHECK(!lengths(FDT_PHYS, 1, KHO_SCRATCH_MAX_AREAS * 16));
	/* The last page of RAM. */
	CHECK(!lengths(RAM_BASE + RAM_SIZE - PAGE_SIZE, PAGE_SIZE, 16));
}

static void test_ho_fdt_len_bad(void)
{
	CHECK_REASON(lengths(FDT_PHYS, 0, 16), "(0 bytes) is not a page of RAM");
	CHECK_REASON(lengths(FDT_PHYS, PAGE_SIZE + 1, 16),
		     "(4097 bytes) is not a page of RAM");
}

static void test_ho_fdt_phys_bad(void)
{
	CHECK_REASON(lengths(FDT_PHYS + 8, PAGE_SIZE, 16),
		     "the FDT at 0x0000000060000008 (4096 bytes) is not a page of RAM");
	CHECK_REASON(lengths(RAM_BASE - PAGE_SIZE, PAGE_SIZE, 16), "not a page of RAM");
	CHECK_REASON(lengths(RAM_BASE + RAM_SIZE, PAGE_SIZE, 16), "not a page of RAM");
	CHECK_REASON(lengths(-PAGE_SIZE, PAGE_SIZE, 16), "not a page of RAM");
	CHECK_REASON(lengths(RAM_BASE + RAM_SIZE - PAGE_SIZE, PAGE_SIZE + 1, 16),
		     "not a page of RAM");
}

static void test_ho_scratch_empty(void)
{
	CHECK_REASON(lengths(FDT_PHYS, PAGE_SIZE, 0), "the scratch array is empty");
}

static void test_ho_scratch_len_not_multiple(void)
{
	CHECK_REASON(lengths(FDT_PHYS, PAGE_SIZE, 24),
		     "the scratch array is 24 bytes, not a multiple of 16");
	CHECK_REASON(lengths(FDT_PHYS, PAGE_SIZE, 8), "not a multiple of 16");
}

static void test_ho_scratch_too_many_areas(void)
{
	CHECK(!lengths(FDT_PHYS, PAGE_SIZE, 66 * 16));
	CHECK_REASON(lengths(FDT_PHYS, PAGE_SIZE, 67 * 16),
		     "the scratch array has 67 areas, more than 66");
	CHECK_REASON(lengths(FDT_PHYS, PAGE_SIZE, ~0ULL << 4), "more than 66");
}

static void test_ho_scratch_array_not_ram(void)
{
	ram();
	CHECK_REASON(kho_check_lengths(FDT_PHYS, PAGE_SIZE, RAM_BASE - 16, 32,
				       why, sizeof(why)),
		     "the scratch array at 0x000000003ffffff0 is not in RAM");
	CHECK_REASON(kho_check_lengths(FDT_PHYS, PAGE_SIZE, -16ULL, 32, why,
				       sizeof(why)),
		     "is not in RAM");
}

/* ---- kho_check_fdt() ---- */

static void test_ho_fdt_valid(void)
{
	u64 map = 0;

	ram();
	make_fdt_map(MAP_PHYS);
	CHECK(!kho_check_fdt(fdt, PAGE_SIZE, &map, why, sizeof(why)));
	CHECK_EQ(map, MAP_PHYS);
	/* A page exactly as long as the FDT. */
	CHECK(!kho_check_fdt(fdt, fdt_totalsize(fdt), &map, why, sizeof(why)));
}

static void test_ho_fdt_bad_magic(void)
{
	ram();
	make_fdt_map(MAP_PHYS);
	fdt[0] ^= 1;
	CHECK_REASON(check_fdt(), "the FDT header is invalid (FDT_ERR_BADMAGIC)");
	memset(fdt, 0, PAGE_SIZE);
	CHECK_REASON(check_fdt(), "FDT_ERR_BADMAGIC");
}

static void test_ho_fdt_totalsize_over_page(void)
{
	u64 map;

	ram();
	make_fdt_map(MAP_PHYS);
	CHECK_REASON(kho_check_fdt(fdt, fdt_totalsize(fdt) - 1, &map, why,
				   sizeof(why)),
		     "is larger than its");
	fdt_set_totalsize(fdt, PAGE_SIZE + 8);
	CHECK_REASON(check_fdt(), "the FDT's totalsize 4104 is larger than its 4096-byte page");
}

static void test_ho_fdt_wrong_compatible(void)
{
	u64 map = MAP_PHYS;

	ram();
	make_fdt("kho-v1", 7, &map, 8);
	CHECK_REASON(check_fdt(),
		     "the FDT is compatible with \"kho-v1\", not with kho-v2");
	make_fdt("kho-v22", 8, &map, 8);
	CHECK_REASON(check_fdt(), "compatible with \"kho-v22\"");
	/* Empty, unterminated or long: not printed. */
	make_fdt("", 0, &map, 8);
	CHECK_REASON(check_fdt(), "the FDT is not compatible with kho-v2");
	make_fdt("kho-v3", 6, &map, 8);
	CHECK_REASON(check_fdt(), "the FDT is not compatible with kho-v2");
	make_fdt("0123456789abcdef0123456789abcdef", 33, &map, 8);
	CHECK_REASON(check_fdt(), "the FDT is not compatible with kho-v2");
	make_fdt(NULL, -1, &map, 8);
	CHECK_REASON(check_fdt(), "the FDT is not compatible with kho-v2");
}

static void test_ho_fdt_compatible_list(void)
{
	u64 map = MAP_PHYS;

	ram();
	make_fdt("kho-v1\0kho-v2", 14, &map, 8);
	CHECK(!check_fdt());
	make_fdt("kho-v2\0kho-v1", 14, &map, 8);
	CHECK(!check_fdt());
}

static void test_ho_map_missing(void)
{
	ram();
	make_fdt(KHO_FDT_COMPATIBLE, sizeof(KHO_FDT_COMPATIBLE), NULL, -1);
	CHECK_REASON(check_fdt(), "the preserved-memory-map property is missing");
}

static void test_ho_map_not_8_bytes(void)
{
	u64 map[2] = { MAP_PHYS, 0 };

	ram();
	make_fdt(KHO_FDT_COMPATIBLE, sizeof(KHO_FDT_COMPATIBLE), map, 4);
	CHECK_REASON(check_fdt(), "the preserved-memory-map property is 4 bytes, not 8");
	make_fdt(KHO_FDT_COMPATIBLE, sizeof(KHO_FDT_COMPATIBLE), map, 16);
	CHECK_REASON(check_fdt(), "is 16 bytes, not 8");
	make_fdt(KHO_FDT_COMPATIBLE, sizeof(KHO_FDT_COMPATIBLE), map, 0);
	CHECK_REASON(check_fdt(), "is 0 bytes, not 8");
}

static void test_ho_map_zero(void)
{
	ram();
	make_fdt_map(0);
	CHECK_REASON(check_fdt(), "the preserved-memory-map root is 0");
}

static void test_ho_map_misaligned(void)
{
	ram();
	make_fdt_map(MAP_PHYS + 8);
	CHECK_REASON(check_fdt(),
		     "the preserved-memory-map root 0x70000008 is not page aligned");
}

static void test_ho_map_not_ram(void)
{
	ram();
	make_fdt_map(RAM_BASE - PAGE_SIZE);
	CHECK_REASON(check_fdt(), "the preserved-memory-map root 0x3ffff000 is not RAM");
	make_fdt_map(RAM_BASE + RAM_SIZE);
	CHECK_REASON(check_fdt(), "is not RAM");
	make_fdt_map(-PAGE_SIZE);
	CHECK_REASON(check_fdt(), "root 0xfffffffffffff000 is not RAM");
	make_fdt_map(RAM_BASE + RAM_SIZE - PAGE_SIZE);
	CHECK(!check_fdt());
}

/* ---- kho_check_scratch() ---- */

static const char *check_scratch(unsigned int cnt)
{
	ram();
	return kho_check_scratch(s, cnt, why, sizeof(why));
}

static void test_ho_scratch_valid(void)
{
	one_area();
	CHECK(!check_scratch(1));
	/* Exactly at the floor, in three areas. */
	s[0].size = 2 * MiB;
	s[1].addr = RAM_BASE + 1024 * MiB;
	s[1].size = 64 * MiB;
	s[2].addr = RAM_BASE + RAM_SIZE - 6 * MiB;
	s[2].size = 6 * MiB;
	CHECK(!check_scratch(3));
	s[2].size = 4 * MiB;
	s[2].addr += 2 * MiB;
	CHECK_REASON(check_scratch(3), "floor");
}

static void test_ho_area_empty(void)
{
	one_area();
	s[1].addr = RAM_BASE + 512 * MiB;
	s[1].size = 0;
	CHECK_REASON(check_scratch(2),
		     "scratch area 1 at 0x60000000 (0x0 bytes) is empty or wraps");
}

static void test_ho_area_wraps(void)
{
	s[0].addr = -2 * MiB;
	s[0].size = 4 * MiB;
	CHECK_REASON(check_scratch(1),
		     "scratch area 0 at 0xffffffffffe00000 (0x400000 bytes) is empty or wraps");
	s[0].size = 2 * MiB;
	CHECK_REASON(check_scratch(1), "is empty or wraps");
}

static void test_ho_area_misaligned(void)
{
	one_area();
	s[0].addr += PAGE_SIZE;
	CHECK_REASON(check_scratch(1),
		     "scratch area 0 at 0x40001000 (0x8000000 bytes) is not pageblock aligned");
	one_area();
	s[0].size -= PAGE_SIZE;
	CHECK_REASON(check_scratch(1), "is not pageblock aligned");
	one_area();
	s[0].addr += MiB;
	CHECK_REASON(check_scratch(1), "is not pageblock aligned");
}

static void test_ho_area_not_ram(void)
{
	one_area();
	s[0].addr = RAM_BASE - 2 * MiB;
	CHECK_REASON(check_scratch(1),
		     "scratch area 0 at 0x3fe00000 (0x8000000 bytes) is not RAM");
	one_area();
	s[0].addr = RAM_BASE + RAM_SIZE - 64 * MiB;
	CHECK_REASON(check_scratch(1), "is not RAM");
	s[0].addr = RAM_BASE + RAM_SIZE - 128 * MiB;
	CHECK(!check_scratch(1));
}

/* Two adjacent memblock regions: an area across them is not RAM. */
static void test_ho_area_across_regions(void)
{
	static const struct shim_ram r[2] = {
		{ RAM_BASE, 2 * GiB }, { RAM_BASE + 2 * GiB, 2 * GiB },
	};

	CHECK(shim_ram_set(r, 2));
	s[0].addr = RAM_BASE + 2 * GiB - 64 * MiB;
	s[0].size = 128 * MiB;
	CHECK_REASON(kho_check_scratch(s, 1, why, sizeof(why)), "is not RAM");
	s[0].addr = RAM_BASE + 2 * GiB;
	CHECK(!kho_check_scratch(s, 1, why, sizeof(why)));
}

static void test_ho_areas_overlap(void)
{
	one_area();
	s[1].addr = RAM_BASE + 1024 * MiB;
	s[1].size = 2 * MiB;
	s[2].addr = RAM_BASE + 126 * MiB;
	s[2].size = 4 * MiB;
	CHECK_REASON(check_scratch(3), "scratch areas 0 and 2 overlap");
	s[2] = s[1];
	CHECK_REASON(check_scratch(3), "scratch areas 1 and 2 overlap");
	/* Adjacent is fine. */
	s[2].addr = RAM_BASE + 128 * MiB;
	CHECK(!check_scratch(3));
}

static void test_ho_below_floor(void)
{
	s[0].addr = RAM_BASE;
	s[0].size = FLOOR - 2 * MiB;
	CHECK_REASON(check_scratch(1), "the scratch areas hold 70 MiB");
	CHECK_REASON(check_scratch(1), " 72 MiB floor");
	s[0].size = FLOOR;
	CHECK(!check_scratch(1));
}

static void test_ho_max_areas(void)
{
	unsigned int i;

	for (i = 0; i < KHO_SCRATCH_MAX_AREAS; i++) {
		s[i].addr = RAM_BASE + i * 4 * MiB;
		s[i].size = 2 * MiB;
	}
	CHECK(!check_scratch(KHO_SCRATCH_MAX_AREAS));
	s[KHO_SCRATCH_MAX_AREAS - 1].addr = s[0].addr;
	CHECK_REASON(check_scratch(KHO_SCRATCH_MAX_AREAS), "scratch areas 0 and 65 overlap");
}

/* ---- kho_check_handover() ---- */

static void test_ho_handover_valid(void)
{
	u64 map = 0;

	ram();
	one_area();
	make_fdt_map(MAP_PHYS);
	CHECK(!check_handover(1, &map));
	CHECK_EQ(map, MAP_PHYS);
}

static void test_ho_handover_order(void)
{
	u64 map;

	/* The FDT's reason comes first, then the scratch array's. */
	ram();
	one_area();
	s[0].size = 2 * MiB;
	make_fdt_map(0);
	CHECK_REASON(check_handover(1, &map), "root is 0");
	make_fdt_map(MAP_PHYS);
	CHECK_REASON(check_handover(1, &map), "floor");
}

static void test_ho_fdt_in_scratch(void)
{
	u64 map;

	ram();
	one_area();
	s[1].addr = FDT_PHYS;
	s[1].size = 2 * MiB;
	make_fdt_map(MAP_PHYS);
	CHECK_REASON(check_handover(2, &map),
		     "the FDT at 0x0000000060000000 lies in scratch");
	s[1].addr = FDT_PHYS - 2 * MiB;
	CHECK(!check_handover(2, &map));
	s[1].addr = FDT_PHYS + 2 * MiB;
	CHECK(!check_handover(2, &map));
}

static void test_ho_map_in_scratch(void)
{
	u64 map;

	ram();
	one_area();
	make_fdt_map(RAM_BASE + 128 * MiB - PAGE_SIZE);
	CHECK_REASON(check_handover(1, &map),
		     "the preserved-memory-map root 0x47fff000 lies in scratch");
	make_fdt_map(RAM_BASE + 128 * MiB);
	CHECK(!check_handover(1, &map));
}

/* A short buffer truncates the reason, terminated within it. */
static void test_ho_short_why(void)
{
	char small[12];
	u64 map;

	ram();
	make_fdt_map(MAP_PHYS + 8);
	memset(small, 'x', sizeof(small));
	CHECK(kho_check_fdt(fdt, PAGE_SIZE, &map, small, sizeof(small)) == small);
	CHECK(!strcmp(small, "the preserv"));
	CHECK(kho_check_lengths(FDT_PHYS, 0, SCRATCH_PHYS, 16, small, 1) == small);
	CHECK_EQ(small[0], '\0');
}

const struct test_case handover_tests[] = {
	TEST_CASE(test_ho_floor),
	TEST_CASE(test_ho_in_areas),
	TEST_CASE(test_ho_lengths_ok),
	TEST_CASE(test_ho_fdt_len_bad),
	TEST_CASE(test_ho_fdt_phys_bad),
	TEST_CASE(test_ho_scratch_empty),
	TEST_CASE(test_ho_scratch_len_not_multiple),
	TEST_CASE(test_ho_scratch_too_many_areas),
	TEST_CASE(test_ho_scratch_array_not_ram),
	TEST_CASE(test_ho_fdt_valid),
	TEST_CASE(test_ho_fdt_bad_magic),
	TEST_CASE(test_ho_fdt_totalsize_over_page),
	TEST_CASE(test_ho_fdt_wrong_compatible),
	TEST_CASE(test_ho_fdt_compatible_list),
	TEST_CASE(test_ho_map_missing),
	TEST_CASE(test_ho_map_not_8_bytes),
	TEST_CASE(test_ho_map_zero),
	TEST_CASE(test_ho_map_misaligned),
	TEST_CASE(test_ho_map_not_ram),
	TEST_CASE(test_ho_scratch_valid),
	TEST_CASE(test_ho_area_empty),
	TEST_CASE(test_ho_area_wraps),
	TEST_CASE(test_ho_area_misaligned),
	TEST_CASE(test_ho_area_not_ram),
	TEST_CASE(test_ho_area_across_regions),
	TEST_CASE(test_ho_areas_overlap),
	TEST_CASE(test_ho_below_floor),
	TEST_CASE(test_ho_max_areas),
	TEST_CASE(test_ho_handover_valid),
	TEST_CASE(test_ho_handover_order),
	TEST_CASE(test_ho_fdt_in_scratch),
	TEST_CASE(test_ho_map_in_scratch),
	TEST_CASE(test_ho_short_why),
	{ NULL, NULL }
};
