# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=180 append=kho=on liveupdate=on
#
# The Live Update kselftest (tools/testing/selftests/liveupdate/liveupdate.c,
# /bin/liveupdate here) in one kernel: every error /dev/liveupdate gives
# without a kexec, the struct size rules of each ioctl, 2000 sessions and
# 500 files in one session. Passes iff it exits 0; its KTAP goes to the log.

run_gen() {
	local out rc

	check "KHO enabled" dmesg_has "KHO: enabled"
	check "/dev/liveupdate present" [ -c /dev/liveupdate ]
	out=$(liveupdate 2>&1)
	rc=$?
	printf '%s\n' "$out" | while IFS= read -r line; do
		say "ktap: $line"
	done
	check "liveupdate kselftest exits 0 (exit $rc)" [ "$rc" = 0 ]
	check "no test failed" [ "$(printf '%s\n' "$out" | grep -c '^not ok')" = 0 ]
	check "its sessions are all closed" \
		[ "$(luoctl outgoing 1 --prefix kst-many-)" = 0 ]
	dmesg | grep -o 'liveupdate: .*' | while IFS= read -r line; do
		say "log: $line"
	done
	finish
}
