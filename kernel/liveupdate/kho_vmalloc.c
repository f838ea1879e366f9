// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho_vmalloc.c - preserve vmalloc areas across kexec handover
 *
 * A vmalloc area is preserved as its blocks of 2^order pages, listed in
 * order in a chain of one-page chunks (struct kho_vmalloc_chunk). The
 * caller keeps the small struct kho_vmalloc that points to the chain in
 * its own preserved data. The next kernel takes the blocks back and maps
 * them into a new vmalloc area, at a new virtual address, which it can
 * use and vfree() like any other. See "Preserving vmalloc areas" in
 * Documentation/core-api/kho/index.rst.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kasan.h>
#include <linux/kexec_handover.h>
#include <linux/kho/abi/kexec_handover.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../../mm/internal.h"
#include "kho_vmalloc_walk.h"

/*
 * The vm flags an area may carry to be preserved. A finished vmalloc(),
 * vzalloc(), vmalloc_huge() or kvmalloc() area has VM_ALLOC, plus
 * VM_ALLOW_HUGE_VMAP for the last two; VM_UNINITIALIZED is gone once
 * __vmalloc_node_range() has completed it, and KASAN marks no vmalloc
 * area with a flag in this kernel. Any other flag means the area needs
 * something a plain vmalloc area in the next kernel would not give it:
 * VM_USERMAP (vmalloc_user()), VM_FLUSH_RESET_PERMS or VM_DEFER_KMEMLEAK
 * (execmem, BPF), VM_NO_GUARD or VM_KASAN (KASAN's own areas),
 * VM_UNINITIALIZED (an area still being set up), or the area was not
 * allocated by vmalloc at all (VM_MAP, VM_IOREMAP, VM_SPARSE, ...).
 */
#define KHO_VMALLOC_VM_FLAGS	(VM_ALLOC | VM_ALLOW_HUGE_VMAP)

static struct page *kho_vmalloc_page(phys_addr_t phys)
{
	return pfn_to_page(PHYS_PFN(phys));
}

/*
 * Undo a preservation made by this kernel. A block's entry is written only
 * once the block is preserved, so every entry is unpreserved; of the chunk
 * pages, only the first @nr_chunks are. All chunks are freed.
 */
static void kho_vmalloc_release(struct kho_vmalloc_chunk *chunk,
				unsigned int order, unsigned long nr_chunks)
{
	while (chunk) {
		struct kho_vmalloc_chunk *next = KHOSER_LOAD_PTR(chunk->hdr.next);
		unsigned int i;

		/* A full chunk has no terminating 0. */
		for (i = 0; i < KHO_VMALLOC_SIZE && chunk->phys[i]; i++)
			kho_unpreserve_pages(kho_vmalloc_page(chunk->phys[i]),
					     1UL << order);
		if (nr_chunks) {
			kho_unpreserve_pages(virt_to_page(chunk), 1);
			nr_chunks--;
		}
		free_page((unsigned long)chunk);
		chunk = next;
	}
}

/**
 * kho_preserve_vmalloc - preserve a vmalloc area across kexec
 * @ptr: the area, as returned by vmalloc(), vzalloc(), vmalloc_huge() or
 *	kvmalloc() (when that fell back to vmalloc)
 * @preservation: filled with the descriptor of the preserved area
 *
 * Preserves every block of 2^order pages of the area, where order is the
 * area's page order (0, or the huge-page order of a huge-mapped area), and
 * the chunk pages that list them. The caller stores *@preservation in its
 * own preserved data and passes it to kho_restore_vmalloc() in the next
 * kernel. The area must stay allocated and unchanged in size while it is
 * preserved; its contents may keep changing until kexec. May sleep.
 *
 * Return: 0; -EINVAL if @ptr is not the start of a vmalloc area;
 * -EOPNOTSUPP if KHO is off or the area has vm flags other than VM_ALLOC
 * and VM_ALLOW_HUGE_VMAP (vmalloc_user(), vmap(), ...); -ENOMEM; or the
 * error of kho_preserve_pages(), such as -EEXIST if a page is already
 * preserved or -EINVAL if one lies in scratch memory. On error nothing is
 * preserved and *@preservation is unchanged.
 */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *preservation)
{
	struct kho_vmalloc_chunk *first = NULL, *chunk = NULL, *c;
	unsigned long nr_blocks, nr_chunks = 0, i;
	struct vm_struct *vm;
	unsigned int order;
	int err;

	might_sleep();
	if (!kho_is_enabled())
		return -EOPNOTSUPP;

	vm = ptr ? find_vm_area(ptr) : NULL;
	if (!vm || vm->addr != ptr) {
		pr_warn("cannot preserve %p: not the start of a vmalloc area; pass what vmalloc() returned\n",
			ptr);
		return -EINVAL;
	}
	if ((vm->flags & ~KHO_VMALLOC_VM_FLAGS) || !(vm->flags & VM_ALLOC)) {
		pr_warn("cannot preserve vmalloc area %p with vm flags %#lx: only plain vmalloc() areas can be preserved; allocate it with vmalloc()\n",
			ptr, vm->flags);
		return -EOPNOTSUPP;
	}

	order = get_vm_area_page_order(vm);
	nr_blocks = vm->nr_pages >> order;
	if (!vm->pages || !nr_blocks ||
	    vm->nr_pages != get_vm_area_size(vm) >> PAGE_SHIFT ||
	    vm->nr_pages & ((1UL << order) - 1)) {
		pr_warn("cannot preserve vmalloc area %p: it is not fully populated with pages\n",
			ptr);
		return -EOPNOTSUPP;
	}

	/*
	 * vmalloc splits each of its 2^order allocations into order-0 pages,
	 * so pages[i << order] starts a naturally aligned block of 2^order
	 * physically contiguous pages.
	 */
	for (i = 0; i < nr_blocks; i++) {
		unsigned long slot = i % KHO_VMALLOC_SIZE;
		struct page *page = vm->pages[i << order];

		if (!slot) {
			c = (struct kho_vmalloc_chunk *)get_zeroed_page(GFP_KERNEL);
			if (!c) {
				err = -ENOMEM;
				goto undo;
			}
			if (chunk)
				KHOSER_STORE_PTR(chunk->hdr.next, c);
			else
				first = c;
			chunk = c;
		}
		/* 0 ends a chunk's list: a block there cannot be described. */
		if (!page_to_phys(page)) {
			err = -EOPNOTSUPP;
			pr_warn("cannot preserve vmalloc area %p: it uses the page at physical address 0\n",
				ptr);
			goto undo;
		}
		err = kho_preserve_pages(page, 1UL << order);
		if (err)
			goto undo;
		chunk->phys[slot] = page_to_phys(page);
	}

	for (c = first; c; c = KHOSER_LOAD_PTR(c->hdr.next)) {
		err = kho_preserve_pages(virt_to_page(c), 1);
		if (err)
			goto undo;
		nr_chunks++;
	}

	KHOSER_STORE_PTR(preservation->first, first);
	preservation->total_pages = vm->nr_pages;
	preservation->flags = KHO_VMALLOC_ALLOC;
	if (vm->flags & VM_ALLOW_HUGE_VMAP)
		preservation->flags |= KHO_VMALLOC_HUGE_VMAP;
	preservation->order = order;
	return 0;

undo:
	kho_vmalloc_release(first, order, nr_chunks);
	if (err == -EEXIST)
		pr_warn("cannot preserve vmalloc area %p: some of its pages are already preserved; unpreserve them first\n",
			ptr);
	else if (err != -ENOMEM && err != -EOPNOTSUPP)
		pr_warn("cannot preserve vmalloc area %p: preserving its pages failed (%d)\n",
			ptr, err);
	return err;
}
EXPORT_SYMBOL_GPL(kho_preserve_vmalloc);

/**
 * kho_unpreserve_vmalloc - stop preserving a vmalloc area
 * @preservation: a descriptor filled by kho_preserve_vmalloc() in this
 *	kernel
 *
 * Unpreserves the area's blocks and the chunk pages, frees the chunks and
 * zeroes *@preservation. The area itself is untouched: free it with vfree()
 * when done. A zeroed descriptor is ignored, so unpreserving twice is
 * harmless.
 */
void kho_unpreserve_vmalloc(struct kho_vmalloc *preservation)
{
	if (!preservation || !preservation->first.phys)
		return;
	kho_vmalloc_release(KHOSER_LOAD_PTR(preservation->first),
			    preservation->order, ULONG_MAX);
	memset(preservation, 0, sizeof(*preservation));
}
EXPORT_SYMBOL_GPL(kho_unpreserve_vmalloc);

/**
 * kho_restore_vmalloc - take back a vmalloc area preserved by the previous
 *	kernel
 * @preservation: the descriptor kho_preserve_vmalloc() filled in the
 *	previous kernel, read from the caller's preserved data
 *
 * Takes back the preserved blocks and maps them, at the same page order,
 * into a new vmalloc area of this kernel. The area has a new virtual
 * address and the contents it had at kexec; the pages are not charged to
 * a memory cgroup. Free it with vfree(). The chunk pages are freed. The
 * descriptor is not trusted: it is checked, every page must carry the
 * mark of memory the previous kernel preserved, and a chunk list that
 * loops or is longer than total_pages needs is refused. May sleep.
 *
 * Restoring consumes the preservation: if it fails halfway, the pages
 * already taken back are freed and the rest stays reserved, unused, for
 * the life of this kernel.
 *
 * Return: the address of the area, or NULL with a warning naming the
 * reason.
 */
void *kho_restore_vmalloc(const struct kho_vmalloc *preservation)
{
	kasan_vmalloc_flags_t kasan_flags = KASAN_VMALLOC_PROT_NORMAL |
					    KASAN_VMALLOC_VM_ALLOC;
	char why[KHO_VMALLOC_WHY_LEN];
	const char *reason;
	struct kho_vmalloc d;
	struct vm_struct *area;
	unsigned long size, vm_flags, nr = 0;
	unsigned int shift = PAGE_SHIFT;
	pgprot_t prot = PAGE_KERNEL;
	struct page **pages;

	might_sleep();
	if (!preservation)
		return NULL;
	/* A copy: what was checked cannot change under the walk. */
	d = *preservation;
	reason = kho_vmalloc_check(&d);
	if (reason) {
		pr_warn("cannot restore vmalloc area: invalid descriptor (first %#llx, %u pages, flags %#x, order %u): %s; pass what kho_preserve_vmalloc() filled in\n",
			d.first.phys, d.total_pages, d.flags, d.order, reason);
		return NULL;
	}

	/* __GFP_NOWARN: no WARN for an array too large for kvmalloc. */
	pages = kvmalloc_array(d.total_pages, sizeof(*pages),
			       GFP_KERNEL | __GFP_NOWARN);
	if (!pages) {
		pr_warn("cannot restore vmalloc area of %u pages: no memory for its page array\n",
			d.total_pages);
		return NULL;
	}
	reason = kho_vmalloc_restore_blocks(&d, pages, &nr, why, sizeof(why));
	if (reason)
		goto fail;

	/* Without huge vmalloc, map the blocks with base pages. */
	if (IS_ENABLED(CONFIG_HAVE_ARCH_HUGE_VMALLOC))
		shift += d.order;
	vm_flags = VM_ALLOC;
	if (d.flags & KHO_VMALLOC_HUGE_VMAP)
		vm_flags |= VM_ALLOW_HUGE_VMAP;
	size = (unsigned long)d.total_pages << PAGE_SHIFT;

	/* As __vmalloc_node_range() does for a PAGE_KERNEL area. */
	if (kasan_hw_tags_enabled())
		prot = arch_vmap_pgprot_tagged(prot);

	area = __get_vm_area_node(size, 1UL << shift, shift,
				  VM_UNINITIALIZED | vm_flags, VMALLOC_START,
				  VMALLOC_END, NUMA_NO_NODE, GFP_KERNEL,
				  __builtin_return_address(0));
	if (!area) {
		reason = "no room in the vmalloc space";
		goto fail;
	}
	if (vmap_pages_range((unsigned long)area->addr,
			     (unsigned long)area->addr + size, prot, pages,
			     shift)) {
		free_vm_area(area);
		reason = "mapping the pages failed";
		goto fail;
	}

	set_vm_area_page_order(area, shift - PAGE_SHIFT);
	area->pages = pages;
	area->nr_pages = d.total_pages;
	vm_area_account_pages(area);

	/*
	 * __get_vm_area_node() leaves a VM_ALLOC area poisoned: unpoison it
	 * now that it is mapped, as __vmalloc_node_range() does, but without
	 * KASAN_VMALLOC_INIT, which would zero the restored contents.
	 */
	area->addr = kasan_unpoison_vmalloc(area->addr, size, kasan_flags);
	clear_vm_uninitialized_flag(area);
	kmemleak_vmalloc(area, size, GFP_KERNEL);
	return area->addr;

fail:
	kho_vmalloc_free_pages(pages, nr);
	pr_warn("cannot restore vmalloc area of %u pages: %s; %lu restored pages were freed\n",
		d.total_pages, reason, nr);
	return NULL;
}
EXPORT_SYMBOL_GPL(kho_restore_vmalloc);
