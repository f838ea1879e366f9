# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=150 append=kho=on liveupdate=on
#
# Hostile LUO handovers: one test per corruption that the LUO fault
# injector (liveupdate/debug_corrupt, kernel/liveupdate/luo_debug.c) can
# plant in kernel 1's serialized sessions. Each runs as luo_hostile@CASE:
#
# 1. kernel 1 preserves 3 sessions of 4 files each (luoctl hold), arms
#    CASE and kexecs; the injector corrupts the state once it is
#    serialized at kexec -e;
# 2. kernel 2 must reach init and log the case's line. For an "all" case
#    every session is refused; for "s0" or "s1" only that session is
#    dropped and the others restore byte for byte; for "file" the
#    session restores but for its file 0, which RETRIEVE_FD refuses with
#    ENOENT. Refused memory stays reserved. Its MemFree is read first;
# 3. kernel 3, booted with kho=off, is the plain boot: kernel 2's MemFree
#    must be within 1 % of its own, so nothing was lost.
#
# No kernel may log a BUG, WARNING, KASAN report or Call Trace.
#
# The cases: NAME KIND PATTERN, where PATTERN (grep) is the line kernel 2
# must log after "liveupdate: ", and after "refusing the previous kernel's
# sessions: " for an "all" case or "dropping the previous kernel's " for
# an "s0" or "s1" case.
#
# khocase: luo-compatible all compatible "luo-6.11", not "luo-6.12"
# khocase: luo-compatible-nul all the compatible string has no NUL
# khocase: luo-version all version 2, not 1
# khocase: luo-no-sessions all no session in a published handover
# khocase: luo-sessions-count all [0-9]* sessions need [0-9]* bytes, but their block at 0x
# khocase: luo-sessions-max all 65537 sessions, more than 65536
# khocase: luo-sessions-not-ram all the session array at 0x[0-9a-f]* is not a block the previous
# khocase: luo-sessions-unpreserved all the session array at 0x[0-9a-f]* is not a block the
# khocase: luo-name-nul s0 session 0: its name has no NUL
# khocase: luo-name-empty s0 session 0: its name is empty
# khocase: luo-name-dup s1 session 1: the name "luo-s0" is session 0's
# khocase: luo-reserved s0 session "luo-s0": reserved field 0x1
# khocase: luo-files-count s0 session "luo-s0": [0-9]* files need [0-9]* bytes, but their block
# khocase: luo-files-not-ram s0 session "luo-s0": the file array at 0x[0-9a-f]* is not a block
# khocase: luo-files-shared s1 session "luo-s1": its file array at 0x[0-9a-f]* is session "luo-s0"
# khocase: luo-files-root s0 session "luo-s0": its file array at 0x[0-9a-f]* is the root's
# khocase: luo-token-dup s0 session "luo-s0": token 0x[0-9a-f]* is used twice
# khocase: luo-handler-nul s0 session "luo-s0": file 0: its handler compatible has no NUL
# khocase: luo-handler-unknown file session "luo-s0": no handler "no-such-handler-v1" for file

CORRUPT=/sys/kernel/debug/liveupdate/debug_corrupt
SESSIONS=3
FILES=4
SEED=4242

# case_field N: field N of this case's khocase line (3 is the pattern).
case_field() {
	sed -n "s/^# khocase: $KHO_CASE //p" "/kho/tests/$KHO_SCRIPT.sh" |
		if [ "$1" = 2 ]; then cut -d' ' -f1; else cut -d' ' -f2-; fi
}

armed() {
	grep -qx "\* $KHO_CASE" "$CORRUPT"
}

# prefix KIND: what the kernel's line says before the case's pattern.
prefix() {
	case $1 in
	all)	echo "refusing the previous kernel's sessions: " ;;
	s0|s1)	echo "dropping the previous kernel's " ;;
	esac
}

# Kernel 2's checks for the kind of the case, with the pattern @2.
kind_checks() {
	local dropped

	# A file's handler is looked up when the file is retrieved.
	[ "$1" = file ] ||
		check "the case's line is logged" dmesg_has "liveupdate: $(prefix "$1")$2"
	case $1 in
	all)	check "no session is taken" \
			luoctl absent luo-s0 luo-s1 luo-s2 ;;
	s0|s1)	dropped=${1#s}
		check "session $dropped is dropped" luoctl absent "luo-s$dropped"
		check "the other sessions restore byte for byte" \
			luoctl verify "$SESSIONS" "$FILES" "$SEED" --finish \
			--dropped "$dropped" ;;
	file)	check "the session restores but for file 0, refused with ENOENT" \
			luoctl verify "$SESSIONS" "$FILES" "$SEED" --finish \
			--bad-file 0
		check "the case's line is logged" dmesg_has "liveupdate: $2" ;;
	*)	check "case $KHO_CASE has a kind" false ;;
	esac
}

run_gen() {
	local memfree kind

	memfree=$(meminfo_kb MemFree)
	kind=$(case_field 2)
	case $1 in
	1)	check "luoctl holds $SESSIONS sessions of $FILES files" \
			luoctl hold "$SESSIONS" "$FILES" "$SEED"
		echo "$KHO_CASE" > "$CORRUPT"
		check "$KHO_CASE is armed" armed
		# test_kho's payload rides along; kernel 2 restores it but
		# preserves nothing, so only kernel 1's handover counts.
		kexec_next "kho=on liveupdate=on test_kho.chain=0" ;;
	2)	say_luo_log
		kind_checks "$kind" "$(case_field 3)"
		check "kernel log clean" kernel_log_clean
		say "MemFree after the hostile handover: $memfree kB"
		kexec_next "kho=off khotest.memfree=$memfree" ;;
	3)	check "KHO is off" dmesg_has "KHO: disabled"
		check_memfree_plain "$memfree"
		finish ;;
	esac
}
