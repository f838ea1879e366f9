# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest side of the KHO selftests (sourced by /init).

KHO_FAILED=0
# Every generation's command line starts with these (vmtest.sh uses the same).
KHO_BASE_ARGS="console=ttyS0 panic=-1 retain_initrd"

cmdline_arg() {
	tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1
}

say() {
	echo "KHOTEST: $KHO_TEST: gen $KHO_GEN: $*"
}

power_off() {
	sync
	poweroff -f
	reboot -f
}

# check DESCRIPTION COMMAND...: run a check and print its outcome.
check() {
	local what=$1
	shift
	if "$@"; then
		say "ok: $what"
	else
		say "not ok: $what"
		KHO_FAILED=1
	fi
}

# dmesg_has PATTERN: the kernel log of this boot has a line matching PATTERN.
dmesg_has() {
	dmesg | grep -q -- "$1"
}

# Verdict of the whole test, printed by its last generation.
finish() {
	if [ "$KHO_FAILED" = 0 ]; then
		echo "KHOTEST: $KHO_TEST: PASS"
	else
		echo "KHOTEST: $KHO_TEST: FAIL"
	fi
	power_off
}

fail() {
	echo "KHOTEST: $KHO_TEST: FAIL: $*"
	power_off
}

# kexec_next "EXTRA ARGS": load this same kernel and initramfs with a new
# command line for generation KHO_GEN+1, then jump into it.
kexec_next() {
	local next=$((KHO_GEN + 1))
	local append="$KHO_BASE_ARGS khotest.name=$KHO_TEST khotest.gen=$next $1"

	[ "$KHO_FAILED" = 0 ] || fail "checks failed in generation $KHO_GEN"
	# retain_initrd keeps our own initramfs readable here.
	cp /sys/firmware/initrd /tmp/initrd.cpio || fail "no /sys/firmware/initrd"
	kexec -s -l /boot/bzImage --initrd=/tmp/initrd.cpio --append="$append" ||
		fail "kexec -s -l failed"
	say "kexec into generation $next: $append"
	kexec -e
	fail "kexec -e returned"
}
