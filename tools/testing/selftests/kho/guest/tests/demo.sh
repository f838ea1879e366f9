# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on
#
# make demo: kernel 1 boots with KHO on and kexecs into kernel 2, which says
# who it is and how it got there.

kho_state() {
	dmesg | grep -o 'KHO: .*' | head -n 1
}

run_gen() {
	case $1 in
	1)	say "stage 1: kernel $(uname -r) up, $(kho_state)"
		say "stage 2: kexec -s -l /boot/bzImage, then kexec -e"
		kexec_next "kho=on" ;;
	2)	check "KHO enabled in kernel 2" dmesg_has "KHO: enabled"
		say "stage 3: kernel 2 up, booted with: $(cat /proc/cmdline)"
		say "kernel 2 confirms: reached by kexec_file_load" \
			"from kernel 1, $(kho_state)"
		finish ;;
	esac
}
