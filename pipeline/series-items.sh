# SPDX-License-Identifier: GPL-2.0
# Shared by overlay.sh and series.sh: read patches/series.
#
# Each non-comment line of patches/series is one commit of the series:
#   NNNN-name.patch  a change to existing 6.12 files (git format-patch mail)
#   NNNN-name.files  new files at their kernel paths: a commit message whose
#                    header has a "Files:" line listing them
#   MAINTAINERS      add the top-level MAINTAINERS entry to the base's file

# Paths where new kernel files live; every file under them must belong to
# exactly one .files item.
OVERLAY_ROOTS="kernel/liveupdate include/linux/kho include/linux/kexec_handover.h
	lib/test_kho.c lib/test_kho_bench.c mm/memblock_kho.c Documentation/core-api/kho
	Documentation/admin-guide/mm/kho.rst
	tools/testing/selftests/kho tools/testing/kho
	include/uapi/linux/liveupdate.h include/linux/liveupdate.h
	Documentation/userspace-api/liveupdate.rst tools/testing/selftests/liveupdate"

# SERIES_UPTO=N keeps only the first N items (make bisect).
series_items() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$REPO/patches/series" |
		head -n "${SERIES_UPTO:-999999}"
}

# Files listed by a .files item: the "Files:" header line and its indented
# continuation lines.
item_files() {
	awk '/^$/ { exit } /^Files:/ { on = 1; sub(/^Files:/, "") }
	     /^[^ \t]/ && !/^Files:/ && on && !/^[ \t]/ { on = 0 }
	     on { print }' "$REPO/patches/$1" | tr ' \t' '\n\n' | sed '/^$/d'
}

# Commit message of a .files item: Subject line, blank, body (no Files:).
item_message() {
	sed -n 's/^Subject:[[:space:]]*//p' "$REPO/patches/$1"
	echo
	sed '1,/^$/d' "$REPO/patches/$1"
}

# Files a .patch item touches.
patch_files() {
	sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$REPO/patches/$1"
}

# Every file under the overlay roots that git tracks; with "new", the
# untracked (and not ignored) ones instead.
overlay_files() {
	local which=--cached
	[ "${1:-}" = new ] && which=--others
	(cd "$REPO" && git ls-files $which --exclude-standard -- $OVERLAY_ROOTS) | sort -u
}

# insert_maintainers BASE_FILE OUT_FILE: put our entry in alphabetical place,
# between the last pair of neighbouring titles that sort around it (the list
# is not sorted everywhere, so the first such pair can be wrong).
insert_maintainers() {
	local entry title line
	entry=$(sed '/^#/d' "$REPO/MAINTAINERS")
	title=$(printf '%s\n' "$entry" | sed -n '1p')
	line=$(awk -v t="$title" '
		/^Maintainers List/ { on = 1; next }
		on && prev == "" && /^[A-Z0-9]/ {
			if (last != "" && last < t && $0 > t) at = NR
			last = $0
		}
		{ prev = $0 }
		END { print at + 0 }' "$1")
	[ "$line" -gt 0 ] || return 1
	{
		head -n $((line - 1)) "$1"
		printf '%s\n\n' "$entry"
		tail -n +"$line" "$1"
	} > "$2"
}

# write_patch OUT HEADER DIR: write patch OUT from the mail header HEADER (up
# to and including its "---" line) and the difference between DIR/a and DIR/b,
# the files before and after the patch (mkpatch.sh, rebase.sh).
write_patch() {
	local diff
	diff=$(cd "$3" && git diff --no-index --no-prefix a b || true)
	[ -n "$diff" ] || return 1
	{
		cat "$2"
		printf '%s\n' "$diff" | git apply --stat
		echo
		printf '%s\n' "$diff"
		echo
	} > "$1.tmp"
	mv "$1.tmp" "$1"
}
