# SPDX-License-Identifier: GPL-2.0
# khotest: mem=2G timeout=600 append=kho=on test_kho.max_mem=268435456
#
# Restored memory really goes back to the page allocator. Two KHO boots of
# the same kernel, with the same memory, the same scratch layout (a KHO
# boot reuses it verbatim) and command lines that differ only in test_kho
# and khotest arguments, are compared:
#
# - generation 2 (test_kho.chain=0) restores and frees the 256 MiB kernel 1
#   preserved and preserves nothing: its MemFree is B;
# - generation 3 (test_kho.max_mem=0) has nothing to restore, since kernel
#   2 published nothing, and preserves nothing: its MemFree is A.
#
# B must be within 1 % of A. Had the 256 MiB stayed reserved, B would be
# about 13 % below A. Both are read first thing in /init.

run_gen() {
	local memfree saved

	memfree=$(meminfo_kb MemFree)
	check "KHO enabled" dmesg_has "KHO: enabled"
	check "kernel log clean (no oops, warning or sanitizer report)" \
		kernel_log_clean
	case $1 in
	1)	saved=$(test_kho_saved 1)
		check "test_kho preserved generation 1" [ -n "$saved" ]
		check "generation 1 allocated all it asked for" \
			dmesg_lacks "test_kho: generation 1: allocation failed"
		say "$(test_kho_line 1 preserved)"
		kexec_next "kho=on test_kho.chain=0 khotest.saved=$saved" ;;
	2)	saved=$(cmdline_arg khotest.saved)
		check "generation 1's payload verified byte for byte" \
			test_kho_verified 2 "$saved"
		check "generation 1's payload restored and freed, every block" \
			test_kho_restored 2 "$saved"
		check "no test_kho failure" dmesg_lacks "test_kho: .*FAIL"
		check "generation 2 preserved nothing (test_kho.chain=0)" \
			dmesg_lacks "test_kho: generation 2: preserved"
		say "$(test_kho_line 2 "restored and freed")"
		say "MemFree after restoring and freeing 256 MiB: $memfree kB"
		say_meminfo
		kexec_next "kho=on test_kho.max_mem=0 khotest.memfree=$memfree" ;;
	3)	check "KHO found the handover data" \
			dmesg_has "KHO: found kexec handover data"
		check "test_kho had nothing to restore" \
			dmesg_lacks "test_kho: is_kho_boot"
		check "test_kho preserved nothing (test_kho.max_mem=0)" \
			dmesg_has "test_kho: generation 1: max_mem is 0, preserving nothing"
		say "MemFree with nothing to restore: $memfree kB"
		say_meminfo
		check_within_1pct "MemFree after restore+free (gen 2) vs none (gen 3)" \
			"$(cmdline_arg khotest.memfree)" "$memfree"
		finish ;;
	esac
}
