#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write (or refresh) one patch of the series from files edited in build/src.
# The diff is taken against the tree as it stands before this patch: the base
# plus every earlier patch in patches/series. An existing patch keeps its
# mail header and message; a new one gets a template to fill in.
# usage: mkpatch.sh patches/NNNN-name.patch FILE...   (FILE relative to the tree)
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/pipeline/series-items.sh"
BASE=$REPO/build/base/linux-source-6.12
SRC=$REPO/build/src
out=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
name=$(basename "$out")
shift

before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT
for f in "$@"; do
	if [ "$SRC/$f" -ef "$BASE/$f" ]; then
		echo "mkpatch: build/src/$f is still a hard link to the base: run pipeline/srcedit.sh $f before editing it" >&2
		exit 1
	fi
	mkdir -p "$before/a/$(dirname "$f")" "$before/b/$(dirname "$f")"
	# A file of 6.12, or one a .files item of the series adds (the
	# repository holds it as that item adds it, before any patch).
	if [ -f "$BASE/$f" ]; then
		cp "$BASE/$f" "$before/a/$f"
	elif [ -f "$REPO/$f" ]; then
		cp "$REPO/$f" "$before/a/$f"
	fi
	cp "$SRC/$f" "$before/b/$f"
done
for item in $(series_items); do
	[ "$item" = "$name" ] && break
	case $item in *.patch) ;; *) continue ;; esac
	for f in $(patch_files "$item"); do
		[ -f "$before/a/$f" ] || continue
		(cd "$before/a" && GIT_CEILING_DIRECTORIES=$before \
			git apply --include="$f" "$REPO/patches/$item")
	done
done

header=$(mktemp)
if [ -f "$out" ]; then
	sed '/^---$/q' "$out" > "$header"
else
	cat > "$header" <<EOT
From: $(git config user.name) <$(git config user.email)>
Subject: [PATCH] SUBSYSTEM: one-line summary

Why the change is needed and what it does.

Signed-off-by: $(git config user.name) <$(git config user.email)>
---
EOT
fi
if ! write_patch "$out" "$header" "$before"; then
	echo "mkpatch: $* unchanged against the base and earlier patches" >&2
	exit 1
fi
rm -f "$header"
echo "mkpatch: wrote $out"
