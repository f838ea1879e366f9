# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=180 append=kho=on reserve_mem=4M:4096:trace trace_instance=boot_map@trace
#
# Persistent ftrace across kexec. Kernel 1 reserves the 4 MiB reserve_mem
# region "trace", on which ftrace maps its boot_map instance, and writes a
# unique marker into it through trace_marker; KHO hands the region over.
# Kernel 2, booted with kexec -s and the same options, must revive the
# region at kernel 1's physical address (khotest.rmem=), map boot_map on
# it, show kernel 1's marker (khotest.marker=) in the instance's trace
# file, and hand the region over again.

RMEM_ARGS="kho=on reserve_mem=4M:4096:trace trace_instance=boot_map@trace"

run_gen() {
	local rmem old marker

	mount_tracefs
	rmem=$(reserve_mem_region trace)
	check "KHO enabled" dmesg_has "KHO: enabled"
	check "ftrace maps boot_map on region trace (${rmem:-none})" \
		instance_on_region boot_map "$rmem"
	check "out/blobs/memblock lists trace" memblock_blob_has out trace
	check "the region is handed over" \
		dmesg_has "reserve_mem: 1 region(s) will be handed over"
	case $1 in
	1)	check "kernel 1 allocated region trace" \
			dmesg_has "reserve_mem: trace at 0x"
		marker=$(new_marker)
		trace_mark boot_map "$marker"
		check "kernel 1 wrote $marker into boot_map" \
			trace_holds boot_map "$marker"
		kexec_next "$RMEM_ARGS khotest.rmem=$rmem khotest.marker=$marker" ;;
	2)	old=$(cmdline_arg khotest.rmem)
		marker=$(cmdline_arg khotest.marker)
		check "KHO found the handover data" \
			dmesg_has "KHO: found kexec handover data"
		check "kernel 2 revived region trace" \
			dmesg_has "reserve_mem: trace revived at 0x"
		check "region trace at ${old%:*} in kernel 1, ${rmem%:*} in kernel 2" \
			[ "$rmem" = "$old" ]
		check "in/blobs/memblock lists trace" memblock_blob_has in trace
		check "kernel 2 read kernel 1's marker $marker from instances/boot_map/trace" \
			trace_holds boot_map "$marker"
		say_trace boot_map
		check "no region left unrevived" \
			dmesg_lacks "reserve_mem: .*handover region not reused"
		check "no region left out of the next handover" \
			dmesg_lacks "reserve_mem: .*will not survive kexec"
		finish ;;
	esac
}
