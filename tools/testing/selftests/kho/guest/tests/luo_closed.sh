# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=240 append=kho=on liveupdate=on
#
# A session closed before kexec is not handed over. Kernel 1 has two
# holders: one of sessions luo-a0 and luo-a1 (4 files each; its memfds are
# closed once preserved, so only the sessions hold them), one of session
# luo-b0. Killing the second closes luo-b0 before kexec. Kernel 2 must not
# find luo-b0, and must find luo-a0 and luo-a1 intact.

LUO_ARGS="kho=on liveupdate=on"
LUO_SEED_A=1111
LUO_SEED_B=2222

run_gen() {
	local csum pid_b

	check "KHO enabled" dmesg_has "KHO: enabled"
	check "/dev/liveupdate present" [ -c /dev/liveupdate ]
	case $1 in
	1)	check "luoctl hold luo-a0, luo-a1 (files dropped)" \
			luo_run hold 2 4 $LUO_SEED_A --prefix luo-a --drop-files
		check "a holder keeps them" luo_holder_ok
		csum=$(luo_field "preserved total: .*csum ")
		check "luoctl hold luo-b0" luo_run hold 1 4 $LUO_SEED_B --prefix luo-b
		check "a second holder keeps it" luo_holder_ok
		pid_b=$LUO_PID
		check "luo-a0, luo-a1 outgoing" \
			[ "$(luoctl outgoing 2 --prefix luo-a)" = 2 ]
		check "luo-b0 outgoing" [ "$(luoctl outgoing 1 --prefix luo-b)" = 1 ]
		check "luo-b0's holder killed" luoctl stop "$pid_b"
		check "luo-b0 closed" [ "$(luoctl outgoing 1 --prefix luo-b)" = 0 ]
		check "luo-a0, luo-a1 still outgoing" \
			[ "$(luoctl outgoing 2 --prefix luo-a)" = 2 ]
		say_luo_log
		kexec_next "$LUO_ARGS khotest.luocsum=$csum" ;;
	2)	say_luo_log
		check "luo-b0 was not handed over" luoctl absent luo-b0
		check "luo-a0, luo-a1 verified and finished" \
			luo_run verify 2 4 $LUO_SEED_A --prefix luo-a --finish
		check "kernel 1's checksum" [ "$(luo_field "verified total: .*csum ")" = \
			"$(cmdline_arg khotest.luocsum)" ]
		finish ;;
	esac
}
