# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on test_kho.max_mem=4194304
#
# A handover whose root FDT has the wrong compatible is refused as a whole:
# kernel 1 preserves a test_kho payload, then rewrites its outgoing FDT's
# compatible to "kho-v0" (KEXEC_HANDOVER_DEBUG's debug_compatible). Kernel
# 2, booted with kho=on, must say why it ignores the handover, run with KHO
# off (so test_kho stays silent), and still reach init.

DEBUG_COMPATIBLE=$KHO_DEBUGFS/out/debug_compatible
IGNORED="KHO: ignoring the handover from the previous kernel: "

out_compatible_is() {
	dts "$KHO_DEBUGFS/out/fdt" | grep -q "compatible = \"$1\";"
}

run_gen() {
	say_kho_log
	case $1 in
	1)	check "KHO enabled" dmesg_has "KHO: enabled"
		check "test_kho preserved generation 1" \
			dmesg_has "test_kho: generation 1: preserved "
		check "debugfs has out/debug_compatible" [ -e "$DEBUG_COMPATIBLE" ]
		printf 'kho-v0' > "$DEBUG_COMPATIBLE"
		check "outgoing FDT now says kho-v0" out_compatible_is kho-v0
		kexec_next "kho=on" ;;
	2)	check "the handover is ignored for its compatible" \
			dmesg_has "$IGNORED.*compatible.*; KHO is off for this boot"
		check "no handover data found" \
			dmesg_lacks "KHO: found kexec handover data"
		check "test_kho did not run" dmesg_lacks "test_kho:"
		check "no incoming FDT in debugfs" [ ! -e "$KHO_DEBUGFS/in/fdt" ]
		finish ;;
	esac
}
