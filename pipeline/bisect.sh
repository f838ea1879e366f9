#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bisect: build the x86_64 test kernel after each item of the series,
# in order, in one tree that grows by one item at a time (incremental, with
# ccache), and print one line per item. An item that touches only docs,
# tests or tools is marked so; the kernel must still build after it.
# BISECT_FROM=N starts the report at item N: the tree is first built as of
# item N-1 in one step (a rerun after fixing item N).
# usage: bisect.sh REPO BASE OUTDIR FRAGMENT...
set -u
REPO=$1 BASE=$2 OUT=$3
shift 3
. "$REPO/pipeline/series-items.sh"
src=$OUT/src kout=$OUT/kernel logs=$OUT/logs
mkdir -p "$logs"

# docs, tests, tools: nothing that goes into a production kernel.
kind_of() {
	local files
	case $1 in
	*.patch) files=$(patch_files "$1") ;;
	*.files) files=$(item_files "$1") ;;
	*) files=MAINTAINERS ;;
	esac
	if printf '%s\n' "$files" | grep -qvE '^(Documentation/|tools/|samples/|MAINTAINERS$|lib/test_)'; then
		echo code
	else
		echo "docs/tests/tools"
	fi
}

# The kernel .c files an item adds that this config did not compile: code
# added but not wired into the build until later (or only in other
# configs, like KUnit suites).
unbuilt() {
	local f miss=
	case $1 in *.files) ;; *) return ;; esac
	for f in $(item_files "$1" | grep '\.c$' | grep -vE '^(tools|samples)/'); do
		[ -f "$kout/${f%.c}.o" ] || miss="$miss $(basename "$f")"
	done
	[ -z "$miss" ] || printf ', not compiled here:%s' "$miss"
}

# build K FRAGMENT...: the tree and kernel as of item K, the log in $log.
build() {
	local upto=$1

	shift
	SERIES_UPTO=$upto "$REPO/pipeline/overlay.sh" "$REPO" "$BASE" "$src" >"$log" 2>&1 &&
	"$REPO/pipeline/config.sh" --lenient "$src" "$kout" "$@" >>"$log" 2>&1 &&
	make -s -C "$src" O="$kout" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" \
		bzImage >>"$log" 2>&1
}

n=$(series_items | wc -l)
from=${BISECT_FROM:-1}
start=$(date +%s)
# A clean output directory: "not compiled here" reads which objects exist.
rm -rf "$kout"
if [ "$from" -gt 1 ]; then
	log=$logs/before-$from.log
	if ! build $((from - 1)) "$@"; then
		echo "bisect: the tree as of item $((from - 1)) does not build (log $log)"
		exit 1
	fi
	echo "bisect: built the tree as of item $((from - 1)) in $(($(date +%s) - start)) s"
fi
k=0 built=0 failed=0
for item in $(series_items); do
	k=$((k + 1))
	[ "$k" -ge "$from" ] || continue
	t0=$(date +%s)
	log=$logs/$(printf '%04d' "$k").log
	kind=$(kind_of "$item")
	if build "$k" "$@"; then
		built=$((built + 1))
		printf 'bisect: %2d/%d %-72s ok      %4ds  %s%s\n' "$k" "$n" "$item" \
			$(($(date +%s) - t0)) "$kind" "$(unbuilt "$item")"
	else
		failed=$((failed + 1))
		printf 'bisect: %2d/%d %-72s FAILED  %4ds  %s (log %s)\n' "$k" "$n" \
			"$item" $(($(date +%s) - t0)) "$kind" "$log"
		grep -E 'error:|Error [0-9]|undefined reference|overlay:' "$log" |
			head -n 8 | sed 's/^/bisect:     | /'
	fi
done
echo "bisect: items $from to $n: $built built, $failed failed, in $(($(date +%s) - start)) s"
[ "$failed" = 0 ]
