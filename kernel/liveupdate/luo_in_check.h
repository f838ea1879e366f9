/* SPDX-License-Identifier: GPL-2.0-only */
/* The next kernel's checks of the LUO handover (luo_in_check.c). */
#ifndef LINUX_LUO_IN_CHECK_H
#define LINUX_LUO_IN_CHECK_H

#include <linux/kho/abi/luo.h>
#include <linux/types.h>

/* Room for one refusal reason, a session's name included. */
#define LUO_WHY_LEN	192

/*
 * The memory of a block the previous kernel preserved at exactly @phys and
 * this kernel has not restored, with its size in @size; NULL for anything
 * else (kho_in_block() in the kernel, a fake memory map in the harness).
 */
typedef const void *(*luo_block_fn)(u64 phys, size_t *size);

/**
 * struct luo_in_session - a checked incoming session
 * @abi: the session's entry in the previous kernel's array
 * @files: its file array, NULL if it has no file
 * @refused: why the session is dropped; empty if it is accepted
 */
struct luo_in_session {
	const struct luo_abi_session *abi;
	const struct luo_abi_file *files;
	char refused[LUO_WHY_LEN];
};

const char *luo_check_root(const void *blob, size_t size, luo_block_fn block,
			   const struct luo_abi_session **sessions,
			   char *why, size_t len);
int luo_check_sessions(const struct luo_abi_root *root,
		       const struct luo_abi_session *sessions,
		       u64 blob_phys, luo_block_fn block,
		       struct luo_in_session *in);

#endif /* LINUX_LUO_IN_CHECK_H */
