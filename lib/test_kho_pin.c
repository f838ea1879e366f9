// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kho_pin.c - long-term pins of user memory, for the KHO selftests
 *
 * KHO keeps its scratch memory as CMA pageblocks, which long-term pins
 * normally refuse. This checks that a machine with KHO on pins as much as
 * one with KHO off. Writing N to /sys/kernel/debug/test_kho_pin maps and
 * populates N KiB of anonymous memory in the writing process, as a program
 * fills a buffer before it registers it for RDMA; such pages may lie in
 * CMA. It then pins all of them at once with
 * pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM), which faults nothing in
 * (pages it faults in never come from CMA) but must migrate a page out of
 * CMA that may not be pinned there, and releases it all again, logging:
 *
 *   test_kho_pin: pinned P of N KiB, C KiB of it in CMA pageblocks: E
 *
 * where E is 0 or the error that stopped the pinning.
 */

#define pr_fmt(fmt) "test_kho_pin: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

/* Pin at most this many pages per call. */
#define TKP_BATCH	1024

static ssize_t tkp_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	unsigned long kib, nr, done = 0, cma = 0, addr, i;
	struct page **pages;
	int err = 0;

	if (kstrtoul_from_user(ubuf, count, 0, &kib))
		return -EINVAL;
	nr = kib >> (PAGE_SHIFT - 10);
	if (!nr || nr > totalram_pages())
		return -EINVAL;
	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL | __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	addr = vm_mmap(NULL, 0, nr << PAGE_SHIFT, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, 0);
	if (IS_ERR_VALUE(addr)) {
		kvfree(pages);
		return addr;
	}

	while (done < nr) {
		int got = pin_user_pages_fast(addr + (done << PAGE_SHIFT),
					      min(nr - done, TKP_BATCH),
					      FOLL_WRITE | FOLL_LONGTERM,
					      pages + done);

		if (got <= 0) {
			err = got ?: -EFAULT;
			break;
		}
		done += got;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	for (i = 0; i < done; i++)
		cma += is_migrate_cma_page(pages[i]);
	pr_info("pinned %lu of %lu KiB, %lu KiB of it in CMA pageblocks: %d\n",
		done << (PAGE_SHIFT - 10), kib, cma << (PAGE_SHIFT - 10), err);

	unpin_user_pages(pages, done);
	vm_munmap(addr, nr << PAGE_SHIFT);
	kvfree(pages);
	return count;
}

static const struct file_operations tkp_fops = {
	.owner = THIS_MODULE,
	.write = tkp_write,
};

static int __init test_kho_pin_init(void)
{
	debugfs_create_file("test_kho_pin", 0200, NULL, NULL, &tkp_fops);
	return 0;
}
late_initcall(test_kho_pin_init);
