# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on
#
# kho=off on the next kernel's command line wins: it boots with KHO disabled.

run_gen() {
	case $1 in
	1)	check "kernel 1 reports KHO enabled" dmesg_has "KHO: enabled"
		kexec_next "kho=off" ;;
	2)	check "kernel 2 reports KHO disabled" dmesg_has "KHO: disabled"
		finish ;;
	esac
}
