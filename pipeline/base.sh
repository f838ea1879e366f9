#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pristine base tree: Debian's linux-source-6.12 at one exact version,
# fetched as a .deb into the cache (no root needed), checked against
# pipeline/base.sums, and extracted once. Whether, and at which version,
# linux-source-6.12 is installed on the machine does not matter.
# usage: base.sh [--adopt] BASE_DEB DESTDIR CACHEDIR
#   --adopt  record the checksums of a version base.sums does not list yet
#            (pipeline/rebase.sh; apt has already checked the download)
# DESTDIR/linux-source-6.12 is the tree, DESTDIR/base-info what it is.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
adopt=
if [ "${1:-}" = --adopt ]; then adopt=1; shift; fi
deb=$1 dest=$2 cache=$3
pkg=linux-source-6.12
sums=$REPO/pipeline/base.sums
upstream=${deb%%-*}
file=${pkg}_${deb//:/%3a}_all.deb

if [ -f "$dest/base-info" ] && grep -qxF "deb $deb" "$dest/base-info"; then
	exit 0
fi

# 1. The .deb, by exact version, into the cache.
mkdir -p "$cache"
if [ ! -f "$cache/$file" ]; then
	echo "base: downloading $pkg=$deb into $cache"
	dl=$(mktemp -d "$cache/download.XXXXXX")
	trap 'rm -rf "$dl"' EXIT
	fetch() { (cd "$dl" && apt-get download -q "$pkg=$deb" 2>&1); }
	if ! out=$(fetch) && [ "$(id -u)" = 0 ]; then
		# Stale or missing package lists: refresh them once, as root.
		apt-get update -qq </dev/null >/dev/null 2>&1 || true
		out=$(fetch) || true
	fi
	if [ ! -f "$dl/$file" ]; then
		printf '%s\n' "$out" | grep -v 'unsandboxed as root' >&2 || true
		have=$(apt-cache madison "$pkg" 2>/dev/null |
			awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -uV | tr '\n' ' ')
		echo "base: Debian's archive does not serve $pkg=$deb (BASE_DEB in Makefile)." >&2
		if [ -n "$have" ]; then
			echo "base: the archive has: $have" >&2
		else
			echo "base: the archive lists no $pkg at all: run 'apt-get update' as root." >&2
		fi
		echo "base: move the series to one of them with: make rebase BASE_DEB=<version>" >&2
		exit 1
	fi
	mv "$dl/$file" "$cache/$file"
fi

# 2. Its checksum, then the tarball's, against base.sums.
sum_of() { sha256sum "$1" | cut -d' ' -f1; }
deb_sum=$(sum_of "$cache/$file")
want=$(awk -v v="$deb" '$1 == v { print $2 " " $3 }' "$sums")
if [ -z "$want" ] && [ -z "$adopt" ]; then
	echo "base: pipeline/base.sums has no checksum for $deb; adopt a new base with: make rebase BASE_DEB=$deb" >&2
	exit 1
fi
if [ -n "$want" ] && [ "$deb_sum" != "${want%% *}" ]; then
	rm -f "$cache/$file"
	echo "base: $cache/$file: sha256 $deb_sum, but pipeline/base.sums says ${want%% *}." >&2
	echo "base: the download is corrupt or not Debian's; removed it, run the command again to fetch it anew." >&2
	exit 1
fi

tree=$dest/$pkg
echo "base: extracting $pkg $deb"
[ -d "$dest" ] && find "$dest" -type d -exec chmod u+w {} +
rm -rf "$dest"
mkdir -p "$dest"
tarball=$dest/$pkg.tar.xz
dpkg-deb --fsys-tarfile "$cache/$file" | tar -xO "./usr/src/$pkg.tar.xz" > "$tarball"
tar_sum=$(sum_of "$tarball")
if [ -n "$want" ] && [ "$tar_sum" != "${want#* }" ]; then
	echo "base: the tarball in $file has sha256 $tar_sum, but pipeline/base.sums says ${want#* }." >&2
	rm -rf "$dest"
	exit 1
fi
tar -C "$dest" -xf "$tarball"
rm -f "$tarball"

# 3. The tarball's own Makefile must agree with the Debian version.
v=$(make -s -C "$tree" kernelversion 2>/dev/null)
if [ "$v" != "$upstream" ]; then
	echo "base: the tarball of $deb says $v, expected $upstream" >&2
	exit 1
fi
chmod -R a-w "$tree"
if [ -z "$want" ]; then
	echo "$deb $deb_sum $tar_sum" >> "$sums"
	echo "base: recorded the checksums of $deb in pipeline/base.sums"
fi
printf 'deb %s\nkernelversion %s\ndeb_sha256 %s\ntarball_sha256 %s\n' \
	"$deb" "$v" "$deb_sum" "$tar_sum" > "$dest/base-info"
