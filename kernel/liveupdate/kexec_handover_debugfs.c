// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_handover_debugfs.c - /sys/kernel/debug/kho: what this kernel hands
 * over (out/) and what it received (in/). Every file is root-only.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/libfdt.h>
#include <linux/list.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kexec_handover_internal.h"

/* One out/blobs/<name> file; the list is under kho_out.lock. */
struct kho_debugfs_blob {
	struct list_head list;
	void *blob;
	struct dentry *file;
	struct debugfs_blob_wrapper wrapper;
};

static struct {
	struct dentry *out_subs;
	struct debugfs_blob_wrapper out_fdt;
	struct debugfs_blob_wrapper in_fdt;
	struct list_head blobs;
} kho_dbg = {
	.blobs = LIST_HEAD_INIT(kho_dbg.blobs),
};

enum kho_scratch_field { KHO_SCRATCH_PHYS, KHO_SCRATCH_LEN, KHO_SCRATCH_USED };

static int kho_scratch_show(struct seq_file *m, enum kho_scratch_field f)
{
	unsigned int i;

	for (i = 0; i < kho_scratch_cnt; i++)
		seq_printf(m, "0x%llx\n",
			   f == KHO_SCRATCH_PHYS ? kho_scratch[i].addr :
			   f == KHO_SCRATCH_LEN ? kho_scratch[i].size :
			   kho_scratch_used ? kho_scratch_used[i] : 0);
	return 0;
}

static int scratch_phys_show(struct seq_file *m, void *v)
{
	return kho_scratch_show(m, KHO_SCRATCH_PHYS);
}
DEFINE_SHOW_ATTRIBUTE(scratch_phys);

static int scratch_len_show(struct seq_file *m, void *v)
{
	return kho_scratch_show(m, KHO_SCRATCH_LEN);
}
DEFINE_SHOW_ATTRIBUTE(scratch_len);

static int scratch_used_show(struct seq_file *m, void *v)
{
	return kho_scratch_show(m, KHO_SCRATCH_USED);
}
DEFINE_SHOW_ATTRIBUTE(scratch_used);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
/* Pass what was written, as a trimmed string, to @fn. */
static ssize_t kho_debug_write(const char __user *ubuf, size_t count,
			       int (*fn)(const char *))
{
	char buf[64];
	int err;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	err = fn(strim(buf));
	return err ?: count;
}

static ssize_t debug_compatible_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	return kho_debug_write(ubuf, count, kho_debug_set_compatible);
}

static const struct file_operations debug_compatible_fops = {
	.owner = THIS_MODULE,
	.write = debug_compatible_write,
};

static ssize_t debug_drop_blob_size_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	return kho_debug_write(ubuf, count, kho_debug_drop_blob_size);
}

static const struct file_operations debug_drop_blob_size_fops = {
	.owner = THIS_MODULE,
	.write = debug_drop_blob_size_write,
};

static int debug_corrupt_show(struct seq_file *m, void *v)
{
	kho_debug_corrupt_show(m);
	return 0;
}

static int debug_corrupt_open(struct inode *inode, struct file *file)
{
	return single_open(file, debug_corrupt_show, NULL);
}

static ssize_t debug_corrupt_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return kho_debug_write(ubuf, count, kho_debug_corrupt);
}

static const struct file_operations debug_corrupt_fops = {
	.owner = THIS_MODULE,
	.open = debug_corrupt_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = debug_corrupt_write,
};
#endif

/* Incoming blobs larger than this are not shown. */
#define KHO_DEBUGFS_MAX_BLOB	SZ_1M

static struct dentry *kho_debugfs_file(const char *name, struct dentry *dir,
				       struct debugfs_blob_wrapper *w,
				       const void *data, size_t size)
{
	w->data = (void *)data;
	w->size = size;
	return debugfs_create_blob(name, 0400, dir, w);
}

/*
 * The blobs directory of in/ or out/, and sub_fdts, its old name, as a
 * link to it: blobs need not be FDTs.
 */
static struct dentry *kho_debugfs_blobs_dir(struct dentry *parent)
{
	struct dentry *dir = debugfs_create_dir("blobs", parent);

	debugfs_create_symlink("sub_fdts", parent, "blobs");
	return dir;
}

static void __init kho_debugfs_in(struct dentry *root, const void *fdt)
{
	struct dentry *in = debugfs_create_dir("in", root);
	struct dentry *subs = kho_debugfs_blobs_dir(in);
	int off;

	if (!fdt_check_header(fdt))
		kho_debugfs_file("fdt", in, &kho_dbg.in_fdt, fdt,
				 fdt_totalsize(fdt));
	/* How much of each scratch area this boot used early. */
	debugfs_create_file("scratch_used", 0400, in, NULL, &scratch_used_fops);
	fdt_for_each_subnode(off, fdt, 0) {
		struct debugfs_blob_wrapper *w;
		const char *name = fdt_get_name(fdt, off, NULL);
		phys_addr_t phys;
		void *copy;
		size_t size;

		/* Checked as for the blob's owner, but without the warnings. */
		if (!name || kho_in_blob(name, &phys, &size, true) ||
		    size > KHO_DEBUGFS_MAX_BLOB)
			continue;
		w = kzalloc(sizeof(*w), GFP_KERNEL);
		/* Its owner may restore and free it later: show a copy. */
		copy = w ? kmemdup(phys_to_virt(phys), size, GFP_KERNEL) : NULL;
		if (!copy ||
		    IS_ERR_OR_NULL(kho_debugfs_file(name, subs, w, copy, size))) {
			kfree(copy);
			kfree(w);
		}
	}
}

/**
 * kho_debugfs_init - create /sys/kernel/debug/kho
 * @out_fdt: the outgoing root FDT
 * @in_fdt: the incoming root FDT, or NULL if this is not a KHO boot
 */
void __init kho_debugfs_init(void *out_fdt, const void *in_fdt)
{
	struct dentry *root = debugfs_create_dir("kho", NULL);
	struct dentry *out = debugfs_create_dir("out", root);

	kho_dbg.out_subs = kho_debugfs_blobs_dir(out);
	kho_debugfs_file("fdt", out, &kho_dbg.out_fdt, out_fdt,
			 fdt_totalsize(out_fdt));
	debugfs_create_file("scratch_phys", 0400, out, NULL,
			    &scratch_phys_fops);
	debugfs_create_file("scratch_len", 0400, out, NULL, &scratch_len_fops);
#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
	debugfs_create_file("debug_compatible", 0200, out, NULL,
			    &debug_compatible_fops);
	debugfs_create_file("debug_drop_blob_size", 0200, out, NULL,
			    &debug_drop_blob_size_fops);
	debugfs_create_file("debug_corrupt", 0600, out, NULL,
			    &debug_corrupt_fops);
	kho_debug_init();
#endif
	if (in_fdt)
		kho_debugfs_in(root, in_fdt);
}

/**
 * kho_debugfs_out_changed - follow an edit of the outgoing root FDT
 * @out_fdt: the outgoing root FDT, already edited
 * @name: name of the added subtree (unused on removal)
 * @blob: the added or removed blob
 * @size: the added blob's size in bytes (unused on removal)
 * @added: true for kho_add_subtree(), false for kho_remove_subtree()
 *
 * Called with kho_out.lock held.
 */
void kho_debugfs_out_changed(const void *out_fdt, const char *name,
			     void *blob, size_t size, bool added)
{
	struct kho_debugfs_blob *b;

	kho_dbg.out_fdt.size = fdt_totalsize(out_fdt);
	if (!kho_dbg.out_subs)
		return;

	if (!added) {
		list_for_each_entry(b, &kho_dbg.blobs, list) {
			if (b->blob != blob)
				continue;
			debugfs_remove(b->file);
			list_del(&b->list);
			kfree(b);
			return;
		}
		return;
	}

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return;
	b->blob = blob;
	b->file = kho_debugfs_file(name, kho_dbg.out_subs, &b->wrapper, blob,
				   size);
	if (IS_ERR_OR_NULL(b->file)) {
		kfree(b);
		return;
	}
	list_add(&b->list, &kho_dbg.blobs);
}
