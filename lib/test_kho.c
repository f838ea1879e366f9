// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end test client of Kexec HandOver (KHO).
 *
 * With KHO enabled ("kho=on"), every boot of a kexec chain does one of two
 * things at late_initcall time:
 *
 * - Save (no incoming "kho_test" subtree): allocate folios of random orders
 *   and a few page ranges of odd lengths, fill them with a pattern derived
 *   from (seed, block index, physical address), preserve them, record them
 *   in a vmalloc'ed array preserved with kho_preserve_vmalloc(), and publish
 *   a blob describing the array as the "kho_test" subtree.
 *
 * - Restore (an incoming "kho_test" subtree): restore the array with
 *   kho_restore_vmalloc(), check that no preserved page reached the page
 *   allocator and that every page still holds its pattern, then take every
 *   block back with kho_restore_folio() or kho_restore_pages() and free it,
 *   together with the array and the blob. With test_kho.chain=1 a fresh
 *   payload is then saved for the next kernel.
 *
 * The generation of a boot is its position in the chain: 1 for the boot that
 * saves first, and one more than the generation recorded in the incoming
 * blob otherwise. A save prints one line (wrapped here):
 *
 *   test_kho: generation <g>: preserved <N> blocks (<F> folios,
 *     <R> page ranges), <B> bytes, csum 0x<x>
 *
 * and a restore, after "test_kho: is_kho_boot: yes|no" and, if the blob
 * carries one, "test_kho: message from generation <g-1>: <text>", two:
 *
 *   test_kho: generation <g>: verified <N> blocks (<F> folios,
 *     <R> page ranges), <B> bytes, <K> bad pfns, csum 0x<x>: PASS
 *   test_kho: generation <g>: restored and freed <N> blocks (<F> folios
 *     of orders <min>-<max>, <R> page ranges), <B> bytes: PASS
 *
 * or, through pr_err, the same lines ending in ": FAIL (<reason>)". The
 * counts of the second line are what was actually restored and freed; the
 * orders are 0-0 when there is no folio.
 *
 * Blocks are allocated on the nodes with memory in turn. A save and a
 * restore each add how many blocks lie on each node (by the struct page
 * of their first page), "<node>:<blocks>,..." over the nodes with memory:
 *
 *   test_kho: generation <g>: preserved blocks per node: 0:<n>,1:<m>
 *   test_kho: generation <g>: restored blocks per node: 0:<n>,1:<m>
 *
 * The blob is a one-page flattened device tree whose root node holds
 * (standard big-endian FDT cells, so that dtc prints it as is):
 *
 *   compatible     = "kho-test-v1"
 *   generation     = <u32>  generation of the kernel that wrote the blob
 *   seed           = <u64>  pattern seed
 *   count          = <u32>  number of blocks
 *   folios         = <u32>  the first @folios blocks are folios, the rest
 *                           page ranges preserved with kho_preserve_pages()
 *   blocks_vmalloc = the 16-byte struct kho_vmalloc, as the kho-v2 ABI
 *                    lays it out (native endianness), of the block array
 *   csum           = <u64>  FNV-1a style hash of the contents of all
 *                           blocks, in order, one 64-bit word at a time
 *   message        = string, optional: test_kho.message of that kernel
 *
 * The block array holds @count native u64 records, one per block: the
 * block's physical address, page aligned, ORed with its order for a folio
 * or with its number of pages for a page range.
 *
 * Parameters: test_kho.max_mem bounds the bytes of folios (default 16M; 0
 * preserves and publishes nothing); test_kho.ranges page ranges of at most
 * 31 pages each come on top; test_kho.seed fixes the pattern seed (0, the
 * default, draws one per save); test_kho.chain=0 stops after restoring;
 * test_kho.message is a line of text handed to the next kernel;
 * test_kho.early=1 restores from an early initcall ("restoring from an
 * early initcall" is logged first), before SMP and before deferred struct
 * page init has finished, and saves at late_initcall as usual.
 */

#define pr_fmt(fmt) "test_kho: " fmt

#include <linux/ctype.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/page-flags.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define TKHO_NAME		"kho_test"
#define TKHO_COMPATIBLE		"kho-test-v1"
#define TKHO_MAX_BLOCKS		65536
/* Page ranges are at most 2^TKHO_RANGE_ORDER - 1 pages long. */
#define TKHO_RANGE_ORDER	MIN(5, MAX_PAGE_ORDER)
#define TKHO_MAX_RANGE_PAGES	((1UL << TKHO_RANGE_ORDER) - 1)
/* The low bits of a record: an order or a number of pages. */
#define TKHO_REC_LOW		(PAGE_SIZE - 1)
/* The blob is one page, message included. */
#define TKHO_BLOB_SIZE		PAGE_SIZE
#define TKHO_MAX_MESSAGE	256

#define FNV64_OFFSET		0xcbf29ce484222325ULL
#define FNV64_PRIME		0x100000001b3ULL

/* Nodes counted apart in the "blocks per node" lines; the last takes the rest. */
#define TKHO_MAX_NODES		16

static_assert(MAX_PAGE_ORDER < PAGE_SIZE);
static_assert(TKHO_MAX_RANGE_PAGES < PAGE_SIZE);

static unsigned long max_mem = SZ_16M;
module_param(max_mem, ulong, 0444);
MODULE_PARM_DESC(max_mem, "Bytes of folios to preserve (default 16M, 0 for nothing)");

static unsigned long long seed;
module_param(seed, ullong, 0444);
MODULE_PARM_DESC(seed, "Pattern seed of every save; 0 picks a random one each time");

static unsigned int ranges = 4;
module_param(ranges, uint, 0444);
MODULE_PARM_DESC(ranges, "Number of page ranges of odd length to preserve");

static bool chain = true;
module_param(chain, bool, 0444);
MODULE_PARM_DESC(chain, "After restoring, preserve a payload for the next kernel");

static bool early;
module_param(early, bool, 0444);
MODULE_PARM_DESC(early, "Restore from an early initcall instead of a late one");

static char tkho_message[TKHO_MAX_MESSAGE];
module_param_string(message, tkho_message, sizeof(tkho_message), 0444);
MODULE_PARM_DESC(message, "Text handed to the next kernel in the blob");

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

/* What the incoming blob says, once validated. */
struct tkho_in {
	u32 gen;
	u64 seed;
	u32 count;
	u32 folios;
	struct kho_vmalloc array;
	u64 csum;
	const char *message;
};

/* One block of the incoming array, decoded. */
struct tkho_rec {
	phys_addr_t phys;
	unsigned long nr_pages;
	unsigned int order;	/* of a folio */
	bool folio;
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

/* ---- Save ---- */

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
 * Allocate block @n: a folio when @folio, of a random order that fits in
 * @left bytes, lowered while the allocation fails; otherwise a page range of
 * 2^order - 1 pages, starting on the first or the second page of an
 * allocation of that order so that its split into preserved blocks is
 * sometimes aligned and sometimes not.
 */
/*
 * Count a block on the node its first page belongs to; print the counts as
 * "<node>:<blocks>,..." over the nodes with memory.
 */
struct tkho_nodes {
	unsigned int count[TKHO_MAX_NODES];
};

static void tkho_nodes_add(struct tkho_nodes *nodes, struct page *page)
{
	nodes->count[min_t(int, page_to_nid(page), TKHO_MAX_NODES - 1)]++;
}

static const char *tkho_nodes_str(const struct tkho_nodes *nodes, char *buf,
				  size_t len)
{
	size_t off = 0;
	int nid;

	buf[0] = '\0';
	for_each_node_state(nid, N_MEMORY)
		if (nid < TKHO_MAX_NODES)
			off += scnprintf(buf + off, len - off, "%s%d:%u",
					 off ? "," : "", nid,
					 nodes->count[nid]);
	return buf;
}

/* The node of block @n: the nodes with memory, in turn. */
static int tkho_node(unsigned int n)
{
	unsigned int i = n % num_node_state(N_MEMORY);
	int nid;

	for_each_node_state(nid, N_MEMORY)
		if (!i--)
			return nid;
	return NUMA_NO_NODE;
}

static int tkho_alloc_block(struct tkho_block *b, unsigned int n, bool folio,
			    u64 left)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN;
	int nid = tkho_node(n);

	memset(b, 0, sizeof(*b));
	b->folio = folio;
	if (folio) {
		struct folio *f;
		int order;

		/* Spread over the nodes; anywhere if a node is short. */
		for (order = tkho_folio_order(left); ; order--) {
			f = __folio_alloc_node(gfp | __GFP_THISNODE, order,
					       nid);
			if (f || !order)
				break;
		}
		if (!f)
			f = folio_alloc(gfp, 0);
		if (!f)
			return -ENOMEM;
		b->order = order;
		b->alloc = &f->page;
		b->page = b->alloc;
		b->nr_pages = folio_nr_pages(f);
		return 0;
	}

	b->order = 1 + get_random_u32_below(TKHO_RANGE_ORDER);
	b->alloc = alloc_pages_node(nid, gfp, b->order);
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

/* The record of @b in the block array. */
static u64 tkho_record(const struct tkho_block *b)
{
	u64 low = b->folio ? b->order : b->nr_pages;

	return (u64)page_to_phys(b->page) | low;
}

static int tkho_fdt_err(int fdt_err)
{
	return fdt_err == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}

/* Write the blob of generation @gen into @fdt, TKHO_BLOB_SIZE bytes. */
static int tkho_build_blob(void *fdt, u32 gen, u64 pseed,
			   const struct kho_vmalloc *array,
			   const struct tkho_stats *st)
{
	int err;

	err = fdt_create(fdt, TKHO_BLOB_SIZE);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible", TKHO_COMPATIBLE);
	err = err ?: fdt_property_u32(fdt, "generation", gen);
	err = err ?: fdt_property_u64(fdt, "seed", pseed);
	err = err ?: fdt_property_u32(fdt, "count", st->count);
	err = err ?: fdt_property_u32(fdt, "folios", st->folios);
	err = err ?: fdt_property(fdt, "blocks_vmalloc", array, sizeof(*array));
	err = err ?: fdt_property_u64(fdt, "csum", st->csum);
	if (!err && tkho_message[0])
		err = fdt_property_string(fdt, "message", tkho_message);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	return err ? tkho_fdt_err(err) : 0;
}

/*
 * Publish the @n blocks of generation @gen: their records in a preserved
 * vmalloc array, described by a preserved blob. On success the array and
 * the blob belong to the next kernel; on failure nothing is left behind.
 */
static int tkho_publish(u32 gen, u64 pseed, const struct tkho_block *blocks,
			unsigned int n, const struct tkho_stats *st)
{
	struct kho_vmalloc array;
	unsigned int i;
	u64 *recs;
	void *blob;
	int err;

	recs = vmalloc(array_size(n, sizeof(*recs)));
	if (!recs)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		recs[i] = tkho_record(&blocks[i]);

	err = kho_preserve_vmalloc(recs, &array);
	if (err) {
		pr_err("generation %u: kho_preserve_vmalloc failed: %d\n",
		       gen, err);
		goto err_free_recs;
	}

	blob = kho_alloc_preserve(TKHO_BLOB_SIZE);
	if (IS_ERR(blob)) {
		err = PTR_ERR(blob);
		pr_err("generation %u: allocating the blob failed: %d\n",
		       gen, err);
		goto err_unpreserve_recs;
	}
	err = tkho_build_blob(blob, gen, pseed, &array, st);
	if (err) {
		pr_err("generation %u: building the blob failed: %d\n", gen, err);
		goto err_free_blob;
	}
	err = kho_add_subtree(TKHO_NAME, blob, fdt_totalsize(blob));
	if (err) {
		pr_err("generation %u: kho_add_subtree failed: %d\n", gen, err);
		goto err_free_blob;
	}
	return 0;

err_free_blob:
	kho_unpreserve_free(blob);
err_unpreserve_recs:
	kho_unpreserve_vmalloc(&array);
err_free_recs:
	vfree(recs);
	return err;
}

/*
 * Allocate, fill and preserve the blocks of generation @gen and publish
 * them. On failure everything is unpreserved and freed again.
 */
static int tkho_save(u32 gen)
{
	u64 pseed = seed ?: get_random_u64();
	struct tkho_stats st = { .csum = FNV64_OFFSET };
	struct tkho_nodes nodes = { };
	char nodes_buf[128];
	u64 left = max_mem, want = max_mem;
	struct tkho_block *blocks;
	unsigned int max_blocks, n = 0;
	int err = 0;

	if (!max_mem) {
		pr_info("generation %u: max_mem is 0, preserving nothing\n", gen);
		return 0;
	}

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

	if (!n) {
		pr_err("generation %u: could not allocate a single block\n", gen);
		err = -ENOMEM;
		goto err_release;
	}
	err = tkho_publish(gen, pseed, blocks, n, &st);
	if (err) {
		pr_err("generation %u: publishing %u blocks failed: %d\n",
		       gen, n, err);
		goto err_release;
	}

	for (n = 0; n < st.count; n++)
		tkho_nodes_add(&nodes, blocks[n].page);
	/* The blocks now belong to the next kernel; only forget them here. */
	kvfree(blocks);
	pr_info("generation %u: preserved %u blocks (%u folios, %u page ranges), %llu bytes, csum 0x%llx\n",
		gen, st.count, st.folios, st.count - st.folios, st.bytes,
		st.csum);
	pr_info("generation %u: preserved blocks per node: %s\n", gen,
		tkho_nodes_str(&nodes, nodes_buf, sizeof(nodes_buf)));
	if (tkho_message[0])
		pr_info("generation %u: message for the next kernel: %s\n",
			gen, tkho_message);
	return 0;

err_release:
	tkho_release(blocks, n);
	kvfree(blocks);
	return err;
}

/* ---- Restore, in the next kernel ---- */

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
 * The optional message property: a NUL-terminated line of printable
 * characters. Returns false if it is there but malformed.
 */
static bool tkho_get_message(const void *fdt, const char **msg, char *why,
			     size_t why_len)
{
	const char *val;
	int len, i;

	*msg = NULL;
	val = fdt_getprop(fdt, 0, "message", &len);
	if (!val)
		return true;
	if (len < 1 || len > TKHO_MAX_MESSAGE || val[len - 1]) {
		snprintf(why, why_len, "property message is not a string of at most %d bytes",
			 TKHO_MAX_MESSAGE);
		return false;
	}
	for (i = 0; i < len - 1; i++) {
		if (!isprint(val[i])) {
			snprintf(why, why_len, "property message has a non-printable byte at %d",
				 i);
			return false;
		}
	}
	*msg = val;
	return true;
}

/*
 * Validate the untrusted blob at @phys into @in. Returns false, with the
 * reason in @why, if it cannot be used; in->gen is set as soon as it is
 * known.
 */
static bool tkho_parse_blob(phys_addr_t phys, size_t size, struct tkho_in *in,
			    char *why, size_t why_len)
{
	const void *fdt, *prop;
	unsigned long pages;
	u32 len;

	if (!PAGE_ALIGNED(phys) || !tkho_is_ram(phys, PAGE_SIZE)) {
		snprintf(why, why_len, "blob at %pa is not in RAM", &phys);
		return false;
	}
	fdt = phys_to_virt(phys);
	if (fdt_check_header(fdt)) {
		snprintf(why, why_len, "no valid FDT header at %pa", &phys);
		return false;
	}
	len = fdt_totalsize(fdt);
	if (len > TKHO_BLOB_SIZE || len > size) {
		snprintf(why, why_len, "FDT of %u bytes exceeds %lu or blob-size %zu",
			 len, TKHO_BLOB_SIZE, size);
		return false;
	}

	prop = tkho_prop(fdt, "compatible", sizeof(TKHO_COMPATIBLE), why,
			 why_len);
	if (!prop)
		return false;
	if (memcmp(prop, TKHO_COMPATIBLE, sizeof(TKHO_COMPATIBLE))) {
		snprintf(why, why_len, "compatible is not %s", TKHO_COMPATIBLE);
		return false;
	}

	prop = tkho_prop(fdt, "generation", sizeof(u32), why, why_len);
	if (!prop)
		return false;
	in->gen = fdt32_ld(prop);
	if (!in->gen || in->gen == U32_MAX) {
		snprintf(why, why_len, "bad generation %u", in->gen);
		in->gen = 0;
		return false;
	}

	prop = tkho_prop(fdt, "seed", sizeof(u64), why, why_len);
	if (!prop)
		return false;
	in->seed = fdt64_ld(prop);

	prop = tkho_prop(fdt, "count", sizeof(u32), why, why_len);
	if (!prop)
		return false;
	in->count = fdt32_ld(prop);
	if (!in->count || in->count > TKHO_MAX_BLOCKS) {
		snprintf(why, why_len, "count %u is not in 1-%u", in->count,
			 TKHO_MAX_BLOCKS);
		in->count = 0;
		return false;
	}

	prop = tkho_prop(fdt, "folios", sizeof(u32), why, why_len);
	if (!prop)
		return false;
	in->folios = fdt32_ld(prop);
	if (in->folios > in->count) {
		snprintf(why, why_len, "folios %u > count %u", in->folios,
			 in->count);
		in->folios = 0;
		return false;
	}

	prop = tkho_prop(fdt, "blocks_vmalloc", sizeof(in->array), why,
			 why_len);
	if (!prop)
		return false;
	/* FDT properties are only 4-byte aligned. */
	memcpy(&in->array, prop, sizeof(in->array));
	pages = DIV_ROUND_UP(in->count * sizeof(u64), PAGE_SIZE);
	if (in->array.total_pages != pages) {
		snprintf(why, why_len, "block array has %u pages, %u blocks need %lu",
			 in->array.total_pages, in->count, pages);
		return false;
	}

	prop = tkho_prop(fdt, "csum", sizeof(u64), why, why_len);
	if (!prop)
		return false;
	in->csum = fdt64_ld(prop);

	return tkho_get_message(fdt, &in->message, why, why_len);
}

/*
 * Decode record @idx of the incoming array into @r. Returns false if it is
 * malformed or does not lie in RAM.
 */
static bool tkho_decode(const struct tkho_in *in, const u64 *recs,
			unsigned int idx, struct tkho_rec *r)
{
	u64 rec = recs[idx], low = rec & TKHO_REC_LOW;

	r->phys = rec & ~(u64)TKHO_REC_LOW;
	r->folio = idx < in->folios;
	if (r->folio) {
		if (low > MAX_PAGE_ORDER)
			return false;
		r->order = low;
		r->nr_pages = 1UL << low;
		if (!IS_ALIGNED(r->phys, PAGE_SIZE << low))
			return false;
	} else {
		if (!low || low > TKHO_MAX_RANGE_PAGES)
			return false;
		r->order = 0;
		r->nr_pages = low;
	}
	return tkho_is_ram(r->phys, (u64)r->nr_pages * PAGE_SIZE);
}

/*
 * Check that no page of block @idx sits in the buddy allocator's free
 * lists and that it still holds its pattern. Returns false if the block
 * cannot be read at all.
 */
static bool tkho_verify_block(const struct tkho_in *in, const u64 *recs,
			      unsigned int idx, struct tkho_stats *st,
			      phys_addr_t *first_bad)
{
	unsigned long pfn, i;
	struct tkho_rec r;

	if (!tkho_decode(in, recs, idx, &r))
		return false;

	pfn = PHYS_PFN(r.phys);
	for (i = 0; i < r.nr_pages; i++) {
		if (!pfn_valid(pfn + i) ||
		    is_free_buddy_page(pfn_to_page(pfn + i)))
			st->bad_pfns++;
	}
	st->bytes += (u64)r.nr_pages * PAGE_SIZE;
	/* Memory that is not ours (any more) is not read. */
	if (st->bad_pfns) {
		if (!*first_bad)
			*first_bad = r.phys;
		return true;
	}
	st->bad_words += tkho_check(phys_to_virt(r.phys), r.nr_pages,
				    in->seed, idx, r.phys, &st->csum,
				    first_bad);
	return true;
}

/*
 * Verify every block of the array @recs before anything is restored.
 * Returns false, with the reason in @why, on any failure.
 */
static bool tkho_verify(const struct tkho_in *in, const u64 *recs,
			struct tkho_stats *st, char *why, size_t why_len)
{
	phys_addr_t first_bad = 0;
	unsigned int i;

	for (i = 0; i < in->count; i++) {
		if (!tkho_verify_block(in, recs, i, st, &first_bad) && !why[0])
			snprintf(why, why_len,
				 "block %u (record 0x%llx) is malformed or not RAM",
				 i, recs[i]);
		cond_resched();
	}

	if (why[0])
		return false;
	if (st->bad_pfns)
		snprintf(why, why_len, "%llu pages are free in the buddy allocator",
			 st->bad_pfns);
	else if (st->bad_words)
		snprintf(why, why_len, "%llu words differ, the first at %pa",
			 st->bad_words, &first_bad);
	else if (st->csum != in->csum)
		snprintf(why, why_len, "csum mismatch, the blob says 0x%llx",
			 in->csum);
	return !why[0];
}

/* Restore block @idx and free it. Returns false, with the reason in @why. */
static bool tkho_restore_block(const struct tkho_in *in, const u64 *recs,
			       unsigned int idx, struct tkho_rec *r,
			       struct tkho_nodes *nodes, char *why,
			       size_t why_len)
{
	struct folio *folio;
	struct page *page;
	unsigned long i;

	if (!tkho_decode(in, recs, idx, r)) {
		snprintf(why, why_len, "block %u (record 0x%llx) is malformed or not RAM",
			 idx, recs[idx]);
		return false;
	}

	if (!r->folio) {
		page = kho_restore_pages(r->phys, r->nr_pages);
		if (!page) {
			snprintf(why, why_len, "block %u: kho_restore_pages(%pa, %lu) failed",
				 idx, &r->phys, r->nr_pages);
			return false;
		}
		tkho_nodes_add(nodes, page);
		for (i = 0; i < r->nr_pages; i++)
			__free_page(pfn_to_page(page_to_pfn(page) + i));
		return true;
	}

	folio = kho_restore_folio(r->phys);
	if (!folio) {
		snprintf(why, why_len, "block %u: kho_restore_folio(%pa) failed",
			 idx, &r->phys);
		return false;
	}
	if (folio_order(folio) != r->order) {
		snprintf(why, why_len, "block %u: folio at %pa has order %u, expected %u",
			 idx, &r->phys, folio_order(folio), r->order);
		folio_put(folio);
		return false;
	}
	tkho_nodes_add(nodes, &folio->page);
	folio_put(folio);
	return true;
}

/*
 * Take every block of @recs back and free it. Blocks that fail are
 * skipped, and the first failure goes to @why.
 */
static void tkho_restore_all(const struct tkho_in *in, const u64 *recs,
			     u32 gen)
{
	unsigned int i, n = 0, folios = 0, min_order = 0, max_order = 0;
	char why[128] = "", reason[128] = "", nodes_buf[128];
	struct tkho_nodes nodes = { };
	struct tkho_rec r;
	u64 bytes = 0;

	for (i = 0; i < in->count; i++) {
		if (!tkho_restore_block(in, recs, i, &r, &nodes, reason,
					sizeof(reason))) {
			if (!why[0])
				strscpy(why, reason, sizeof(why));
			continue;
		}
		if (r.folio) {
			if (!folios || r.order < min_order)
				min_order = r.order;
			if (!folios || r.order > max_order)
				max_order = r.order;
			folios++;
		}
		bytes += (u64)r.nr_pages * PAGE_SIZE;
		n++;
		cond_resched();
	}

	if (why[0])
		pr_err("generation %u: restored and freed %u blocks (%u folios of orders %u-%u, %u page ranges), %llu bytes: FAIL (%s)\n",
		       gen, n, folios, min_order, max_order, n - folios, bytes,
		       why);
	else
		pr_info("generation %u: restored and freed %u blocks (%u folios of orders %u-%u, %u page ranges), %llu bytes: PASS\n",
			gen, n, folios, min_order, max_order, n - folios,
			bytes);
	pr_info("generation %u: restored blocks per node: %s\n", gen,
		tkho_nodes_str(&nodes, nodes_buf, sizeof(nodes_buf)));
}

/*
 * Verify, restore and free the payload of the blob at @phys, then the blob
 * itself. Returns the generation of the kernel that wrote it, or 0 if the
 * blob is too broken to say.
 */
static u32 tkho_restore(phys_addr_t phys, size_t size)
{
	struct tkho_stats st = { .csum = FNV64_OFFSET };
	char why[128] = "";
	struct tkho_in in = { };
	u64 *recs = NULL;
	u32 gen;

	pr_info("is_kho_boot: %s\n", is_kho_boot() ? "yes" : "no");

	pr_info("blob %s: %zu bytes at %pa\n", TKHO_NAME, size, &phys);
	if (tkho_parse_blob(phys, size, &in, why, sizeof(why))) {
		st.count = in.count;
		st.folios = in.folios;
		if (in.message)
			pr_info("message from generation %u: %s\n", in.gen,
				in.message);
		recs = kho_restore_vmalloc(&in.array);
		if (!recs)
			snprintf(why, sizeof(why), "kho_restore_vmalloc of the block array failed");
	}
	gen = in.gen + 1;

	if (recs)
		tkho_verify(&in, recs, &st, why, sizeof(why));
	if (why[0])
		pr_err("generation %u: verified %u blocks (%u folios, %u page ranges), %llu bytes, %llu bad pfns, csum 0x%llx: FAIL (%s)\n",
		       gen, st.count, st.folios, st.count - st.folios,
		       st.bytes, st.bad_pfns, st.csum, why);
	else
		pr_info("generation %u: verified %u blocks (%u folios, %u page ranges), %llu bytes, %llu bad pfns, csum 0x%llx: PASS\n",
			gen, st.count, st.folios, st.count - st.folios,
			st.bytes, st.bad_pfns, st.csum);

	if (recs) {
		tkho_restore_all(&in, recs, gen);
		vfree(recs);
	} else {
		pr_err("generation %u: restored and freed 0 blocks (0 folios of orders 0-0, 0 page ranges), 0 bytes: FAIL (no block array: %s)\n",
		       gen, why);
	}

	/* Done with the blob: the message above was its last use. */
	if (PAGE_ALIGNED(phys) && tkho_is_ram(phys, PAGE_SIZE))
		kho_restore_free(phys_to_virt(phys));
	return in.gen;
}

/* Restore what the previous kernel handed over; return its generation. */
static int __init tkho_restore_incoming(u32 *in_gen)
{
	phys_addr_t phys;
	size_t size;
	int err;

	err = kho_retrieve_subtree(TKHO_NAME, &phys, &size);
	if (err == -ENOENT)
		return err;
	if (err) {
		pr_err("retrieving the %s subtree failed: %d\n", TKHO_NAME, err);
		return err;
	}
	*in_gen = tkho_restore(phys, size);
	return 0;
}

/* The generation restored by test_kho_early(), or -ENOENT, or 1 if none ran. */
static int tkho_early_err = 1;
static u32 tkho_early_gen;

/*
 * With test_kho.early=1, restore from an early initcall: before SMP, and
 * on a kernel with deferred struct page init before that has finished.
 */
static int __init test_kho_early(void)
{
	if (!early || !kho_is_enabled())
		return 0;
	pr_info("restoring from an early initcall\n");
	tkho_early_err = tkho_restore_incoming(&tkho_early_gen);
	return 0;
}
early_initcall(test_kho_early);

static int __init test_kho_init(void)
{
	u32 in_gen = 0;
	int err;

	if (!kho_is_enabled())
		return 0;

	/* Preserving needs KHO's fs_initcall: save for the next kernel here. */
	if (tkho_early_err != 1) {
		err = tkho_early_err;
		in_gen = tkho_early_gen;
	} else {
		err = tkho_restore_incoming(&in_gen);
	}
	if (err == -ENOENT)
		tkho_save(1);
	else if (!err && chain && in_gen)
		tkho_save(in_gen + 1);
	return 0;
}
late_initcall(test_kho_init);
