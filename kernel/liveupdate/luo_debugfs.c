// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo_debugfs.c - what LUO holds, in debugfs liveupdate/
 *
 * "incoming" lists the sessions the previous kernel preserved that are not
 * finished yet, with their files, what each keeps preserved and whether it
 * was retrieved: what an administrator still holds. "outgoing" lists the
 * sessions to be handed to the next kernel.
 */

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/seq_file.h>

#include "luo_internal.h"

static struct dentry *luo_dir;

struct dentry *luo_debugfs_dir(void)
{
	return luo_dir;
}

static void luo_debugfs_file(struct seq_file *m, struct luo_session *s,
			     struct luo_file *f)
{
	const char *compat = f->fh ? f->fh->compatible : f->compatible;
	u64 size;

	seq_printf(m, "  token %#llx: %s, data %#llx", f->key.token, compat,
		   f->data);
	if (!luo_file_size(f, &size))
		seq_printf(m, ", %llu bytes", size);
	if (s->incoming)
		seq_puts(m, f->retrieved ? ", retrieved" : ", held");
	seq_putc(m, '\n');
}

static int luo_debugfs_show(struct seq_file *m, void *v)
{
	struct list_head *head = m->private;
	struct luo_session *s;
	struct luo_file *f;

	mutex_lock(&luo_mutex);
	list_for_each_entry(s, head, list) {
		seq_printf(m, "session \"%s\": %u files%s\n", s->name,
			   s->nr_files, s->incoming && s->fd_open ? ", open" : "");
		list_for_each_entry(f, &s->files, list)
			luo_debugfs_file(m, s, f);
	}
	mutex_unlock(&luo_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(luo_debugfs);

void __init luo_debugfs_init(void)
{
	luo_dir = debugfs_create_dir("liveupdate", NULL);
	debugfs_create_file("incoming", 0400, luo_dir, &luo_in_sessions,
			    &luo_debugfs_fops);
	debugfs_create_file("outgoing", 0400, luo_dir, &luo_out_sessions,
			    &luo_debugfs_fops);
}
