# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=300 append=kho=on liveupdate=on
#
# Live Update sessions over three kernels. Kernel 1: luoctl hold creates 20
# sessions (luo-s0..luo-s19) of 5 memfds each, which the test file handler
# takes ("luo-test-*", 1 to 64 KiB of bytes drawn from a seed), and leaves a
# holder process keeping them open across kexec -e. Kernel 2 retrieves each
# session by name and each file by token, checks every byte (read() and
# mmap()) and what an incoming session refuses, finishes the sessions, then
# preserves the same files again in new sessions of the same names,
# rewritten with the bytes of a second seed. Kernel 3 checks those and
# finishes them. Each kernel hands the checksum of what it preserved to the
# next (khotest.luocsum=).

LUO_ARGS="kho=on liveupdate=on"
LUO_SEED=1234
LUO_SEED2=98765
LUO_INCOMING=/sys/kernel/debug/liveupdate/incoming

run_gen() {
	local csum

	luo_ready
	case $1 in
	1)	check "luoctl hold 20 sessions of 5 files" \
			luo_run hold 20 5 $LUO_SEED
		check "a holder keeps them" luo_holder_ok
		check "all 20 sessions outgoing" \
			[ "$(luoctl outgoing 20)" = 20 ]
		csum=$(luo_field "preserved total: .*csum ")
		say_luo_log
		kexec_next "$LUO_ARGS khotest.luocsum=$csum" ;;
	2)	say_luo_log
		say "debugfs liveupdate/incoming, first lines:"
		head -n 3 "$LUO_INCOMING" | while IFS= read -r line; do
			say "  | $line"
		done
		check "debugfs lists the 20 incoming sessions" \
			[ "$(grep -c '^session "luo-s[0-9]*": 5 files$' "$LUO_INCOMING")" = 20 ]
		check "debugfs lists their 100 files, held, with their sizes" \
			[ "$(grep -c '^  token .*: test-luo-v1, .*, [0-9]* bytes, held$' \
				"$LUO_INCOMING")" = 100 ]
		check "kernel 1's 20 sessions verified, finished, preserved again" \
			luo_run verify 20 5 $LUO_SEED --finish --represerve $LUO_SEED2
		check "20 sessions verified" [ "$(printf '%s\n' "$LUO_OUT" |
			grep -c '^verified luo-s[0-9]*: 5 files, .*, finished$')" = 20 ]
		check "kernel 1's checksum" [ "$(luo_field "verified total: .*csum ")" = \
			"$(cmdline_arg khotest.luocsum)" ]
		check "a holder keeps the new ones" luo_holder_ok
		check "all 20 sessions outgoing again" \
			[ "$(luoctl outgoing 20)" = 20 ]
		check "no luo-s20" luoctl absent luo-s20
		check "debugfs lists no incoming session once finished" \
			[ ! -s "$LUO_INCOMING" ]
		csum=$(luo_field "preserved total: .*csum ")
		kexec_next "$LUO_ARGS khotest.luocsum=$csum" ;;
	3)	say_luo_log
		check "kernel 2's 20 sessions verified and finished" \
			luo_run verify 20 5 $LUO_SEED2 --finish
		check "20 sessions verified" [ "$(printf '%s\n' "$LUO_OUT" |
			grep -c '^verified luo-s[0-9]*: 5 files, .*, finished$')" = 20 ]
		check "kernel 2's checksum" [ "$(luo_field "verified total: .*csum ")" = \
			"$(cmdline_arg khotest.luocsum)" ]
		check "finished sessions are gone" luoctl absent luo-s0 luo-s19
		finish ;;
	esac
}
