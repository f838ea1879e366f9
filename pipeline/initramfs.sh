#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test initramfs: static busybox, Debian's unmodified kexec and dtc
# with the shared libraries they link (Xen's included), the kernel image
# itself for the next hop, and the guest side of the selftests. Packed with
# the kernel's own usr/gen_init_cpio, so no root or mknod is needed.
# usage: initramfs.sh SRC BZIMAGE GUESTDIR OUT.cpio
set -eu
SRC=$1 BZIMAGE=$2 GUEST=$3 OUT=$4

work=$OUT.d
root=$work/root
rm -rf "$work"
mkdir -p "$root"/{bin,boot,dev,proc,sys,tmp,kho} "$root/usr/sbin" "$root/usr/bin"

gcc -O2 -o "$work/gen_init_cpio" "$SRC/usr/gen_init_cpio.c"

cp /bin/busybox "$root/bin/busybox"
# kexec for the next hop; dtc (device-tree-compiler) to read the KHO FDTs
# in debugfs. Each goes in at its own path, with every shared object it
# needs at the path the loader will look for it.
for bin in /usr/sbin/kexec /usr/bin/dtc; do
	cp "$bin" "$root$bin"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
cp "$BZIMAGE" "$root/boot/bzImage"
cp "$GUEST/init.sh" "$root/init"
cp -r "$GUEST/lib.sh" "$GUEST/tests" "$root/kho/"
# The Live Update kselftest and luoctl, for the luo_* tests, built against
# the kernel's uapi as make headers_install exports it (kept beside OUT).
hdr=$OUT.uapi
make -s -C "$SRC" O="$hdr" ARCH=x86_64 headers_install >/dev/null
luo=$SRC/tools/testing/selftests/liveupdate
for prog in liveupdate luoctl; do
	gcc -static -O2 -Wall -I"$hdr/usr/include" -I"$SRC/tools/testing/selftests" \
		-o "$root/bin/$prog" "$luo/$prog.c"
done
for tool in ${EXTRA_TOOLS:-}; do
	cp "$tool" "$root/bin/"
done

{
	(cd "$root" && find . -mindepth 1 -type d | sort) | while read -r d; do
		echo "dir ${d#.} 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	(cd "$root" && find . -type f | sort) | while read -r f; do
		mode=0644
		[ -x "$root/$f" ] && mode=0755
		echo "file ${f#.} $root/${f#./} $mode 0 0"
	done
	echo "slink /bin/sh /bin/busybox 0777 0 0"
} > "$work/cpio.list"
"$work/gen_init_cpio" "$work/cpio.list" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "initramfs: $OUT ($(($(stat -c %s "$OUT") / 1024)) KiB)"
