// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checks of kernel/liveupdate/kho_in_check.c on a handover the input
 * makes: a RAM layout for the memblock shim, the root FDT (built by libfdt
 * from the input, optionally mutated, or raw bytes) in a page followed by
 * a PROT_NONE page, and a scratch array that ends where a PROT_NONE page
 * begins. Each check runs wherever kho_populate() would run it and on its
 * own; acceptance must match a model (exactly for FDTs built and left
 * alone), whatever is accepted must be sane, and reasons well formed.
 */
#include <stdio.h>
#include <libfdt.h>
#include <linux/kho/abi/kexec_handover.h>
#include "../../../../kernel/liveupdate/kho_in_check.h"
#include "../shims/memblock_shim.h"
#include "fuzz.h"
#include "fuzz_input.h"

#define MAP_PROP	KHO_FDT_MEMORY_MAP_PROP_NAME
/* Arrays a bit longer than allowed, to be refused. */
#define AREAS_MAX	(KHO_SCRATCH_MAX_AREAS + 2)
/* The kernel's reason buffer; shorter ones truncate. */
#define WHY_LEN		160

/* What the model expects of kho_check_fdt(), in order of its checks. */
enum fdt_expect {
	F_OK, F_SHORT, F_BIG, F_COMPAT, F_MISSING, F_LEN, F_ZERO, F_ALIGN, F_RAM,
};

static const char *const fdt_words[] = {
	[F_SHORT] = "smaller than an FDT header",
	[F_BIG] = "totalsize", [F_COMPAT] = "compatible",
	[F_MISSING] = "missing", [F_LEN] = "bytes, not 8", [F_ZERO] = "is 0",
	[F_ALIGN] = "not page aligned", [F_RAM] = "not RAM",
};

struct handover {
	struct shim_ram ram[SHIM_RAM_MAX];
	unsigned int nram;
	u64 fdt_phys, fdt_len, scratch_phys, scratch_len;
	void *fdt;
	struct kho_scratch *s;	/* ends at a guard page */
	unsigned int cnt;	/* entries at s */
	/* The FDT as built, if not raw and not mutated. */
	bool known;
	int compat_len;		/* of the first compatible, -1 if none */
	char compat[48];
	int map_len;		/* of the first map property, -1 if none */
	u8 map[16];
	char *why;
	size_t wlen;
	int failures;
};

#define FAIL(h, fmt, ...)						\
	do {								\
		fprintf(stderr, "fuzz_handover: " fmt "\n", ##__VA_ARGS__); \
		(h)->failures++;					\
	} while (0)

/* Does [@a, @a + @len) wrap, or end at 2^64, which the kernel refuses too? */
static bool wraps(u64 a, u64 len)
{
	return len > ~a;
}

/* Is [@a, @a + @len) in one RAM region? As memblock answers it. */
static bool model_ram(const struct handover *h, u64 a, u64 len)
{
	const struct shim_ram *r;
	unsigned int i;

	for (i = 0; i < h->nram; i++) {
		r = &h->ram[i];
		if (a >= r->base && a - r->base <= r->size &&
		    len <= r->size - (a - r->base))
			return true;
	}
	return false;
}

/* Do two ranges that do not wrap overlap? */
static bool model_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static bool model_in_scratch(const struct handover *h, unsigned int cnt,
			     u64 a, u64 len)
{
	unsigned int i;

	for (i = 0; i < cnt; i++)
		if (model_overlap(a, len, h->s[i].addr, h->s[i].size))
			return true;
	return false;
}

/* kho_scratch_floor() of the RAM: a 64-byte struct page a page, 8 MiB. */
static u64 model_floor(const struct handover *h)
{
	u64 ram = 0;
	unsigned int i;

	for (i = 0; i < h->nram; i++)
		ram += h->ram[i].size;
	return (ram >> 12) * 64 + (8 << 20);
}

/* Does @reason hold @word? Only checked if @reason is not truncated. */
static void check_word(struct handover *h, const char *what,
		       const char *reason, const char *word)
{
	if (h->wlen >= WHY_LEN && !strstr(reason, word))
		FAIL(h, "%s: reason \"%s\" lacks \"%s\"", what, reason, word);
}

static void check_reason(struct handover *h, const char *what,
			 const char *reason)
{
	if (!reason_ok(reason, h->why, h->wlen))
		FAIL(h, "%s: malformed reason", what);
}

/* ---- Making the handover ---- */

static void make_ram(struct fuzz_in *in, struct handover *h)
{
	unsigned int i, n = 1 + in_u8(in) % SHIM_RAM_MAX;
	u64 end = 0, gap, size;

	h->nram = 0;
	for (i = 0; i < n; i++) {
		gap = in_size(in);
		size = in_size(in);
		if (i && end == ~0ULL)
			break;
		if (gap > ~0ULL - end)
			break;
		if (size > ~0ULL - (end + gap))
			size = ~0ULL - (end + gap);
		if (!size)
			break;
		h->ram[h->nram].base = end + gap;
		h->ram[h->nram].size = size;
		end = end + gap + size;
		h->nram++;
	}
	if (!h->nram) {
		h->ram[0].base = SZ_1G;
		h->ram[0].size = SZ_1G;
		h->nram = 1;
	}
	if (!shim_ram_set(h->ram, h->nram))
		abort();
}

/* An address: mostly pageblocks or pages of a RAM region. */
static u64 in_addr(struct fuzz_in *in, const struct handover *h)
{
	u8 tag = in_u8(in);
	const struct shim_ram *r = &h->ram[(tag >> 3) % h->nram];

	switch (tag & 7) {
	case 0:
	case 1:
		return r->base + (u64)in_u16(in) * SZ_2M;
	case 2:
		return r->base + (u64)in_u16(in) * PAGE_SIZE;
	case 3:
		return r->base + r->size - (u64)in_u16(in) * SZ_2M;
	case 4:
		return r->base + r->size - (u64)in_u16(in) * PAGE_SIZE;
	default:
		return in_size(in);
	}
}

static void add_prop(struct handover *h, const char *name, const void *val,
		     int len)
{
	if (fdt_property(h->fdt, name, val, len))
		h->known = false;
}

/*
 * Build a root FDT: a compatible and a map root, either missing, one of
 * several kinds or twice, in either order, maybe with a subtree after.
 */
static void build_fdt(struct fuzz_in *in, struct handover *h)
{
	u8 shape = in_u8(in), extra = in_u8(in);
	unsigned int compat_kind = shape & 3, map_kind = (shape >> 2) & 3;
	char compat[48];
	u8 map[16];
	int clen = 0, mlen = 0, i;
	u64 v;

	switch (compat_kind) {
	case 0:
		clen = sizeof(KHO_FDT_COMPATIBLE);
		memcpy(compat, KHO_FDT_COMPATIBLE, clen);
		break;
	case 1:
		clen = sizeof("kho-v1\0" KHO_FDT_COMPATIBLE);
		memcpy(compat, "kho-v1\0" KHO_FDT_COMPATIBLE, clen);
		break;
	case 2:
		clen = in_u8(in) % sizeof(compat);
		in_copy(in, compat, clen);
		break;
	}
	switch (map_kind) {
	case 0:
	case 1:
		mlen = 8;
		v = in_addr(in, h);
		memcpy(map, &v, 8);
		break;
	case 2:
		mlen = in_u8(in) % (sizeof(map) + 1);
		in_copy(in, map, mlen);
		break;
	}

	h->known = true;
	h->compat_len = compat_kind == 3 ? -1 : clen;
	memcpy(h->compat, compat, clen);
	h->map_len = map_kind == 3 ? -1 : mlen;
	memcpy(h->map, map, mlen);

	if (fdt_create(h->fdt, PAGE_SIZE))
		abort();
	for (i = 0; i < (extra & 3); i++) {
		v = in_u64(in);
		fdt_add_reservemap_entry(h->fdt, v, in_u64(in));
	}
	fdt_finish_reservemap(h->fdt);
	fdt_begin_node(h->fdt, "");
	if (shape & 0x10) {
		if (map_kind != 3)
			add_prop(h, MAP_PROP, map, mlen);
		if (compat_kind != 3)
			add_prop(h, "compatible", compat, clen);
	} else {
		if (compat_kind != 3)
			add_prop(h, "compatible", compat, clen);
		if (map_kind != 3)
			add_prop(h, MAP_PROP, map, mlen);
	}
	/* Second ones, which libfdt returns only if there was none before. */
	if (shape & 0x20) {
		v = in_addr(in, h);
		add_prop(h, "compatible", KHO_FDT_COMPATIBLE,
			 sizeof(KHO_FDT_COMPATIBLE));
		add_prop(h, MAP_PROP, &v, 8);
		if (compat_kind == 3) {
			h->compat_len = sizeof(KHO_FDT_COMPATIBLE);
			memcpy(h->compat, KHO_FDT_COMPATIBLE, h->compat_len);
		}
		if (map_kind == 3) {
			h->map_len = 8;
			memcpy(h->map, &v, 8);
		}
	}
	if (shape & 0x40) {
		v = in_u64(in);
		fdt_begin_node(h->fdt, "memblock");
		add_prop(h, KHO_FDT_SUB_TREE_PROP_NAME, &v, 8);
		v = in_u16(in);
		add_prop(h, KHO_FDT_SUB_TREE_SIZE_PROP_NAME, &v, 8);
		fdt_end_node(h->fdt);
	}
	fdt_end_node(h->fdt);
	if (fdt_finish(h->fdt))
		h->known = false;
	/* Overwrite bytes, or header words. */
	if (shape & 0x80) {
		h->known = false;
		for (i = 0; i <= (extra >> 2) % 4; i++) {
			if (extra & 0x10) {
				v = in_u8(in) % 10;
				((fdt32_t *)h->fdt)[v] = cpu_to_fdt32(in_u32(in));
			} else {
				v = in_u16(in) % PAGE_SIZE;
				((u8 *)h->fdt)[v] = in_u8(in);
			}
		}
	}
}

/* ---- The model ---- */

/*
 * Is @s in the string list @list, as fdt_stringlist_contains() finds it?
 * That compares strlen(@s) + 1 bytes while @len >= strlen(@s), so an
 * unterminated last string matches if the byte after the property is 0,
 * which it is in a built FDT (padding, or a tag's first byte).
 */
static bool model_stringlist(const char *list, int len, const char *s)
{
	int slen = strlen(s);
	const char *end;

	while (len >= slen) {
		if (!memcmp(list, s, slen) && (len == slen || !list[slen]))
			return true;
		end = memchr(list, '\0', len);
		if (!end)
			return false;
		len -= end - list + 1;
		list = end + 1;
	}
	return false;
}

/* kho_check_fdt() of a built FDT, as the model sees it. */
static enum fdt_expect model_fdt(const struct handover *h, u64 fdt_len)
{
	u64 map;

	if (fdt_len < sizeof(struct fdt_header))
		return F_SHORT;
	if (fdt_totalsize(h->fdt) > fdt_len)
		return F_BIG;
	if (h->compat_len < 0 ||
	    !model_stringlist(h->compat, h->compat_len, KHO_FDT_COMPATIBLE))
		return F_COMPAT;
	if (h->map_len < 0)
		return F_MISSING;
	if (h->map_len != 8)
		return F_LEN;
	memcpy(&map, h->map, 8);
	if (!map)
		return F_ZERO;
	if (map % PAGE_SIZE)
		return F_ALIGN;
	if (!model_ram(h, map, PAGE_SIZE))
		return F_RAM;
	return F_OK;
}

/* ---- The checks ---- */

static void check_lengths(struct handover *h, const char *reason)
{
	const char *word = NULL;

	if (!h->fdt_len || h->fdt_len > PAGE_SIZE || h->fdt_phys % PAGE_SIZE ||
	    !model_ram(h, h->fdt_phys, h->fdt_len))
		word = "is not a page of RAM";
	else if (!h->scratch_len)
		word = "empty";
	else if (h->scratch_len % sizeof(struct kho_scratch))
		word = "not a multiple of";
	else if (h->scratch_len / sizeof(struct kho_scratch) >
		 KHO_SCRATCH_MAX_AREAS)
		word = "areas, more than";
	else if (!model_ram(h, h->scratch_phys, h->scratch_len))
		word = "is not in RAM";

	if (!word != !reason) {
		FAIL(h, "lengths: %s, model %s", reason ?: "accepted",
		     word ?: "accepts");
		return;
	}
	if (reason) {
		check_reason(h, "lengths", reason);
		check_word(h, "lengths", reason, word);
	}
}

static void check_fdt_result(struct handover *h, const char *reason,
			     u64 fdt_len, u64 map)
{
	const void *prop;
	enum fdt_expect e;
	char word[64];
	int len;
	u64 val;

	if (h->known) {
		e = model_fdt(h, fdt_len);
		if (e == F_OK ? !!reason : !reason) {
			FAIL(h, "fdt: %s, model %d", reason ?: "accepted", e);
			return;
		}
		if (reason)
			check_word(h, "fdt", reason, fdt_words[e]);
		/* A short terminated compatible is named. */
		if (reason && e == F_COMPAT && h->compat_len > 0 &&
		    h->compat_len <= 32 && !h->compat[h->compat_len - 1]) {
			snprintf(word, sizeof(word), "\"%s\"", h->compat);
			check_word(h, "fdt", reason, word);
		}
	}
	if (reason) {
		check_reason(h, "fdt", reason);
		return;
	}
	/* Accepted: whatever the FDT was, this much must hold. */
	if (fdt_check_header(h->fdt) || fdt_totalsize(h->fdt) > fdt_len)
		FAIL(h, "fdt: accepted a bad header or totalsize");
	if (fdt_node_check_compatible(h->fdt, 0, KHO_FDT_COMPATIBLE))
		FAIL(h, "fdt: accepted without " KHO_FDT_COMPATIBLE);
	prop = fdt_getprop(h->fdt, 0, MAP_PROP, &len);
	if (!prop || len != 8)
		FAIL(h, "fdt: accepted without an 8-byte map root");
	else if (memcpy(&val, prop, 8), val != map)
		FAIL(h, "fdt: map root %#llx, property %#llx",
		     (unsigned long long)map, (unsigned long long)val);
	if (!map || map % PAGE_SIZE || !model_ram(h, map, PAGE_SIZE))
		FAIL(h, "fdt: accepted map root %#llx", (unsigned long long)map);
}

/*
 * kho_check_scratch() of the first @cnt areas, by the model: NULL, or what
 * its reason says, and which area(s) it names in @which.
 */
static const char *model_scratch(const struct handover *h, unsigned int cnt,
				 char *which, size_t len)
{
	u64 total = 0;
	unsigned int i, j;

	for (i = 0; i < cnt; i++) {
		u64 addr = h->s[i].addr, size = h->s[i].size;

		snprintf(which, len, "area %u ", i);
		if (!size || wraps(addr, size))
			return "is empty or wraps";
		if ((addr | size) % SZ_2M)
			return "is not pageblock aligned";
		if (!model_ram(h, addr, size))
			return "is not RAM";
		for (j = 0; j < i; j++) {
			if (model_overlap(addr, size, h->s[j].addr,
					  h->s[j].size)) {
				snprintf(which, len, "areas %u and %u ", j, i);
				return "overlap";
			}
		}
		total += size;
	}
	snprintf(which, len, "scratch areas hold ");
	if (total < model_floor(h))
		return "floor";
	return NULL;
}

static void check_scratch_result(struct handover *h, const char *reason,
				 unsigned int cnt)
{
	char which[64];
	const char *expect = model_scratch(h, cnt, which, sizeof(which));
	u64 total = 0;
	unsigned int i, j;

	if (!expect != !reason) {
		FAIL(h, "scratch: %s, model %s", reason ?: "accepted",
		     expect ?: "accepts");
		return;
	}
	if (reason) {
		check_reason(h, "scratch", reason);
		check_word(h, "scratch", reason, expect);
		check_word(h, "scratch", reason, which);
		return;
	}
	for (i = 0; i < cnt; i++) {
		const struct kho_scratch *a = &h->s[i];

		if (!a->size || wraps(a->addr, a->size) ||
		    a->addr % KHO_SCRATCH_ALIGN || a->size % KHO_SCRATCH_ALIGN ||
		    !model_ram(h, a->addr, a->size))
			FAIL(h, "scratch: accepted area %u", i);
		for (j = 0; j < i; j++)
			if (model_overlap(a->addr, a->size, h->s[j].addr,
					  h->s[j].size))
				FAIL(h, "scratch: accepted areas %u, %u", j, i);
		total += a->size;
	}
	if (total < model_floor(h))
		FAIL(h, "scratch: accepted below the floor");
}

/* kho_in_areas() against the model, for ranges that do not wrap. */
static void check_in_areas(struct handover *h, unsigned int cnt, u64 a,
			   u64 len)
{
	if (wraps(a, len))
		return;
	if (kho_in_areas(h->s, cnt, a, len) != model_in_scratch(h, cnt, a, len))
		FAIL(h, "kho_in_areas(%#llx, %#llx) wrong",
		     (unsigned long long)a, (unsigned long long)len);
}

/* A reason kept past the next check, which may reuse the buffer. */
static const char *keep(char *buf, const char *reason)
{
	if (!reason)
		return NULL;
	snprintf(buf, WHY_LEN, "%s", reason);
	return buf;
}

static char *fdt_page, *scratch_page;
static int verbose = -1;	/* print each result: KHO_FUZZ_VERBOSE */

static void say(const char *what, const char *reason)
{
	if (verbose)
		fprintf(stderr, "  %s: %s\n", what, reason ?: "accepted");
}

int kho_fuzz_handover(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct handover h = { 0 };
	struct kho_scratch areas[AREAS_MAX] = { 0 };
	char fdt_reason[WHY_LEN], scratch_reason[WHY_LEN];
	const char *reason, *fr = NULL, *sr = NULL;
	u8 mode, wmode;
	unsigned int i, gen;
	u64 map = 0, hmap = 0;
	bool lengths_ok;

	if (!fdt_page) {
		fdt_page = guarded_pages(1);
		scratch_page = guarded_pages(1);
		verbose = !!getenv("KHO_FUZZ_VERBOSE");
	}
	mode = in_u8(&in);
	make_ram(&in, &h);

	/* Where the FDT and the array claim to be, and how long. */
	h.fdt_phys = in_addr(&in, &h);
	h.fdt_len = mode & 1 ? in_size(&in) : PAGE_SIZE;
	if ((mode & 1) && !(mode & 2))
		h.fdt_len = h.fdt_len % (PAGE_SIZE + 1);
	h.scratch_phys = in_addr(&in, &h);
	gen = in_u8(&in);
	gen = gen & 0x80 ? (gen & 0x7f) % (AREAS_MAX + 1) : 1 + gen % 4;
	for (i = 0; i < gen; i++) {
		areas[i].addr = in_addr(&in, &h);
		areas[i].size = in_size(&in);
	}
	h.scratch_len = gen * sizeof(struct kho_scratch);
	if (mode & 4)
		h.scratch_len = (mode & 8) ? in_size(&in) :
				h.scratch_len + 1 + in_u8(&in) % 15;
	/* The array as mapped: what scratch_len holds, else what was made. */
	h.cnt = gen;
	if (!(h.scratch_len % sizeof(struct kho_scratch)) &&
	    h.scratch_len / sizeof(struct kho_scratch) <= AREAS_MAX)
		h.cnt = h.scratch_len / sizeof(struct kho_scratch);
	h.s = (struct kho_scratch *)(scratch_page + PAGE_SIZE) - h.cnt;
	memcpy(h.s, areas, h.cnt * sizeof(*h.s));

	wmode = in_u8(&in);
	h.wlen = wmode & 0x80 ? 1 + wmode % WHY_LEN : WHY_LEN;
	h.why = malloc(h.wlen);
	memset(h.why, 0xa5, h.wlen);

	/* The FDT: built, or the rest of the input. */
	h.fdt = fdt_page;
	memset(fdt_page, 0, PAGE_SIZE);
	if (mode & 0x10) {
		h.known = false;
		in_copy(&in, fdt_page, PAGE_SIZE);
	} else {
		build_fdt(&in, &h);
	}

	/* As kho_populate() does. */
	reason = kho_check_lengths(h.fdt_phys, h.fdt_len, h.scratch_phys,
				   h.scratch_len, h.why, h.wlen);
	check_lengths(&h, reason);
	say("lengths", reason);
	lengths_ok = !reason;

	/* Each check on its own, where its arguments are valid. */
	if (h.fdt_len && h.fdt_len <= PAGE_SIZE) {
		fr = kho_check_fdt(h.fdt, h.fdt_len, &map, h.why, h.wlen);
		check_fdt_result(&h, fr, h.fdt_len, map);
		say("fdt", fr);
		fr = keep(fdt_reason, fr);
	}
	if (h.cnt && h.cnt <= KHO_SCRATCH_MAX_AREAS) {
		sr = kho_check_scratch(h.s, h.cnt, h.why, h.wlen);
		check_scratch_result(&h, sr, h.cnt);
		say("scratch", sr);
		sr = keep(scratch_reason, sr);
		if (!sr) {
			/* Callers pass only checked areas, which do not wrap. */
			check_in_areas(&h, h.cnt, h.fdt_phys, h.fdt_len);
			check_in_areas(&h, h.cnt, map, PAGE_SIZE);
			check_in_areas(&h, h.cnt, h.scratch_phys, h.scratch_len);
		}
	}

	if (lengths_ok) {
		const char *expect = fr ?: sr;

		reason = kho_check_handover(h.fdt_phys, h.fdt, h.fdt_len, h.s,
					    h.cnt, &hmap, h.why, h.wlen);
		say("handover", reason);
		if (!expect && model_in_scratch(&h, h.cnt, h.fdt_phys, h.fdt_len))
			expect = "the FDT at";
		else if (!expect && model_in_scratch(&h, h.cnt, map, PAGE_SIZE))
			expect = "root";
		if (!expect != !reason) {
			FAIL(&h, "handover: %s, model %s", reason ?: "accepted",
			     expect ?: "accepts");
		} else if (reason) {
			check_reason(&h, "handover", reason);
			/* The first failing check's reason, or what is in scratch. */
			if (expect != fr && expect != sr) {
				check_word(&h, "handover", reason, "lies in scratch");
				check_word(&h, "handover", reason, expect);
			} else if (strcmp(reason, expect)) {
				FAIL(&h, "handover: \"%s\", expected \"%s\"",
				     reason, expect);
			}
		} else {
			/* check_fdt_result() and check_scratch_result() hold. */
			if (hmap != map)
				FAIL(&h, "handover: map root %#llx, alone %#llx",
				     (unsigned long long)hmap, (unsigned long long)map);
			if (model_in_scratch(&h, h.cnt, h.fdt_phys, h.fdt_len) ||
			    model_in_scratch(&h, h.cnt, hmap, PAGE_SIZE))
				FAIL(&h, "handover: accepted the FDT or map in scratch");
		}
	}
	free(h.why);
	return h.failures;
}
