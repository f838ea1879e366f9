#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the KHO selftest initramfs. Each boot runs one generation of one
# test: khotest.name=NAME khotest.gen=N on the kernel command line select
# /kho/tests/NAME.sh, whose run_gen function either kexecs into the next
# generation or prints the verdict. Lines starting with "KHOTEST:" are the
# markers the host runner reads.

export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin
mount -t proc none /proc
mount -t sysfs none /sys
mount -t devtmpfs none /dev
mount -t debugfs none /sys/kernel/debug
mount -t tmpfs none /tmp
# Keep kernel messages off the console so the markers stay on their own
# lines; the checks read dmesg instead.
dmesg -n 1

. /kho/lib.sh
KHO_TEST=$(cmdline_arg khotest.name)
KHO_GEN=$(cmdline_arg khotest.gen)
: "${KHO_GEN:=1}"

# SCRIPT@CASE runs case CASE of a script that has several (# khocase:).
KHO_SCRIPT=${KHO_TEST%%@*}
KHO_CASE=
[ "$KHO_SCRIPT" = "$KHO_TEST" ] || KHO_CASE=${KHO_TEST#*@}

if [ -z "$KHO_TEST" ] || [ ! -f "/kho/tests/$KHO_SCRIPT.sh" ]; then
	echo "KHOTEST: ${KHO_TEST:-?}: FAIL: no such test"
	power_off
fi
. "/kho/tests/$KHO_SCRIPT.sh"
say "generation $KHO_GEN reached init"
run_gen "$KHO_GEN"
# run_gen either kexecs or ends the test; reaching here is a bug in the test.
fail "run_gen $KHO_GEN returned"
