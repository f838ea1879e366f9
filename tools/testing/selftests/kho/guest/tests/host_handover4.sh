# SPDX-License-Identifier: GPL-2.0
# khotest: mem=4G timeout=600 smp=4 numa=4
# khotest: append=kho=on test_kho.max_mem=67108864 test_kho.message="hi gen 1"
#
# A handover on the host-like kernel in a guest of four nodes with one CPU
# each, restoring from an early initcall: test_kho.early=1 makes kernels 2
# and 3 verify and restore the payload before SMP is up and before deferred
# struct page init has run, so the preserved struct pages must have been
# initialised and stamped by KHO's own early walk.

TEST_KHO_ARGS="kho=on test_kho.max_mem=67108864 test_kho.early=1"

run_gen() {
	host_checks 4
	host_nodes_checks "$1" 4
	host_hash_checks "$1"
	if [ "$1" -gt 1 ]; then
		check "test_kho restored from an early initcall" \
			dmesg_has "test_kho: restoring from an early initcall"
		check "the restore ran before deferred struct page init finished" \
			restore_before_deferred_init
	fi
	restore_chain_gen "$1"
}

# The early restore's verdict comes before the first node's "deferred pages
# initialised" line in the kernel log.
restore_before_deferred_init() {
	local r d

	r=$(dmesg | grep -n "test_kho: generation [0-9]*: restored and freed" |
		head -n 1 | cut -d: -f1)
	d=$(dmesg | grep -n "deferred pages initialised" | head -n 1 | cut -d: -f1)
	[ -n "$r" ] && [ -n "$d" ] && [ "$r" -lt "$d" ]
}
