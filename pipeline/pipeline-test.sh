#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make pipeline-test: the pipeline's own promises, as KTAP.
# usage: pipeline-test.sh REPO BASE SRC BASE_DEB DEBCACHE
set -u
REPO=$1 BASE=$2 SRC=$3 DEB=$4 DEBS=$5
. "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT

ktap_print_header
ktap_set_plan 7

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

# 2-5. The base comes from the .deb named by BASE_DEB, whatever dpkg says.
# shim DIR VERSION: a dpkg-query that reports linux-source-6.12 at VERSION
# installed, or not installed at all when VERSION is empty.
shim() {
	mkdir -p "$1"
	cat > "$1/dpkg-query" <<EOT
#!/bin/sh
case "\$*" in *linux-source*) ;; *) exec /usr/bin/dpkg-query "\$@" ;; esac
[ -n "$2" ] || { echo "dpkg-query: no packages found matching linux-source-6.12" >&2; exit 1; }
echo "$2"
EOT
	chmod +x "$1/dpkg-query"
}
# base_ok NAME OUT: base.sh succeeded and extracted BASE_DEB's tree.
base_ok() {
	if [ "$rc" = 0 ] && grep -qxF "deb $DEB" "$tmp/$1/base-info" &&
	   [ "$(make -s -C "$tmp/$1/linux-source-6.12" kernelversion)" = "${DEB%%-*}" ]; then
		ktap_test_pass "$2"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		ktap_test_fail "$2"
	fi
}

shim "$tmp/bin-other" 6.12.999-1
out=$(PATH=$tmp/bin-other:$PATH "$REPO/pipeline/base.sh" "$DEB" "$tmp/other" "$DEBS" 2>&1)
rc=$?
base_ok other "with linux-source-6.12 6.12.999 installed, base.sh extracts $DEB"

# None installed, as an ordinary user where we can become one (nobody),
# from a copy of the scripts it can read, with an empty cache: the .deb is
# downloaded without root.
shim "$tmp/bin-none" ""
user=$tmp/user
mkdir -p "$user/repo/pipeline" "$user/cache"
cp "$REPO/pipeline/base.sh" "$REPO/pipeline/base.sums" "$user/repo/pipeline/"
as=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$tmp" "$tmp/bin-none"
	chown -R nobody "$user"
	as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi
out=$(PATH=$tmp/bin-none:$PATH $as "$user/repo/pipeline/base.sh" "$DEB" "$user/none" "$user/cache" 2>&1)
rc=$?
base_ok user/none "with no linux-source-6.12 installed, base.sh fetches $DEB${as:+ as nobody} and extracts it"

# A corrupted download is refused before extraction, and removed.
mkdir -p "$tmp/bad-cache"
deb_file=$DEBS/linux-source-6.12_${DEB//:/%3a}_all.deb
[ -f "$deb_file" ] || deb_file=$user/cache/$(basename "$deb_file")
cp "$deb_file" "$tmp/bad-cache/"
bad=$tmp/bad-cache/$(basename "$deb_file")
printf 'corrupt' | dd of="$bad" bs=1 seek=1000000 conv=notrunc status=none
out=$("$REPO/pipeline/base.sh" "$DEB" "$tmp/bad" "$tmp/bad-cache" 2>&1)
rc=$?
if [ $rc != 0 ] && printf '%s\n' "$out" | grep -q 'sha256.*base.sums says' &&
   [ ! -e "$bad" ] && [ ! -d "$tmp/bad/linux-source-6.12" ]; then
	ktap_print_msg "$(printf '%s\n' "$out" | grep sha256 | head -n 1)"
	ktap_test_pass "a corrupted .deb fails its checksum, is removed and nothing is extracted"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	ktap_test_fail "a corrupted .deb fails its checksum, is removed and nothing is extracted"
fi

# A version the archive no longer has: the error lists what it has.
gone=6.12.1-1~deb12u1
out=$("$REPO/pipeline/base.sh" "$gone" "$tmp/gone" "$tmp/gone-cache" 2>&1)
rc=$?
if [ $rc != 0 ] && printf '%s\n' "$out" | grep -q "does not serve linux-source-6.12=$gone" &&
   printf '%s\n' "$out" | grep -q "the archive has: .*${DEB%%-*}" &&
   printf '%s\n' "$out" | grep -q 'make rebase BASE_DEB='; then
	printf '%s\n' "$out" | grep '^base:' | while read -r l; do ktap_print_msg "$l"; done
	ktap_test_pass "a version gone from the archive names the versions it has and make rebase"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	ktap_test_fail "a version gone from the archive names the versions it has and make rebase"
fi

# 6. Rerunning the overlay with nothing edited touches no file.
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

# 7. Editing one overlay file rewrites exactly that file in the tree.
rsync -a --exclude=/build "$REPO/" "$tmp/repo2/"
echo "/* edited */" >> "$tmp/repo2/kernel/liveupdate/kexec_handover.c"
cp -al "$SRC" "$tmp/src2"
cp "$SRC.manifest" "$tmp/src2.manifest"
cp "$SRC.base-info" "$tmp/src2.base-info"
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
