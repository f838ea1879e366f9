# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=300 append=kho=on test_kho.max_mem=0
#
# One boot of make bench-idle (bench-idle.sh boots it cold with its own
# memory size, with kho=on or kho=off; "vmtest.sh all" skips it): what
# KHO switched on but idle costs. Prints the boot "Memory:" line, the
# scratch layout and the memory figures of /proc/meminfo, then powers off.

run_gen() {
	local f

	say "idle: $(dmesg | grep -o 'Memory: .*')"
	say "idle: $(dmesg | grep -o 'KHO: scratch: lowmem.*' || echo 'KHO: no scratch')"
	for f in MemTotal MemFree MemAvailable CmaTotal CmaFree; do
		say "idle: $f $(meminfo_kb $f)"
	done
	finish
}
