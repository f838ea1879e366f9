// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kho_compat.c - a kexec handover client that uses only the public API
 *
 * It is written as a subsystem written for upstream KHO would be: only
 * <linux/kexec_handover.h> and the vmalloc descriptor of the ABI header,
 * nothing internal. With test_kho_compat.gens=N (N >= 2) on a cold boot
 * with KHO on it preserves
 *
 * - one folio of every order from 0 to MAX_PAGE_ORDER and, with
 *   test_kho_compat.gigantic_order=O, one folio of order O from
 *   folio_alloc_gigantic(), all filled with a pattern of their addresses;
 * - a vmalloc area of TKC_VMALLOC_PAGES pages, filled the same way;
 * - "kho_compat": a raw blob, not an FDT and not a whole page, listing
 *   the folios and the vmalloc descriptor;
 * - "kho_compat_fdt": an FDT blob with the generation and the size of the
 *   raw blob;
 * - "kho_compat_short": the first page of an order-1 folio, preserved
 *   alone and published as two pages, which the next kernel must refuse,
 *   and only that blob; the raw blob records it so that it is freed.
 *
 * Each later kernel checks both blobs, restores every folio (at its order,
 * refcount 1) and the vmalloc area, checks every byte, and preserves the
 * same memory again for the next kernel, up to generation N, which frees
 * it all. It logs "test_kho_compat: generation G: ..." lines ending in
 * PASS or FAIL.
 */

#define pr_fmt(fmt) "test_kho_compat: " fmt

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define TKC_RAW		"kho_compat"
#define TKC_FDT		"kho_compat_fdt"
#define TKC_SHORT	"kho_compat_short"
#define TKC_COMPATIBLE	"kho-compat-v1"
#define TKC_MAGIC	"tkcompat"
#define TKC_VMALLOC_PAGES	5
/* Orders 0 to MAX_PAGE_ORDER, and one gigantic folio. */
#define TKC_MAX_FOLIOS	(MAX_PAGE_ORDER + 2)

static unsigned int gens;
module_param(gens, uint, 0444);
MODULE_PARM_DESC(gens, "Generations to run, 0 (the default) for none");

static unsigned int gigantic_order;
module_param(gigantic_order, uint, 0444);
MODULE_PARM_DESC(gigantic_order,
		 "Also preserve one folio of this order above MAX_PAGE_ORDER");

struct tkc_folio {
	u64 phys;
	u32 order;
	u32 reserved;
};

/* The raw blob: a packed header and the folios, no padding after them. */
struct tkc_blob {
	char magic[8];
	u32 gen;
	u32 nr_folios;
	struct kho_vmalloc area;
	u32 area_pages;
	u32 reserved;
	u64 short_phys;
	struct tkc_folio folios[];
};

static struct {
	unsigned int gen;
	unsigned int nr;
	struct folio *folios[TKC_MAX_FOLIOS];
	void *area;
	struct tkc_blob *blob;
	void *fdt;
	struct folio *short_blob;
	bool failed;
} tkc;

#define tkc_fail(fmt, ...)						\
	do {								\
		pr_err("generation %u: " fmt ": FAIL\n", tkc.gen,	\
		       ##__VA_ARGS__);					\
		tkc.failed = true;					\
	} while (0)

static u64 tkc_word(phys_addr_t phys)
{
	return phys * 0x9e3779b97f4a7c15ULL ^ 0x6b686f636f6d7061ULL;
}

/* Fill or check @len bytes at @mem, mapped at physical addresses @phys(). */
static u64 tkc_pattern(void *mem, size_t len, bool fill, bool vmalloc)
{
	u64 bad = 0, *w = mem;
	size_t i;

	for (i = 0; i < len / sizeof(u64); i++) {
		phys_addr_t phys = vmalloc ?
			page_to_phys(vmalloc_to_page(&w[i])) +
			offset_in_page(&w[i]) : virt_to_phys(&w[i]);

		if (fill)
			w[i] = tkc_word(phys);
		else if (w[i] != tkc_word(phys))
			bad += sizeof(u64);
		if (!(i % (SZ_64M / sizeof(u64))))
			cond_resched();
	}
	return bad;
}

/* ---- Preserve: what this generation hands to the next ---- */

static int tkc_publish(void)
{
	size_t size = struct_size(tkc.blob, folios, tkc.nr);
	unsigned int i;
	int err;

	tkc.blob = kho_alloc_preserve(size);
	tkc.fdt = kho_alloc_preserve(PAGE_SIZE);
	if (IS_ERR(tkc.blob) || IS_ERR(tkc.fdt)) {
		err = -ENOMEM;
		if (IS_ERR(tkc.blob))
			tkc.blob = NULL;
		if (IS_ERR(tkc.fdt))
			tkc.fdt = NULL;
		goto out;
	}
	/* Its second page is not preserved: no other block can follow. */
	tkc.short_blob = folio_alloc(GFP_KERNEL | __GFP_ZERO, 1);
	err = tkc.short_blob ? kho_preserve_pages(&tkc.short_blob->page, 1) :
			       -ENOMEM;
	if (err) {
		if (tkc.short_blob)
			folio_put(tkc.short_blob);
		tkc.short_blob = NULL;
		goto out;
	}

	memcpy(tkc.blob->magic, TKC_MAGIC, sizeof(tkc.blob->magic));
	tkc.blob->gen = tkc.gen;
	tkc.blob->nr_folios = tkc.nr;
	tkc.blob->area_pages = TKC_VMALLOC_PAGES;
	tkc.blob->short_phys = PFN_PHYS(folio_pfn(tkc.short_blob));
	for (i = 0; i < tkc.nr; i++)
		tkc.blob->folios[i] = (struct tkc_folio){
			.phys = PFN_PHYS(folio_pfn(tkc.folios[i])),
			.order = folio_order(tkc.folios[i]),
		};
	err = kho_preserve_vmalloc(tkc.area, &tkc.blob->area);
	if (err)
		goto out;

	err = fdt_create_empty_tree(tkc.fdt, PAGE_SIZE);
	err = err ?: fdt_setprop_string(tkc.fdt, 0, "compatible",
					TKC_COMPATIBLE);
	err = err ?: fdt_setprop_u32(tkc.fdt, 0, "generation", tkc.gen);
	err = err ?: fdt_setprop_u64(tkc.fdt, 0, "raw-blob-size", size);
	err = err ?: fdt_pack(tkc.fdt);
	if (err) {
		err = -EINVAL;
		goto out_area;
	}

	err = kho_add_subtree(TKC_RAW, tkc.blob, size);
	if (err)
		goto out_area;
	err = kho_add_subtree(TKC_FDT, tkc.fdt, fdt_totalsize(tkc.fdt));
	if (err) {
		kho_remove_subtree(tkc.blob);
		goto out_area;
	}
	/* A client bug the next kernel must catch: a size beyond the page. */
	err = kho_add_subtree(TKC_SHORT, folio_address(tkc.short_blob),
			      2 * PAGE_SIZE);
	if (err) {
		kho_remove_subtree(tkc.fdt);
		kho_remove_subtree(tkc.blob);
		goto out_area;
	}
	pr_info("generation %u: published %s (%zu bytes, raw), %s (%u bytes, an FDT) and %s (2 pages claimed, 1 preserved)\n",
		tkc.gen, TKC_RAW, size, TKC_FDT, fdt_totalsize(tkc.fdt),
		TKC_SHORT);
	return 0;

out_area:
	kho_unpreserve_vmalloc(&tkc.blob->area);
out:
	if (tkc.short_blob) {
		kho_unpreserve_pages(&tkc.short_blob->page, 1);
		folio_put(tkc.short_blob);
	}
	kho_unpreserve_free(tkc.fdt);
	kho_unpreserve_free(tkc.blob);
	tkc.short_blob = NULL;
	tkc.fdt = NULL;
	tkc.blob = NULL;
	return err;
}

/* Preserve the folios (and, via tkc_publish(), the area) for the next. */
static void tkc_preserve(void)
{
	unsigned int i, min_order = UINT_MAX, max_order = 0;
	u64 bytes = 0;
	int err = 0;

	for (i = 0; i < tkc.nr; i++) {
		err = kho_preserve_folio(tkc.folios[i]);
		if (err) {
			tkc_fail("kho_preserve_folio of order %u: %d",
				 folio_order(tkc.folios[i]), err);
			break;
		}
		min_order = min(min_order, folio_order(tkc.folios[i]));
		max_order = max(max_order, folio_order(tkc.folios[i]));
		bytes += folio_size(tkc.folios[i]);
	}
	if (!err) {
		err = tkc_publish();
		if (err)
			tkc_fail("publishing the blobs: %d", err);
	}
	if (err) {
		while (i--)
			kho_unpreserve_folio(tkc.folios[i]);
		return;
	}
	pr_info("generation %u: preserved %u folios of orders %u-%u, %llu bytes, and a vmalloc area of %u pages for generation %u\n",
		tkc.gen, tkc.nr, min_order, max_order, bytes,
		TKC_VMALLOC_PAGES, tkc.gen + 1);
}

/* Generation 1: allocate and fill everything. */
static int tkc_allocate(void)
{
	unsigned int order;
	struct folio *folio;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		folio = folio_alloc(GFP_KERNEL, order);
		if (!folio)
			return -ENOMEM;
		tkc.folios[tkc.nr++] = folio;
	}
	if (gigantic_order > MAX_PAGE_ORDER) {
		folio = folio_alloc_gigantic(gigantic_order,
					     GFP_KERNEL | __GFP_COMP |
					     __GFP_NOWARN, numa_mem_id(), NULL);
		if (!folio) {
			pr_err("generation %u: no free order-%u folio\n",
			       tkc.gen, gigantic_order);
			return -ENOMEM;
		}
		tkc.folios[tkc.nr++] = folio;
	}
	tkc.area = vmalloc(TKC_VMALLOC_PAGES * PAGE_SIZE);
	if (!tkc.area)
		return -ENOMEM;

	for (order = 0; order < tkc.nr; order++)
		tkc_pattern(folio_address(tkc.folios[order]),
			    folio_size(tkc.folios[order]), true, false);
	tkc_pattern(tkc.area, TKC_VMALLOC_PAGES * PAGE_SIZE, true, true);
	return 0;
}

/* ---- Restore: what the previous generation handed over ---- */

static void tkc_check_fdt(u32 in_gen, size_t raw_size)
{
	phys_addr_t phys;
	const void *fdt;
	const fdt32_t *gen;
	const fdt64_t *rsize;
	size_t size;
	int err, len, rlen;

	err = kho_retrieve_subtree(TKC_FDT, &phys, &size);
	if (err) {
		tkc_fail("blob %s: kho_retrieve_subtree: %d", TKC_FDT, err);
		return;
	}
	fdt = phys_to_virt(phys);
	if (size < FDT_V1_SIZE || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) != size ||
	    fdt_node_check_compatible(fdt, 0, TKC_COMPATIBLE)) {
		tkc_fail("blob %s: %zu bytes, not a %s FDT of that size",
			 TKC_FDT, size, TKC_COMPATIBLE);
		return;
	}
	gen = fdt_getprop(fdt, 0, "generation", &len);
	rsize = fdt_getprop(fdt, 0, "raw-blob-size", &rlen);
	if (!gen || len != sizeof(*gen) || fdt32_to_cpu(*gen) != in_gen ||
	    !rsize || rlen != sizeof(*rsize) ||
	    fdt64_to_cpu(*rsize) != raw_size) {
		tkc_fail("blob %s: generation or raw-blob-size wrong", TKC_FDT);
		return;
	}
	pr_info("generation %u: blob %s: %zu bytes at %pa, an FDT of generation %u naming %llu raw bytes\n",
		tkc.gen, TKC_FDT, size, &phys, in_gen, fdt64_to_cpu(*rsize));
	kho_restore_free(phys_to_virt(phys));
}

/* The short blob is refused; its one preserved page is taken back. */
static void tkc_check_short(u64 short_phys)
{
	struct page *page;
	phys_addr_t phys;
	size_t size;
	int err;

	err = kho_retrieve_subtree(TKC_SHORT, &phys, &size);
	if (err != -EINVAL) {
		tkc_fail("blob %s: kho_retrieve_subtree gave %d, not -EINVAL",
			 TKC_SHORT, err);
		return;
	}
	pr_info("generation %u: blob %s refused with -EINVAL: its 2 pages are not all preserved\n",
		tkc.gen, TKC_SHORT);
	page = kho_restore_pages(short_phys, 1);
	if (!page)
		tkc_fail("kho_restore_pages of the short blob's page failed");
	else
		__free_page(page);
}

/* Take back every folio; return the bytes that lost their pattern. */
static u64 tkc_restore_folios(const struct tkc_blob *in, u64 *bytes)
{
	unsigned int i, min_order = UINT_MAX, max_order = 0;
	u64 bad = 0;

	for (i = 0; i < in->nr_folios; i++) {
		const struct tkc_folio *f = &in->folios[i];
		struct folio *folio = kho_restore_folio(f->phys);

		if (!folio) {
			tkc_fail("kho_restore_folio(%#llx) of order %u failed",
				 f->phys, f->order);
			continue;
		}
		if (folio_order(folio) != f->order ||
		    folio_ref_count(folio) != 1 ||
		    (f->order && !folio_test_large(folio))) {
			tkc_fail("folio %#llx: order %u refcount %d, want %u and 1",
				 f->phys, folio_order(folio),
				 folio_ref_count(folio), f->order);
		}
		if (f->order > MAX_PAGE_ORDER) {
			u64 gbad = tkc_pattern(folio_address(folio),
					       folio_size(folio), false, false);

			pr_info("generation %u: restored a gigantic folio of order %u (%lu MiB) at %#llx, refcount %d: %s\n",
				tkc.gen, folio_order(folio),
				folio_size(folio) >> 20, f->phys,
				folio_ref_count(folio),
				gbad || folio_order(folio) != f->order ?
				"FAIL" : "PASS");
			bad += gbad;
		} else {
			bad += tkc_pattern(folio_address(folio),
					   folio_size(folio), false, false);
		}
		*bytes += folio_size(folio);
		min_order = min(min_order, f->order);
		max_order = max(max_order, f->order);
		tkc.folios[tkc.nr++] = folio;
	}
	pr_info("generation %u: restored %u folios of orders %u-%u, %llu bytes, %llu bad bytes: %s\n",
		tkc.gen, tkc.nr, min_order, max_order, *bytes, bad,
		bad || tkc.nr != in->nr_folios ? "FAIL" : "PASS");
	return bad;
}

/* Return the generation of the incoming blob, 0 if there is none. */
static u32 tkc_restore(void)
{
	const struct tkc_blob *in;
	phys_addr_t phys;
	size_t size;
	u64 bytes = 0, bad;
	u32 in_gen;
	int err;

	err = kho_retrieve_subtree(TKC_RAW, &phys, &size);
	if (err == -ENOENT)
		return 0;
	in = phys_to_virt(phys);
	if (err || size < sizeof(*in) ||
	    memcmp(in->magic, TKC_MAGIC, sizeof(in->magic)) ||
	    in->nr_folios > TKC_MAX_FOLIOS ||
	    size != struct_size(in, folios, in->nr_folios)) {
		tkc.gen = 1;
		tkc_fail("blob %s: error %d or not a raw blob of its size (%zu bytes)",
			 TKC_RAW, err, err ? 0 : size);
		return 0;
	}
	in_gen = in->gen;
	tkc.gen = in_gen + 1;
	pr_info("generation %u: blob %s: %zu bytes at %pa, raw, %s\n",
		tkc.gen, TKC_RAW, size, &phys,
		fdt_check_header(in) ? "not an FDT" : "an FDT?");

	tkc_check_fdt(in_gen, size);
	tkc_check_short(in->short_phys);
	tkc_restore_folios(in, &bytes);

	tkc.area = kho_restore_vmalloc(&in->area);
	if (!tkc.area) {
		tkc_fail("kho_restore_vmalloc failed");
	} else {
		bad = tkc_pattern(tkc.area, TKC_VMALLOC_PAGES * PAGE_SIZE,
				  false, true);
		pr_info("generation %u: restored a vmalloc area of %u pages, %llu bad bytes: %s\n",
			tkc.gen, in->area_pages, bad, bad ? "FAIL" : "PASS");
		if (bad)
			tkc.failed = true;
	}
	kho_restore_free((void *)in);
	return in_gen;
}

static void tkc_free_all(void)
{
	unsigned int i;

	for (i = 0; i < tkc.nr; i++)
		folio_put(tkc.folios[i]);
	tkc.nr = 0;
	vfree(tkc.area);
	tkc.area = NULL;
}

static int __init test_kho_compat_init(void)
{
	if (!gens || !kho_is_enabled())
		return 0;

	if (!tkc_restore()) {
		if (tkc.failed || is_kho_boot())
			goto out;
		tkc.gen = 1;
		if (tkc_allocate()) {
			tkc_fail("allocation failed");
			tkc_free_all();
			goto out;
		}
	}
	if (tkc.gen < gens && !tkc.failed)
		tkc_preserve();
	if (tkc.gen >= gens || tkc.failed)
		tkc_free_all();
out:
	if (tkc.gen)
		pr_info("generation %u: %s\n", tkc.gen, tkc.failed ? "FAIL" : "PASS");
	return 0;
}
late_initcall(test_kho_compat_init);
