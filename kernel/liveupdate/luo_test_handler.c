// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_test_handler.c - a LUO file handler for testing the core
 *
 * Test only (CONFIG_LIVEUPDATE_TEST_HANDLER). It takes memfds whose name
 * starts with "luo-test" and copies their bytes (at most 1 MiB) into
 * preserved memory when the kexec freezes them; in the next kernel it gives
 * back a shmem file with the same bytes. So the core can be tested end to
 * end without a real file type, including failures: the freeze of a memfd
 * named "luo-test-fail-freeze" fails with -EIO, which cancels the kexec.
 */

#define pr_fmt(fmt) "luo_test: " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec_handover.h>
#include <linux/liveupdate.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "kexec_handover_internal.h"

#define LUO_TEST_PREFIX		"memfd:luo-test"
#define LUO_TEST_FAIL_FREEZE	"memfd:luo-test-fail-freeze"
#define LUO_TEST_MAX		SZ_1M
#define LUO_TEST_MAGIC		0x4c554f54	/* "LUOT" */

/* The preserved state: this header, then the bytes. */
struct luo_test_state {
	u32 magic;
	u32 size;
};

static bool luo_test_can_preserve(struct liveupdate_file_handler *fh,
				  struct file *file)
{
	return shmem_file(file) &&
	       !strncmp(file_dentry(file)->d_name.name, LUO_TEST_PREFIX,
			strlen(LUO_TEST_PREFIX));
}

static int luo_test_preserve(struct liveupdate_file_op_args *args)
{
	if (i_size_read(file_inode(args->file)) > LUO_TEST_MAX)
		return -EFBIG;
	args->serialized_data = 0;
	return 0;
}

static void luo_test_unpreserve(struct liveupdate_file_op_args *args)
{
}

/* Copy the bytes as they are now into a preserved block. */
static int luo_test_freeze(struct liveupdate_file_op_args *args)
{
	struct file *file = args->file;
	loff_t size = i_size_read(file_inode(file)), pos = 0;
	struct luo_test_state *st;
	ssize_t got;

	if (!strcmp(file_dentry(file)->d_name.name, LUO_TEST_FAIL_FREEZE))
		return -EIO;
	if (size > LUO_TEST_MAX)
		return -EFBIG;
	st = kho_alloc_preserve(sizeof(*st) + size);
	if (IS_ERR(st))
		return PTR_ERR(st);
	got = size ? kernel_read(file, st + 1, size, &pos) : 0;
	if (got != size) {
		kho_unpreserve_free(st);
		return got < 0 ? got : -EIO;
	}
	st->magic = LUO_TEST_MAGIC;
	st->size = size;
	args->serialized_data = virt_to_phys(st);
	return 0;
}

static void luo_test_unfreeze(struct liveupdate_file_op_args *args)
{
	kho_unpreserve_free(phys_to_virt(args->serialized_data));
	args->serialized_data = 0;
}

/* The previous kernel's state at @phys, checked; NULL if it is not. */
static const struct luo_test_state *luo_test_state(u64 phys)
{
	const struct luo_test_state *st;
	size_t size;

	st = kho_in_block(phys, &size);
	if (!st || size < sizeof(*st) || st->magic != LUO_TEST_MAGIC ||
	    st->size > size - sizeof(*st))
		return NULL;
	return st;
}

static int luo_test_retrieve(struct liveupdate_file_op_args *args)
{
	const struct luo_test_state *st = luo_test_state(args->serialized_data);
	struct file *file;
	loff_t pos = 0;
	ssize_t put;

	if (!st) {
		pr_warn("file state at %#llx is not a test state the previous kernel preserved\n",
			args->serialized_data);
		return -EINVAL;
	}
	/* Named as a memfd this handler takes, so it can be preserved again. */
	file = shmem_file_setup("memfd:luo-test", st->size, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	/* As memfd_create() sets them. */
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	put = st->size ? kernel_write(file, st + 1, st->size, &pos) : 0;
	if (put != st->size) {
		fput(file);
		return put < 0 ? put : -EIO;
	}
	kho_restore_free((void *)st);
	args->file = file;
	return 0;
}

static void luo_test_finish(struct liveupdate_file_op_args *args)
{
	if (!args->retrieved && luo_test_state(args->serialized_data))
		kho_restore_free(phys_to_virt(args->serialized_data));
}

static u64 luo_test_size(struct liveupdate_file_op_args *args)
{
	const struct luo_test_state *st;

	if (args->file)
		return i_size_read(file_inode(args->file));
	st = luo_test_state(args->serialized_data);
	return st ? st->size : 0;
}

static const struct liveupdate_file_ops luo_test_ops = {
	.can_preserve = luo_test_can_preserve,
	.preserve = luo_test_preserve,
	.unpreserve = luo_test_unpreserve,
	.freeze = luo_test_freeze,
	.unfreeze = luo_test_unfreeze,
	.retrieve = luo_test_retrieve,
	.finish = luo_test_finish,
	.size = luo_test_size,
	.owner = THIS_MODULE,
};

static struct liveupdate_file_handler luo_test_handler = {
	.ops = &luo_test_ops,
	.compatible = "test-luo-v1",
};

static int __init luo_test_init(void)
{
	int err;

	if (!liveupdate_enabled())
		return 0;
	err = liveupdate_register_file_handler(&luo_test_handler);
	if (err)
		pr_err("cannot register the test handler: %d\n", err);
	return 0;
}

/* Before handlers of real file types, which may take memfds too. */
fs_initcall_sync(luo_test_init);
