# SPDX-License-Identifier: GPL-2.0
# khotest: mem=2G timeout=600 smp=2 append=kho=on crashkernel=256M test_kho.max_mem=16777216
#
# kdump beside KHO. Kernel 1 runs with KHO on and a crashkernel=
# reservation, preserves test_kho's payload, and loads itself as a crash
# kernel with "kexec -s -p", kho=on on the crash kernel's command line:
# the load must work although KHO restricts the segments of a normal kexec
# to scratch. A sysrq crash then starts the crash kernel, which must be a
# kdump kernel (/proc/vmcore), run from inside kernel 1's "Crash kernel"
# range (so its segments went there, not to scratch), keep KHO off without
# taking any handover, and reserve no scratch memory.

run_gen() {
	local crash args

	case $1 in
	1)	check "KHO enabled" dmesg_has "KHO: enabled"
		crash=$(iomem_range "Crash kernel") ||
			fail "no \"Crash kernel\" range in /proc/iomem"
		say "crash kernel range $(printf '0x%x-0x%x' ${crash% *} ${crash#* })"
		check "test_kho preserved a payload" [ -n "$(test_kho_saved 1)" ]
		cp /sys/firmware/initrd /tmp/initrd.cpio ||
			fail "no /sys/firmware/initrd"
		args="$KHO_BASE_ARGS khotest.name=$KHO_TEST khotest.gen=2 kho=on"
		args="$args khotest.crash=${crash% *}:${crash#* }"
		kexec -s -p /boot/bzImage --initrd=/tmp/initrd.cpio \
			--append="$args nr_cpus=1 irqpoll reset_devices" ||
			fail "kexec -s -p failed with KHO on"
		check "crash kernel loaded" \
			[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]
		[ "$KHO_FAILED" = 0 ] || fail "checks failed in generation 1"
		say "crashing into the crash kernel"
		dmesg -n 8
		echo c > /proc/sysrq-trigger
		fail "sysrq crash returned" ;;
	2)	crash=$(cmdline_arg khotest.crash)
		check "this is a kdump kernel (/proc/vmcore)" [ -e /proc/vmcore ]
		check "its code lies in kernel 1's crash kernel range" \
			kernel_in_range "${crash%:*}" "${crash#*:}"
		check "KHO stays off in the crash kernel" \
			dmesg_has "KHO: crash kernel: KHO stays off, reserving no scratch memory"
		check "no scratch reserved" dmesg_lacks "KHO: scratch:"
		check "no handover taken" dmesg_lacks "KHO: found kexec handover data"
		check "test_kho did nothing" dmesg_lacks "test_kho: generation"
		say_kho_log
		finish ;;
	esac
}

# kernel_in_range FIRST LAST: the running kernel's code lies in [FIRST, LAST].
kernel_in_range() {
	local range

	range=$(kernel_range code) || return 1
	say "crash kernel code at $(printf '0x%x-0x%x' ${range% *} ${range#* })"
	[ "${range% *}" -ge "$1" ] && [ "${range#* }" -le "$2" ]
}
