// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_in.c - take the previous kernel's sessions
 *
 * At boot, the LUO blob is checked whole (luo_in_check.c) before any of it
 * is used. A bad root refuses every session, a bad session is dropped
 * alone; either way one line says why, and the refused memory stays
 * reserved, as the previous kernel left it. The arrays of the accepted
 * sessions are read in place and given back to the page allocator when
 * the last incoming session is finished.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "kexec_handover_internal.h"
#include "luo_in_check.h"
#include "luo_internal.h"

/* What is given back once every incoming session is finished. */
static struct {
	void *root;
	const struct luo_abi_session *sessions;
	struct luo_in_session *in;
	u32 nr;
	bool keep;	/* a session was dropped: its arrays stay reserved */
} luo_in;

static const void *luo_in_block(u64 phys, size_t *size)
{
	return kho_in_block(phys, size);
}

/* Free the arrays of @s; the files' own memory is its handler's. */
static void luo_in_free_files(const struct luo_in_session *s)
{
	if (s->files)
		kho_restore_free((void *)s->files);
}

/* Build the accepted session @in; false without memory. */
static bool luo_in_add(const struct luo_in_session *in)
{
	const struct luo_abi_session *abi = in->abi;
	struct luo_session *s;
	u32 i;

	s = luo_session_new_incoming(abi->name, abi->nr_files);
	if (!s)
		return false;
	for (i = 0; i < abi->nr_files; i++) {
		if (!luo_file_add_incoming(s, &in->files[i])) {
			luo_session_free(s);
			return false;
		}
	}
	pr_info("incoming session \"%s\": %u files\n", abi->name,
		abi->nr_files);
	return true;
}

/**
 * luo_in_load - take the sessions the previous kernel preserved
 *
 * Called once at boot, under luo_mutex.
 */
void luo_in_load(void)
{
	char why[LUO_WHY_LEN];
	u32 i, taken = 0;
	phys_addr_t phys;
	size_t size;
	int err;

	if (kho_retrieve_subtree(LUO_KHO_BLOB, &phys, &size))
		return;
	luo_in.root = phys_to_virt(phys);
	if (luo_check_root(luo_in.root, size, luo_in_block, &luo_in.sessions,
			   why, sizeof(why))) {
		pr_warn("refusing the previous kernel's sessions: %s; their memory stays reserved\n",
			why);
		luo_in.root = NULL;
		return;
	}
	luo_in.nr = ((struct luo_abi_root *)luo_in.root)->nr_sessions;
	luo_in.in = kvcalloc(luo_in.nr, sizeof(*luo_in.in), GFP_KERNEL);
	err = luo_in.in ? luo_check_sessions(luo_in.root, luo_in.sessions, phys,
					     luo_in_block, luo_in.in) : -ENOMEM;
	if (err) {
		pr_err("cannot check the previous kernel's sessions: %d; their memory stays reserved\n",
		       err);
		kvfree(luo_in.in);
		luo_in.root = NULL;
		return;
	}

	for (i = 0; i < luo_in.nr; i++) {
		struct luo_in_session *in = &luo_in.in[i];

		if (!in->refused[0] && !luo_in_add(in))
			snprintf(in->refused, sizeof(in->refused),
				 "session \"%s\": out of memory", in->abi->name);
		if (in->refused[0]) {
			pr_warn("dropping the previous kernel's %s; its memory stays reserved\n",
				in->refused);
			luo_in.keep = true;
			continue;
		}
		taken++;
	}
	pr_info("%u of %u incoming sessions taken\n", taken, luo_in.nr);
	luo_in_session_done();
}

/**
 * luo_in_session_done - an incoming session was finished
 *
 * Once none is left, the arrays the previous kernel serialized the
 * sessions in go back to the page allocator, unless a session was dropped:
 * what refers to its memory stays, reserved.
 */
void luo_in_session_done(void)
{
	u32 i;

	lockdep_assert_held(&luo_mutex);
	if (!luo_in.root || !list_empty(&luo_in_sessions))
		return;
	if (!luo_in.keep) {
		for (i = 0; i < luo_in.nr; i++)
			luo_in_free_files(&luo_in.in[i]);
		/* A hostile root may name itself as its session array. */
		if ((void *)luo_in.sessions != luo_in.root)
			kho_restore_free((void *)luo_in.sessions);
		kho_restore_free(luo_in.root);
	}
	kvfree(luo_in.in);
	luo_in.root = NULL;
}
