# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=120 append=kho=on kho_scratch=16M,20M,0
#
# Scratch too small for the next kernel: 16 MiB of low memory, a 20 MiB
# global area and a pageblock per node, where the kernel image and the
# initrd alone take most of it. The segments still fit, but kexec -s -l
# must fail with an error that names the numbers, instead of a next
# kernel that runs out of memory early in boot.

REFUSED="KHO: kexec: refused: the next kernel would have less than 10% of its"

# kexec_load_fails: loading this kernel with kexec -s fails.
kexec_load_fails() {
	! kexec -s -l /boot/bzImage --initrd=/tmp/initrd.cpio \
		--append="$KHO_BASE_ARGS kho=on"
}

run_gen() {
	check "KHO enabled" dmesg_has "KHO: enabled"
	say "$(dmesg | grep -o 'KHO: scratch: .*')"
	cp /sys/firmware/initrd /tmp/initrd.cpio || fail "no /sys/firmware/initrd"
	check "kexec -s -l fails" kexec_load_fails
	say "$(dmesg | grep -o 'KHO: kexec: .*' | tr '\n' ' ')"
	check "the log says why, with the numbers" dmesg_has_text "$REFUSED"
	check "nothing is loaded" [ "$(cat /sys/kernel/kexec_loaded)" = 0 ]
	finish
}
