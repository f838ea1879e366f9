#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make memblock-test: the base tree's memblock simulator
# (tools/testing/memblock, which compiles the patched mm/memblock.c in
# userspace under ASan/UBSan), in its UMA and NUMA builds, as KTAP totals.
# usage: memblock-test.sh SRC
set -u
SRC=$1
. "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh"
cd "$SRC/tools/testing/memblock" || exit 1

ktap_print_header
pass=0 fail=0
for variant in "" "NUMA=1"; do
	make -s clean >/dev/null 2>&1
	# shellcheck disable=SC2086
	if ! make -s -j"$(nproc)" $variant >build.log 2>&1; then
		sed 's/^/# /' build.log | tail -n 20
		echo "not ok - memblock simulator ${variant:-UMA} does not build"
		fail=$((fail + 1))
		continue
	fi
	./main -v >run.log 2>&1
	rc=$?
	sed "s/^\(not \)\{0,1\}ok [0-9]* : /&${variant:-UMA}: /" run.log | grep '^\(not \)\{0,1\}ok '
	p=$(grep -c '^ok ' run.log) f=$(grep -c '^not ok ' run.log)
	if [ $rc != 0 ] && [ "$f" = 0 ]; then
		tail -n 20 run.log | sed 's/^/# /'
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f))
done
make -s clean >/dev/null 2>&1
rm -f build.log run.log
KTAP_CNT_PASS=$pass KTAP_CNT_FAIL=$fail
ktap_print_totals
[ "$fail" = 0 ]
