// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_metadata.c - kexec handover: which kernel booted this one
 *
 * Each kernel with KHO on hands the next one a kexec-metadata blob (see
 * <linux/kho/abi/kexec_handover.h>): its release and how many KHO kexecs
 * led to it. The next kernel logs what it read and counts one more.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "kexec_handover_internal.h"

static struct {
	u32 kexec_count;
	char previous_release[KHO_KEXEC_METADATA_RELEASE_LEN];
	struct debugfs_blob_wrapper release_blob;
} kho_meta;

/* Read the previous kernel's blob, if any, into kho_meta. */
static void __init kho_metadata_read(void)
{
	const struct kho_kexec_metadata *in;
	phys_addr_t phys;
	size_t size;
	int err;

	err = kho_retrieve_subtree(KHO_KEXEC_METADATA_NAME, &phys, &size);
	if (err) {
		if (err != -ENOENT)
			pr_warn("cannot read the previous kernel's %s (%d); counting this boot as kexec #1\n",
				KHO_KEXEC_METADATA_NAME, err);
		else if (is_kho_boot())
			pr_info("the previous kernel left no %s; counting this boot as kexec #1\n",
				KHO_KEXEC_METADATA_NAME);
		kho_meta.kexec_count = is_kho_boot();
		return;
	}

	in = phys_to_virt(phys);
	if (size < sizeof(*in) || in->version != KHO_KEXEC_METADATA_VERSION ||
	    !memchr(in->previous_release, '\0', sizeof(in->previous_release))) {
		pr_warn("ignoring the previous kernel's %s: %zu bytes, version %u; expected %zu bytes, version %u\n",
			KHO_KEXEC_METADATA_NAME, size,
			size >= sizeof(in->version) ? in->version : 0,
			sizeof(*in), KHO_KEXEC_METADATA_VERSION);
		kho_meta.kexec_count = 1;
	} else {
		kho_meta.kexec_count = in->kexec_count + 1;
		strscpy(kho_meta.previous_release, in->previous_release);
		pr_info("booted by KHO kexec #%u from %s\n",
			kho_meta.kexec_count, kho_meta.previous_release);
	}
	/* Its memory is this kernel's now; debugfs in/ keeps a copy. */
	kho_restore_free((void *)in);
}

static void __init kho_metadata_debugfs(void)
{
	struct dentry *root;

	if (!IS_ENABLED(CONFIG_KEXEC_HANDOVER_DEBUGFS))
		return;
	root = debugfs_lookup("kho", NULL);
	if (IS_ERR_OR_NULL(root))
		return;
	debugfs_create_u32("kexec_count", 0400, root, &kho_meta.kexec_count);
	kho_meta.release_blob.data = kho_meta.previous_release;
	kho_meta.release_blob.size = strlen(kho_meta.previous_release);
	debugfs_create_blob("previous_release", 0400, root,
			    &kho_meta.release_blob);
	dput(root);
}

/**
 * kho_metadata_init - take the previous kernel's metadata, hand on ours
 *
 * Called by kho_init() once the outgoing FDT is published. A failure only
 * costs the next kernel the metadata, so it is logged and not returned.
 */
void __init kho_metadata_init(void)
{
	struct kho_kexec_metadata *out;
	int err;

	kho_metadata_read();
	kho_metadata_debugfs();

	out = kho_alloc_preserve(sizeof(*out));
	if (IS_ERR(out)) {
		pr_warn("cannot allocate the outgoing %s (%pe)\n",
			KHO_KEXEC_METADATA_NAME, out);
		return;
	}
	out->version = KHO_KEXEC_METADATA_VERSION;
	strscpy(out->previous_release, init_utsname()->release);
	out->kexec_count = kho_meta.kexec_count;
	err = kho_add_subtree(KHO_KEXEC_METADATA_NAME, out, sizeof(*out));
	if (err) {
		pr_warn("cannot publish %s (%d)\n", KHO_KEXEC_METADATA_NAME, err);
		kho_unpreserve_free(out);
	}
}
