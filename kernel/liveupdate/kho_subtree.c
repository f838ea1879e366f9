// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_subtree.c - kexec handover: the root FDT and its named blobs
 *
 * Each kernel keeps one root FDT page (kho-v2) that names the radix tree of
 * preserved memory and, in one child node per client, the address and size
 * of the client's blob. kho_add_subtree() and kho_remove_subtree() edit the
 * outgoing root; kho_retrieve_subtree() reads the incoming one, which the
 * previous kernel wrote and this one trusts only as far as it has checked.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sprintf.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "kexec_handover_internal.h"

static int kho_fdt_err(int fdt_err)
{
	switch (fdt_err) {
	case 0:
		return 0;
	case -FDT_ERR_NOSPACE:
		return -ENOSPC;
	case -FDT_ERR_EXISTS:
		return -EEXIST;
	case -FDT_ERR_NOTFOUND:
		return -ENOENT;
	default:
		return -EINVAL;
	}
}

/* Write an empty kho-v2 root into @fdt: compatible and the map pointer. */
int kho_fdt_init(void *fdt, size_t size, u64 map_phys)
{
	int err;

	err = fdt_create(fdt, size);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	err = err ?: fdt_property_string(fdt, "compatible",
					 KHO_FDT_COMPATIBLE);
	err = err ?: fdt_property(fdt, KHO_FDT_MEMORY_MAP_PROP_NAME,
				  &map_phys, sizeof(map_phys));
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	return kho_fdt_err(err);
}

/*
 * Add child @name with the blob's address and size. Edits work on a copy
 * that replaces @fdt only when complete, so a failure (no space, a
 * duplicate name) never leaves a partial node behind.
 */
VISIBLE_IF_KUNIT int kho_fdt_add_child(void *fdt, size_t size,
				       const char *name, u64 phys,
				       u64 blob_size)
{
	void *tmp;
	int off, err;

	if (!name || !*name || strpbrk(name, "/@") || !blob_size)
		return -EINVAL;
	tmp = kmalloc(size, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	err = fdt_open_into(fdt, tmp, size);
	if (err)
		goto out;
	off = fdt_add_subnode(tmp, 0, name);
	if (off < 0) {
		err = off;
		goto out;
	}
	err = fdt_setprop(tmp, off, KHO_FDT_SUB_TREE_PROP_NAME, &phys,
			  sizeof(phys));
	err = err ?: fdt_setprop(tmp, off, KHO_FDT_SUB_TREE_SIZE_PROP_NAME,
				 &blob_size, sizeof(blob_size));
	err = err ?: fdt_pack(tmp);
	if (!err)
		memcpy(fdt, tmp, fdt_totalsize(tmp));
out:
	kfree(tmp);
	return kho_fdt_err(err);
}
EXPORT_SYMBOL_IF_KUNIT(kho_fdt_add_child);

/* Remove the child whose preserved-data is @phys: 0, -ENOENT or -EINVAL. */
VISIBLE_IF_KUNIT int kho_fdt_remove_child(void *fdt, size_t size, u64 phys)
{
	int off, len, err;

	err = fdt_open_into(fdt, fdt, size);
	if (err)
		return kho_fdt_err(err);
	fdt_for_each_subnode(off, fdt, 0) {
		const u64 *val = fdt_getprop(fdt, off,
					     KHO_FDT_SUB_TREE_PROP_NAME, &len);

		if (val && len == sizeof(*val) && *val == phys) {
			err = fdt_del_node(fdt, off);
			return kho_fdt_err(err ?: fdt_pack(fdt));
		}
	}
	fdt_pack(fdt);
	return -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(kho_fdt_remove_child);

/*
 * Read child @name of a root FDT: its blob address and its blob-size, 0
 * when the child has none (the first stateless kernels wrote none).
 * Return 0, -ENOENT if there is no such child, or -EINVAL if a property
 * is missing, not 8 bytes, or the size is 0.
 */
VISIBLE_IF_KUNIT int kho_fdt_child(const void *fdt, const char *name,
				   u64 *phys, u64 *blob_size)
{
	const u64 *val;
	int off, len;

	off = fdt_subnode_offset(fdt, 0, name);
	if (off < 0)
		return -ENOENT;
	val = fdt_getprop(fdt, off, KHO_FDT_SUB_TREE_PROP_NAME, &len);
	if (!val || len != sizeof(*val))
		return -EINVAL;
	*phys = *val;
	*blob_size = 0;
	val = fdt_getprop(fdt, off, KHO_FDT_SUB_TREE_SIZE_PROP_NAME, &len);
	if (!val)
		return len == -FDT_ERR_NOTFOUND ? 0 : -EINVAL;
	if (len != sizeof(*val) || !*val)
		return -EINVAL;
	*blob_size = *val;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kho_fdt_child);

/**
 * kho_add_subtree - publish a named blob to the next kernel
 * @name: name of the child node in the root KHO FDT; unique, without '/'
 *	or '@'
 * @blob: the blob, any bytes, page aligned at the start of memory the
 *	caller has preserved (for example from kho_alloc_preserve()); it
 *	must stay there until kexec
 * @size: the blob's size in bytes
 *
 * The next kernel finds the blob's physical address and size with
 * kho_retrieve_subtree(), and gives it only if all @size bytes from @blob
 * are memory this kernel preserved. The root FDT is one page, and each
 * child costs roughly 60 to 90 bytes of it. May sleep.
 *
 * Return: 0; -EOPNOTSUPP if KHO is off or not yet initialized; -EEXIST if
 * @name is taken; -ENOSPC if the root FDT is full; -EINVAL for a bad name,
 * a @blob that is NULL, not page aligned or not in the direct map, or a
 * @size of 0; -ENOMEM. On error the root FDT is unchanged.
 */
int kho_add_subtree(const char *name, void *blob, size_t size)
{
	int err;

	if (!kho_enable || !kho_out_fdt())
		return -EOPNOTSUPP;
	/* The next kernel looks for it at the head of a preserved block. */
	if (!blob || !PAGE_ALIGNED(blob) || !virt_addr_valid(blob))
		return -EINVAL;

	mutex_lock(&kho_out.lock);
	err = kho_fdt_add_child(kho_out.fdt, PAGE_SIZE, name,
				virt_to_phys(blob), size);
	if (!err)
		kho_debugfs_out_changed(kho_out.fdt, name, blob, size, true);
	mutex_unlock(&kho_out.lock);
	return err;
}
EXPORT_SYMBOL_GPL(kho_add_subtree);

/**
 * kho_remove_subtree - withdraw a blob published with kho_add_subtree()
 * @blob: the blob, as passed to kho_add_subtree()
 *
 * Logs a warning if @blob is not published.
 */
void kho_remove_subtree(void *blob)
{
	int err;

	if (!kho_out_fdt())
		return;

	mutex_lock(&kho_out.lock);
	err = kho_fdt_remove_child(kho_out.fdt, PAGE_SIZE, virt_to_phys(blob));
	if (!err)
		kho_debugfs_out_changed(kho_out.fdt, NULL, blob, 0, false);
	mutex_unlock(&kho_out.lock);
	if (err)
		pr_warn("cannot remove subtree at %pa: not published (%d)\n",
			&(phys_addr_t){ virt_to_phys(blob) }, err);
}
EXPORT_SYMBOL_GPL(kho_remove_subtree);

/*
 * How many of the @size bytes from @phys the blob may use. Before
 * kho_memory_init() has walked the map only RAM outside scratch can be
 * told (all or nothing); after, it is the run of preserved blocks this
 * kernel has not restored that starts exactly at @phys.
 */
static u64 __ref kho_in_covered(phys_addr_t phys, u64 size)
{
	size_t bsize;
	u64 done = 0;

	if (!READ_ONCE(kho_in_stamped))
		/* Only before kho_memory_init(), long before init memory goes. */
		return kho_in_early_ok(phys, size) ? size : 0;
	while (done < size && kho_in_block(phys + done, &bsize))
		done += bsize;
	return min(done, size);
}

/* Why the page at @phys, the first a blob may not use, is refused. */
static const char *kho_in_uncovered(phys_addr_t phys, char *buf, size_t len)
{
	const char *what;

	if (!READ_ONCE(kho_in_stamped))
		what = "is not RAM outside scratch";
	else if (!pfn_to_online_page(PHYS_PFN(phys)))
		what = "is not RAM";
	else if (kho_scratch_overlap(phys, PAGE_SIZE))
		what = "lies in scratch";
	else
		what = "is not the head of a preserved block that is still unrestored";
	snprintf(buf, len,
		 "it is not all memory the previous kernel preserved: its page at %pa %s",
		 &phys, what);
	return buf;
}

/*
 * The checked address and size of incoming blob @name; see
 * kho_retrieve_subtree(). @quiet leaves the refusals unlogged, for debugfs.
 */
int kho_in_blob(const char *name, phys_addr_t *phys, size_t *size,
		bool quiet)
{
	const char *why = NULL;
	u64 addr, len, got;
	char buf[192];
	int err;

	if (!kho_in.fdt_phys)
		return -ENOENT;
	if (!name || !phys)
		return -EINVAL;

	err = kho_fdt_child(phys_to_virt(kho_in.fdt_phys), name, &addr, &len);
	if (err == -ENOENT)
		return err;
	if (err) {
		why = "its node lacks an 8-byte preserved-data or has a bad blob-size";
		goto refuse;
	}
	if (!PAGE_ALIGNED(addr) || (len && addr + len < addr)) {
		why = "its address is not page aligned or its extent wraps";
		goto refuse;
	}
	if (!len) {
		/* No blob-size: an FDT, at its totalsize. */
		const void *hdr = phys_to_virt(addr);

		if (kho_in_covered(addr, PAGE_SIZE) != PAGE_SIZE ||
		    fdt_check_header(hdr)) {
			why = "it has no blob-size and is not an FDT in preserved memory";
			goto refuse;
		}
		len = fdt_totalsize(hdr);
		got = kho_in_covered(addr, len);
		if (got < len) {
			why = "it has no blob-size and its FDT runs past preserved memory";
			goto refuse;
		}
	} else {
		got = kho_in_covered(addr, len);
		if (got != len) {
			why = kho_in_uncovered(addr + got, buf, sizeof(buf));
			goto refuse;
		}
	}
	*phys = addr;
	if (size)
		*size = len;
	return 0;

refuse:
	if (!quiet)
		pr_warn("refusing blob %s of the previous kernel: %s\n", name,
			why);
	return -EINVAL;
}

/**
 * kho_retrieve_subtree - find a blob the previous kernel published
 * @name: name the previous kernel passed to kho_add_subtree()
 * @phys: returns the blob's physical address
 * @size: returns the blob's size in bytes; may be NULL
 *
 * Usable from kho_populate() on, once the direct map exists. The blob is
 * preserved memory, which stays reserved in this kernel until its owner
 * restores it (then it is no longer found here). Its whole extent is
 * checked: RAM outside scratch before kho_memory_init(), preserved blocks
 * not yet restored after. A child without ``blob-size``, as the first
 * stateless kernels wrote, is taken as an FDT of its ``totalsize``, which
 * must lie in preserved memory as well.
 *
 * Return: 0; -ENOENT if there is no handover or no such blob; -EINVAL if
 * @phys is NULL, or the blob is refused, which is logged with the reason.
 */
int kho_retrieve_subtree(const char *name, phys_addr_t *phys, size_t *size)
{
	return kho_in_blob(name, phys, size, false);
}
EXPORT_SYMBOL_GPL(kho_retrieve_subtree);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
/* Replace the root compatible, so a test can hand over a foreign ABI. */
int kho_debug_set_compatible(const char *compat)
{
	int err;

	mutex_lock(&kho_out.lock);
	err = fdt_open_into(kho_out.fdt, kho_out.fdt, PAGE_SIZE);
	err = err ?: fdt_setprop_string(kho_out.fdt, 0, "compatible", compat);
	err = err ?: fdt_pack(kho_out.fdt);
	mutex_unlock(&kho_out.lock);
	pr_warn("debug: root compatible set to \"%s\" (%d)\n", compat, err);
	return kho_fdt_err(err);
}

/* Drop blob-size from child @name, as the first stateless kernels wrote. */
int kho_debug_drop_blob_size(const char *name)
{
	int off, err;

	mutex_lock(&kho_out.lock);
	err = fdt_open_into(kho_out.fdt, kho_out.fdt, PAGE_SIZE);
	off = err ?: fdt_subnode_offset(kho_out.fdt, 0, name);
	err = off < 0 ? off : fdt_delprop(kho_out.fdt, off,
					  KHO_FDT_SUB_TREE_SIZE_PROP_NAME);
	fdt_pack(kho_out.fdt);
	mutex_unlock(&kho_out.lock);
	pr_warn("debug: blob-size of %s dropped (%d)\n", name, err);
	return kho_fdt_err(err);
}
#endif
