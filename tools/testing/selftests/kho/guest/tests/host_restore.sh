# SPDX-License-Identifier: GPL-2.0
# khotest: mem=2G timeout=600 smp=4 numa=2 append=kho=on test_kho.max_mem=67108864 test_kho.message="hi gen 1"
#
# The three-kernel restore of restore_16m.sh, with 64 MiB, on the host-like
# kernel (host.config: NUMA, deferred struct page init, ...) in a guest of
# two nodes with two CPUs each. Every kernel must see both nodes, run
# deferred struct page init, and have one scratch area per node; the
# payload sits in memory whose struct pages deferred init owns, so kernel 2
# and 3 verify that no preserved page reached the page allocator and that
# every byte survived, then restore and free it all.

TEST_KHO_ARGS="kho=on test_kho.max_mem=67108864"

run_gen() {
	host_checks 2
	host_nodes_checks "$1" 2
	host_hash_checks "$1"
	restore_chain_gen "$1"
}
