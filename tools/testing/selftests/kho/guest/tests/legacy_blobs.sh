# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on test_kho.max_mem=4194304
#
# Children without blob-size, as the first stateless kernels wrote them.
# Kernel 1 preserves a test_kho payload, then drops blob-size from the
# kho_test child (an FDT blob) and from kexec-metadata (a raw blob) with
# KEXEC_HANDOVER_DEBUG's debug_drop_blob_size. Kernel 2 must take the
# kho_test blob at its FDT totalsize and restore the payload, and refuse
# only the raw blob, which has no size of its own.

DROP=$KHO_DEBUGFS/out/debug_drop_blob_size
REFUSED="KHO: refusing blob kexec-metadata of the previous kernel:"
REFUSED="$REFUSED it has no blob-size and is not an FDT in preserved memory"
UNREAD="KHO: cannot read the previous kernel's kexec-metadata (-22);"
UNREAD="$UNREAD counting this boot as kexec #1"

# child_has_size NAME: the outgoing root FDT's child NAME has blob-size.
child_has_size() {
	dts "$KHO_DEBUGFS/out/fdt" | sed -n "/^[[:space:]]*$1 {/,/};/p" |
		grep -q "blob-size = "
}

child_lacks_size() {
	! child_has_size "$1"
}

# fdt_totalsize FILE: the totalsize field of the FDT header of FILE.
fdt_totalsize() {
	od -An -tu1 -j4 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'
}

run_gen() {
	local size

	check "KHO enabled" dmesg_has "KHO: enabled"
	case $1 in
	1)	check "test_kho preserved generation 1" \
			dmesg_has "test_kho: generation 1: preserved "
		check "kho_test has blob-size" child_has_size kho_test
		printf kho_test > "$DROP"
		printf kexec-metadata > "$DROP"
		check "kho_test has no blob-size now" child_lacks_size kho_test
		check "kexec-metadata has no blob-size now" \
			child_lacks_size kexec-metadata
		check "kernel log clean" kernel_log_clean
		kexec_next "kho=on test_kho.max_mem=0 khotest.saved=$(test_kho_saved 1)" ;;
	2)	say_kho_log
		size=$(fdt_totalsize "$KHO_DEBUGFS/in/blobs/kho_test")
		check "the handover is accepted" \
			dmesg_has "KHO: found kexec handover data"
		check "test_kho got its FDT blob at its totalsize ($size bytes)" \
			dmesg_has "test_kho: blob kho_test: $size bytes at "
		check "in/blobs/kho_test is the whole FDT" \
			[ "$(wc -c < "$KHO_DEBUGFS/in/blobs/kho_test")" = "$size" ]
		check "test_kho verified generation 1's payload" \
			test_kho_verified 2 "$(cmdline_arg khotest.saved)"
		check "no test_kho failure" dmesg_lacks "test_kho: .*FAIL"
		check "the raw kexec-metadata blob is refused" \
			dmesg_has_text "$REFUSED"
		check "and nothing else" \
			[ "$(dmesg | grep -c 'KHO: refusing blob')" = 1 ]
		check "metadata unread, this boot counted as kexec #1" \
			dmesg_has_text "$UNREAD"
		finish ;;
	esac
}
