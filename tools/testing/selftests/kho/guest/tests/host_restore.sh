# SPDX-License-Identifier: GPL-2.0
# khotest: mem=2G timeout=600 smp=4 numa=2
# khotest: append=kho=on kho_scratch=96M,32M,64M test_kho.max_mem=67108864
# khotest: test_kho.message="hi gen 1"
#
# The three-kernel restore of restore_16m.sh, with 64 MiB, on the host-like
# kernel (host.config: NUMA, deferred struct page init, ...) in a guest of
# two nodes with two CPUs each. Every kernel must see both nodes, run
# deferred struct page init, and have one scratch area per node; the
# payload sits in memory whose struct pages deferred init owns, so kernel 2
# and 3 verify that no preserved page reached the page allocator and that
# every byte survived, then restore and free it all. Kernel 1 sizes
# scratch with kho_scratch=96M,32M,64M: lowmem 96 MiB, global 32 MiB and
# 64 MiB on each node, which every later kernel keeps.

TEST_KHO_ARGS="kho=on test_kho.max_mem=67108864"

# scratch_mib: the scratch areas' sizes in MiB, in order, on one line.
scratch_mib() {
	scratch_areas | while read -r a b; do
		echo $(((b - a + 1) >> 20))
	done | tr '\n' ' '
}

run_gen() {
	check "scratch sized as kho_scratch= asked: 96 32 64 64 MiB (got $(scratch_mib))" \
		[ "$(scratch_mib)" = "96 32 64 64 " ]
	host_checks 2
	host_nodes_checks "$1" 2
	host_hash_checks "$1"
	restore_chain_gen "$1"
}
