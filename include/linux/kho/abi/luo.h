/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_KHO_ABI_LUO_H
#define _LINUX_KHO_ABI_LUO_H

#include <linux/build_bug.h>
#include <linux/types.h>

/**
 * DOC: Live Update Orchestrator handover (luo-6.12)
 *
 * This header is a versioned contract between a kernel that preserves Live
 * Update sessions and the kernel that kexec boots next. Any change to a
 * structure below, to its size, to a name or to the meaning of a field
 * requires a new %LUO_ABI_VERSION (or a new %LUO_ABI_COMPATIBLE). A kernel
 * that finds another compatible string or version takes no session back.
 *
 * The state is published as the %LUO_KHO_BLOB (``"liveupdate"``) child of
 * the root KHO FDT, with its ``blob-size``, only when at least one session
 * is preserved: a kexec without sessions publishes nothing. Every structure
 * is in the native endianness of the machine, in memory the previous kernel
 * allocated with kho_alloc_preserve(): each array starts at the head of its
 * own preserved block, and the physical addresses below point there.
 *
 * - The blob is one &struct luo_abi_root.
 * - Its @sessions is an array of @nr_sessions &struct luo_abi_session.
 * - Each session's @files is an array of @nr_files &struct luo_abi_file,
 *   or 0 when the session has no file.
 *
 * The next kernel checks the root before it uses any of it: the compatible
 * string and version, that the blob holds the whole root, that
 * @nr_sessions is at most %LUO_ABI_MAX_SESSIONS, and that the session array
 * is a block the previous kernel preserved and holds @nr_sessions entries.
 * Any failure there refuses every session. It then checks each session on
 * its own: a non-empty NUL-terminated name used by no earlier
 * session, @reserved zero, at most %LUO_ABI_MAX_FILES files, a file array
 * that is a preserved block of its own (shared with no other array),
 * holding @nr_files entries, each with a non-empty NUL-terminated handler
 * compatible and a token unique in the session. A session that fails is
 * dropped alone. Refused memory is never given back to the allocator: it
 * stays reserved for the life of that kernel.
 *
 * A file's @data is its handler's, and its handler checks it when the file
 * is retrieved.
 */

/* Name of the blob in the root KHO FDT. */
#define LUO_KHO_BLOB		"liveupdate"
/* The root's compatible string, NUL-padded to LUO_ABI_COMPAT_LENGTH. */
#define LUO_ABI_COMPATIBLE	"luo-6.12"
#define LUO_ABI_COMPAT_LENGTH	32
#define LUO_ABI_VERSION		1
/*
 * The most sessions, and files in a session, a kernel hands over; the next
 * kernel refuses more.
 */
#define LUO_ABI_MAX_SESSIONS	65536
#define LUO_ABI_MAX_FILES	65536
/* Sizes of a session name and a handler compatible, with the NUL. */
#define LUO_ABI_NAME_LENGTH	64
#define LUO_ABI_HNDL_LENGTH	48

/**
 * struct luo_abi_root - the root of the LUO handover, the whole blob
 * @compatible: %LUO_ABI_COMPATIBLE, NUL-padded
 * @version: %LUO_ABI_VERSION
 * @nr_sessions: number of entries of @sessions, at least 1
 * @sessions: physical address of the array of &struct luo_abi_session
 */
struct luo_abi_root {
	char compatible[LUO_ABI_COMPAT_LENGTH];
	u32 version;
	u32 nr_sessions;
	u64 sessions;
};

/**
 * struct luo_abi_session - one preserved session
 * @name: its name, non-empty, NUL-terminated, NUL-padded
 * @files: physical address of the array of &struct luo_abi_file, or 0
 *	when @nr_files is 0
 * @nr_files: number of entries of @files
 * @reserved: zero
 */
struct luo_abi_session {
	char name[LUO_ABI_NAME_LENGTH];
	u64 files;
	u32 nr_files;
	u32 reserved;
};

/**
 * struct luo_abi_file - one preserved file
 * @compatible: the compatible string of the handler that preserved it,
 *	NUL-terminated, NUL-padded
 * @token: the token userspace preserved it with, unique in its session
 * @data: the handler's serialized data
 */
struct luo_abi_file {
	char compatible[LUO_ABI_HNDL_LENGTH];
	u64 token;
	u64 data;
};

static_assert(sizeof(struct luo_abi_root) == 48);
static_assert(sizeof(struct luo_abi_session) == 80);
static_assert(sizeof(struct luo_abi_file) == 64);

#endif /* _LINUX_KHO_ABI_LUO_H */
