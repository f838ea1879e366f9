/* SPDX-License-Identifier: GPL-2.0-only */
/* The Live Update Orchestrator's shared state (kernel/liveupdate/luo_*.c). */
#ifndef LINUX_LUO_INTERNAL_H
#define LINUX_LUO_INTERNAL_H

#include <linux/kho/abi/luo.h>
#include <linux/liveupdate.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

/*
 * Limits that keep each serialized array in one kho_alloc_preserve()
 * block: a MAX_PAGE_ORDER folio.
 */
#define LUO_MAX_SESSIONS	min(LUO_ABI_MAX_SESSIONS, \
				    (PAGE_SIZE << MAX_PAGE_ORDER) / sizeof(struct luo_abi_session))
#define LUO_MAX_FILES		min(LUO_ABI_MAX_FILES, \
				    (PAGE_SIZE << MAX_PAGE_ORDER) / sizeof(struct luo_abi_file))

/* What a file is found by in its session. */
struct luo_file_key {
	struct luo_session *session;
	u64 token;
};

/**
 * struct luo_file - a file of a session
 * @fh: its handler
 * @file: outgoing: the preserved file, with a reference; incoming: NULL
 * @key: its session and userspace's token, unique in the session
 * @data: the handler's serialized data
 * @private_data: the handler's, while preserved
 * @compatible: incoming: the handler's compatible, copied from the previous
 *	kernel's file array
 * @frozen: outgoing: freeze() succeeded in the current kexec attempt
 * @retrieved: incoming: RETRIEVE_FD gave it out
 * @list: in the session's @files
 * @by_token: in the table of files by @key
 * @by_file: outgoing: in the table of preserved files, by @file
 */
struct luo_file {
	struct liveupdate_file_handler *fh;
	struct file *file;
	struct luo_file_key key;
	u64 data;
	void *private_data;
	char compatible[LUO_ABI_HNDL_LENGTH];
	bool frozen;
	bool retrieved;
	struct list_head list;
	struct rhash_head by_token;
	struct rhash_head by_file;
};

/**
 * struct luo_session - a session, outgoing (to be preserved) or incoming
 *	(preserved by the previous kernel)
 * @name: NUL-padded, so that the whole array is the hash key
 * @incoming: preserved by the previous kernel
 * @finished: incoming: FINISH ended it; only its open fds keep it
 * @fd_open: a file of the session exists (incoming: at most one)
 * @nr_files: entries of @files
 * @files: its &struct luo_file
 * @list: in luo_out_sessions or luo_in_sessions
 * @by_name: in luo_sessions_out or luo_sessions_in, by @name
 */
struct luo_session {
	char name[LUO_ABI_NAME_LENGTH];
	bool incoming;
	bool finished;
	bool fd_open;
	u32 nr_files;
	struct list_head files;
	struct list_head list;
	struct rhash_head by_name;
};

/* Serializes everything LUO does; handler operations run under it. */
extern struct mutex luo_mutex;
extern struct list_head luo_out_sessions, luo_in_sessions;
extern u32 luo_nr_out_sessions;
/* The outgoing state is serialized: a kexec is under way. */
extern bool luo_frozen;

/* luo_core.c */
int luo_ioctl_arg(void *arg, size_t size, void __user *uarg);

/* luo_session.c */
int luo_session_tables_init(void);
int luo_session_create(const char *name, struct file **filep);
int luo_session_retrieve(const char *name, struct file **filep);
struct luo_session *luo_session_new_incoming(const char *name, u32 nr_files);
void luo_session_free(struct luo_session *s);

/* luo_file.c */
int luo_file_tables_init(void);
int luo_file_preserve(struct luo_session *s, int fd, u64 token);
void luo_file_unpreserve_all(struct luo_session *s);
int luo_file_retrieve(struct luo_session *s, u64 token, struct file **filep);
void luo_file_finish_all(struct luo_session *s);
void luo_file_drop_all(struct luo_session *s);
int luo_file_size(struct luo_file *f, u64 *size);
struct luo_file *luo_file_add_incoming(struct luo_session *s,
				       const struct luo_abi_file *abi);
int luo_file_freeze(struct luo_file *f);
void luo_file_unfreeze(struct luo_file *f);

/* luo_in.c */
void luo_in_load(void);
void luo_in_session_done(void);

/* luo_out.c */
int luo_out_serialize(void);

/* luo_debugfs.c */
void luo_debugfs_init(void);
struct dentry *luo_debugfs_dir(void);

#ifdef CONFIG_KEXEC_HANDOVER_DEBUG
void luo_debug_corrupt(struct luo_abi_root *root);
#else
static inline void luo_debug_corrupt(struct luo_abi_root *root) { }
#endif

#endif /* LINUX_LUO_INTERNAL_H */
