#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make pipeline-test: the pipeline's own promises, as KTAP.
# usage: pipeline-test.sh REPO BASE SRC BASE_VERSION
set -u
REPO=$1 BASE=$2 SRC=$3 VERSION=$4
. "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ktap_print_header
ktap_set_plan 4

# 1. A patch whose context no longer matches stops the overlay, by name.
rsync -a --exclude=/build "$REPO/" "$tmp/repo/"
victim=$(grep '\.patch$' "$tmp/repo/patches/series" | head -n 1)
# Change the first context line of the first hunk.
awk '/^@@/ && !done { hunk = 1; print; next }
     hunk && /^ ./ && !done { print " corrupted" substr($0, 2); done = 1; next }
     { print }' "$REPO/patches/$victim" > "$tmp/repo/patches/$victim"
out=$("$REPO/pipeline/overlay.sh" "$tmp/repo" "$BASE" "$tmp/src" 2>&1)
rc=$?
if [ $rc != 0 ] && printf '%s\n' "$out" | grep -q "patches/$victim does not apply" &&
   [ ! -d "$tmp/src" ]; then
	ktap_print_msg "$(printf '%s\n' "$out" | tail -n 1)"
	ktap_test_pass "a corrupted context line in $victim stops the overlay, naming it"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	ktap_test_fail "a corrupted context line in $victim stops the overlay, naming it"
fi

# 2. Another installed base version is refused, naming both.
out=$("$REPO/pipeline/base.sh" 6.12.999 "$tmp/base" 2>&1)
rc=$?
if [ $rc != 0 ] && printf '%s\n' "$out" | grep -q "$VERSION" &&
   printf '%s\n' "$out" | grep -q 6.12.999; then
	ktap_print_msg "$(printf '%s\n' "$out" | head -n 1)"
	ktap_test_pass "a different base version is refused, naming both"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	ktap_test_fail "a different base version is refused, naming both"
fi

# 3. Rerunning the overlay with nothing edited touches no file.
touch "$tmp/stamp"
sleep 1
"$REPO/pipeline/overlay.sh" "$REPO" "$BASE" "$SRC" >/dev/null
touched=$(find "$SRC" -newer "$tmp/stamp" -type f | head -n 5)
if [ -z "$touched" ]; then
	ktap_test_pass "a second overlay run rewrites nothing"
else
	ktap_print_msg "rewritten: $touched"
	ktap_test_fail "a second overlay run rewrites nothing"
fi

# 4. Editing one overlay file rewrites exactly that file in the tree.
rsync -a --exclude=/build "$REPO/" "$tmp/repo2/"
echo "/* edited */" >> "$tmp/repo2/kernel/liveupdate/kexec_handover.c"
cp -al "$SRC" "$tmp/src2"
cp "$SRC.manifest" "$tmp/src2.manifest"
touch "$tmp/stamp"
sleep 1
"$REPO/pipeline/overlay.sh" "$tmp/repo2" "$BASE" "$tmp/src2" >/dev/null
touched=$(cd "$tmp/src2" && find . -newer "$tmp/stamp" -type f | sed 's|^\./||')
if [ "$touched" = kernel/liveupdate/kexec_handover.c ]; then
	ktap_test_pass "an edit to one file rewrites only that file"
else
	ktap_print_msg "rewritten: $touched"
	ktap_test_fail "an edit to one file rewrites only that file"
fi
ktap_finished
