// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end test client of Kexec HandOver (KHO).
 *
 * With KHO enabled ("kho=on"), every boot of a kexec chain does one of two
 * things at late_initcall time:
 *
 * - Save (no incoming "kho_test" subtree): allocate folios of random orders
 *   and a few page ranges of odd lengths, fill them with a pattern derived
 *   from (seed, block index, physical address), preserve them, and publish a
 *   description of them as the "kho_test" subtree.
 *
 * - Verify (an incoming "kho_test" subtree): check that every preserved page
 *   was kept away from the page allocator and still holds its pattern, then,
 *   with test_kho.chain=1, save a fresh payload for the next kernel.
 *
 * The generation of a boot is its position in the chain: 1 for the boot that
 * saves first, and one more than the generation recorded in the incoming
 * blob otherwise. A save prints one line (wrapped here):
 *
 *   test_kho: generation <g>: preserved <N> blocks (<F> folios,
 *     <R> page ranges), <B> bytes, csum 0x<x>
 *
 * and a verification one more, after "test_kho: is_kho_boot: yes|no":
 *
 *   test_kho: generation <g>: verified <N> blocks (<F> folios,
 *     <R> page ranges), <B> bytes, <K> bad pfns, csum 0x<x>: PASS
 *
 * or, through pr_err, the same line ending in ": FAIL (<reason>)".
 *
 * The blob is a flattened device tree whose root node holds (standard
 * big-endian FDT cells, so that dtc prints it as is):
 *
 *   compatible = "kho-test-v1"
 *   generation = <u32>  generation of the kernel that wrote the blob
 *   seed       = <u64>  pattern seed
 *   count      = <u32>  number of blocks
 *   folios     = <u32>  the first @folios blocks are folios, the rest are
 *                       page ranges preserved with kho_preserve_pages()
 *   blocks     = <u64 pairs> {physical address, number of pages} per block
 *   csum       = <u64>  FNV-1a style hash of the contents of all blocks, in
 *                       order, taken one 64-bit word at a time
 *
 * Parameters: test_kho.max_mem bounds the bytes of folios (default 16M);
 * test_kho.ranges page ranges of at most 31 pages each come on top;
 * test_kho.seed fixes the pattern seed (0, the default, draws one per
 * save); test_kho.chain=0 stops after verifying.
 *
 * Nothing is restored: the memory of older generations stays reserved.
 */

#define pr_fmt(fmt) "test_kho: " fmt

#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/page-flags.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#define TKHO_NAME		"kho_test"
#define TKHO_COMPATIBLE		"kho-test-v1"
/* Bounds the blob to an order-9 allocation on 4 KiB pages. */
#define TKHO_MAX_BLOCKS		65536
/* Page ranges are at most 2^TKHO_RANGE_ORDER - 1 pages long. */
#define TKHO_RANGE_ORDER	min(5, MAX_PAGE_ORDER)
/* The largest blob kho_alloc_preserve() can hand out. */
#define TKHO_MAX_BLOB		(PAGE_SIZE << MAX_PAGE_ORDER)

#define FNV64_OFFSET		0xcbf29ce484222325ULL
#define FNV64_PRIME		0x100000001b3ULL

static unsigned long max_mem = SZ_16M;
module_param(max_mem, ulong, 0444);
MODULE_PARM_DESC(max_mem, "Bytes of folios to preserve (default 16M)");

static unsigned long long seed;
module_param(seed, ullong, 0444);
MODULE_PARM_DESC(seed, "Pattern seed of every save; 0 picks a random one each time");

static unsigned int ranges = 4;
module_param(ranges, uint, 0444);
MODULE_PARM_DESC(ranges, "Number of page ranges of odd length to preserve");

static bool chain = true;
module_param(chain, bool, 0444);
MODULE_PARM_DESC(chain, "After verifying, preserve a payload for the next kernel");

/* One preserved block, as the save path tracks it. */
struct tkho_block {
	struct page *alloc;	/* what the page allocator returned */
	unsigned int order;	/* order of @alloc */
	struct page *page;	/* first preserved page */
	unsigned long nr_pages;
	bool folio;
	bool preserved;
};

/* The outcome of a run over all blocks, for the summary line. */
struct tkho_stats {
	unsigned int count;
	unsigned int folios;
	u64 bytes;
	u64 bad_pfns;
	u64 bad_words;
	u64 csum;
};

static u64 tkho_splitmix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The first state of the pattern of block @idx at @phys; never zero. */
static u64 tkho_pattern_start(u64 pseed, unsigned int idx, phys_addr_t phys)
{
	u64 s = tkho_splitmix(pseed ^ (u64)phys ^ ((u64)idx << 52));

	return s ?: 1;
}

/* xorshift64: the pattern word at each offset is the next state. */
static u64 tkho_pattern_next(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static u64 tkho_hash(u64 h, u64 word)
{
	return (h ^ word) * FNV64_PRIME;
}

/*
 * Fill @nr_pages pages at @virt with the pattern of block @idx and fold them
 * into @csum.
 */
static void tkho_fill(u64 *virt, unsigned long nr_pages, u64 pseed,
		      unsigned int idx, phys_addr_t phys, u64 *csum)
{
	size_t i, words = nr_pages * (PAGE_SIZE / sizeof(u64));
	u64 state = tkho_pattern_start(pseed, idx, phys);
	u64 h = *csum;

	for (i = 0; i < words; i++) {
		virt[i] = tkho_pattern_next(&state);
		h = tkho_hash(h, virt[i]);
	}
	*csum = h;
}

/*
 * Compare @nr_pages pages at @virt with the pattern of block @idx and fold
 * them into @csum. Returns the number of words that differ; the physical
 * address of the first one goes to @first_bad.
 */
static u64 tkho_check(const u64 *virt, unsigned long nr_pages, u64 pseed,
		      unsigned int idx, phys_addr_t phys, u64 *csum,
		      phys_addr_t *first_bad)
{
	size_t i, words = nr_pages * (PAGE_SIZE / sizeof(u64));
	u64 state = tkho_pattern_start(pseed, idx, phys);
	u64 h = *csum, bad = 0;

	for (i = 0; i < words; i++) {
		u64 w = READ_ONCE(virt[i]);

		if (w != tkho_pattern_next(&state) && !bad++)
			*first_bad = phys + i * sizeof(u64);
		h = tkho_hash(h, w);
	}
	*csum = h;
	return bad;
}

static void tkho_block_release(struct tkho_block *b)
{
	if (b->preserved) {
		if (b->folio)
			kho_unpreserve_folio(page_folio(b->page));
		else
			kho_unpreserve_pages(b->page, b->nr_pages);
	}
	__free_pages(b->alloc, b->order);
}

static void tkho_release(struct tkho_block *blocks, unsigned int n)
{
	while (n--) {
		tkho_block_release(&blocks[n]);
		cond_resched();
	}
}

/* A random folio order, lowered until it fits in @left bytes. */
static int tkho_folio_order(u64 left)
{
	int order = get_random_u32_below(NR_PAGE_ORDERS);

	while (order > 0 && (PAGE_SIZE << order) > left)
		order--;
	return order;
}

/*
 * Allocate block @n: a folio when @folio, otherwise a page range of
 * 2^order - 1 pages, starting on the first or the second page of an
 * allocation of that order so that its split into preserved blocks is
 * sometimes aligned and sometimes not.
 */
static int tkho_alloc_block(struct tkho_block *b, unsigned int n, bool folio,
			    u64 left)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;

	memset(b, 0, sizeof(*b));
	b->folio = folio;
	if (folio) {
		struct folio *f;

		b->order = tkho_folio_order(left);
		f = folio_alloc(gfp, b->order);
		if (!f)
			return -ENOMEM;
		b->alloc = &f->page;
		b->page = b->alloc;
		b->nr_pages = folio_nr_pages(f);
		return 0;
	}

	b->order = 1 + get_random_u32_below(TKHO_RANGE_ORDER);
	b->alloc = alloc_pages(gfp, b->order);
	if (!b->alloc)
		return -ENOMEM;
	b->nr_pages = (1UL << b->order) - 1;
	b->page = b->alloc + (n & 1);
	return 0;
}

static int tkho_preserve_block(struct tkho_block *b)
{
	int err;

	if (b->folio)
		err = kho_preserve_folio(page_folio(b->page));
	else
		err = kho_preserve_pages(b->page, b->nr_pages);
	b->preserved = !err;
	return err;
}

static int tkho_fdt_err(int fdt_err)
{
	return fdt_err == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}

/* Write the blob describing @blocks into @fdt, @size bytes. */
static int tkho_build_blob(void *fdt, size_t size, u32 gen, u64 pseed,
			   const struct tkho_block *blocks,
			   const struct tkho_stats *st)
{
	void *val;
	u8 *p;
	unsigned int i;
	int err;

	err = fdt_create(fdt, size);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", TKHO_COMPATIBLE);
	err = err ?: fdt_property_u32(fdt, "generation", gen);
	err = err ?: fdt_property_u64(fdt, "seed", pseed);
	err = err ?: fdt_property_u32(fdt, "count", st->count);
	err = err ?: fdt_property_u32(fdt, "folios", st->folios);
	err = err ?: fdt_property_placeholder(fdt, "blocks",
					      st->count * 2 * sizeof(u64), &val);
	if (err)
		return tkho_fdt_err(err);

	p = val;
	for (i = 0; i < st->count; i++) {
		fdt64_st(p, page_to_phys(blocks[i].page));
		fdt64_st(p + sizeof(u64), blocks[i].nr_pages);
		p += 2 * sizeof(u64);
	}

	err = fdt_property_u64(fdt, "csum", st->csum);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	return err ? tkho_fdt_err(err) : 0;
}

/*
 * Allocate, fill and preserve the blocks of generation @gen and publish
 * them. On failure everything is unpreserved and freed again.
 */
static int tkho_save(u32 gen)
{
	u64 pseed = seed ?: get_random_u64();
	struct tkho_stats st = { .csum = FNV64_OFFSET };
	u64 left = max_mem, want = max_mem;
	struct tkho_block *blocks;
	unsigned int max_blocks, n = 0;
	void *blob;
	size_t blob_size;
	int err = 0;

	max_blocks = min_t(u64, TKHO_MAX_BLOCKS,
			   (u64)ranges + (max_mem >> PAGE_SHIFT));
	blocks = kvcalloc(max_blocks, sizeof(*blocks), GFP_KERNEL);
	if (!blocks) {
		pr_err("generation %u: no memory to track %u blocks\n",
		       gen, max_blocks);
		return -ENOMEM;
	}

	/* Folios up to max_mem bytes, then the page ranges on top. */
	while (n < max_blocks) {
		bool folio = left >= PAGE_SIZE;
		struct tkho_block *b = &blocks[n];

		if (!folio && n - st.folios >= ranges)
			break;
		if (tkho_alloc_block(b, n, folio, left)) {
			pr_warn("generation %u: allocation failed after %llu of %llu folio bytes and %u page ranges, publishing what was allocated\n",
				gen, want - left, want, n - st.folios);
			break;
		}
		tkho_fill(page_address(b->page), b->nr_pages, pseed, n,
			  page_to_phys(b->page), &st.csum);
		err = tkho_preserve_block(b);
		if (err) {
			phys_addr_t phys = page_to_phys(b->page);

			pr_err("generation %u: preserving %lu pages at %pa failed: %d\n",
			       gen, b->nr_pages, &phys, err);
			tkho_block_release(b);
			goto err_release;
		}
		if (folio) {
			left -= PAGE_SIZE * b->nr_pages;
			st.folios++;
		}
		st.bytes += PAGE_SIZE * b->nr_pages;
		n++;
		cond_resched();
	}
	st.count = n;

	blob_size = PAGE_ALIGN((size_t)n * 2 * sizeof(u64) + PAGE_SIZE);
	blob = kho_alloc_preserve(blob_size);
	if (IS_ERR(blob)) {
		err = PTR_ERR(blob);
		pr_err("generation %u: allocating a %zu byte blob failed: %d\n",
		       gen, blob_size, err);
		goto err_release;
	}
	err = tkho_build_blob(blob, blob_size, gen, pseed, blocks, &st);
	if (err) {
		pr_err("generation %u: building the blob failed: %d\n", gen, err);
		goto err_free_blob;
	}
	err = kho_add_subtree(TKHO_NAME, blob);
	if (err) {
		pr_err("generation %u: kho_add_subtree failed: %d\n", gen, err);
		goto err_free_blob;
	}

	/* The blocks now belong to the next kernel; only forget them here. */
	kvfree(blocks);
	pr_info("generation %u: preserved %u blocks (%u folios, %u page ranges), %llu bytes, csum 0x%llx\n",
		gen, st.count, st.folios, st.count - st.folios, st.bytes,
		st.csum);
	return 0;

err_free_blob:
	kho_unpreserve_free(blob);
err_release:
	tkho_release(blocks, n);
	kvfree(blocks);
	return err;
}

/* [phys, phys + size) is ordinary RAM, mapped by the direct map. */
static bool tkho_is_ram(u64 phys, u64 size)
{
	if (!size || phys + size < phys)
		return false;
	return region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) == REGION_INTERSECTS;
}

/* A root property of exactly @len bytes, or NULL. */
static const void *tkho_prop(const void *fdt, const char *name, int len,
			     char *why, size_t why_len)
{
	const void *val;
	int got;

	val = fdt_getprop(fdt, 0, name, &got);
	if (!val) {
		snprintf(why, why_len, "no property %s", name);
		return NULL;
	}
	if (got != len) {
		snprintf(why, why_len, "property %s is %d bytes, expected %d",
			 name, got, len);
		return NULL;
	}
	return val;
}

/*
 * Check one block of the incoming blob: its shape, that it is RAM, that no
 * page of it sits in the buddy allocator's free lists, and its contents.
 * Returns false if the block cannot be read at all.
 */
static bool tkho_verify_block(u64 phys, u64 nr, bool folio, unsigned int idx,
			      u64 pseed, struct tkho_stats *st,
			      phys_addr_t *first_bad)
{
	unsigned long pfn, first;
	u64 i;

	if (!nr || nr > MAX_ORDER_NR_PAGES || !PAGE_ALIGNED(phys))
		return false;
	if (folio && (!is_power_of_2(nr) || !IS_ALIGNED(phys, nr * PAGE_SIZE)))
		return false;
	if (!tkho_is_ram(phys, nr * PAGE_SIZE))
		return false;

	first = PHYS_PFN(phys);
	for (i = 0; i < nr; i++) {
		pfn = first + i;
		if (!pfn_valid(pfn) || is_free_buddy_page(pfn_to_page(pfn)))
			st->bad_pfns++;
	}
	st->bad_words += tkho_check(phys_to_virt(phys), nr, pseed, idx, phys,
				    &st->csum, first_bad);
	st->bytes += nr * PAGE_SIZE;
	return true;
}

/*
 * Verify the blob at @phys. Returns the generation of the kernel that wrote
 * it, or 0 if the blob is too broken to say.
 */
static u32 tkho_verify(phys_addr_t phys)
{
	struct tkho_stats st = { .csum = FNV64_OFFSET };
	const void *fdt, *prop, *blocks;
	phys_addr_t first_bad = 0;
	u32 in_gen = 0, folios = 0;
	char why[128] = "";
	u64 pseed, csum;
	unsigned int i;
	u32 len;

	pr_info("is_kho_boot: %s\n", is_kho_boot() ? "yes" : "no");

	if (!PAGE_ALIGNED(phys) || !tkho_is_ram(phys, PAGE_SIZE)) {
		snprintf(why, sizeof(why), "blob at %pa is not in RAM", &phys);
		goto out;
	}
	fdt = phys_to_virt(phys);
	if (fdt_check_header(fdt)) {
		snprintf(why, sizeof(why), "no valid FDT header at %pa", &phys);
		goto out;
	}
	len = fdt_totalsize(fdt);
	if (len > TKHO_MAX_BLOB || !tkho_is_ram(phys, len)) {
		snprintf(why, sizeof(why), "blob of %u bytes is too large", len);
		goto out;
	}

	prop = tkho_prop(fdt, "compatible", sizeof(TKHO_COMPATIBLE), why,
			 sizeof(why));
	if (!prop)
		goto out;
	if (memcmp(prop, TKHO_COMPATIBLE, sizeof(TKHO_COMPATIBLE))) {
		snprintf(why, sizeof(why), "compatible is not %s",
			 TKHO_COMPATIBLE);
		goto out;
	}

	prop = tkho_prop(fdt, "generation", sizeof(u32), why, sizeof(why));
	if (!prop)
		goto out;
	in_gen = fdt32_ld(prop);
	if (!in_gen || in_gen == U32_MAX) {
		snprintf(why, sizeof(why), "bad generation %u", in_gen);
		in_gen = 0;
		goto out;
	}

	prop = tkho_prop(fdt, "seed", sizeof(u64), why, sizeof(why));
	if (!prop)
		goto out;
	pseed = fdt64_ld(prop);

	prop = tkho_prop(fdt, "count", sizeof(u32), why, sizeof(why));
	if (!prop)
		goto out;
	st.count = fdt32_ld(prop);
	if (st.count > TKHO_MAX_BLOCKS) {
		snprintf(why, sizeof(why), "count %u is too large", st.count);
		st.count = 0;
		goto out;
	}

	prop = tkho_prop(fdt, "folios", sizeof(u32), why, sizeof(why));
	if (!prop)
		goto out;
	folios = fdt32_ld(prop);
	if (folios > st.count) {
		snprintf(why, sizeof(why), "folios %u > count %u", folios,
			 st.count);
		folios = 0;
		goto out;
	}
	st.folios = folios;

	blocks = tkho_prop(fdt, "blocks", st.count * 2 * sizeof(u64), why,
			   sizeof(why));
	if (!blocks)
		goto out;

	prop = tkho_prop(fdt, "csum", sizeof(u64), why, sizeof(why));
	if (!prop)
		goto out;
	csum = fdt64_ld(prop);

	for (i = 0; i < st.count; i++) {
		const fdt64_t *b = (const fdt64_t *)blocks + 2 * i;
		u64 bphys = fdt64_ld(b), nr = fdt64_ld(b + 1);

		if (!tkho_verify_block(bphys, nr, i < folios, i, pseed, &st,
				       &first_bad) && !why[0])
			snprintf(why, sizeof(why),
				 "block %u {0x%llx, %llu pages} is malformed or not RAM",
				 i, bphys, nr);
		cond_resched();
	}

	if (why[0])
		goto out;
	if (st.bad_pfns) {
		snprintf(why, sizeof(why), "%llu pages are free in the buddy allocator",
			 st.bad_pfns);
	} else if (st.bad_words) {
		snprintf(why, sizeof(why), "%llu words differ, the first at %pa",
			 st.bad_words, &first_bad);
	} else if (st.csum != csum) {
		snprintf(why, sizeof(why), "csum mismatch, the blob says 0x%llx",
			 csum);
	}

out:
	if (why[0])
		pr_err("generation %u: verified %u blocks (%u folios, %u page ranges), %llu bytes, %llu bad pfns, csum 0x%llx: FAIL (%s)\n",
		       in_gen + 1, st.count, st.folios, st.count - st.folios,
		       st.bytes, st.bad_pfns, st.csum, why);
	else
		pr_info("generation %u: verified %u blocks (%u folios, %u page ranges), %llu bytes, %llu bad pfns, csum 0x%llx: PASS\n",
			in_gen + 1, st.count, st.folios, st.count - st.folios,
			st.bytes, st.bad_pfns, st.csum);
	return in_gen;
}

static int __init test_kho_init(void)
{
	phys_addr_t phys;
	u32 in_gen;
	int err;

	if (!kho_is_enabled())
		return 0;

	err = kho_retrieve_subtree(TKHO_NAME, &phys);
	if (err == -ENOENT) {
		tkho_save(1);
		return 0;
	}
	if (err) {
		pr_err("retrieving the %s subtree failed: %d\n", TKHO_NAME, err);
		return 0;
	}

	in_gen = tkho_verify(phys);
	if (chain && in_gen)
		tkho_save(in_gen + 1);
	return 0;
}
late_initcall(test_kho_init);
