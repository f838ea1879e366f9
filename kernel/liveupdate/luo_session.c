// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_session.c - LUO sessions and their file descriptors
 *
 * An outgoing session is created by name and lives as long as a file of it
 * is open: closing the last one before the kexec unpreserves its files. An
 * incoming session is one the previous kernel preserved; RETRIEVE_SESSION
 * opens it (once at a time), RETRIEVE_FD takes its files back, and FINISH
 * ends it. Incoming and outgoing names are separate: a session retrieved
 * here can be created anew for the next kernel under its own name. Names
 * are looked up in hash tables; everything runs under luo_mutex.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

LIST_HEAD(luo_out_sessions);
LIST_HEAD(luo_in_sessions);
u32 luo_nr_out_sessions;

static const struct rhashtable_params luo_by_name_params = {
	.key_len = LUO_ABI_NAME_LENGTH,
	.key_offset = offsetof(struct luo_session, name),
	.head_offset = offsetof(struct luo_session, by_name),
	.automatic_shrinking = true,
};

static struct rhashtable luo_sessions_out, luo_sessions_in;

int luo_session_tables_init(void)
{
	int err = rhashtable_init(&luo_sessions_out, &luo_by_name_params);

	if (err)
		return err;
	err = rhashtable_init(&luo_sessions_in, &luo_by_name_params);
	if (err)
		rhashtable_destroy(&luo_sessions_out);
	return err;
}

static struct luo_session *luo_session_find(struct rhashtable *ht,
					    const char *name)
{
	char key[LUO_ABI_NAME_LENGTH];

	strscpy_pad(key, name, sizeof(key));
	return rhashtable_lookup_fast(ht, key, luo_by_name_params);
}

static struct luo_session *luo_session_alloc(const char *name, bool incoming)
{
	struct luo_session *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	strscpy_pad(s->name, name, sizeof(s->name));
	s->incoming = incoming;
	INIT_LIST_HEAD(&s->files);
	return s;
}

/* Out of its table and list; its files are gone already. */
static void luo_session_unlink(struct luo_session *s)
{
	rhashtable_remove_fast(s->incoming ? &luo_sessions_in : &luo_sessions_out,
			       &s->by_name, luo_by_name_params);
	list_del_init(&s->list);
	if (!s->incoming)
		luo_nr_out_sessions--;
}

/* Drop an incoming session that could not be built; its memory stays. */
void luo_session_free(struct luo_session *s)
{
	luo_file_drop_all(s);
	luo_session_unlink(s);
	kfree(s);
}

/**
 * luo_session_new_incoming - add a session the previous kernel preserved
 * @name: its name, checked (NUL-terminated, not in use)
 * @nr_files: unused; its files are added with luo_file_add_incoming()
 *
 * Return: the session, or NULL without memory or if @name is taken.
 */
struct luo_session *luo_session_new_incoming(const char *name, u32 nr_files)
{
	struct luo_session *s = luo_session_alloc(name, true);

	if (!s)
		return NULL;
	if (rhashtable_lookup_insert_fast(&luo_sessions_in, &s->by_name,
					  luo_by_name_params)) {
		kfree(s);
		return NULL;
	}
	list_add_tail(&s->list, &luo_in_sessions);
	return s;
}

static int luo_session_release(struct inode *inode, struct file *file)
{
	struct luo_session *s = file->private_data;

	mutex_lock(&luo_mutex);
	if (s->incoming) {
		s->fd_open = false;
		if (s->finished)
			kfree(s);
	} else if (!luo_frozen) {
		/* Not after the freeze: the next kernel is promised them. */
		luo_file_unpreserve_all(s);
		luo_session_unlink(s);
		kfree(s);
	}
	mutex_unlock(&luo_mutex);
	return 0;
}

static long luo_session_preserve_fd(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_preserve_fd arg;
	int err = luo_ioctl_arg(&arg, sizeof(arg), uarg);

	if (err)
		return err;
	if (s->incoming)
		return -EPERM;
	if (luo_frozen)
		return -EBUSY;
	return luo_file_preserve(s, arg.fd, arg.token);
}

static long luo_session_retrieve_fd(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_retrieve_fd arg;
	struct file *file;
	int err = luo_ioctl_arg(&arg, sizeof(arg), uarg);

	if (err)
		return err;
	if (!s->incoming)
		return -EPERM;
	arg.fd = get_unused_fd_flags(O_CLOEXEC);
	if (arg.fd < 0)
		return arg.fd;
	err = -EFAULT;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		goto out_fd;
	err = luo_file_retrieve(s, arg.token, &file);
	if (err)
		goto out_fd;
	fd_install(arg.fd, file);
	return 0;

out_fd:
	put_unused_fd(arg.fd);
	return err;
}

static long luo_session_finish(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_finish arg;
	int err = luo_ioctl_arg(&arg, sizeof(arg), uarg);

	if (err)
		return err;
	if (arg.reserved)
		return -EINVAL;
	if (!s->incoming)
		return -EPERM;
	luo_file_finish_all(s);
	luo_session_unlink(s);
	s->finished = true;
	pr_info("session \"%s\" finished\n", s->name);
	luo_in_session_done();
	return 0;
}

static long luo_session_get_name(struct luo_session *s, void __user *uarg)
{
	struct liveupdate_session_get_name arg;
	int err = luo_ioctl_arg(&arg, sizeof(arg), uarg);

	if (err)
		return err;
	if (arg.reserved)
		return -EINVAL;
	memcpy(arg.name, s->name, sizeof(arg.name));
	return copy_to_user(uarg, &arg, sizeof(arg)) ? -EFAULT : 0;
}

static long luo_session_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct luo_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	mutex_lock(&luo_mutex);
	if (s->finished) {
		ret = -ENOENT;
		goto out;
	}
	switch (cmd) {
	case LIVEUPDATE_SESSION_PRESERVE_FD:
		ret = luo_session_preserve_fd(s, uarg);
		break;
	case LIVEUPDATE_SESSION_RETRIEVE_FD:
		ret = luo_session_retrieve_fd(s, uarg);
		break;
	case LIVEUPDATE_SESSION_FINISH:
		ret = luo_session_finish(s, uarg);
		break;
	case LIVEUPDATE_SESSION_GET_NAME:
		ret = luo_session_get_name(s, uarg);
		break;
	default:
		ret = -ENOTTY;
	}
out:
	mutex_unlock(&luo_mutex);
	return ret;
}

static const struct file_operations luo_session_fops = {
	.owner = THIS_MODULE,
	.release = luo_session_release,
	.unlocked_ioctl = luo_session_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* A new file of @s, and a close-on-exec descriptor to install it at. */
static int luo_session_file(struct luo_session *s, struct file **filep)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	if (fd < 0)
		return fd;
	*filep = anon_inode_getfile("[liveupdate_session]", &luo_session_fops,
				    s, O_RDWR);
	if (IS_ERR(*filep)) {
		put_unused_fd(fd);
		return PTR_ERR(*filep);
	}
	return fd;
}

/**
 * luo_session_create - LIVEUPDATE_IOCTL_CREATE_SESSION
 * @name: the name, checked: non-empty and NUL-terminated
 * @filep: returns the session's file, to install at the returned fd
 *
 * Return: a reserved file descriptor; -EEXIST if an outgoing session has
 * @name; -ENOSPC at %LUO_MAX_SESSIONS; -EBUSY during a kexec; -ENOMEM.
 */
int luo_session_create(const char *name, struct file **filep)
{
	struct luo_session *s;
	int fd, err;

	lockdep_assert_held(&luo_mutex);
	if (luo_frozen)
		return -EBUSY;
	if (luo_session_find(&luo_sessions_out, name))
		return -EEXIST;
	if (luo_nr_out_sessions >= LUO_MAX_SESSIONS)
		return -ENOSPC;
	s = luo_session_alloc(name, false);
	if (!s)
		return -ENOMEM;
	err = rhashtable_insert_fast(&luo_sessions_out, &s->by_name,
				     luo_by_name_params);
	if (err)
		goto out_free;
	fd = luo_session_file(s, filep);
	if (fd < 0) {
		err = fd;
		rhashtable_remove_fast(&luo_sessions_out, &s->by_name,
				       luo_by_name_params);
		goto out_free;
	}
	list_add_tail(&s->list, &luo_out_sessions);
	luo_nr_out_sessions++;
	return fd;

out_free:
	kfree(s);
	return err;
}

/**
 * luo_session_retrieve - LIVEUPDATE_IOCTL_RETRIEVE_SESSION
 * @name: the name, checked: non-empty and NUL-terminated
 * @filep: returns the session's file, to install at the returned fd
 *
 * Return: a reserved file descriptor; -ENOENT if no incoming session has
 * @name (or it was finished); -EBUSY if a file of it is open; -ENOMEM.
 */
int luo_session_retrieve(const char *name, struct file **filep)
{
	struct luo_session *s;
	int fd;

	lockdep_assert_held(&luo_mutex);
	s = luo_session_find(&luo_sessions_in, name);
	if (!s)
		return -ENOENT;
	if (s->fd_open)
		return -EBUSY;
	fd = luo_session_file(s, filep);
	if (fd >= 0)
		s->fd_open = true;
	return fd;
}
