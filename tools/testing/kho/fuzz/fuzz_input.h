/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Input decoding for fuzz_handover.c and fuzz_rmem.c: bytes read past the
 * end of the input are 0, and a tag byte picks how a value is made, mostly
 * page and pageblock multiples that get past the first checks.
 */
#ifndef _KHO_FUZZ_INPUT_H
#define _KHO_FUZZ_INPUT_H

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <asm/page.h>

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline u8 in_u8(struct fuzz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

/* @bytes bytes, little endian. */
static inline u64 in_le(struct fuzz_in *in, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++)
		v |= (u64)in_u8(in) << (8 * i);
	return v;
}

#define in_u16(in)	((u16)in_le(in, 2))
#define in_u32(in)	((u32)in_le(in, 4))
#define in_u64(in)	in_le(in, 8)

/* Up to @n bytes into @buf, zero-filled past the input; returns @n. */
static inline size_t in_copy(struct fuzz_in *in, void *buf, size_t n)
{
	size_t got = n < in->n ? n : in->n;

	memcpy(buf, in->p, got);
	memset((char *)buf + got, 0, n - got);
	in->p += got;
	in->n -= got;
	return n;
}

static const u64 in_specials[] = {
	0, 1, PAGE_SIZE, SZ_2M, SZ_2M - PAGE_SIZE, SZ_2M + PAGE_SIZE,
	-(u64)PAGE_SIZE, -(u64)SZ_2M, ~0ULL, 1ULL << 63, 1ULL << 52,
	(u64)SZ_1G, 4ULL << 30, 0x100000000ULL - PAGE_SIZE,
};

/* A size: mostly whole pageblocks or pages. */
static inline u64 in_size(struct fuzz_in *in)
{
	u8 tag = in_u8(in);

	switch (tag & 7) {
	case 0:
	case 1:
		return (u64)in_u16(in) * SZ_2M;
	case 2:
		return (u64)in_u16(in) * PAGE_SIZE;
	case 3:
		return (u64)in_u8(in) * SZ_1G;
	case 4:
		return in_specials[(tag >> 3) % (sizeof(in_specials) / sizeof(u64))];
	case 5:
		return in_u8(in);
	case 6:
		return (u64)in_u32(in) * PAGE_SIZE;
	default:
		return in_u64(in);
	}
}

/*
 * A page that reading past crashes: @npages pages, read-write, and a
 * PROT_NONE page after them. Never unmapped.
 */
static inline void *guarded_pages(unsigned int npages)
{
	char *map;

	map = mmap(NULL, (npages + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		abort();
	if (mprotect(map + npages * PAGE_SIZE, PAGE_SIZE, PROT_NONE))
		abort();
	return map;
}

/*
 * Is a reason from the checks well formed? Not NULL, and either a literal
 * or @why itself, terminated within its @len bytes.
 */
static inline bool reason_ok(const char *r, const char *why, size_t len)
{
	if (!r)
		return false;
	if (r >= why && r < why + len)
		return r == why && memchr(why, '\0', len);
	return r[0] != '\0';
}

#endif
