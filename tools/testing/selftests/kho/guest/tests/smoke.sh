# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on
#
# Kernel 1 boots with kho=on and kexecs (kexec_file_load) into the same
# kernel with a new command line; kernel 2 must reach init with KHO on.

run_gen() {
	check "kernel reports KHO enabled" dmesg_has "KHO: enabled"
	case $1 in
	1)	kexec_next "kho=on" ;;
	2)	check "command line is the one kexec passed" \
			grep -q "khotest.gen=2 kho=on" /proc/cmdline
		finish ;;
	esac
}
