#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the pipeline needs. Idempotent and silent when
# everything is present; works as root with no stdin.
set -eu

pkgs="qemu-system-x86 kexec-tools busybox-static ccache
      flex bison bc libelf-dev libssl-dev cpio python3 sparse
      device-tree-compiler gcc make rsync perl clang libclang-rt-14-dev
      liburcu-dev python3-ply python3-git gnuplot-nox libfdt-dev"

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq </dev/null >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing </dev/null >/dev/null
