// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vmalloc descriptor walk of kho_vmalloc_walk.c on hand-made and
 * corrupted chunk lists. The input picks a valid list (order, number of
 * blocks, placement), then corrupts it: chunk entries and links (to arena
 * pages, chunks, guard pages, misaligned or wild values), stamps, holes in
 * RAM, the descriptor's fields, a failed allocation. Every page the walk
 * has not restored is PROT_NONE, so reading one crashes. The result must
 * match a model of the walk written from its specification (the reason,
 * the pages restored, in order), and the accounting must hold: each
 * restored page was preserved and is restored once, each chunk the walk
 * took back is freed by it, and nothing is left once the caller frees the
 * pages restored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/slab.h>
#include "fuzz.h"
#include "vmalloc_scene.h"

#define FAIL(fails, fmt, ...)						\
	do {								\
		fprintf(stderr, "fuzz_vmalloc: " fmt "\n", ##__VA_ARGS__); \
		(*(fails))++;						\
	} while (0)

/* Why a walk fails, per the specification; the text the reason must hold. */
enum vm_why {
	W_OK, W_NO_LIST, W_NO_PAGES, W_FLAGS, W_NOT_ALLOC, W_ORDER,
	W_MULTIPLE, W_TOO_BIG, W_NOMEM, W_LOOP, W_CHUNK_ALIGN, W_CHUNK_RAM,
	W_LONG, W_CHUNK_LOST, W_MORE, W_BLOCK_ALIGN, W_BLOCK_RAM,
	W_BLOCK_LOST, W_EMPTY, W_FEWER,
};

static const char *const vm_why_text[][2] = {
	[W_OK]		= { NULL, NULL },
	[W_NO_LIST]	= { "no chunk list", NULL },
	[W_NO_PAGES]	= { "no pages", NULL },
	[W_FLAGS]	= { "unknown flags", NULL },
	[W_NOT_ALLOC]	= { "KHO_VMALLOC_ALLOC is not set", NULL },
	[W_ORDER]	= { "above MAX_PAGE_ORDER", NULL },
	[W_MULTIPLE]	= { "not a multiple of 2^order", NULL },
	[W_TOO_BIG]	= { "more than this kernel's memory", NULL },
	[W_NOMEM]	= { "no memory", NULL },
	[W_LOOP]	= { "the chunk list loops", NULL },
	[W_CHUNK_ALIGN]	= { "a chunk at ", " is not page aligned" },
	[W_CHUNK_RAM]	= { "a chunk at ", " is not RAM" },
	[W_LONG]	= { "the chunk list is longer than total_pages needs", NULL },
	[W_CHUNK_LOST]	= { "a chunk at ", " was not preserved" },
	[W_MORE]	= { "more blocks than total_pages", NULL },
	[W_BLOCK_ALIGN]	= { "a block at ", " is not aligned to its order" },
	[W_BLOCK_RAM]	= { "a block at ", " is not RAM" },
	[W_BLOCK_LOST]	= { "a block at ", " was not preserved at order" },
	[W_EMPTY]	= { "the chunk at ", " is empty" },
	[W_FEWER]	= { "fewer blocks than total_pages", NULL },
};

/*
 * What the walk must do, worked out before it runs. The stamps are
 * VM_NO_STAMP but on the @nr_set pages in @set, which vm_touched() listed.
 */
static struct vm_model {
	bool init;
	int stamp0[VM_ARENA_PAGES];	/* stamps before the walk */
	int stamp[VM_ARENA_PAGES];	/* and after */
	unsigned int set[VM_ARENA_PAGES], nr_set;
	enum vm_why why;
	unsigned long nr;		/* pages restored */
	unsigned int nr_chunks;		/* chunks restored (and freed) */
	unsigned int heads[VM_ARENA_PAGES];	/* blocks restored, in order */
} m;

static int verbose = -1;	/* print each walk's result: KHO_FUZZ_VERBOSE */

static unsigned int gcd(unsigned int a, unsigned int b)
{
	while (b) {
		unsigned int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

unsigned int vm_scene_max_blocks(unsigned int order)
{
	unsigned int keep = VM_CHUNK_PAGES;

	if (order > MAX_PAGE_ORDER)
		return 0;
	/* The chunks take the last block slot, or the last pages. */
	if (keep < 1U << order)
		keep = 1U << order;
	return (VM_ARENA_PAGES - keep) >> order;
}

struct kho_vmalloc_chunk *vm_scene_chunk(unsigned int k)
{
	return vm_mem(VM_CHUNK_PAGE(k % VM_CHUNK_PAGES));
}

void vm_scene_build(struct vm_scene *s, unsigned int order,
		    unsigned int nr_blocks, unsigned int mult, unsigned int off)
{
	unsigned int slots = vm_scene_max_blocks(order), i, k;

	vm_reset();
	memset(s, 0, sizeof(*s));
	s->order = order;
	if (nr_blocks > slots)
		nr_blocks = slots;
	if (slots) {
		/* Coprime with the slot count: a permutation of the slots. */
		mult = mult % slots ? mult % slots : 1;
		while (gcd(mult, slots) != 1)
			mult++;
		off %= slots;
	}
	for (i = 0; i < nr_blocks; i++) {
		unsigned int page = ((unsigned long)i * mult + off) % slots
				    << order;

		vm_stamp(page, order);
		s->block[i] = page;
		vm_scene_chunk(i / KHO_VMALLOC_SIZE)->phys[i % KHO_VMALLOC_SIZE] =
			vm_phys(page);
	}
	s->nr_blocks = nr_blocks;
	s->nr_chunks = DIV_ROUND_UP(nr_blocks, KHO_VMALLOC_SIZE);
	for (k = 0; k < s->nr_chunks; k++) {
		vm_stamp(VM_CHUNK_PAGE(k), 0);
		if (k)
			vm_scene_chunk(k - 1)->hdr.next.phys =
				vm_phys(VM_CHUNK_PAGE(k));
	}
	s->d.first.phys = s->nr_chunks ? vm_phys(VM_CHUNK_PAGE(0)) : 0;
	s->d.total_pages = nr_blocks << order;
	s->d.flags = KHO_VMALLOC_ALLOC;
	s->d.order = order;
}

/* ---- The model: the walk as its kernel-doc and comments specify it ---- */

static enum vm_why model_check(const struct kho_vmalloc *d)
{
	if (!d->first.phys)
		return W_NO_LIST;
	if (!d->total_pages)
		return W_NO_PAGES;
	if (d->flags & ~(KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP))
		return W_FLAGS;
	if (!(d->flags & KHO_VMALLOC_ALLOC))
		return W_NOT_ALLOC;
	if (d->order > MAX_PAGE_ORDER)
		return W_ORDER;
	if (d->total_pages % (1U << d->order))
		return W_MULTIPLE;
	if (d->total_pages > VM_ARENA_PAGES)
		return W_TOO_BIG;
	return W_OK;
}

/* Take the stamp of an aligned block of 2^@order pages at @phys. */
static bool model_restore(u64 phys, unsigned int order)
{
	long i = vm_phys_index(phys);

	if (!vm_is_ram(phys) || m.stamp[i] != (int)order)
		return false;
	m.stamp[i] = VM_NO_STAMP;
	return true;
}

static enum vm_why model_walk(const struct vm_scene *s)
{
	const struct kho_vmalloc *d = &s->d;
	unsigned long blocks = d->total_pages >> d->order;
	unsigned long max_chunks = DIV_ROUND_UP(blocks, KHO_VMALLOC_SIZE);
	u64 seen[8], next = d->first.phys;
	unsigned int n = 0, i, k;

	if (s->fail_alloc)
		return W_NOMEM;
	while (next) {
		const struct kho_vmalloc_chunk *chunk;

		for (k = 0; k < n; k++)
			if (seen[k] == next)
				return W_LOOP;
		if (next % PAGE_SIZE)
			return W_CHUNK_ALIGN;
		if (!vm_is_ram(next))
			return W_CHUNK_RAM;
		if (n == max_chunks)
			return W_LONG;
		if (!model_restore(next, 0))
			return W_CHUNK_LOST;
		seen[n++] = next;
		m.nr_chunks++;
		/* Still writable: the walk has not run. */
		chunk = vm_mem(vm_phys_index(next));
		for (i = 0; i < KHO_VMALLOC_SIZE && chunk->phys[i]; i++) {
			u64 phys = chunk->phys[i];

			if (m.nr == d->total_pages)
				return W_MORE;
			if (phys % (PAGE_SIZE << d->order))
				return W_BLOCK_ALIGN;
			if (!vm_is_ram(phys))
				return W_BLOCK_RAM;
			if (!model_restore(phys, d->order))
				return W_BLOCK_LOST;
			m.heads[m.nr >> d->order] = vm_phys_index(phys);
			m.nr += 1UL << d->order;
		}
		if (!i)
			return W_EMPTY;
		next = chunk->hdr.next.phys;
	}
	return m.nr == d->total_pages ? W_OK : W_FEWER;
}

static void model(const struct vm_scene *s)
{
	const unsigned int *list;
	unsigned int i, n;

	if (!m.init) {
		for (i = 0; i < VM_ARENA_PAGES; i++) {
			m.stamp0[i] = VM_NO_STAMP;
			m.stamp[i] = VM_NO_STAMP;
		}
		m.init = true;
	}
	while (m.nr_set) {
		i = m.set[--m.nr_set];
		m.stamp0[i] = VM_NO_STAMP;
		m.stamp[i] = VM_NO_STAMP;
	}
	n = vm_touched(&list);
	for (i = 0; i < n; i++) {
		m.stamp0[list[i]] = vm_stamp_order(list[i]);
		m.stamp[list[i]] = m.stamp0[list[i]];
		m.set[m.nr_set++] = list[i];
	}
	m.nr = 0;
	m.nr_chunks = 0;
	m.why = model_check(&s->d);
	if (m.why == W_OK)
		m.why = model_walk(s);
}

static bool reason_is(const char *reason, enum vm_why why)
{
	const char *a = vm_why_text[why][0], *b = vm_why_text[why][1];
	const char *at;

	if (!a)
		return !reason;
	if (!reason)
		return false;
	at = strstr(reason, a);
	return at && (!b || strstr(at + strlen(a), b));
}

/* ---- The run ---- */

/* The pages the walk restored, and the chunks it restored and freed. */
static void check_pages(const struct vm_scene *s, struct page **pages,
			unsigned long nr, int *fails)
{
	static unsigned char listed[VM_ARENA_PAGES];
	unsigned long block = 1UL << s->d.order, i;
	unsigned int chunks = 0, n, t;
	const unsigned int *list;
	long x;

	memset(listed, 0, sizeof(listed));
	for (i = 0; i < nr; i++) {
		x = vm_index(pages[i]);
		if (x < 0) {
			FAIL(fails, "pages[%lu] is no arena page", i);
			return;
		}
		if (listed[x]++)
			FAIL(fails, "page %ld listed twice", x);
		if (vm_page(x)->restores != 1 || vm_page(x)->frees)
			FAIL(fails, "pages[%lu] (page %ld) restored %u, freed %u",
			     i, x, vm_page(x)->restores, vm_page(x)->frees);
		if (i % block) {
			if (pages[i] != pages[i - 1] + 1)
				FAIL(fails, "block %lu not contiguous", i / block);
			continue;
		}
		if (x % block || m.stamp0[x] != s->d.order)
			FAIL(fails, "block %lu at page %ld was not preserved at order %u",
			     i / block, x, s->d.order);
		if (i / block < VM_ARENA_PAGES && m.heads[i / block] != x)
			FAIL(fails, "block %lu is page %ld, the list says %u",
			     i / block, x, m.heads[i / block]);
	}
	n = vm_touched(&list);
	for (t = 0; t < n; t++) {
		struct page *p = vm_page(list[t]);

		x = list[t];
		if (vm_stamp_order(x) != m.stamp[x])
			FAIL(fails, "page %ld stamp %d, expected %d", x,
			     vm_stamp_order(x), m.stamp[x]);
		if (!p->restores || listed[x])
			continue;
		/* Restored, not returned: a chunk, which the walk frees. */
		if (p->frees != 1)
			FAIL(fails, "page %ld restored and leaked", x);
		chunks++;
	}
	if (chunks != m.nr_chunks)
		FAIL(fails, "%u chunks restored and freed, expected %u", chunks,
		     m.nr_chunks);
}

int vm_scene_run(struct vm_scene *s, struct vm_result *r)
{
	struct page **pages = NULL;
	const unsigned int *list;
	unsigned int n, t;
	int fails = 0;
	long x;

	memset(r, 0, sizeof(*r));
	model(s);
	vm_seal();

	r->reason = kho_vmalloc_check(&s->d);
	r->invalid = !!r->reason;
	if (!r->invalid) {
		/* As kho_restore_vmalloc(): the page array, then the walk. */
		pages = kvmalloc_array(s->d.total_pages, sizeof(*pages),
				       GFP_KERNEL);
		if (!pages) {
			FAIL(&fails, "no page array");
			return fails;
		}
		if (s->fail_alloc)
			vm_fail_alloc_nth(1);
		r->reason = kho_vmalloc_restore_blocks(&s->d, pages, &r->nr,
						       r->why, sizeof(r->why));
		vm_fail_alloc_nth(0);
	}

	if (!reason_is(r->reason, m.why))
		FAIL(&fails, "reason \"%s\", expected \"%s...%s\"",
		     r->reason ? r->reason : "(none)",
		     vm_why_text[m.why][0] ? vm_why_text[m.why][0] : "(none)",
		     vm_why_text[m.why][1] ? vm_why_text[m.why][1] : "");
	if (r->reason && strlen(r->reason) >= KHO_VMALLOC_WHY_LEN - 1)
		FAIL(&fails, "reason truncated: %s", r->reason);
	if (r->nr != m.nr)
		FAIL(&fails, "%lu pages restored, expected %lu", r->nr, m.nr);
	if (!r->reason && r->nr != s->d.total_pages)
		FAIL(&fails, "success with %lu of %u pages", r->nr,
		     s->d.total_pages);
	if (r->nr > s->d.total_pages) {
		FAIL(&fails, "%lu pages in an array of %u", r->nr,
		     s->d.total_pages);
		return fails;
	}
	check_pages(s, pages, r->nr, &fails);

	/* Free as kho_restore_vmalloc() on failure, or vfree(), would. */
	if (pages && r->reason) {
		kho_vmalloc_free_pages(pages, r->nr);
	} else if (pages) {
		for (x = 0; x < (long)r->nr; x++)
			__free_page(pages[x]);
		kvfree(pages);
	}
	n = vm_touched(&list);
	for (t = 0; t < n; t++) {
		x = list[t];
		if (vm_page(x)->restores != vm_page(x)->frees)
			FAIL(&fails, "page %ld restored and never freed", x);
	}
	if (vm_allocs_live())
		FAIL(&fails, "%ld allocations leaked", vm_allocs_live());

	if (verbose < 0)
		verbose = !!getenv("KHO_FUZZ_VERBOSE");
	if (verbose)
		printf("#   vmalloc: order %u, %u pages: %s; %lu restored\n",
		       s->d.order, s->d.total_pages,
		       r->reason ? r->reason : "restored", r->nr);
	return fails;
}

/* ---- The fuzz entry ---- */

static struct vm_scene scene;

/* A value for a chunk entry, a link or the first chunk. */
static u64 pick_value(const struct vm_scene *s, unsigned int sel,
		      unsigned int arg, const uint8_t **p, const uint8_t *end)
{
	u64 v;

	switch (sel % 8) {
	case 0:		/* any arena page */
		return vm_phys(arg % VM_ARENA_PAGES);
	case 1:		/* one of the builder's chunk pages */
		return vm_phys(VM_CHUNK_PAGE(arg % VM_CHUNK_PAGES));
	case 2:
		return 0;
	case 3:		/* misaligned inside the arena */
		return vm_phys(arg % VM_ARENA_PAGES) + 8 * ((arg >> 11) + 1);
	case 4:		/* not RAM: the pages around the arena, or far away */
		if (arg & 2)
			return (1ULL << 50) + ((u64)arg << PAGE_SHIFT);
		return vm_guard_phys(arg & 1);
	case 5:		/* wild, from the input */
		if (end - *p < 8)
			return 0;
		memcpy(&v, *p, 8);
		*p += 8;
		return v;
	case 6:		/* a block of the list: listed twice */
		return s->nr_blocks ? vm_phys(s->block[arg % s->nr_blocks]) : 0;
	default:	/* page aligned but not block aligned */
		return vm_phys((arg % VM_ARENA_PAGES) | 1);
	}
}

/*
 * Input: a 6-byte header (order, number of blocks, placement), then 8-byte
 * records: op, page (2 bytes), slot (2 bytes), value selector, value
 * argument (2 bytes); a wild value takes 8 more bytes.
 */
int kho_fuzz_vmalloc(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct vm_scene *s = &scene;
	struct vm_result r;
	unsigned int page, slot, sel, arg, last;
	u64 *slots;

	if (size < 6)
		return 0;
	vm_scene_build(s, p[0] % (MAX_PAGE_ORDER + 2), p[1] | p[2] << 8, p[3],
		       p[4] | p[5] << 8);
	p += 6;

	while (end - p >= 8) {
		unsigned int op = p[0] % 16;

		page = p[1] | p[2] << 8;
		slot = (p[3] | p[4] << 8) % (KHO_VMALLOC_SIZE + 1);
		sel = p[5];
		arg = p[6] | p[7] << 8;
		p += 8;
		switch (op) {
		case 0 ... 2:	/* a builder's chunk: slot 0 is the link */
		case 3 ... 5:	/* any page, made a chunk by a link to it */
			page = op < 3 ? VM_CHUNK_PAGE(page % VM_CHUNK_PAGES) :
					page % VM_ARENA_PAGES;
			slots = vm_mem(page);
			slots[slot] = pick_value(s, sel, arg, &p, end);
			break;
		case 6:
			vm_unstamp(page % VM_ARENA_PAGES);
			break;
		case 7:		/* aligned down, so that it takes */
			sel %= VM_MAX_STAMP_ORDER + 1;
			vm_stamp(page % VM_ARENA_PAGES & ~((1U << sel) - 1), sel);
			break;
		case 8:
			vm_set_hole(page % VM_ARENA_PAGES);
			break;
		case 9:
			if (sel & 1)
				s->d.total_pages += (int16_t)arg;
			else
				s->d.total_pages = arg | slot << 16;
			break;
		case 10:
			s->d.order = sel % 16;
			break;
		case 11:
			s->d.flags = arg;
			break;
		case 12:
			s->d.first.phys = pick_value(s, sel, arg, &p, end);
			break;
		case 13:
			s->fail_alloc = true;
			break;
		case 14:	/* the last chunk links back to one before */
			last = s->nr_chunks ? s->nr_chunks - 1 : 0;
			vm_scene_chunk(last)->hdr.next.phys =
				vm_phys(VM_CHUNK_PAGE(arg % (last + 1)));
			break;
		default:
			break;
		}
	}
	return vm_scene_run(s, &r);
}
