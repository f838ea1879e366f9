#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make series: replay patches/series as commits on top of the pristine base,
# export them with git format-patch and a cover letter, then prove the
# export by applying it with git am onto the base again.
# usage: series.sh REPO BASE OUTDIR
set -eu
REPO=$1 BASE=$2 OUT=$3
. "$REPO/pipeline/series-items.sh"
git_tree=$OUT.git
version=$(make -s -C "$BASE" kernelversion)
info() { awk -v k="$1" '$1 == k { print $2 }' "$(dirname "$BASE")/base-info"; }
deb=$(info deb)

export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
# The committer's identity; a machine without one still gets a series.
GIT_AUTHOR_NAME=$(git -C "$REPO" config user.name || echo "KHO series")
GIT_AUTHOR_EMAIL=$(git -C "$REPO" config user.email || echo "kho@localhost")
GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
g() { git -C "$git_tree" -c core.autocrlf=false "$@"; }

# The base as one commit, made once and reused.
if ! g rev-parse -q --verify refs/tags/base >/dev/null 2>&1; then
	echo "series: committing the $version base (once)"
	rm -rf "$git_tree"
	cp -a "$BASE" "$git_tree"
	g init -q
	g add -A -f
	g commit -q -m "Linux $version (Debian linux-source-6.12 $deb)"
	g tag base
fi
g checkout -q -f -B series base
g clean -q -fdx

for item in $(series_items); do
	case $item in
	*.patch)
		if ! g am -q --keep-cr "$REPO/patches/$item" >/dev/null 2>&1; then
			g am --abort >/dev/null 2>&1 || true
			echo "series: patches/$item does not apply" >&2
			exit 1
		fi ;;
	*.files)
		for f in $(item_files "$item"); do
			mkdir -p "$git_tree/$(dirname "$f")"
			cp -p "$REPO/$f" "$git_tree/$f"
			g add -f "$f"
		done
		item_message "$item" | g commit -q -s -F - ;;
	MAINTAINERS)
		insert_maintainers "$git_tree/MAINTAINERS" "$git_tree/MAINTAINERS.new"
		mv "$git_tree/MAINTAINERS.new" "$git_tree/MAINTAINERS"
		g add MAINTAINERS
		g commit -q -s -F - <<EOT
MAINTAINERS: add an entry for kexec handover (KHO)

List the kexec handover files, their maintainers and mailing lists.
EOT
		;;
	esac
done

rm -rf "$OUT"
g format-patch -q --cover-letter --base=base -o "$OUT" base..series
cover=$(ls "$OUT"/0000-*.patch)
python3 - "$cover" "$REPO/patches/cover-letter" "$deb" "$version" \
	"$(info tarball_sha256)" "$(info deb_sha256)" <<'PY'
import sys
cover, text = sys.argv[1], open(sys.argv[2]).read()
deb, version, tar_sum, deb_sum = sys.argv[3:7]
subject, _, blurb = text.partition('\n\n')
blurb = blurb.strip() + f"""

The base, exactly: Debian's linux-source-6.12 {deb}, upstream
kernelversion {version}.
  apt-get download linux-source-6.12={deb}
  .deb sha256:     {deb_sum}
  tarball sha256:  {tar_sum} (usr/src/linux-source-6.12.tar.xz)
"""
s = open(cover).read()
s = s.replace('*** SUBJECT HERE ***', subject.strip())
s = s.replace('*** BLURB HERE ***', blurb.strip())
open(cover, 'w').write(s)
PY

# Prove it: the exported series must git am onto the pristine base.
g checkout -q -f -B am-check base
patches=$(ls "$OUT"/*.patch | grep -v '/0000-')
# shellcheck disable=SC2086
if ! g am -q $patches >/dev/null 2>&1; then
	g am --abort >/dev/null 2>&1 || true
	echo "series: the exported series does not git am onto the base" >&2
	exit 1
fi
if [ -n "$(g diff series am-check)" ]; then
	echo "series: git am of the export differs from the series" >&2
	exit 1
fi
n=$(echo $patches | wc -w)
echo "series: $n patches + cover letter in $OUT; git am onto $version: ok"
