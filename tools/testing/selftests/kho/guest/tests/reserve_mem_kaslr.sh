# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=300 append=kho=on reserve_mem=4M:4096:trace trace_instance=boot_map@trace
#
# A reserve_mem region keeps its physical address through a chain of
# kexecs while KASLR moves the kernel. Four kernels, each booted with the
# same reserve_mem= and boot-mapped ftrace instance: every kernel after
# the first must revive region "trace" at the first kernel's address
# (khotest.rmem=) and find the marker the kernel before it wrote
# (khotest.marker=). The kernel code addresses travel in khotest.kaslr=
# and the last kernel lists them; they need not differ.

RMEM_GENS=4
RMEM_ARGS="kho=on reserve_mem=4M:4096:trace trace_instance=boot_map@trace"

run_gen() {
	local rmem first code seen prev marker carry

	mount_tracefs
	rmem=$(reserve_mem_region trace)
	code=$(kernel_range code) || code=
	code=$(printf '0x%x' "${code% *}")
	seen=$(cmdline_arg khotest.kaslr)
	seen=${seen:+$seen,}$code
	say "kernel code at $code, region trace at ${rmem:-none}"
	check "ftrace maps boot_map on region trace" \
		instance_on_region boot_map "$rmem"
	first=$rmem
	if [ "$1" -gt 1 ]; then
		first=$(cmdline_arg khotest.rmem)
		prev=$(cmdline_arg khotest.marker)
		check "KHO found the handover data" \
			dmesg_has "KHO: found kexec handover data"
		check "region trace revived" \
			dmesg_has "reserve_mem: trace revived at 0x"
		check "region trace at ${first%:*} in generations 1-$1" \
			[ "$rmem" = "$first" ]
		check "generation $(($1 - 1))'s marker $prev is in boot_map" \
			trace_holds boot_map "$prev"
	fi
	say "kernel code of generations 1-$1: $seen"
	if [ "$1" -lt "$RMEM_GENS" ]; then
		check "the region is handed over" \
			dmesg_has "reserve_mem: 1 region(s) will be handed over"
		marker=$(new_marker)
		trace_mark boot_map "$marker"
		check "generation $1 wrote $marker into boot_map" \
			trace_holds boot_map "$marker"
		carry="khotest.rmem=$first khotest.marker=$marker khotest.kaslr=$seen"
		kexec_next "$RMEM_ARGS $carry"
	fi
	say_trace boot_map
	finish
}
