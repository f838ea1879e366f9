// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_core.c - the Live Update Orchestrator: /dev/liveupdate
 *
 * LUO lets userspace keep files across kexec. A process opens
 * /dev/liveupdate (one opener at a time), creates named sessions and
 * preserves file descriptors in them (luo_session.c, luo_file.c). At kexec
 * -e, the reboot syscall freezes every preserved file and publishes the
 * sessions through KHO (luo_out.c); the next kernel checks what it was
 * given (luo_in.c), and userspace there retrieves each session by name and
 * each file by token. LUO runs when the kernel is booted with
 * liveupdate=on and KHO is on. Documentation/userspace-api/liveupdate.rst
 * describes the interface.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/kexec_handover.h>
#include <linux/liveupdate.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

/* Everything LUO does runs under it, handler operations included. */
DEFINE_MUTEX(luo_mutex);
bool luo_frozen;

static bool luo_param;
static bool luo_enabled;
static atomic_t luo_device_busy = ATOMIC_INIT(0);

static int __init luo_setup(char *arg)
{
	return kstrtobool(arg, &luo_param);
}
early_param("liveupdate", luo_setup);

/**
 * liveupdate_enabled - whether LUO runs in this boot
 *
 * Return: true once LUO is up: the kernel was booted with liveupdate=on
 * and KHO is on.
 */
bool liveupdate_enabled(void)
{
	return luo_enabled;
}
EXPORT_SYMBOL_GPL(liveupdate_enabled);

/**
 * luo_ioctl_arg - read an ioctl's extensible argument
 * @arg: where to put it
 * @size: its size, the first (and only) version this kernel knows
 * @uarg: the user pointer; the struct starts with its __u32 size
 *
 * Return: 0; -EFAULT; -EINVAL if the size userspace gives is below @size;
 * -E2BIG if bytes past @size are not zero.
 */
int luo_ioctl_arg(void *arg, size_t size, void __user *uarg)
{
	u32 usize;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < size)
		return -EINVAL;
	return copy_struct_from_user(arg, size, uarg, usize);
}

/* A session name from userspace: non-empty and NUL-terminated. */
static bool luo_name_ok(const u8 *name)
{
	return name[0] && memchr(name, '\0', LIVEUPDATE_SESSION_NAME_LENGTH);
}

/*
 * CREATE_SESSION and RETRIEVE_SESSION share a layout: both give an fd for
 * a session found or made by name.
 */
static long luo_ioctl_session(void __user *uarg, bool create)
{
	struct liveupdate_ioctl_create_session arg;
	struct file *file;
	int err = luo_ioctl_arg(&arg, sizeof(arg), uarg);

	static_assert(sizeof(struct liveupdate_ioctl_create_session) ==
		      sizeof(struct liveupdate_ioctl_retrieve_session));
	if (err)
		return err;
	if (!luo_name_ok(arg.name))
		return -EINVAL;

	mutex_lock(&luo_mutex);
	arg.fd = create ? luo_session_create(arg.name, &file) :
			  luo_session_retrieve(arg.name, &file);
	mutex_unlock(&luo_mutex);
	if (arg.fd < 0)
		return arg.fd;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		put_unused_fd(arg.fd);
		/* Its release undoes the session's creation, or opening. */
		fput(file);
		return -EFAULT;
	}
	fd_install(arg.fd, file);
	return 0;
}

static long luo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case LIVEUPDATE_IOCTL_CREATE_SESSION:
		return luo_ioctl_session(uarg, true);
	case LIVEUPDATE_IOCTL_RETRIEVE_SESSION:
		return luo_ioctl_session(uarg, false);
	default:
		return -ENOTTY;
	}
}

static int luo_open(struct inode *inode, struct file *file)
{
	if (atomic_cmpxchg(&luo_device_busy, 0, 1))
		return -EBUSY;
	return 0;
}

static int luo_release(struct inode *inode, struct file *file)
{
	atomic_set(&luo_device_busy, 0);
	return 0;
}

static const struct file_operations luo_fops = {
	.owner = THIS_MODULE,
	.open = luo_open,
	.release = luo_release,
	.unlocked_ioctl = luo_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice luo_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "liveupdate",
	.fops = &luo_fops,
};

/**
 * liveupdate_reboot - freeze and publish the sessions at kexec -e
 *
 * Called by kernel_kexec() before anything is shut down. With no outgoing
 * session it does nothing. Otherwise every preserved file is frozen and
 * the sessions are published through KHO; after that, closing a session
 * changes nothing.
 *
 * Return: 0, or the error of the step that failed, which fails the reboot
 * syscall: the sessions are then as they were before. -EINVAL if there are
 * sessions and the next kernel was loaded with kexec_load(), which carries
 * no handover.
 */
int liveupdate_reboot(void)
{
	int err = 0;

	if (!luo_enabled)
		return 0;
	mutex_lock(&luo_mutex);
	if (luo_nr_out_sessions && !luo_frozen && !kexec_image->file_mode) {
		pr_err("the next kernel was loaded with kexec_load, which hands nothing over; load it with kexec_file_load (kexec -s) to keep the %u sessions\n",
		       luo_nr_out_sessions);
		err = -EINVAL;
	}
	if (!err)
		err = luo_out_serialize();
	mutex_unlock(&luo_mutex);
	return err;
}

static int __init luo_init(void)
{
	int err;

	if (!luo_param)
		return 0;
	if (!kho_is_enabled()) {
		pr_warn("liveupdate=on needs KHO: boot with kho=on as well; live update is off\n");
		return 0;
	}
	err = luo_session_tables_init();
	if (!err) {
		err = luo_file_tables_init();
		if (err)
			pr_err("cannot allocate the file tables: %d; live update is off\n",
			       err);
	} else {
		pr_err("cannot allocate the session tables: %d; live update is off\n",
		       err);
	}
	if (err)
		return 0;

	luo_enabled = true;
	luo_debugfs_init();
	mutex_lock(&luo_mutex);
	luo_in_load();
	mutex_unlock(&luo_mutex);

	err = misc_register(&luo_miscdev);
	if (err) {
		pr_err("cannot register /dev/liveupdate: %d\n", err);
		return 0;
	}
	pr_info("/dev/liveupdate is ready\n");
	return 0;
}

/* Before device and module handlers register, after KHO's own setup. */
fs_initcall(luo_init);
