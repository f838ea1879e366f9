# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=300 append=kho=on test_kho.max_mem=0 test_kho_compat.gens=3
#
# A client written only against the public API (lib/test_kho_compat.c),
# over three kernels. Kernel 1 preserves a folio of every order from 0 to
# MAX_PAGE_ORDER, a vmalloc area, a raw blob of an odd size, an FDT blob
# and a blob that claims two pages of which one is preserved. Kernels 2
# and 3 must read both good blobs at their sizes (also in debugfs
# in/blobs/), refuse the short one and only it, restore every folio at
# its order and the vmalloc area with every byte intact, and hand the
# same memory on; kernel 3 frees it. Each kernel also checks the
# kexec-metadata: booted by KHO kexec #1, then #2, from this release.

run_gen() {
	compat_gen "$1" 3 0-10
}
