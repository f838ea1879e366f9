# SPDX-License-Identifier: GPL-2.0
# khotest: mem=16G timeout=1200 smp=4 numa=2
# khotest: append=kho=on test_kho.max_mem=4294967296 test_kho.ranges=64
#
# Tens of GiB: a 16 GiB guest of two nodes on the host-like kernel. QEMU
# allocates guest RAM as it is touched, so the host holds little more than
# the 4 GiB that test_kho fills.
#
# - generation 1 preserves 4 GiB of folios of mixed orders and 64 page
#   ranges, spread over both nodes, each page filled with a pattern;
# - generation 2 checks every byte, restores and frees all of it and
#   preserves nothing (test_kho.chain=0); its MemFree is B;
# - generation 3 has nothing to restore and preserves nothing; its
#   MemFree is A, a plain boot's of the same guest and scratch layout.
#
# B must be within 1 % of A: after the restore nothing is still preserved;
# so must MemTotal, which counts a preserved page once it is restored.
# Each generation also reports what kho_memory_init() took.

run_gen() {
	local memfree saved

	memfree=$(meminfo_kb MemFree)
	host_checks 2
	check "KHO enabled" dmesg_has "KHO: enabled"
	check "kernel log clean (no oops, warning or sanitizer report)" \
		kernel_log_clean
	say_kho_log
	case $1 in
	1)	saved=$(test_kho_saved 1)
		check "test_kho preserved generation 1" [ -n "$saved" ]
		check "generation 1 allocated all it asked for" \
			dmesg_lacks "test_kho: generation 1: allocation failed"
		kexec_next "kho=on test_kho.chain=0 khotest.saved=$saved \
khotest.nodes=$(test_kho_nodes 1 preserved)" ;;
	2)	saved=$(cmdline_arg khotest.saved)
		host_nodes_checks 2 2
		check "generation 1's 4 GiB verified byte for byte" \
			test_kho_verified 2 "$saved"
		check "generation 1's 4 GiB restored and freed, every block" \
			test_kho_restored 2 "$saved"
		check "generation 2 preserved nothing (test_kho.chain=0)" \
			dmesg_lacks "test_kho: generation 2: preserved"
		say "MemFree after restoring and freeing 4 GiB: $memfree kB"
		say_meminfo
		kexec_next "kho=on test_kho.max_mem=0 khotest.memfree=$memfree \
khotest.memtotal=$(meminfo_kb MemTotal)" ;;
	3)	check "test_kho had nothing to restore" \
			dmesg_lacks "test_kho: is_kho_boot"
		say "MemFree with nothing preserved: $memfree kB"
		say_meminfo
		check_within_1pct "MemFree after restoring 4 GiB (gen 2) vs none (gen 3)" \
			"$(cmdline_arg khotest.memfree)" "$memfree"
		check_within_1pct "MemTotal after restoring (gen 2) vs none (gen 3)" \
			"$(cmdline_arg khotest.memtotal)" "$(meminfo_kb MemTotal)"
		finish ;;
	esac
}
