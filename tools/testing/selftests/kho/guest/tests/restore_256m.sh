# SPDX-License-Identifier: GPL-2.0
# khotest: mem=2G timeout=600 append=kho=on test_kho.max_mem=268435456 test_kho.message="hi gen 1"
#
# Restore across three kernels, as restore_16m but with 256 MiB of folios
# in a 2 GiB guest: kernel 1 preserves, kernel 2 verifies byte for byte,
# restores, frees and preserves again, kernel 3 verifies, restores and
# frees. Filling and checking 256 MiB under TCG takes a while, hence the
# long timeout.

# Read by restore_chain_gen.
TEST_KHO_ARGS="kho=on test_kho.max_mem=268435456"

run_gen() {
	restore_chain_gen "$1"
}
