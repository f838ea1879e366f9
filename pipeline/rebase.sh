#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make rebase BASE_DEB=<version>: move the series to another Debian
# linux-source-6.12. Fetch and extract that base, apply patches/ in order
# with fuzz allowed, rewrite each patch that needed an offset or fuzz,
# and print one line per patch: clean, refreshed or failed (with the
# reject). If every patch applies, BASE_DEB in Makefile names the new
# base and the kernel is built on it; then run make check.
# usage: rebase.sh REPO NEW_BASE_DEB CACHEDIR
set -eu
REPO=$1 deb=$2 cache=$3
. "$REPO/pipeline/series-items.sh"
work=$REPO/build/rebase
base=$work/base/linux-source-6.12
tree=$work/tree
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$REPO/pipeline/base.sh" --adopt "$deb" "$work/base" "$cache"

# The files the patches touch, as the new base has them.
rm -rf "$tree"
mkdir -p "$tree"
for item in $(series_items); do
	case $item in *.patch) ;; *) continue ;; esac
	for f in $(patch_files "$item"); do
		[ -f "$base/$f" ] || continue
		mkdir -p "$tree/$(dirname "$f")"
		cp -n "$base/$f" "$tree/$f"
		chmod u+w "$tree/$f"
	done
done

gapply() {
	(cd "$tree" && GIT_CEILING_DIRECTORIES=$work git apply --verbose "$@" 2>&1)
}

failed=0 summary=
for item in $(series_items); do
	case $item in
	*.patch) ;;
	MAINTAINERS)
		if insert_maintainers "$base/MAINTAINERS" "$tmp/MAINTAINERS"; then
			summary="${summary}clean      MAINTAINERS entry\n"
		else
			summary="${summary}failed     MAINTAINERS entry: no place for it\n"
			failed=$((failed + 1))
		fi
		continue ;;
	*) continue ;;
	esac
	rm -rf "$tmp/p"
	mkdir -p "$tmp/p/a" "$tmp/p/b"
	for f in $(patch_files "$item"); do
		[ -f "$tree/$f" ] || continue
		mkdir -p "$tmp/p/a/$(dirname "$f")"
		cp "$tree/$f" "$tmp/p/a/$f"
	done

	how=
	if out=$(gapply "$REPO/patches/$item"); then
		if printf '%s\n' "$out" | grep -qi 'offset\|fuzz'; then
			how="offset: $(printf '%s\n' "$out" | grep -ci 'offset') hunk(s)"
		else
			summary="${summary}clean      $item\n"
			continue
		fi
	elif (cd "$tree" && patch -p1 -s -F3 --dry-run <"$REPO/patches/$item" >/dev/null 2>&1); then
		(cd "$tree" && patch -p1 -s -F3 --no-backup-if-mismatch <"$REPO/patches/$item" >/dev/null)
		how="fuzz"
	else
		# Keep the tree as it was; show the reject from a scratch copy.
		rm -rf "$tmp/r"
		cp -a "$tmp/p/a" "$tmp/r"
		(cd "$tmp/r" && patch -p1 -F3 --no-backup-if-mismatch -r "$tmp/rej" \
			<"$REPO/patches/$item" >/dev/null 2>&1) || true
		summary="${summary}failed     $item\n$(sed 's/^/           | /' "$tmp/rej" 2>/dev/null)\n"
		failed=$((failed + 1))
		continue
	fi
	for f in $(patch_files "$item"); do
		[ -f "$tree/$f" ] || continue
		mkdir -p "$tmp/p/b/$(dirname "$f")"
		cp "$tree/$f" "$tmp/p/b/$f"
	done
	sed '/^---$/q' "$REPO/patches/$item" > "$tmp/header"
	write_patch "$REPO/patches/$item" "$tmp/header" "$tmp/p"
	summary="${summary}refreshed  $item ($how)\n"
done

echo "==== rebase onto linux-source-6.12 $deb"
printf "$summary"
if [ "$failed" != 0 ]; then
	echo "rebase: $failed item(s) failed; Makefile still names the old base." \
	     "Fix the rejects above in the patches, then run make rebase again."
	exit 1
fi
sed -i "s/^BASE_DEB[[:space:]]*:=.*/BASE_DEB     := $deb/" "$REPO/Makefile"
# The new base becomes the pipeline's; the overlay sees it and starts anew.
[ -d "$REPO/build/base" ] && find "$REPO/build/base" -type d -exec chmod u+w {} +
rm -rf "$REPO/build/base"
mv "$work/base" "$REPO/build/base"
echo "rebase: BASE_DEB := $deb in Makefile; building the kernel on it"
make -C "$REPO" --no-print-directory kernel BASE_DEB="$deb"
echo "rebase: the kernel builds on $deb; now run make check and commit" \
     "Makefile, pipeline/base.sums and the refreshed patches"
