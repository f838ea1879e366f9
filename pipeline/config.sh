#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A minimal x86_64 config: tinyconfig merged with our fragments. Fails if an
# option a fragment asks for did not survive olddefconfig.
# usage: config.sh [--lenient] SRC OUT FRAGMENT...
#   --lenient  only report nothing (make bisect: early patches lack options)
set -eu
lenient=
if [ "$1" = --lenient ]; then lenient=1; shift; fi
SRC=$1 OUT=$2
shift 2

mkdir -p "$OUT"
make -s -C "$SRC" O="$OUT" ARCH=x86_64 tinyconfig >/dev/null
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" "$@" >/dev/null
make -s -C "$SRC" O="$OUT" ARCH=x86_64 olddefconfig >/dev/null

[ -z "$lenient" ] || exit 0
bad=0
for frag in "$@"; do
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			if ! grep -qxF "$line" "$OUT/.config"; then
				got=$(grep "^${line%%=*}=\|^# ${line%%=*} is not set" "$OUT/.config" || echo "absent")
				echo "config: $frag asks for $line, olddefconfig gave: $got" >&2
				bad=1
			fi ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}
			if grep -q "^$opt=" "$OUT/.config"; then
				echo "config: $frag disables $opt, but it is still set" >&2
				bad=1
			fi ;;
		esac
	done < "$frag"
done
exit $bad
