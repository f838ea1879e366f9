// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_file.c - file handlers, and the files of LUO sessions
 *
 * A handler registers the type of file it can preserve. PRESERVE_FD gives a
 * file to the first handler whose can_preserve() takes it; the session
 * holds a reference to the file until it is unpreserved or the kexec
 * happens. In the next kernel a file is found by its session and token and
 * given to the handler with the same compatible string. Two hash tables
 * make every lookup O(1): files by (session, token), for both directions,
 * and preserved files by struct file, so that no file is in two sessions.
 * Everything runs under luo_mutex.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "luo_internal.h"

static LIST_HEAD(luo_handlers);

static const struct rhashtable_params luo_by_token_params = {
	.key_len = sizeof(struct luo_file_key),
	.key_offset = offsetof(struct luo_file, key),
	.head_offset = offsetof(struct luo_file, by_token),
	.automatic_shrinking = true,
};

static const struct rhashtable_params luo_by_file_params = {
	.key_len = sizeof(struct file *),
	.key_offset = offsetof(struct luo_file, file),
	.head_offset = offsetof(struct luo_file, by_file),
	.automatic_shrinking = true,
};

static struct rhashtable luo_files_by_token, luo_files_by_file;

int luo_file_tables_init(void)
{
	int err = rhashtable_init(&luo_files_by_token, &luo_by_token_params);

	if (err)
		return err;
	err = rhashtable_init(&luo_files_by_file, &luo_by_file_params);
	if (err)
		rhashtable_destroy(&luo_files_by_token);
	return err;
}

static struct liveupdate_file_handler *luo_handler_find(const char *compat)
{
	struct liveupdate_file_handler *fh;

	list_for_each_entry(fh, &luo_handlers, list) {
		if (!strcmp(fh->compatible, compat))
			return fh;
	}
	return NULL;
}

/**
 * liveupdate_register_file_handler - let LUO preserve a type of file
 * @fh: the handler; it must stay valid until unregistered
 *
 * Handlers are asked in the order they registered. May sleep.
 *
 * Return: 0; -EOPNOTSUPP if LUO is off in this boot; -EINVAL if a required
 * operation is missing or the compatible string is empty or has no NUL;
 * -EEXIST if a handler with the same compatible string is registered.
 */
int liveupdate_register_file_handler(struct liveupdate_file_handler *fh)
{
	const struct liveupdate_file_ops *ops = fh->ops;
	int err = 0;

	if (!liveupdate_enabled())
		return -EOPNOTSUPP;
	if (!ops || !ops->can_preserve || !ops->preserve || !ops->unpreserve ||
	    !ops->retrieve || !ops->finish || !fh->compatible[0] ||
	    !memchr(fh->compatible, '\0', sizeof(fh->compatible)))
		return -EINVAL;

	mutex_lock(&luo_mutex);
	if (luo_handler_find(fh->compatible))
		err = -EEXIST;
	else
		list_add_tail(&fh->list, &luo_handlers);
	mutex_unlock(&luo_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(liveupdate_register_file_handler);

/* Is @fh the handler of any file, in either direction? */
static bool luo_handler_busy(struct liveupdate_file_handler *fh)
{
	struct list_head *heads[] = { &luo_out_sessions, &luo_in_sessions };
	struct luo_session *s;
	struct luo_file *f;
	int i;

	for (i = 0; i < ARRAY_SIZE(heads); i++) {
		list_for_each_entry(s, heads[i], list) {
			list_for_each_entry(f, &s->files, list) {
				if (f->fh == fh)
					return true;
			}
		}
	}
	return false;
}

/**
 * liveupdate_unregister_file_handler - undo liveupdate_register_file_handler()
 * @fh: the handler
 *
 * Return: 0; -ENOENT if @fh is not registered; -EBUSY while a file is
 * preserved through it, or was retrieved through it and its session is
 * not finished.
 */
int liveupdate_unregister_file_handler(struct liveupdate_file_handler *fh)
{
	struct liveupdate_file_handler *cur;
	int err = -ENOENT;

	mutex_lock(&luo_mutex);
	list_for_each_entry(cur, &luo_handlers, list) {
		if (cur != fh)
			continue;
		if (luo_handler_busy(fh)) {
			err = -EBUSY;
		} else {
			list_del_init(&fh->list);
			err = 0;
		}
		break;
	}
	mutex_unlock(&luo_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(liveupdate_unregister_file_handler);

static struct luo_file *luo_file_find(struct luo_session *s, u64 token)
{
	struct luo_file_key key = { .session = s, .token = token };

	return rhashtable_lookup_fast(&luo_files_by_token, &key,
				      luo_by_token_params);
}

static void luo_file_args(struct luo_file *f, struct liveupdate_file_op_args *a)
{
	*a = (struct liveupdate_file_op_args) {
		.handler = f->fh,
		.retrieved = f->retrieved,
		.file = f->file,
		.serialized_data = f->data,
		.private_data = f->private_data,
	};
}

/* Take @f out of the tables and free it; the handler is done with it. */
static void luo_file_free(struct luo_file *f)
{
	struct luo_session *s = f->key.session;

	rhashtable_remove_fast(&luo_files_by_token, &f->by_token,
			       luo_by_token_params);
	if (f->file && !s->incoming)
		rhashtable_remove_fast(&luo_files_by_file, &f->by_file,
				       luo_by_file_params);
	list_del(&f->list);
	s->nr_files--;
	kfree(f);
}

/**
 * luo_file_preserve - LIVEUPDATE_SESSION_PRESERVE_FD
 * @s: an outgoing session
 * @fd: the file descriptor
 * @token: its key in @s
 *
 * Return: 0; -EBADF for a bad @fd; -EEXIST if @token is taken in @s;
 * -EBUSY if the file is preserved already; -ENOENT if no handler takes it;
 * -ENOSPC if @s is full; -ENOMEM; or the handler's error.
 */
int luo_file_preserve(struct luo_session *s, int fd, u64 token)
{
	struct liveupdate_file_handler *fh;
	struct liveupdate_file_op_args args;
	struct file *file;
	struct luo_file *f;
	int err;

	lockdep_assert_held(&luo_mutex);
	file = fget(fd);
	if (!file)
		return -EBADF;
	err = -EEXIST;
	if (luo_file_find(s, token))
		goto out_put;
	err = -EBUSY;
	if (rhashtable_lookup_fast(&luo_files_by_file, &file, luo_by_file_params))
		goto out_put;
	err = -ENOSPC;
	if (s->nr_files >= LUO_MAX_FILES)
		goto out_put;

	err = -ENOENT;
	list_for_each_entry(fh, &luo_handlers, list) {
		if (fh->ops->can_preserve(fh, file)) {
			err = 0;
			break;
		}
	}
	if (err)
		goto out_put;
	err = -ENOENT;
	if (!try_module_get(fh->ops->owner))
		goto out_put;

	err = -ENOMEM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		goto out_module;
	f->fh = fh;
	f->file = file;
	f->key.session = s;
	f->key.token = token;
	luo_file_args(f, &args);
	err = fh->ops->preserve(&args);
	if (err)
		goto out_free;
	f->data = args.serialized_data;
	f->private_data = args.private_data;

	err = rhashtable_insert_fast(&luo_files_by_token, &f->by_token,
				     luo_by_token_params);
	if (err)
		goto out_unpreserve;
	err = rhashtable_insert_fast(&luo_files_by_file, &f->by_file,
				     luo_by_file_params);
	if (err) {
		rhashtable_remove_fast(&luo_files_by_token, &f->by_token,
				       luo_by_token_params);
		goto out_unpreserve;
	}
	list_add_tail(&f->list, &s->files);
	s->nr_files++;
	return 0;

out_unpreserve:
	luo_file_args(f, &args);
	fh->ops->unpreserve(&args);
out_free:
	kfree(f);
out_module:
	module_put(fh->ops->owner);
out_put:
	fput(file);
	return err;
}

/* The session was closed before the kexec: give every file back. */
void luo_file_unpreserve_all(struct luo_session *s)
{
	struct liveupdate_file_op_args args;
	struct luo_file *f, *tmp;

	lockdep_assert_held(&luo_mutex);
	list_for_each_entry_safe(f, tmp, &s->files, list) {
		struct liveupdate_file_handler *fh = f->fh;
		struct file *file = f->file;

		luo_file_args(f, &args);
		fh->ops->unpreserve(&args);
		luo_file_free(f);
		fput(file);
		module_put(fh->ops->owner);
	}
}

/* At kexec -e: freeze() @f, which may update its serialized data. */
int luo_file_freeze(struct luo_file *f)
{
	struct liveupdate_file_op_args args;
	int err;

	if (!f->fh->ops->freeze)
		return 0;
	luo_file_args(f, &args);
	err = f->fh->ops->freeze(&args);
	if (err)
		return err;
	f->data = args.serialized_data;
	f->frozen = true;
	return 0;
}

/* A later step of the kexec failed: undo luo_file_freeze(). */
void luo_file_unfreeze(struct luo_file *f)
{
	struct liveupdate_file_op_args args;

	if (!f->frozen)
		return;
	f->frozen = false;
	if (!f->fh->ops->unfreeze)
		return;
	luo_file_args(f, &args);
	f->fh->ops->unfreeze(&args);
	f->data = args.serialized_data;
}

/**
 * luo_file_add_incoming - a file the previous kernel preserved in @s
 * @s: the incoming session, being built
 * @abi: the file's entry, checked by luo_check_sessions()
 *
 * Its handler is looked up at retrieval, so that it may register later.
 *
 * Return: the file, or NULL without memory.
 */
struct luo_file *luo_file_add_incoming(struct luo_session *s,
				       const struct luo_abi_file *abi)
{
	struct luo_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->key.session = s;
	f->key.token = abi->token;
	f->data = abi->data;
	/* A copy: the array may be gone while the file is held. */
	memcpy(f->compatible, abi->compatible, sizeof(f->compatible));
	if (rhashtable_insert_fast(&luo_files_by_token, &f->by_token,
				   luo_by_token_params)) {
		kfree(f);
		return NULL;
	}
	list_add_tail(&f->list, &s->files);
	s->nr_files++;
	return f;
}

/* The handler of incoming @f, with a module reference; NULL if none. */
static struct liveupdate_file_handler *luo_file_in_handler(struct luo_file *f)
{
	struct liveupdate_file_handler *fh = luo_handler_find(f->compatible);

	if (!fh || !try_module_get(fh->ops->owner))
		return NULL;
	return fh;
}

/**
 * luo_file_retrieve - LIVEUPDATE_SESSION_RETRIEVE_FD
 * @s: an incoming session
 * @token: the file's token
 * @filep: returns the restored file, holding one reference
 *
 * Return: 0; -ENOENT if @s has no file @token, or no handler for it is
 * registered; -EBUSY if it was retrieved already; or the handler's error,
 * after which the file may be retried.
 */
int luo_file_retrieve(struct luo_session *s, u64 token, struct file **filep)
{
	struct liveupdate_file_op_args args;
	struct liveupdate_file_handler *fh;
	struct luo_file *f;
	int err;

	lockdep_assert_held(&luo_mutex);
	f = luo_file_find(s, token);
	if (!f)
		return -ENOENT;
	if (f->retrieved)
		return -EBUSY;
	fh = luo_file_in_handler(f);
	if (!fh) {
		pr_warn("session \"%s\": no handler \"%s\" for file %#llx\n",
			s->name, f->compatible, token);
		return -ENOENT;
	}
	args = (struct liveupdate_file_op_args) {
		.handler = fh,
		.serialized_data = f->data,
	};
	err = fh->ops->retrieve(&args);
	if (err) {
		module_put(fh->ops->owner);
		return err;
	}
	/* The module reference is dropped when the session finishes. */
	f->fh = fh;
	f->retrieved = true;
	*filep = args.file;
	return 0;
}

/**
 * luo_file_size - what @f keeps preserved, as its handler counts it
 * @f: an outgoing file, or an incoming one not retrieved
 * @size: returns the bytes
 *
 * Return: 0; -ENOENT if the handler does not say, or is not registered.
 */
int luo_file_size(struct luo_file *f, u64 *size)
{
	struct liveupdate_file_handler *fh = f->fh;
	struct liveupdate_file_op_args args;

	lockdep_assert_held(&luo_mutex);
	if (f->retrieved)
		return -ENOENT;
	if (!fh)
		fh = luo_handler_find(f->compatible);
	if (!fh || !fh->ops->size)
		return -ENOENT;
	luo_file_args(f, &args);
	args.handler = fh;
	*size = fh->ops->size(&args);
	return 0;
}

/*
 * FINISH: the handler releases what was not retrieved, and its own state.
 * A file whose handler never registered stays reserved, as it is.
 */
void luo_file_finish_all(struct luo_session *s)
{
	struct liveupdate_file_op_args args;
	struct luo_file *f, *tmp;

	lockdep_assert_held(&luo_mutex);
	list_for_each_entry_safe(f, tmp, &s->files, list) {
		struct liveupdate_file_handler *fh = f->fh;

		if (!fh)
			fh = luo_file_in_handler(f);
		if (fh) {
			args = (struct liveupdate_file_op_args) {
				.handler = fh,
				.retrieved = f->retrieved,
				.serialized_data = f->data,
			};
			fh->ops->finish(&args);
			module_put(fh->ops->owner);
		} else {
			pr_warn("session \"%s\": no handler \"%s\" for file %#llx; its memory stays reserved\n",
				s->name, f->compatible, f->key.token);
		}
		luo_file_free(f);
	}
}

/*
 * An incoming session that cannot be built: forget its files without
 * asking any handler; their memory stays reserved.
 */
void luo_file_drop_all(struct luo_session *s)
{
	struct luo_file *f, *tmp;

	lockdep_assert_held(&luo_mutex);
	list_for_each_entry_safe(f, tmp, &s->files, list)
		luo_file_free(f);
}
