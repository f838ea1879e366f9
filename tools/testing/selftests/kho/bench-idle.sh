#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What KHO on but idle costs: boot the kernel cold under QEMU with kho=off
# and with kho=on, at each memory size, and print the memory both leave
# to the rest of the system. Not a test; make bench-idle runs it.
#
# usage: bench-idle.sh -k BZIMAGE -i INITRAMFS [-l LOGDIR] [SIZE...]
#   SIZE: guest memory for QEMU -m (default: 800M 4G 16G)
#
# Columns (kB unless said otherwise):
#   scratch MiB    the scratch areas kho=on reserved, in all
#   reserved       the boot "Memory:" line's reserved figure
#   cma-rsv        its cma-reserved figure
#   MemAvailable   /proc/meminfo, and its change against kho=off
#   unmovable      MemFree - CmaFree: free memory an unmovable allocation
#                  can use, and its change against kho=off
#   CmaTotal, CmaFree  /proc/meminfo

set -eu
kernel= initrd= logdir=./logs/idle
while getopts "k:i:l:" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	l) logdir=$OPTARG ;;
	*) sed -n '/^# usage/,/^$/p' "$0"; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$kernel" ] && [ -n "$initrd" ] || { sed -n '/^# usage/,/^$/p' "$0"; exit 1; }
sizes=${*:-800M 4G 16G}
mkdir -p "$logdir"

# boot SIZE KHO: one cold boot; its log is $logdir/SIZE-kho=KHO.log.
boot() {
	local log=$logdir/$1-kho=$2.log

	timeout 600 qemu-system-x86_64 -accel tcg -m "$1" -smp 2 -nographic \
		-no-reboot -nodefaults -serial stdio -kernel "$kernel" \
		-initrd "$initrd" -append "console=ttyS0 panic=-1 retain_initrd \
khotest.name=bench_idle khotest.gen=1 kho=$2 test_kho.max_mem=0" \
		< /dev/null > "$log" 2>&1 || true
	grep -q 'KHOTEST: bench_idle: PASS' "$log" ||
		{ echo "bench-idle: $1 kho=$2 failed, see $log" >&2; exit 1; }
}

# val LOG FIELD: a meminfo field the guest printed, in kB.
val() {
	tr -d '\r' < "$1" |
		sed -n "s/^KHOTEST: bench_idle: gen 1: idle: $2 \([0-9]*\)\$/\1/p"
}

# memline LOG WHAT: "reserved" or "cma-reserved" of the Memory: line, in K.
memline() {
	tr -d '\r' < "$1" |
		sed -n "s/.*idle: Memory: .* \([0-9]*\)K $2[,)].*/\1/p"
}

# scratch_mib LOG KHO: the scratch size kho=on reserved, in MiB.
scratch_mib() {
	tr -d '\r' < "$1" |
		sed -n 's/.*idle: KHO: scratch: .*; \([0-9]*\) MiB in all$/\1/p'
	[ "$2" = on ] || echo -
}

pct() {
	local d=$(($1 - $2)) s=+

	[ "$d" -lt 0 ] && d=$((-d)) s=-
	printf '%s%d.%02d%%' "$s" $((d * 100 / $2)) $((d * 10000 / $2 % 100))
}

printf '%-6s %-4s %8s %9s %9s %13s %8s %10s %8s %9s %9s\n' guest kho \
	"scratch" reserved cma-rsv MemAvailable "" unmovable "" CmaTotal CmaFree
printf '%-6s %-4s %8s %9s %9s %13s %8s %10s %8s %9s %9s\n' "" "" MiB K K kB \
	"vs off" kB "vs off" kB kB
for size in $sizes; do
	for kho in off on; do
		boot "$size" "$kho"
	done
	off=$logdir/$size-kho=off.log
	for kho in off on; do
		log=$logdir/$size-kho=$kho.log
		avail=$(val "$log" MemAvailable)
		unmov=$(($(val "$log" MemFree) - $(val "$log" CmaFree)))
		unmov_off=$(($(val "$off" MemFree) - $(val "$off" CmaFree)))
		printf '%-6s %-4s %8s %9s %9s %13s %8s %10s %8s %9s %9s\n' \
			"$size" "$kho" "$(scratch_mib "$log" "$kho")" \
			"$(memline "$log" reserved)" \
			"$(memline "$log" cma-reserved)" "$avail" \
			"$(pct "$avail" "$(val "$off" MemAvailable)")" "$unmov" \
			"$(pct "$unmov" "$unmov_off")" \
			"$(val "$log" CmaTotal)" "$(val "$log" CmaFree)"
	done
done
