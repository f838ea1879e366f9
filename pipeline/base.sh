#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract Debian's linux-source tarball as the pristine base tree, once.
# usage: base.sh BASE_VERSION DESTDIR
set -eu
want=$1 dest=$2
tarball=/usr/src/linux-source-6.12.tar.xz

have=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
have=${have%%-*}
if [ "$have" != "$want" ]; then
	echo "base: installed linux-source-6.12 is '${have:-none}', but the series is based on $want." >&2
	echo "base: refusing to apply the patches to another version; install $want or rebase the series." >&2
	exit 1
fi

tree=$dest/linux-source-6.12
[ -f "$dest/.extracted-$want" ] && exit 0
echo "base: extracting $tarball ($want)"
rm -rf "$dest"
mkdir -p "$dest"
tar -C "$dest" -xf "$tarball"
# The tarball's own Makefile must agree with the package version.
v=$(make -s -C "$tree" kernelversion 2>/dev/null)
if [ "$v" != "$want" ]; then
	echo "base: tarball says $v, expected $want" >&2
	exit 1
fi
chmod -R a-w "$tree"
touch "$dest/.extracted-$want"
