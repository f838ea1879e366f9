// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parser of mm/memblock_kho_blob.c on a "memblock" blob the input
 * makes: a memblock-v1 FDT with reserve-mem-v1 children, built by libfdt
 * and optionally mutated, or raw bytes, of a size the input picks, placed
 * so that it ends where a PROT_NONE page begins. libfdt wants the FDT
 * 8-byte aligned, so up to 7 bytes after the size are left: they are
 * poisoned for ASan, which sees only reads by this file and the kernel's,
 * not libfdt's. Regions are looked up only in a blob that
 * reserve_mem_kho_check_blob() accepted, as mm/memblock_kho.c does.
 * Results must match a model (exactly for blobs built and left alone), a
 * region found must be usable, and reasons well formed.
 */
#include <errno.h>
#include <stdio.h>
#include <libfdt.h>
#include <sanitizer/asan_interface.h>
#include <linux/kho/abi/memblock.h>
#include "../../../../mm/memblock_kho_blob.h"
#include "fuzz.h"
#include "fuzz_input.h"

#define NAME_SIZE	RESERVE_MEM_KHO_NAME_SIZE
#define NODES_MAX	7
#define NAME_MAX_LEN	24
/* mm/memblock_kho.c's reason buffer; shorter ones truncate. */
#define WHY_LEN		112

struct rmem_node {
	char name[NAME_MAX_LEN];
	int compat;		/* enum compat_kind */
	int start_len, size_len;	/* -1 if missing */
	u64 start, size;
	char child[NAME_MAX_LEN];	/* a node below, if named */
};

enum compat_kind { C_EXACT, C_LIST, C_OTHER, C_MISSING };

struct rmem {
	void *blob;
	size_t size;
	bool known;		/* built and not mutated */
	int root_compat;	/* enum compat_kind */
	unsigned int n;
	struct rmem_node nodes[NODES_MAX];
	char *why;
	size_t wlen;
	int failures;
};

#define FAIL(r, fmt, ...)						\
	do {								\
		fprintf(stderr, "fuzz_rmem: " fmt "\n", ##__VA_ARGS__);	\
		(r)->failures++;					\
	} while (0)

static int verbose = -1;	/* print each result: KHO_FUZZ_VERBOSE */

static const char *const names[] = {
	"trace", "oops", "ramoops", "a", "", "abcdefghijklmno",
	"abcdefghijklmnop", "trace@1000", "trac", "tracee",
};

static void check_word(struct rmem *r, const char *what, const char *reason,
		       const char *word)
{
	if (r->wlen >= WHY_LEN && !strstr(reason, word))
		FAIL(r, "%s: reason \"%s\" lacks \"%s\"", what, reason, word);
}

/* ---- Making the blob ---- */

/* A name: from the table, from the input, or another node's. */
static void in_name(struct fuzz_in *in, struct rmem *r, char *name)
{
	u8 c = in_u8(in), len;

	switch (c & 3) {
	case 0:
	case 1:
		snprintf(name, NAME_MAX_LEN, "%s",
			 names[(c >> 2) % (sizeof(names) / sizeof(*names))]);
		break;
	case 2:
		len = in_u8(in) % NAME_MAX_LEN;
		in_copy(in, name, len);
		name[len] = '\0';
		break;
	default:
		if (r->n)
			snprintf(name, NAME_MAX_LEN, "%s",
				 r->nodes[(c >> 2) % r->n].name);
		else
			snprintf(name, NAME_MAX_LEN, "%s", names[0]);
	}
}

static int compat_prop(void *fdt, int kind, const char *compat)
{
	char list[32];
	size_t len = strlen(compat) + 1;

	switch (kind) {
	case C_EXACT:
		return fdt_property(fdt, "compatible", compat, len);
	case C_LIST:
		memcpy(list, "other-v0", 9);
		memcpy(list + 9, compat, len);
		return fdt_property(fdt, "compatible", list, 9 + len);
	case C_OTHER:
		memcpy(list, compat, len);
		list[len - 2]++;
		return fdt_property(fdt, "compatible", list, len);
	}
	return 0;
}

/* An 8-byte property, or one of another length, or none. */
static int u64_prop(struct fuzz_in *in, void *fdt, const char *name,
		    int *len, u64 *val)
{
	u8 kind = in_u8(in), raw[17];

	switch (kind & 3) {
	case 0:
	case 1:
		*len = 8;
		*val = kind & 4 ? (u64)in_u16(in) * PAGE_SIZE : in_size(in);
		return fdt_property(fdt, name, val, 8);
	case 2:
		*len = in_u8(in) % sizeof(raw);
		in_copy(in, raw, *len);
		if (*len == 8)
			memcpy(val, raw, 8);
		return fdt_property(fdt, name, raw, *len);
	}
	*len = -1;
	return 0;
}

static void build_blob(struct fuzz_in *in, struct rmem *r, void *fdt)
{
	u8 shape = in_u8(in), order;
	unsigned int i, n = (shape >> 2) % (NODES_MAX + 1);
	struct rmem_node *node;
	int err = 0;
	u64 v;

	r->known = true;
	r->root_compat = shape & 3;
	err |= fdt_create(fdt, PAGE_SIZE);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= compat_prop(fdt, r->root_compat, MEMBLOCK_KHO_NODE_COMPATIBLE);
	for (i = 0; i < n; i++) {
		node = &r->nodes[i];
		in_name(in, r, node->name);
		r->n++;
		order = in_u8(in);
		node->compat = order & 3;
		err |= fdt_begin_node(fdt, node->name);
		if (order & 4) {
			err |= u64_prop(in, fdt, RESERVE_MEM_KHO_SIZE_PROP_NAME,
					&node->size_len, &node->size);
			err |= u64_prop(in, fdt, RESERVE_MEM_KHO_START_PROP_NAME,
					&node->start_len, &node->start);
		} else {
			err |= u64_prop(in, fdt, RESERVE_MEM_KHO_START_PROP_NAME,
					&node->start_len, &node->start);
			err |= u64_prop(in, fdt, RESERVE_MEM_KHO_SIZE_PROP_NAME,
					&node->size_len, &node->size);
		}
		err |= compat_prop(fdt, node->compat,
				   RESERVE_MEM_KHO_NODE_COMPATIBLE);
		/* A node below, which only the check of names sees. */
		if (order & 8) {
			in_name(in, r, node->child);
			err |= fdt_begin_node(fdt, node->child);
			err |= compat_prop(fdt, C_EXACT,
					   RESERVE_MEM_KHO_NODE_COMPATIBLE);
			err |= fdt_end_node(fdt);
		}
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	if (err)
		r->known = false;
	/* Overwrite bytes, or header words. */
	if (shape & 0x80) {
		r->known = false;
		n = 1 + in_u8(in) % 4;
		for (i = 0; i < n; i++) {
			if (shape & 0x40) {
				v = in_u8(in) % 10;
				((fdt32_t *)fdt)[v] = cpu_to_fdt32(in_u32(in));
			} else {
				v = in_u16(in) % PAGE_SIZE;
				((u8 *)fdt)[v] = in_u8(in);
			}
		}
	}
}

/* ---- The model ---- */

static bool model_compat(int kind)
{
	return kind == C_EXACT || kind == C_LIST;
}

/* reserve_mem_kho_check_blob() of a built blob: NULL or its reason's words. */
static const char *model_check(const struct rmem *r, u32 totalsize)
{
	unsigned int i;

	if (r->size > PAGE_SIZE || r->size < sizeof(struct fdt_header))
		return "not one page or less";
	if (totalsize > r->size)
		return "larger than its blob-size";
	if (!model_compat(r->root_compat))
		return "not " MEMBLOCK_KHO_NODE_COMPATIBLE;
	for (i = 0; i < r->n; i++)
		if (strlen(r->nodes[i].name) >= NAME_SIZE ||
		    strlen(r->nodes[i].child) >= NAME_SIZE)
			return "region name";
	return NULL;
}

/* reserve_mem_kho_parse() of a built blob: its result and reason's words. */
static int model_parse(const struct rmem *r, const char *name, u64 size,
		       u64 align, u64 *start, const char **word)
{
	const struct rmem_node *node = NULL;
	unsigned int i;

	for (i = 0; i < r->n && !node; i++)
		if (!strcmp(r->nodes[i].name, name))
			node = &r->nodes[i];
	if (!node)
		return 0;
	*start = node->start;
	if (!model_compat(node->compat))
		*word = "not " RESERVE_MEM_KHO_NODE_COMPATIBLE;
	else if (node->start_len != 8 || node->size_len != 8)
		*word = "missing or not 8 bytes";
	else if (node->size != size)
		*word = "size differs";
	else if (node->start % PAGE_SIZE || node->start % align)
		*word = "not aligned";
	else if (size > ~node->start)
		*word = "wraps";
	else
		return 1;
	return -EINVAL;
}

/* ---- The checks ---- */

/* What must hold of any blob check_blob() accepted. */
static void check_accepted(struct rmem *r)
{
	int off, depth = 0, len;
	const char *name;

	if (r->size > PAGE_SIZE || r->size < sizeof(struct fdt_header) ||
	    fdt_check_header(r->blob) || fdt_totalsize(r->blob) > r->size ||
	    fdt_node_check_compatible(r->blob, 0, MEMBLOCK_KHO_NODE_COMPATIBLE))
		FAIL(r, "check: accepted a bad blob");
	for (off = fdt_next_node(r->blob, 0, &depth); off >= 0 && depth > 0;
	     off = fdt_next_node(r->blob, off, &depth)) {
		name = fdt_get_name(r->blob, off, &len);
		if (!name || len >= NAME_SIZE || strlen(name) != (size_t)len)
			FAIL(r, "check: accepted a bad name at %d", off);
	}
	if (off < 0 && off != -FDT_ERR_NOTFOUND)
		FAIL(r, "check: accepted a corrupt structure (%d)", off);
}

/* The child of the root named @name, by a walk of its own, or < 0. */
static int find_child(const void *fdt, const char *name)
{
	const char *node;
	int off;

	for (off = fdt_first_subnode(fdt, 0); off >= 0;
	     off = fdt_next_subnode(fdt, off)) {
		node = fdt_get_name(fdt, off, NULL);
		if (node && !strcmp(node, name))
			return off;
	}
	return -1;
}

static bool prop_u64(const void *fdt, int off, const char *name, u64 *val)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, off, name, &len);
	if (!p || len != 8)
		return false;
	memcpy(val, p, 8);
	return true;
}

static void lookup(struct fuzz_in *in, struct rmem *r)
{
	const char *reason = NULL, *word = NULL;
	u64 size, align, start = 0, mstart = 0, val;
	const struct rmem_node *node = NULL;
	char name[NAME_MAX_LEN + 2], *exact;
	u8 c = in_u8(in), len;
	int ret, expect, off;

	/* A node's name, maybe changed, or any. */
	if (r->n && (c & 3) != 3) {
		node = &r->nodes[(c >> 2) % r->n];
		snprintf(name, sizeof(name), "%s", node->name);
		if ((c & 3) == 2 && name[0])
			name[strlen(name) - 1] = c & 0x80 ? '\0' : 'x';
	} else {
		len = in_u8(in) % (NAME_MAX_LEN + 2);
		in_copy(in, name, len);
		name[len] = '\0';
	}
	size = node && !(c & 0x40) ? node->size : in_size(in);
	align = 1ULL << (in_u8(in) % 48);
	/* Exactly as long as the name, so reading past it is caught. */
	exact = strdup(name);

	memset(r->why, 0xa5, r->wlen);
	ret = reserve_mem_kho_parse(r->blob, exact, size, align, &start,
				    &reason, r->why, r->wlen);
	if (verbose)
		fprintf(stderr, "  parse(\"%s\", %#llx, %#llx): %d %s\n", exact,
			(unsigned long long)size, (unsigned long long)align,
			ret, reason ?: "");
	if (ret != 1 && ret != 0 && ret != -EINVAL)
		FAIL(r, "parse: returned %d", ret);
	if ((ret == -EINVAL) != !!reason)
		FAIL(r, "parse: returned %d with reason %s", ret, reason ?: "none");
	if (reason && !reason_ok(reason, r->why, r->wlen))
		FAIL(r, "parse: malformed reason");
	if (r->known) {
		expect = model_parse(r, exact, size, align, &mstart, &word);
		if (ret != expect)
			FAIL(r, "parse(\"%s\", %#llx, %#llx): %d, model %d (%s)",
			     exact, (unsigned long long)size,
			     (unsigned long long)align, ret, expect, word ?: "");
		else if (ret == 1 && start != mstart)
			FAIL(r, "parse: start %#llx, model %#llx",
			     (unsigned long long)start, (unsigned long long)mstart);
		else if (ret < 0 && reason)
			check_word(r, "parse", reason, word);
	}

	/* Whatever the blob: a region found is one that can serve. */
	off = find_child(r->blob, exact);
	if (off >= 0 ? !ret : !!ret)
		FAIL(r, "parse: returned %d, node %s", ret,
		     off >= 0 ? "found" : "not found");
	if (ret == 1) {
		if (start % PAGE_SIZE || start % align ||
		    size > ~start)
			FAIL(r, "parse: unusable start %#llx",
			     (unsigned long long)start);
		if (off < 0 ||
		    fdt_node_check_compatible(r->blob, off,
					      RESERVE_MEM_KHO_NODE_COMPATIBLE) ||
		    !prop_u64(r->blob, off, RESERVE_MEM_KHO_SIZE_PROP_NAME, &val) ||
		    val != size ||
		    !prop_u64(r->blob, off, RESERVE_MEM_KHO_START_PROP_NAME, &val) ||
		    val != start)
			FAIL(r, "parse: the node does not say what was found");
	}
	free(exact);
}

static char *blob_page;

int kho_fuzz_rmem(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	static char built[PAGE_SIZE];
	struct rmem r = { 0 };
	const char *reason, *expect;
	u8 mode = in_u8(&in), wmode = in_u8(&in);
	unsigned int i, n;
	size_t room, len;

	if (!blob_page) {
		blob_page = guarded_pages(1);
		verbose = !!getenv("KHO_FUZZ_VERBOSE");
	}
	r.wlen = wmode & 0x80 ? 1 + wmode % WHY_LEN : WHY_LEN;
	r.why = malloc(r.wlen);

	memset(built, 0, sizeof(built));
	if (mode & 0x80) {
		/* Raw bytes, of their length or of any size. */
		len = in_u16(&in) % (PAGE_SIZE + 1);
		in_copy(&in, built, len);
		r.size = mode & 0x40 ? in_u16(&in) % (PAGE_SIZE + 64) : len;
	} else {
		/* Its size: the FDT's, near it, or any. */
		build_blob(&in, &r, built);
		switch (mode & 3) {
		case 0:
		case 1:
			r.size = fdt_totalsize(built);
			break;
		case 2:
			r.size = fdt_totalsize(built) + (int8_t)in_u8(&in);
			break;
		default:
			r.size = in_u16(&in) % (PAGE_SIZE + 64);
		}
	}
	/* Ending at the guard page, or at the page's start if it is larger. */
	room = r.size <= PAGE_SIZE ? (r.size + 7) & ~7UL : PAGE_SIZE;
	r.blob = blob_page + PAGE_SIZE - room;
	ASAN_UNPOISON_MEMORY_REGION(blob_page, PAGE_SIZE);
	memset(blob_page, 0, PAGE_SIZE);
	memcpy(r.blob, built, room);
	if (r.size < room)
		ASAN_POISON_MEMORY_REGION((char *)r.blob + r.size,
					  room - r.size);

	memset(r.why, 0xa5, r.wlen);
	reason = reserve_mem_kho_check_blob(r.blob, r.size, r.why, r.wlen);
	if (verbose)
		fprintf(stderr, "  check (%zu bytes): %s\n", r.size,
			reason ?: "accepted");
	if (r.known) {
		expect = model_check(&r, fdt_totalsize(built));
		if (!expect != !reason)
			FAIL(&r, "check: %s, model %s", reason ?: "accepted",
			     expect ?: "accepts");
		else if (reason)
			check_word(&r, "check", reason, expect);
	}
	if (reason) {
		if (!reason_ok(reason, r.why, r.wlen))
			FAIL(&r, "check: malformed reason");
	} else {
		check_accepted(&r);
		n = 1 + in_u8(&in) % 4;
		for (i = 0; i < n; i++)
			lookup(&in, &r);
	}
	free(r.why);
	return r.failures;
}
