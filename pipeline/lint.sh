#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint, as KTAP: checkpatch --strict on every patch of the exported
# series, W=1 and sparse (C=2) on our kernel directories, kernel-doc -Wall
# on our C files and headers, and MAINTAINERS coverage of every new file.
# usage: lint.sh REPO SRC KOUT SERIESDIR
set -u
REPO=$1 SRC=$2 KOUT=$3 SERIES=$4
. "$REPO/pipeline/series-items.sh"
. "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh"
KUNIT_OUT=$(dirname "$KOUT")/kunit
# Directories and objects built with W=1 and sparse; grows as the series
# does. test_kho is configured only in the selftest kernel.
LINT_DIRS="kernel/liveupdate/ mm/memblock_kho.o"
LINT_SELFTEST_ONLY="lib/test_kho.o lib/test_kho_bench.o"

patches=$(ls "$SERIES"/*.patch | grep -v '/0000-')
c_files=$(cd "$REPO" && git ls-files -- kernel/liveupdate include/linux/kho \
	include/linux/kexec_handover.h lib/test_kho.c lib/test_kho_bench.c mm/memblock_kho.c | grep '\.[ch]$')
kbuilds=$KOUT
[ -f "$KUNIT_OUT/.config" ] && kbuilds="$kbuilds $KUNIT_OUT"

ktap_print_header
ktap_set_plan $(( $(echo $patches | wc -w) + $(echo $kbuilds | wc -w) + $(echo $c_files | wc -w) + 1 ))

# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is checked below,
# more strictly: every file the series adds must match our F: lines.
# The Nth exported patch is the Nth item of patches/series. A .files item
# may name checkpatch types that do not apply to it ("Checkpatch-ignore:",
# e.g. for userspace shims that reimplement kernel macros).
items=($(series_items))
n=0
for p in $patches; do
	ignore=FILE_PATH_CHANGES
	item=${items[$n]}
	n=$((n + 1))
	case $item in *.files)
		extra=$(sed -n '/^$/q;s/^Checkpatch-ignore:[[:space:]]*//p' "$REPO/patches/$item")
		[ -n "$extra" ] && ignore="$ignore,$extra" ;;
	esac
	out=$(cd "$SRC" && scripts/checkpatch.pl --strict --terse --show-types \
		--ignore "$ignore" "$p" 2>&1)
	rc=$?
	if [ $rc != 0 ] || printf '%s\n' "$out" | grep -qE '(ERROR|WARNING|CHECK):'; then
		[ $rc = 0 ] || printf '%s\n' "$out" | tail -n 5 | sed 's/^/# /'
		printf '%s\n' "$out" | grep -E '(ERROR|WARNING|CHECK):' | sed 's/^/# /'
		ktap_test_fail "checkpatch --strict $(basename "$p")"
	else
		ktap_test_pass "checkpatch --strict $(basename "$p")"
	fi
done

for kb in $kbuilds; do
	dirs=$LINT_DIRS
	[ "$kb" = "$KOUT" ] && dirs="$dirs $LINT_SELFTEST_ONLY"
	# shellcheck disable=SC2086
	out=$(make -s -C "$SRC" O="$kb" ARCH=x86_64 CC="ccache gcc" W=1 C=2 \
		-j"$(nproc)" $dirs 2>&1)
	rc=$?
	if [ $rc != 0 ] || printf '%s\n' "$out" | grep -qE 'warning:|error:'; then
		printf '%s\n' "$out" | tail -n 30 | sed 's/^/# /'
		ktap_test_fail "W=1 C=2 (sparse) $dirs in $(basename "$kb")"
	else
		ktap_test_pass "W=1 C=2 (sparse) $dirs in $(basename "$kb")"
	fi
done

for f in $c_files; do
	out=$("$SRC/scripts/kernel-doc" -Wall -none "$REPO/$f" 2>&1)
	if [ -n "$out" ]; then
		printf '%s\n' "$out" | sed 's/^/# /'
		ktap_test_fail "kernel-doc -Wall $f"
	else
		ktap_test_pass "kernel-doc -Wall $f"
	fi
done

# Every file the series adds is covered by an F: line of the patched
# MAINTAINERS (ours, or the entry of the directory it joins), not just by
# the catch-all "*" of THE REST. A trailing / matches a directory.
globs=$(sed -n 's/^F:[[:space:]]*//p' "$SRC/MAINTAINERS" | grep -vx '\*/\{0,1\}')
uncovered=
set -f
for f in $(grep -h '^+++ b/' $patches | sed 's|^+++ b/||' | sort -u); do
	[ -f "$(dirname "$KOUT")/base/linux-source-6.12/$f" ] && continue
	ok=0
	for g in $globs; do
		case $g in
		*/)	case $f in "$g"*) ok=1 ;; esac ;;
		*)	case $f in $g) ok=1 ;; esac ;;
		esac
	done
	[ $ok = 1 ] || uncovered="$uncovered $f"
done
set +f
if [ -z "$uncovered" ]; then
	ktap_test_pass "MAINTAINERS covers every new file"
else
	ktap_print_msg "not covered by MAINTAINERS:$uncovered"
	ktap_test_fail "MAINTAINERS covers every new file"
fi
ktap_finished
