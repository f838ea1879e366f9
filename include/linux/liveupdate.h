/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Live Update Orchestrator (LUO): file handlers.
 *
 * A file handler lets LUO preserve one type of file across kexec. Userspace
 * hands LUO a file with LIVEUPDATE_SESSION_PRESERVE_FD; the first registered
 * handler whose can_preserve() accepts it owns it from then on. See
 * Documentation/core-api/kho/luo.rst.
 */
#ifndef _LINUX_LIVEUPDATE_H
#define _LINUX_LIVEUPDATE_H

#include <linux/errno.h>
#include <linux/list.h>
#include <linux/types.h>
#include <uapi/linux/liveupdate.h>

struct file;
struct module;

/* Size of a handler's compatible string, counting the terminating NUL. */
#define LIVEUPDATE_HNDL_COMPAT_LENGTH	48

struct liveupdate_file_handler;

/**
 * struct liveupdate_file_op_args - what a file handler's operation works on
 * @handler: the handler
 * @retrieved: finish(): whether userspace retrieved the file
 * @file: preserve(), unpreserve(), freeze(), unfreeze(): the file;
 *	retrieve(): the handler returns the restored file here
 * @serialized_data: preserve() returns, and freeze() may update, the one
 *	value the next kernel's retrieve() and finish() get back: typically
 *	the physical address of the handler's own preserved state
 * @private_data: the handler's, from preserve() to unpreserve() or the
 *	kexec
 */
struct liveupdate_file_op_args {
	struct liveupdate_file_handler *handler;
	bool retrieved;
	struct file *file;
	u64 serialized_data;
	void *private_data;
};

/**
 * struct liveupdate_file_ops - a file handler's operations
 * @can_preserve: whether the handler takes @file; must not sleep long or
 *	change anything
 * @preserve: preserve the file for the next kernel (KHO preservations);
 *	0 or a negative errno, which PRESERVE_FD returns
 * @unpreserve: undo preserve(); the session was closed before the kexec
 * @freeze: at kexec -e, make the preserved state final; 0 or a negative
 *	errno, which fails the reboot syscall
 * @unfreeze: undo freeze() when a later step of the kexec failed
 * @retrieve: in the next kernel, rebuild the file from @serialized_data
 *	and return it in @file, holding one reference; 0 or a negative errno,
 *	which RETRIEVE_FD returns (the file may be retried)
 * @finish: in the next kernel, the session ends: release what was
 *	preserved and not retrieved (@retrieved is false), or only the
 *	handler's own state
 * @size: optional; the bytes the file keeps preserved, before the kexec
 *	or, in the next kernel, before it is retrieved (debugfs shows it)
 * @owner: the module that implements the handler
 *
 * Every operation runs under LUO's one mutex and must not call back into
 * LUO. All but can_preserve() may sleep.
 */
struct liveupdate_file_ops {
	bool (*can_preserve)(struct liveupdate_file_handler *handler,
			     struct file *file);
	int (*preserve)(struct liveupdate_file_op_args *args);
	void (*unpreserve)(struct liveupdate_file_op_args *args);
	int (*freeze)(struct liveupdate_file_op_args *args);
	void (*unfreeze)(struct liveupdate_file_op_args *args);
	int (*retrieve)(struct liveupdate_file_op_args *args);
	void (*finish)(struct liveupdate_file_op_args *args);
	u64 (*size)(struct liveupdate_file_op_args *args);
	struct module *owner;
};

/**
 * struct liveupdate_file_handler - a type of file LUO can preserve
 * @ops: its operations; all but @freeze and @unfreeze are required
 * @compatible: names the handler and the version of its serialized state,
 *	NUL-terminated; the next kernel gives a file to the handler with the
 *	same string only
 * @list: LUO's, private
 */
struct liveupdate_file_handler {
	const struct liveupdate_file_ops *ops;
	const char compatible[LIVEUPDATE_HNDL_COMPAT_LENGTH];
	struct list_head list;
};

#ifdef CONFIG_LIVEUPDATE
bool liveupdate_enabled(void);
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh);
int liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh);
int liveupdate_reboot(void);
#else
static inline bool liveupdate_enabled(void)
{
	return false;
}

static inline int
liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	return -EOPNOTSUPP;
}

static inline int
liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
	return -EOPNOTSUPP;
}

static inline int liveupdate_reboot(void)
{
	return 0;
}
#endif

#endif /* _LINUX_LIVEUPDATE_H */
