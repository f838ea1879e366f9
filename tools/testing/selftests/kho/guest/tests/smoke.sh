# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on kho_scratch=16M,64M,32M
#
# Kernel 1 boots with kho=on and explicit scratch sizes, and kexecs
# (kexec_file_load) into the same kernel with a new command line; kernel 2
# must reach init with KHO on.

run_gen() {
	check "kernel reports KHO enabled" dmesg_has "KHO: enabled"
	case $1 in
	1)	check "scratch sized by kho_scratch=" dmesg_has \
			"KHO: scratch: lowmem 16 MiB, global 64 MiB, 1 node(s) x 32 MiB"
		kexec_next "kho=on" ;;
	2)	check "command line is exactly the one kexec passed" [ \
			"$(cat /proc/cmdline)" = \
			"$KHO_BASE_ARGS khotest.name=smoke khotest.gen=2 kho=on" ]
		finish ;;
	esac
}
