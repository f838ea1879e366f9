// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_debug.c - corrupt the outgoing LUO state, to test the next kernel
 *
 * Test only (CONFIG_KEXEC_HANDOVER_DEBUG). Writing the name of a
 * corruption to debugfs liveupdate/debug_corrupt arms it, "none" disarms;
 * reading the file lists them all, the armed one marked with '*'. It is applied once the
 * sessions are serialized at kexec -e, to the state the next kernel reads.
 * The session and file ones need at least two sessions, the first with at
 * least two files. Documentation/core-api/kho/hostile.rst lists what the
 * next kernel must answer to each.
 */

#define pr_fmt(fmt) "liveupdate: " fmt

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "luo_internal.h"

struct luo_corruption {
	const char *name;
	/* Sessions and files it needs. */
	u32 sessions, files;
	void (*apply)(struct luo_abi_root *root, struct luo_abi_session *s,
		      struct luo_abi_file *f);
};

/* An address no machine we boot has RAM at: 1 GiB past the end. */
static u64 luo_debug_no_ram(void)
{
	return ALIGN(PFN_PHYS(max_pfn), SZ_1G) + SZ_1G;
}

/* A page of RAM this kernel does not preserve. */
static u64 luo_debug_unpreserved(void)
{
	unsigned long page = __get_free_page(GFP_KERNEL);

	/* Leaked on purpose: the kexec follows. */
	return page ? virt_to_phys((void *)page) : luo_debug_no_ram();
}

static void c_compat(struct luo_abi_root *r, struct luo_abi_session *s,
		     struct luo_abi_file *f)
{
	strscpy_pad(r->compatible, "luo-6.11", sizeof(r->compatible));
}

static void c_compat_nul(struct luo_abi_root *r, struct luo_abi_session *s,
			 struct luo_abi_file *f)
{
	memset(r->compatible, 'x', sizeof(r->compatible));
}

static void c_version(struct luo_abi_root *r, struct luo_abi_session *s,
		      struct luo_abi_file *f)
{
	r->version = LUO_ABI_VERSION + 1;
}

static void c_no_sessions(struct luo_abi_root *r, struct luo_abi_session *s,
			  struct luo_abi_file *f)
{
	r->nr_sessions = 0;
}

/* One entry more than the block at @p holds. */
static u32 luo_debug_past(const void *p, size_t entry)
{
	return folio_size(virt_to_folio(p)) / entry + 1;
}

static void c_sessions_count(struct luo_abi_root *r, struct luo_abi_session *s,
			     struct luo_abi_file *f)
{
	r->nr_sessions = luo_debug_past(s, sizeof(*s));
}

static void c_sessions_max(struct luo_abi_root *r, struct luo_abi_session *s,
			   struct luo_abi_file *f)
{
	r->nr_sessions = LUO_ABI_MAX_SESSIONS + 1;
}

static void c_sessions_not_ram(struct luo_abi_root *r,
			       struct luo_abi_session *s, struct luo_abi_file *f)
{
	r->sessions = luo_debug_no_ram();
}

static void c_sessions_unpreserved(struct luo_abi_root *r,
				   struct luo_abi_session *s,
				   struct luo_abi_file *f)
{
	r->sessions = luo_debug_unpreserved();
}

static void c_name_nul(struct luo_abi_root *r, struct luo_abi_session *s,
		       struct luo_abi_file *f)
{
	memset(s[0].name, 'x', sizeof(s[0].name));
}

static void c_name_empty(struct luo_abi_root *r, struct luo_abi_session *s,
			 struct luo_abi_file *f)
{
	memset(s[0].name, 0, sizeof(s[0].name));
}

static void c_name_dup(struct luo_abi_root *r, struct luo_abi_session *s,
		       struct luo_abi_file *f)
{
	memcpy(s[1].name, s[0].name, sizeof(s[1].name));
}

static void c_reserved(struct luo_abi_root *r, struct luo_abi_session *s,
		       struct luo_abi_file *f)
{
	s[0].reserved = 1;
}

static void c_files_count(struct luo_abi_root *r, struct luo_abi_session *s,
			  struct luo_abi_file *f)
{
	s[0].nr_files = luo_debug_past(f, sizeof(*f));
}

static void c_files_not_ram(struct luo_abi_root *r, struct luo_abi_session *s,
			    struct luo_abi_file *f)
{
	s[0].files = luo_debug_no_ram();
}

static void c_files_shared(struct luo_abi_root *r, struct luo_abi_session *s,
			   struct luo_abi_file *f)
{
	s[1].files = s[0].files;
}

static void c_files_root(struct luo_abi_root *r, struct luo_abi_session *s,
			 struct luo_abi_file *f)
{
	s[0].files = r->sessions;
}

static void c_token_dup(struct luo_abi_root *r, struct luo_abi_session *s,
			struct luo_abi_file *f)
{
	f[1].token = f[0].token;
}

static void c_handler_nul(struct luo_abi_root *r, struct luo_abi_session *s,
			  struct luo_abi_file *f)
{
	memset(f[0].compatible, 'x', sizeof(f[0].compatible));
}

static void c_handler_unknown(struct luo_abi_root *r,
			      struct luo_abi_session *s, struct luo_abi_file *f)
{
	strscpy_pad(f[0].compatible, "no-such-handler-v1",
		    sizeof(f[0].compatible));
}

static const struct luo_corruption luo_corruptions[] = {
	{ "luo-compatible", 0, 0, c_compat },
	{ "luo-compatible-nul", 0, 0, c_compat_nul },
	{ "luo-version", 0, 0, c_version },
	{ "luo-no-sessions", 0, 0, c_no_sessions },
	{ "luo-sessions-count", 0, 0, c_sessions_count },
	{ "luo-sessions-max", 0, 0, c_sessions_max },
	{ "luo-sessions-not-ram", 0, 0, c_sessions_not_ram },
	{ "luo-sessions-unpreserved", 0, 0, c_sessions_unpreserved },
	{ "luo-name-nul", 1, 0, c_name_nul },
	{ "luo-name-empty", 1, 0, c_name_empty },
	{ "luo-name-dup", 2, 0, c_name_dup },
	{ "luo-reserved", 1, 0, c_reserved },
	{ "luo-files-count", 1, 1, c_files_count },
	{ "luo-files-not-ram", 1, 1, c_files_not_ram },
	{ "luo-files-shared", 2, 1, c_files_shared },
	{ "luo-files-root", 1, 1, c_files_root },
	{ "luo-token-dup", 1, 2, c_token_dup },
	{ "luo-handler-nul", 1, 1, c_handler_nul },
	{ "luo-handler-unknown", 1, 1, c_handler_unknown },
};

static const struct luo_corruption *luo_armed;

/**
 * luo_debug_corrupt - apply the armed corruption to the serialized state
 * @root: the root, just published
 */
void luo_debug_corrupt(struct luo_abi_root *root)
{
	const struct luo_corruption *c = luo_armed;
	struct luo_abi_session *s = phys_to_virt(root->sessions);
	struct luo_abi_file *f = NULL;

	if (!c)
		return;
	if (root->nr_sessions < c->sessions ||
	    (c->files && s[0].nr_files < c->files)) {
		pr_warn("debug: %s needs %u sessions, the first with %u files; not applied\n",
			c->name, c->sessions, c->files);
		return;
	}
	if (c->files)
		f = phys_to_virt(s[0].files);
	c->apply(root, s, f);
	pr_info("debug: applied %s\n", c->name);
}

static int luo_debug_show(struct seq_file *m, void *v)
{
	int i;

	mutex_lock(&luo_mutex);
	for (i = 0; i < ARRAY_SIZE(luo_corruptions); i++)
		seq_printf(m, "%c %s\n",
			   luo_armed == &luo_corruptions[i] ? '*' : ' ',
			   luo_corruptions[i].name);
	mutex_unlock(&luo_mutex);
	return 0;
}

static ssize_t luo_debug_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char name[32];
	int i;

	if (len >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, len))
		return -EFAULT;
	name[len] = '\0';
	strim(name);
	if (!strcmp(name, "none")) {
		mutex_lock(&luo_mutex);
		luo_armed = NULL;
		mutex_unlock(&luo_mutex);
		return len;
	}
	for (i = 0; i < ARRAY_SIZE(luo_corruptions); i++) {
		if (strcmp(name, luo_corruptions[i].name))
			continue;
		mutex_lock(&luo_mutex);
		luo_armed = &luo_corruptions[i];
		mutex_unlock(&luo_mutex);
		return len;
	}
	return -EINVAL;
}

static int luo_debug_open(struct inode *inode, struct file *file)
{
	return single_open(file, luo_debug_show, NULL);
}

static const struct file_operations luo_debug_fops = {
	.owner = THIS_MODULE,
	.open = luo_debug_open,
	.read = seq_read,
	.write = luo_debug_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init luo_debug_init(void)
{
	if (liveupdate_enabled())
		debugfs_create_file("debug_corrupt", 0600, luo_debugfs_dir(),
				    NULL, &luo_debug_fops);
	return 0;
}
late_initcall(luo_debug_init);
