# SPDX-License-Identifier: GPL-2.0
# khotest: mem=3G timeout=900 smp=2
# khotest: append=kho=on nokaslr test_kho.max_mem=0 test_kho_compat.gens=3
# khotest: test_kho_compat.gigantic_order=18
#
# A 1 GiB folio across three kernels, on the host-like kernel (sparse
# vmemmap, deferred struct page init, hugetlbfs). test_kho_compat in
# kernel 1 allocates an order-18 folio with folio_alloc_gigantic() next to
# a folio of every order up to MAX_PAGE_ORDER, fills all of them with a
# pattern of their addresses and preserves them. Kernel 2 must accept the
# order-18 block (above MAX_PAGE_ORDER), restore it with
# kho_restore_folio() as one folio of order 18 and refcount 1, check every
# byte, and preserve it again; kernel 3 does the same and frees it.
# Kernel 1 runs without KASLR so that its image leaves a free, aligned
# GiB in the 3 GiB guest; the later kernels randomize inside scratch.

run_gen() {
	if [ "$1" -gt 1 ]; then
		check "the order-18 block was reserved, not refused" \
			dmesg_lacks "KHO: ignoring the handover"
		check "the 1 GiB folio came back as one folio" dmesg_has \
			"test_kho_compat: generation $1: restored a gigantic folio of order 18 (1024 MiB) at .*, refcount 1: PASS"
		say "$(compat_line "$1" "restored a gigantic")"
	fi
	compat_gen "$1" 3 0-18
}
