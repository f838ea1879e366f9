# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=600 append=kho=on
#
# One run of make bench-kexec (bench-kexec.py boots it with its own memory
# size and test_kho_bench arguments; "vmtest.sh all" skips it). Generation
# 1 preserves test_kho_bench.pattern at test_kho_bench.size, or nothing
# without a pattern (the baseline), and kexecs; generation 2 reports what
# taking the handover cost and powers off. The host times both kernels from
# the serial lines.

# As bench-kexec.py gives generation 1, minus test_kho_bench.
BENCH_ARGS="earlyprintk=serial nokaslr i8042.noaux i8042.nokbd"
BENCH_ARGS="$BENCH_ARGS test_kho.max_mem=0 kho=on"

run_gen() {
	local pattern

	check "KHO enabled" dmesg_has "KHO: enabled"
	check "kernel log clean (no oops, warning or sanitizer report)" \
		kernel_log_clean
	case $1 in
	1)	pattern=$(cmdline_arg test_kho_bench.pattern)
		if [ -n "$pattern" ]; then
			check "test_kho_bench preserved pattern $pattern" \
				dmesg_has "test_kho_bench: pattern $pattern: preserved"
		fi
		say_kho_log
		dmesg | grep -o 'test_kho_bench: .*' | while IFS= read -r line; do
			say "log: $line"
		done
		say_meminfo
		kexec_next "$BENCH_ARGS" ;;
	*)	check "KHO took the handover" \
			dmesg_has "KHO: found kexec handover data"
		say_kho_log
		say_meminfo
		finish ;;
	esac
}
