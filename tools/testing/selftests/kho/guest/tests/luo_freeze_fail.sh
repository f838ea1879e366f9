# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=240 append=kho=on liveupdate=on
#
# A file that cannot be frozen stops the kexec. Kernel 1 holds 4 sessions of
# 3 files, one of which also has the memfd "luo-test-fail-freeze", whose
# freeze the test handler fails with EIO: kexec -e (the reboot syscall) must
# fail with EIO, twice, and leave kernel 1 running with every session still
# there and the failure in the log. Killing the holder closes the sessions
# (their names are free again); a new holder without that file then goes
# through kexec, and kernel 2 verifies and finishes its sessions.

LUO_ARGS="kho=on liveupdate=on"
LUO_SEED=4321

# kexec_e_fails_eio: kexec -e returns, non-zero, and says EIO.
kexec_e_fails_eio() {
	local out

	out=$(kexec -e 2>&1) && return 1
	say "kexec -e: $out"
	printf '%s\n' "$out" | grep -q "Input/output error"
}

# freeze_failure_logged: a LUO line of the log tells of the failed freeze.
freeze_failure_logged() {
	dmesg | grep 'liveupdate: ' | grep -qi 'freez'
}

run_gen() {
	local csum append

	check "KHO enabled" dmesg_has "KHO: enabled"
	check "/dev/liveupdate present" [ -c /dev/liveupdate ]
	case $1 in
	1)	check "luoctl hold 4 sessions, one file that fails to freeze" \
			luo_run hold 4 3 $LUO_SEED --fail-freeze
		check "a holder keeps them" luo_holder_ok
		cp /sys/firmware/initrd /tmp/initrd.cpio || fail "no /sys/firmware/initrd"
		# Were kexec -e to succeed, generation 2 must know it should not
		# have been reached.
		append="$KHO_BASE_ARGS khotest.name=$KHO_TEST khotest.gen=2"
		kexec -s -l /boot/bzImage --initrd=/tmp/initrd.cpio \
			--append="$append $LUO_ARGS khotest.unexpected=1" ||
			fail "kexec -s -l failed"
		check "kexec -e fails with EIO" kexec_e_fails_eio
		say "still in generation 1"
		check "the log tells of the failed freeze" freeze_failure_logged
		check "the holder still runs" [ -d "/proc/$LUO_PID" ]
		check "all 4 sessions still outgoing" [ "$(luoctl outgoing 4)" = 4 ]
		check "a second kexec -e fails with EIO too" kexec_e_fails_eio
		check "all 4 sessions still outgoing" [ "$(luoctl outgoing 4)" = 4 ]
		say_luo_log
		check "the holder stopped" luoctl stop "$LUO_PID"
		check "its sessions are gone" [ "$(luoctl outgoing 4)" = 0 ]
		check "luoctl hold the same sessions without the failing file" \
			luo_run hold 4 3 $LUO_SEED
		check "a holder keeps them" luo_holder_ok
		csum=$(luo_field "preserved total: .*csum ")
		kexec_next "$LUO_ARGS khotest.luocsum=$csum" ;;
	2)	[ -z "$(cmdline_arg khotest.unexpected)" ] ||
			fail "kexec -e went through although a freeze failed"
		say_luo_log
		check "kernel 1's 4 sessions verified and finished" \
			luo_run verify 4 3 $LUO_SEED --finish
		check "kernel 1's checksum" [ "$(luo_field "verified total: .*csum ")" = \
			"$(cmdline_arg khotest.luocsum)" ]
		finish ;;
	esac
}
