// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_out.c - publish the sessions for the next kernel, at kexec -e
 *
 * The reboot syscall freezes every preserved file through its handler and
 * writes the sessions into preserved memory in the luo-v1 layout
 * (include/linux/kho/abi/luo.h), then publishes the root as a KHO blob.
 * Only then is the state final. If any step fails, every file frozen so
 * far is unfrozen and every block allocated is freed, so the sessions are
 * as they were and a later kexec can try again.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/err.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/string.h>

#include "luo_internal.h"

/* Unfreeze everything and free what a failed attempt allocated. */
static void luo_out_undo(struct luo_abi_root *root,
			 struct luo_abi_session *ser, u32 nr)
{
	struct luo_session *s;
	struct luo_file *f;
	u32 i;

	list_for_each_entry(s, &luo_out_sessions, list)
		list_for_each_entry(f, &s->files, list)
			luo_file_unfreeze(f);
	for (i = 0; ser && i < nr; i++) {
		if (ser[i].files)
			kho_unpreserve_free(phys_to_virt(ser[i].files));
	}
	if (!IS_ERR_OR_NULL(ser))
		kho_unpreserve_free(ser);
	if (!IS_ERR_OR_NULL(root))
		kho_unpreserve_free(root);
}

/* Freeze the files of @s into a new file array, recorded in @as. */
static int luo_out_session(struct luo_session *s, struct luo_abi_session *as)
{
	struct luo_abi_file *files;
	struct luo_file *f;
	u32 j = 0;
	int err;

	memcpy(as->name, s->name, sizeof(as->name));
	as->nr_files = s->nr_files;
	if (!s->nr_files)
		return 0;
	files = kho_alloc_preserve(s->nr_files * sizeof(*files));
	if (IS_ERR(files))
		return PTR_ERR(files);
	as->files = virt_to_phys(files);
	list_for_each_entry(f, &s->files, list) {
		err = luo_file_freeze(f);
		if (err) {
			pr_err("session \"%s\": freezing file %#llx (%s) failed: %d; the kexec is cancelled, the sessions are kept\n",
			       s->name, f->key.token, f->fh->compatible, err);
			return err;
		}
		strscpy_pad(files[j].compatible, f->fh->compatible,
			    sizeof(files[j].compatible));
		files[j].token = f->key.token;
		files[j].data = f->data;
		j++;
	}
	return 0;
}

/**
 * luo_out_serialize - freeze and publish the outgoing sessions
 *
 * Under luo_mutex, from liveupdate_reboot(). Incoming sessions that were
 * never finished are not handed on: their memory is not preserved for the
 * next kernel, which finds it free.
 *
 * Return: 0, or the error that cancels the kexec, with nothing changed.
 */
int luo_out_serialize(void)
{
	struct luo_abi_session *ser = NULL;
	struct luo_abi_root *root;
	struct luo_session *s;
	u32 i = 0, nr_files = 0;
	int err;

	lockdep_assert_held(&luo_mutex);
	if (!list_empty(&luo_in_sessions))
		pr_warn("incoming sessions never finished are not handed on; the next kernel gets their memory as free memory\n");
	if (luo_frozen || !luo_nr_out_sessions)
		return 0;

	root = kho_alloc_preserve(sizeof(*root));
	if (IS_ERR(root)) {
		err = PTR_ERR(root);
		goto fail;
	}
	ser = kho_alloc_preserve(luo_nr_out_sessions * sizeof(*ser));
	if (IS_ERR(ser)) {
		err = PTR_ERR(ser);
		goto fail;
	}
	list_for_each_entry(s, &luo_out_sessions, list) {
		err = luo_out_session(s, &ser[i++]);
		if (err)
			goto fail;
		nr_files += s->nr_files;
	}

	strscpy_pad(root->compatible, LUO_ABI_COMPATIBLE,
		    sizeof(root->compatible));
	root->version = LUO_ABI_VERSION;
	root->nr_sessions = luo_nr_out_sessions;
	root->sessions = virt_to_phys(ser);
	err = kho_add_subtree(LUO_KHO_BLOB, root, sizeof(*root));
	if (err)
		goto fail;

	luo_debug_corrupt(root);
	luo_frozen = true;
	pr_info("%u sessions with %u files handed to the next kernel\n",
		luo_nr_out_sessions, nr_files);
	return 0;

fail:
	pr_err("cannot hand the sessions over: %d; the kexec is cancelled\n",
	       err);
	luo_out_undo(root, ser, i);
	return err;
}
