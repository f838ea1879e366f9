# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=300 append=kho=off
#
# Long-term pins with KHO on. Kernel 1 boots with kho=off and pins 90 % of
# its MemAvailable with FOLL_LONGTERM (lib/test_kho_pin.c). It kexecs into
# kernel 2 with kho=on, whose scratch is CMA, and kernel 2 must pin the
# same amount; so must kernel 3, started through a KHO handover. Kernel 2,
# whose scratch is all free, then pins a quarter of CmaFree more than all
# free memory outside scratch (MemFree - CmaFree): only possible if pins
# may keep pages in scratch, and the log must show pinned pages in CMA
# pageblocks. (Kernel 3's own early boot used most of its scratch, which
# leaves too little to try that without running out.) test_kho preserves
# nothing here, so that the kernels differ only by KHO being on.

PIN=/sys/kernel/debug/test_kho_pin

# pin KIB [CMA]: pin KIB KiB for the long term, all of it, and with CMA
# set some of it in CMA pageblocks; the log line says how it went.
pin() {
	local in_cma='[0-9]*'

	[ -n "$2" ] && in_cma='[1-9][0-9]*'
	echo "$1" > "$PIN"
	say "$(dmesg | grep -o 'test_kho_pin: .*' | tail -n 1)"
	dmesg | grep 'test_kho_pin: ' | tail -n 1 |
		grep -q "pinned $1 of $1 KiB, $in_cma KiB of it in CMA pageblocks: 0\$"
}

# beyond_non_cma: KiB of MemFree - CmaFree plus a quarter of CmaFree, in
# whole pages.
beyond_non_cma() {
	local cma

	cma=$(meminfo_kb CmaFree)
	echo $((($(meminfo_kb MemFree) - cma + cma / 4) / 4 * 4))
}

run_gen() {
	local kib kib2

	say_meminfo
	say "MemAvailable $(meminfo_kb MemAvailable) kB," \
		"CmaTotal $(meminfo_kb CmaTotal) kB, CmaFree $(meminfo_kb CmaFree) kB"
	case $1 in
	1)	check "KHO is off" dmesg_has "KHO: disabled"
		kib=$(($(meminfo_kb MemAvailable) * 9 / 10 / 4 * 4))
		check "pinned 90% of MemAvailable, $kib KiB, with KHO off" pin "$kib"
		kexec_next "kho=on test_kho.max_mem=0 khotest.pin=$kib" ;;
	*)	kib=$(cmdline_arg khotest.pin)
		check "KHO enabled" dmesg_has "KHO: enabled"
		check "scratch counted in CmaTotal" [ "$(meminfo_kb CmaTotal)" -gt 0 ]
		check "CmaFree <= CmaTotal" \
			[ "$(meminfo_kb CmaFree)" -le "$(meminfo_kb CmaTotal)" ]
		check "pinned kernel 1's $kib KiB with KHO on" pin "$kib"
		if [ "$1" = 2 ]; then
			kib2=$(beyond_non_cma)
			check "pinned $kib2 KiB, more than outside scratch" \
				pin "$kib2" cma
		fi
		[ "$1" = 3 ] && finish
		kexec_next "kho=on test_kho.max_mem=0 khotest.pin=$kib" ;;
	esac
}
