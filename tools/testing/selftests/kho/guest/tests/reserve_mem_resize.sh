# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=180 append=kho=on reserve_mem=4M:4096:trace trace_instance=boot_map@trace
#
# A handed-over reserve_mem region is reused only as it was asked for.
# Kernel 1 reserves 4 MiB as "trace" and hands it over; kernel 2 asks for
# 2 MiB under the same name. Kernel 2 must say that the size differs,
# allocate a fresh region (inside scratch, as memblock allocates only
# there on a KHO boot) on which ftrace maps boot_map without kernel 1's
# data, warn that this region cannot be handed over in turn, and reach
# init with no WARN or BUG.

run_gen() {
	local rmem old marker end args

	mount_tracefs
	rmem=$(reserve_mem_region trace)
	check "ftrace maps boot_map on region trace (${rmem:-none})" \
		instance_on_region boot_map "$rmem"
	case $1 in
	1)	# The same options, but 2 MiB instead of 4.
		args="kho=on reserve_mem=2M:4096:trace trace_instance=boot_map@trace"
		check "the region is handed over" \
			dmesg_has "reserve_mem: 1 region(s) will be handed over"
		marker=$(new_marker)
		trace_mark boot_map "$marker"
		check "kernel 1 wrote $marker into boot_map" \
			trace_holds boot_map "$marker"
		kexec_next "$args khotest.rmem=$rmem khotest.marker=$marker" ;;
	2)	[ -n "$rmem" ] || fail "kernel 2 logged no region trace"
		old=$(cmdline_arg khotest.rmem)
		marker=$(cmdline_arg khotest.marker)
		say "region trace: kernel 1 at ${old%:*} (size ${old#*:})"
		say "region trace: kernel 2 at ${rmem%:*} (size ${rmem#*:})"
		check "KHO found the handover data" \
			dmesg_has "KHO: found kexec handover data"
		check "kernel 2 warns that the size of trace differs" \
			dmesg_has "reserve_mem: trace: handover region not reused: size differs"
		check "region trace is not revived" \
			dmesg_lacks "reserve_mem: trace revived"
		check "kernel 2 allocated a fresh 2 MiB region" \
			[ "${rmem#*:}" = 0x0000000000200000 ]
		end=$((${rmem%:*} + ${rmem#*:} - 1))
		check "the fresh region lies in a scratch area" \
			in_scratch "${rmem%:*}" "$end"
		check "kernel 1's marker is not in the fresh buffer" \
			trace_lacks boot_map "$marker"
		check "kernel 2 warns the region will not survive kexec" \
			dmesg_has "reserve_mem: trace at .* lies in KHO scratch memory"
		check "no WARN" dmesg_lacks "cut here"
		check "no BUG" dmesg_lacks "BUG:"
		finish ;;
	esac
}
