# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=180 append=kho=on test_kho.message="hello from kernel 1"
#
# make demo: kernel 1 boots with KHO on; lib/test_kho preserves 16 MiB of
# folios and page ranges, their list in a preserved vmalloc array, and the
# message from its command line in its preserved blob. kexec -s starts
# kernel 2, whose test_kho verifies every byte, restores every folio and
# page range, frees them, and hands back the message; kernel 2 then shows
# its incoming KHO FDT through dtc. Each step prints a "stage N:" line,
# which the Makefile's demo target picks out of the serial log.

DEMO_MESSAGE="hello from kernel 1"

stage() {
	say "stage $*"
}

# kho_line PATTERN: the first KHO line of this boot's log matching PATTERN.
kho_line() {
	dmesg | grep -o "KHO: $1.*" | head -n 1
}

in_fdt_has_kho_test() {
	dts "$KHO_DEBUGFS/in/fdt" | grep -q "kho_test {"
}

run_gen() {
	local msg found

	case $1 in
	1)	stage "1: kernel 1 up: Linux $(uname -r), $(kho_line enabled)"
		stage "2: kernel 1: $(test_kho_line 1 preserved)"
		stage "2: kernel 1: $(test_kho_line 1 message)"
		check "KHO enabled in kernel 1" dmesg_has "KHO: enabled"
		check "the message reached kernel 1 in one piece" \
			dmesg_has_text \
			"test_kho: generation 1: message for the next kernel: $DEMO_MESSAGE"
		check "test_kho preserved generation 1" \
			dmesg_has "test_kho: generation 1: preserved "
		stage "3: kexec -s -l /boot/bzImage (kexec_file_load), then kexec -e into kernel 2"
		kexec_next "kho=on test_kho.chain=0" ;;
	2)	msg=$(test_kho_message 1)
		found=$(kho_line 'found kexec handover data')
		stage "4: kernel 2 up, reached by kexec_file_load from kernel 1: $found"
		stage "5: kernel 2 restored kernel 1's message: \"$msg\""
		stage "6: kernel 2: $(test_kho_line 2 verified)"
		stage "6: kernel 2: $(test_kho_line 2 'restored and freed')"
		stage "7: kernel 2's incoming KHO FDT (dtc -I dtb -O dts $KHO_DEBUGFS/in/fdt):"
		dts "$KHO_DEBUGFS/in/fdt" | while IFS= read -r line; do
			say "  | $line"
		done
		check "KHO enabled in kernel 2" dmesg_has "KHO: enabled"
		check "kernel 2 got kernel 1's message" [ "$msg" = "$DEMO_MESSAGE" ]
		check "kernel 2 verified every byte" \
			dmesg_has "test_kho: generation 2: verified .* 0 bad pfns, .*: PASS"
		check "kernel 2 restored and freed every block" \
			dmesg_has "test_kho: generation 2: restored and freed .*: PASS"
		check "in/fdt names the kho_test blob" in_fdt_has_kho_test
		say "kernel 2 confirms: reached by kexec_file_load from" \
			"kernel 1, $(kho_line enabled)"
		finish ;;
	esac
}
