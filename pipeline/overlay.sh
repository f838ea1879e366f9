#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turn the pristine base into the patched tree: copy our new kernel files,
# apply patches/ in series order, then sync into SRC touching only files whose
# content changed, so kbuild rebuilds only what an edit affects.
# usage: overlay.sh REPO BASE SRC
set -eu
REPO=$1 BASE=$2 SRC=$3
. "$REPO/pipeline/series-items.sh"

stage=$SRC.stage
rm -rf "$stage"
mkdir -p "$stage"

claimed=$(mktemp)
trap 'rm -f "$claimed"' EXIT

# 1. New files, then the base copies of the files that patches change.
for item in $(series_items); do
	case $item in
	*.files)
		for f in $(item_files "$item"); do
			if [ ! -f "$REPO/$f" ]; then
				echo "overlay: patches/$item lists $f, which does not exist" >&2
				exit 1
			fi
			mkdir -p "$stage/$(dirname "$f")"
			cp -p "$REPO/$f" "$stage/$f"
			echo "$f" >> "$claimed"
		done ;;
	*.patch)
		for f in $(patch_files "$item"); do
			[ -e "$stage/$f" ] && continue
			mkdir -p "$stage/$(dirname "$f")"
			[ -f "$BASE/$f" ] && cp -p "$BASE/$f" "$stage/$f"
		done ;;
	MAINTAINERS)
		if ! insert_maintainers "$BASE/MAINTAINERS" "$stage/MAINTAINERS"; then
			echo "overlay: cannot place the MAINTAINERS entry" >&2
			exit 1
		fi ;;
	*)
		echo "overlay: patches/series: unknown item '$item'" >&2
		exit 1 ;;
	esac
done

dups=$(sort "$claimed" | uniq -d)
if [ -n "$dups" ]; then
	echo "overlay: files claimed by more than one .files item:" $dups >&2
	exit 1
fi
orphans=
[ -n "${SERIES_UPTO:-}" ] || orphans=$(overlay_files | grep -vxF -f "$claimed" || true)
if [ -n "$orphans" ]; then
	echo "overlay: files that no patches/*.files item lists (add them to one):" >&2
	printf '  %s\n' $orphans >&2
	exit 1
fi
untracked=
[ -n "${SERIES_UPTO:-}" ] || untracked=$(overlay_files new | grep -vxF -f "$claimed" || true)
if [ -n "$untracked" ]; then
	echo "overlay: note: untracked files left out of the tree (no .files item lists them):" $untracked
fi

# 2. Patches, in order. git apply refuses fuzz; an offset is reported.
for item in $(series_items); do
	case $item in *.patch) ;; *) continue ;; esac
	if ! out=$(cd "$stage" && GIT_CEILING_DIRECTORIES=$(dirname "$stage") git apply --verbose -p1 "$REPO/patches/$item" 2>&1); then
		printf '%s\n' "$out" | grep -v '^Checking\|^Applied' >&2
		echo "overlay: patches/$item does not apply to the base: fix or refresh this patch" >&2
		exit 1
	fi
	if printf '%s\n' "$out" | grep -qi 'offset\|fuzz'; then
		printf '%s\n' "$out" | grep -i 'offset\|fuzz' >&2
		echo "overlay: patches/$item applies only with an offset: refresh this patch" >&2
		exit 1
	fi
done

# A tree made from another base shares its files by hard link: start anew.
info=$(cat "$(dirname "$BASE")/base-info" 2>/dev/null || true)
if [ -d "$SRC" ] && [ "$info" != "$(cat "$SRC.base-info" 2>/dev/null || true)" ]; then
	echo "overlay: the base changed; recreating $SRC"
	find "$SRC" -type d -exec chmod u+w {} +
	rm -rf "$SRC" "$SRC.manifest"
fi
if [ ! -d "$SRC" ]; then
	echo "overlay: creating $SRC from the base"
	# Hard links are safe: every write below replaces files by rename.
	cp -al "$BASE" "$SRC.tmp"
	mv "$SRC.tmp" "$SRC"
	printf '%s\n' "$info" > "$SRC.base-info"
fi

# 3. Files that left the overlay since last time go back to the base version.
manifest=$SRC.manifest
now=$(cd "$stage" && find . -type f | sed 's|^\./||' | sort)
if [ -f "$manifest" ]; then
	for f in $(printf '%s\n' "$now" | comm -13 - "$manifest"); do
		if [ -f "$BASE/$f" ]; then
			cp -p "$BASE/$f" "$SRC/$f.tmp" && mv "$SRC/$f.tmp" "$SRC/$f"
		else
			rm -f "$SRC/$f"
		fi
	done
fi

# 4. Sync by content: unchanged files keep their mtime.
rsync -rlpc "$stage/" "$SRC/"
printf '%s\n' "$now" > "$manifest"
rm -rf "$stage"
