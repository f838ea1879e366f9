#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: run each test suite through make, keep its log, and close with
# one "N passed, N failed" line summing every individual test.
# usage: check.sh SUITE...   (make targets: utest kunit selftest lint)
set -u
cd "$(dirname "$0")/.."
logs=build/logs
mkdir -p "$logs"
total_pass=0 total_fail=0 summary=

for suite in "$@"; do
	log=$logs/check-$suite.log
	echo "==== $suite"
	start=$(date +%s)
	make --no-print-directory "$suite" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))

	pass= fail=
	case $suite in
	utest)
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
		pass=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
		fail=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p') ;;
	kunit)
		# One "Testing complete" line per kunit.py boot; sum them.
		lines=$(grep 'Testing complete. Ran' "$log")
		if [ -n "$lines" ]; then
			pass=0 fail=0
			while read -r line; do
				p=$(echo "$line" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
				f=$(echo "$line" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
				pass=$((pass + ${p:-0})) fail=$((fail + ${f:-0}))
			done <<< "$lines"
		fi ;;
	*)
		line=$(grep '^# Totals: ' "$log" | tail -n 1)
		pass=$(echo "$line" | sed -n 's/^# Totals: pass:\([0-9]*\) .*/\1/p')
		fail=$(echo "$line" | sed -n 's/^# Totals: pass:[0-9]* fail:\([0-9]*\) .*/\1/p') ;;
	esac
	if [ -z "$pass" ] || [ -z "$fail" ]; then
		echo "check: $suite printed no totals (exit status $rc); counted as one failure"
		pass=${pass:-0} fail=1
	elif [ $((pass + fail)) = 0 ]; then
		echo "check: $suite ran no test; counted as one failure"
		fail=1
	elif [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
		echo "check: $suite exited with status $rc; counted as one failure"
		fail=1
	fi
	total_pass=$((total_pass + pass)) total_fail=$((total_fail + fail))
	summary="$summary$(printf '%-14s %4d passed, %d failed  (%ds, log %s)' "$suite" "$pass" "$fail" "$secs" "$log")\n"
done

echo "==== summary"
printf "$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
