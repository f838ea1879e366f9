# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=150 append=kho=on test_kho.max_mem=1048576 reserve_mem=1M:4096:khotest
#
# Hostile handovers: one test per corruption that KEXEC_HANDOVER_DEBUG's
# fault injector (kho/out/debug_corrupt, kernel/liveupdate/kho_debug.c)
# can plant in kernel 1's outgoing handover. Each runs as hostile@CASE:
#
# 1. kernel 1 preserves test_kho's payload and the reserve_mem region
#    "khotest", arms CASE and kexecs (scratch cases are applied by the
#    load, the others at kexec -e);
# 2. kernel 2 must reach init and log the line of the case. For an "off"
#    case it ignores the whole handover and runs with KHO off: no client
#    gets anything, the region is allocated afresh. For a client case
#    only that client's data is refused: "blob" and "vmalloc" cases hit
#    test_kho while the region is revived; "rmem" cases hit the region
#    while test_kho restores its payload. Its MemFree is read first thing;
# 3. kernel 3, booted with kho=off, is the plain boot: kernel 2's MemFree
#    must be within 1 % of its own, so nothing was lost. On a KASAN kernel
#    (make check-debug) the figures are only reported: its quarantine
#    moves MemFree by MiBs either way from boot to boot.
#
# No kernel may log a BUG, WARNING, KASAN report or Call Trace.
#
# The cases: NAME KIND PATTERN, where PATTERN (grep) is the line kernel 2
# must log, after "KHO: ignoring the handover from the previous kernel: "
# for the off cases.
#
# khocase: fdt-bad-magic off the FDT header is invalid (FDT_ERR_BADMAGIC)
# khocase: fdt-totalsize off the FDT's totalsize 8192 is larger than its 4096-byte page
# khocase: fdt-compatible off the FDT is compatible with "kho-v1", not with kho-v2
# khocase: fdt-map-missing off the preserved-memory-map property is missing
# khocase: fdt-map-short off the preserved-memory-map property is 4 bytes, not 8
# khocase: fdt-map-zero off the preserved-memory-map root is 0;
# khocase: fdt-map-no-ram off the preserved-memory-map root 0x[0-9a-f]* is not RAM
# khocase: fdt-map-misaligned off the preserved-memory-map root 0x[0-9a-f]* is not page aligned
# khocase: fdt-map-scratch off the preserved-memory-map root 0x[0-9a-f]* lies in scratch
# khocase: tree-self-loop off preserved-memory map: node loop at 0x[0-9a-f]* (level 4)
# khocase: tree-ancestor off preserved-memory map: node loop at 0x[0-9a-f]* (level 1)
# khocase: tree-no-ram off preserved-memory map: node outside RAM at 0x[0-9a-f]* (level 4)
# khocase: tree-scratch off preserved-memory map: node in scratch at 0x[0-9a-f]* (level 4)
# khocase: tree-misaligned off preserved-memory map: misaligned node pointer at
# khocase: tree-dag off preserved-memory map: node shared by two slots at
# khocase: tree-block-no-ram off preserved-memory map: block outside RAM at
# khocase: tree-block-scratch off preserved-memory map: block overlaps scratch at
# khocase: tree-order off preserved-memory map: order too high at
# khocase: tree-overlap off preserved-memory map: two preserved blocks overlap at
# khocase: scratch-empty off the scratch array is empty
# khocase: scratch-len off the scratch array is [0-9]* bytes, not a multiple of 16
# khocase: scratch-overlap off scratch areas [0-9]* and [0-9]* overlap
# khocase: scratch-no-ram off scratch area [0-9]* at 0x[0-9a-f]* (0x[0-9a-f]* bytes) is not RAM
# khocase: scratch-misaligned off scratch area [0-9]* at 0x[0-9a-f]* (.*) is not pageblock
# khocase: scratch-small off the scratch areas hold [0-9]* MiB, below the [0-9]* MiB floor
# khocase: blob-no-ram blob kho_test of the previous kernel: .*its page at 0x[0-9a-f]* is not RAM
# khocase: blob-scratch blob kho_test of the .*its page at 0x[0-9a-f]* lies in scratch
# khocase: blob-unpreserved blob kho_test of the previous kernel: .* is not the head of a preserved
# khocase: blob-root-fdt blob kho_test of the previous kernel: .* is not the head of a preserved
# khocase: vmalloc-loop vmalloc cannot restore vmalloc area .*the chunk list loops
# khocase: vmalloc-no-ram vmalloc cannot restore vmalloc area .*is not RAM
# khocase: vmalloc-order vmalloc cannot restore vmalloc area.*above MAX_PAGE_ORDER
# khocase: vmalloc-total vmalloc cannot restore vmalloc area .*more blocks than total_pages
# khocase: rmem-scratch rmem khotest: handover region not reused: the range overlaps KHO scratch
# khocase: rmem-kernel rmem khotest: handover region not reused: the range is not exactly memory
# khocase: rmem-size0 rmem khotest: handover region not reused: size differs (handed over 0x0*,
# khocase: rmem-name rmem ignoring the regions handed over by the previous kernel: the blob's node

IGNORED="KHO: ignoring the handover from the previous kernel: "
CORRUPT=$KHO_DEBUGFS/out/debug_corrupt
RMEM=reserve_mem=1M:4096:khotest

# case_field N: field N of this case's khocase line (3 is the pattern).
case_field() {
	sed -n "s/^# khocase: $KHO_CASE //p" "/kho/tests/$KHO_SCRIPT.sh" |
		if [ "$1" = 2 ]; then cut -d' ' -f1; else cut -d' ' -f2-; fi
}

armed() {
	grep -qx "\* $KHO_CASE" "$CORRUPT"
}

# The region was allocated afresh, not revived.
region_fresh() {
	dmesg_has "reserve_mem: khotest at 0x" &&
		dmesg_lacks "khotest revived"
}

kho_is_off() {
	dmesg_has "; KHO is off for this boot" &&
		[ ! -e "$KHO_DEBUGFS/in/fdt" ]
}

kho_is_on() {
	dmesg_lacks "KHO is off for this boot" && [ -e "$KHO_DEBUGFS/in/fdt" ]
}

test_kho_passed() {
	dmesg_has "test_kho: generation 2: verified .*: PASS" &&
		dmesg_has "test_kho: generation 2: restored and freed .*: PASS"
}

# Kernel 2's checks for the kind of the case, with the pattern @2.
kind_checks() {
	case $1 in
	off)	check "the handover is refused with the case's reason" \
			dmesg_has "$IGNORED$2"
		check "KHO is off: no incoming FDT in debugfs" kho_is_off
		check "test_kho got nothing" \
			dmesg_lacks "test_kho: generation 2"
		check "the region was allocated afresh" region_fresh ;;
	blob|vmalloc)
		if [ "$1" = blob ]; then
			check "only test_kho's blob is refused" \
				dmesg_has "KHO: refusing blob $2"
			check "test_kho reports the refusal" \
				dmesg_has "test_kho: retrieving the kho_test subtree failed: -22"
		else
			check "test_kho's vmalloc array is refused" \
				dmesg_has "KHO: $2"
			check "test_kho reports the failure" dmesg_has \
				"test_kho: generation 2: verified .*FAIL (kho_restore_vmalloc"
		fi
		check "KHO stays on" kho_is_on
		check "the region khotest was revived" \
			dmesg_has "reserve_mem: khotest revived at" ;;
	rmem)	check "only the region is refused" dmesg_has "reserve_mem: $2"
		check "KHO stays on" kho_is_on
		check "test_kho restored its payload" test_kho_passed
		check "the region was allocated afresh" region_fresh ;;
	*)	check "case $KHO_CASE has a kind" false ;;
	esac
}

run_gen() {
	local memfree kind

	memfree=$(meminfo_kb MemFree)
	say_kho_log
	kind=$(case_field 2)
	case $1 in
	1)	check "test_kho preserved generation 1" \
			dmesg_has "test_kho: generation 1: preserved "
		check "the region khotest is handed over" \
			dmesg_has "reserve_mem: 1 region(s) will be handed over"
		echo "$KHO_CASE" > "$CORRUPT"
		check "$KHO_CASE is armed" armed
		# Kernel 2 restores but preserves nothing: only kernel 1's
		# handover counts in its MemFree.
		kexec_next "kho=on $(cmdline_arg_all test_kho.)test_kho.chain=0 $RMEM" ;;
	2)	kind_checks "$kind" "$(case_field 3)"
		check "kernel log clean" kernel_log_clean
		say "MemFree after the hostile handover: $memfree kB"
		kexec_next "kho=off $RMEM khotest.memfree=$memfree" ;;
	3)	check "KHO is off" dmesg_has "KHO: disabled"
		check_memfree_plain "$memfree"
		finish ;;
	esac
}
