# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on test_kho.max_mem=4194304
#
# kho=off on the next kernel's command line wins: kernel 1 preserves a
# test_kho payload and hands it over, and kernel 2 boots with KHO disabled,
# ignores the handover and reaches init.

run_gen() {
	say_kho_log
	case $1 in
	1)	check "kernel 1 reports KHO enabled" dmesg_has "KHO: enabled"
		check "test_kho preserved generation 1" \
			dmesg_has "test_kho: generation 1: preserved "
		kexec_next "kho=off" ;;
	2)	check "kernel 2 reports KHO disabled" dmesg_has "KHO: disabled"
		check "kernel 2 did not take the handover" \
			dmesg_lacks "KHO: found kexec handover data"
		check "test_kho did not run" dmesg_lacks "test_kho:"
		say_meminfo
		finish ;;
	esac
}
