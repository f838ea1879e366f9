# SPDX-License-Identifier: GPL-2.0
# khotest: mem=4G timeout=300 append=kho=on test_kho.message="hi gen 1"
#
# The default scratch layout over three kernels in a 4 GiB guest (memory above 4 GiB too): one
# low-memory and one global area, no per-node area on one node, sized at
# 125 % of what the next kernel needs. Kernels 2 and 3 report how much of
# it their early boot used, which must leave 10 % of it to spare, and
# restore test_kho's payload as restore_16m does.

TEST_KHO_ARGS="kho=on"

run_gen() {
	scratch_use_checks "$1"
	restore_chain_gen "$1"
}
