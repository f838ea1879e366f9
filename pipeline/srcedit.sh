#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make files of build/src safe to edit in place. build/src shares unchanged
# files with the pristine base through hard links (see overlay.sh), so an
# in-place write would change the base too. This gives each named file its
# own writable copy; then edit it and run mkpatch.sh.
# usage: srcedit.sh FILE...   (FILE relative to the tree)
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)/build/src
for f in "$@"; do
	cp -p "$SRC/$f" "$SRC/$f.srcedit"
	chmod u+w "$SRC/$f.srcedit"
	mv "$SRC/$f.srcedit" "$SRC/$f"
	echo "srcedit: build/src/$f is now a private copy"
done
