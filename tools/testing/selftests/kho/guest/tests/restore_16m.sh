# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=300 append=kho=on test_kho.max_mem=16777216 test_kho.message="hi gen 1"
#
# Restore across three kernels, 16 MiB of folios (test_kho's default).
# Kernel 1 preserves folios of random orders and page ranges, their list in
# a preserved vmalloc array, and a message. Kernel 2 checks that no page of
# it reached the page allocator and that every byte is intact, restores the
# array, every folio (at its recorded order) and every page range, frees
# all of it, and preserves a fresh payload; kernel 3 does the same with
# kernel 2's payload and preserves nothing. The message each kernel was
# booted with must reach the next one. See restore_chain_gen in lib.sh.

# Read by restore_chain_gen.
TEST_KHO_ARGS="kho=on test_kho.max_mem=16777216"

run_gen() {
	restore_chain_gen "$1"
}
