# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest side of the KHO selftests (sourced by /init).

KHO_FAILED=0
# Every generation's command line starts with these (vmtest.sh uses the same).
KHO_BASE_ARGS="console=ttyS0 panic=-1 retain_initrd"

cmdline_arg() {
	tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1
}

# cmdline_arg_all PREFIX: every NAME=VALUE argument of this boot whose name
# starts with PREFIX, on one line.
cmdline_arg_all() {
	tr ' ' '\n' < /proc/cmdline | grep "^$1" | tr '\n' ' '
}

say() {
	echo "KHOTEST: $KHO_TEST: gen $KHO_GEN: $*"
}

power_off() {
	sync
	poweroff -f
	reboot -f
}

# check DESCRIPTION COMMAND...: run a check and print its outcome.
check() {
	local what=$1
	shift
	if "$@"; then
		say "ok: $what"
	else
		say "not ok: $what"
		KHO_FAILED=1
	fi
}

# dmesg_has PATTERN: the kernel log of this boot has a line matching PATTERN.
dmesg_has() {
	dmesg | grep -q -- "$1"
}

# dmesg_lacks PATTERN: no line of this boot's kernel log matches PATTERN.
dmesg_lacks() {
	! dmesg | grep -q -- "$1"
}

# dmesg_has_text TEXT: a line of this boot's kernel log contains TEXT as is.
dmesg_has_text() {
	dmesg | grep -qF -- "$1"
}

# say_kho_log: copy this boot's KHO and test_kho kernel log lines to the
# serial log (the console only shows KHOTEST lines).
say_kho_log() {
	dmesg | grep -o 'KHO: .*\|test_kho: .*' | while IFS= read -r line; do
		say "log: $line"
	done
}

KHO_DEBUGFS=/sys/kernel/debug/kho

# dts FILE: FILE, a flattened device tree, decompiled by dtc.
dts() {
	dtc -q -I dtb -O dts "$1" 2>/dev/null
}

# fdt_has FILE COMPATIBLE NODE PATTERN: the FDT blob FILE decodes, its root
# is COMPATIBLE, and the text of child NODE (of the whole tree if NODE is
# empty) matches PATTERN.
fdt_has() {
	local fdt

	fdt=$(dts "$1") || return 1
	printf '%s\n' "$fdt" | grep -q "compatible = \"$2\";" || return 1
	[ -z "$3" ] || fdt=$(printf '%s\n' "$fdt" | sed -n "/^[[:space:]]*$3 {/,/};/p")
	printf '%s\n' "$fdt" | grep -q -- "$4"
}

# scratch_areas: "FIRST LAST" (decimal, inclusive) of each scratch area the
# running kernel lists in debugfs, one line each.
scratch_areas() {
	paste "$KHO_DEBUGFS/out/scratch_phys" "$KHO_DEBUGFS/out/scratch_len" |
		while read -r phys len; do
			[ -n "$len" ] || continue
			[ "$((len))" -gt 0 ] || continue
			echo "$((phys)) $((phys + len - 1))"
		done
}

# say_scratch: print the scratch areas in hex.
say_scratch() {
	local areas
	areas=$(scratch_areas | while read -r a b; do
		printf ' 0x%x-0x%x' "$a" "$b"
	done)
	say "scratch areas:${areas:- none}"
}

# in_scratch FIRST LAST: the range [FIRST, LAST] (decimal or 0x hex) lies
# entirely inside one scratch area.
in_scratch() {
	local first=$(($1)) last=$(($2))
	scratch_areas | {
		while read -r a b; do
			[ "$first" -ge "$a" ] && [ "$last" -le "$b" ] && exit 0
		done
		exit 1
	}
}

# iomem_range NAME: "FIRST LAST" (decimal) of the first /proc/iomem entry
# called NAME, e.g. "Kernel code". Needs root for real addresses.
iomem_range() {
	local r
	r=$(grep " : $1\$" /proc/iomem | head -n 1 | sed 's/^ *//;s/ .*//')
	[ -n "$r" ] || return 1
	echo "$((0x${r%-*})) $((0x${r#*-}))"
}

# kernel_range [code|image]: "FIRST LAST" of the running kernel's code, or
# of its whole image (code through bss), from /proc/iomem.
kernel_range() {
	local range first last r
	range=$(iomem_range "Kernel code") || return 1
	first=${range% *} last=${range#* }
	if [ "$1" = image ]; then
		for r in "Kernel rodata" "Kernel data" "Kernel bss"; do
			r=$(iomem_range "$r") || continue
			[ "${r#* }" -gt "$last" ] && last=${r#* }
		done
	fi
	echo "$first $last"
}

# kernel_in_scratch [code|image]: the kernel's code (or whole image) was
# placed inside one scratch area, as it must be on a KHO boot. Says where.
kernel_in_scratch() {
	local range
	range=$(kernel_range "$1") || {
		say "no \"Kernel code\" in /proc/iomem"
		return 1
	}
	say "kernel ${1:-code} at $(printf '0x%x-0x%x' "${range% *}" "${range#* }")"
	in_scratch "${range% *}" "${range#* }"
}

# test_kho_saved GEN: what test_kho preserved in this boot (generation GEN),
# as "BLOCKS:FOLIOS:RANGES:BYTES:CSUM", to hand to the next generation.
test_kho_saved() {
	local n='\([0-9]*\)' re

	re="test_kho: generation $1: preserved $n blocks ($n folios,"
	re="$re $n page ranges), $n bytes, csum \(0x[0-9a-f]*\)\$"
	dmesg | sed -n "s/.*$re/\1:\2:\3:\4:\5/p" | tail -n 1
}

# saved_split SAVED: set n f r b c (blocks, folios, ranges, bytes, csum) of
# the caller from a test_kho_saved summary; fails unless all five are set.
saved_split() {
	IFS=: read -r n f r b c <<EOT
$1
EOT
	[ -n "$n" ] && [ -n "$f" ] && [ -n "$r" ] && [ -n "$b" ] && [ -n "$c" ]
}

# test_kho_verified GEN SAVED: test_kho of this boot (generation GEN)
# verified exactly the payload SAVED (from test_kho_saved) with no bad page
# and reported PASS.
test_kho_verified() {
	local n f r b c line

	saved_split "$2" || return 1
	line="test_kho: generation $1: verified $n blocks ($f folios,"
	line="$line $r page ranges), $b bytes, 0 bad pfns, csum $c: PASS"
	dmesg_has_text "$line"
}

# Verdict of the whole test, printed by its last generation.
finish() {
	check "kernel log clean at the end" kernel_log_clean
	if [ "$KHO_FAILED" = 0 ]; then
		echo "KHOTEST: $KHO_TEST: PASS"
	else
		echo "KHOTEST: $KHO_TEST: FAIL"
	fi
	power_off
}

fail() {
	echo "KHOTEST: $KHO_TEST: FAIL: $*"
	power_off
}

# kexec_next "EXTRA ARGS": load this same kernel and initramfs with a new
# command line for generation KHO_GEN+1, then jump into it.
kexec_next() {
	local next=$((KHO_GEN + 1))
	local append="$KHO_BASE_ARGS khotest.name=$KHO_TEST khotest.gen=$next $1"

	# retain_initrd keeps our own initramfs readable here.
	cp /sys/firmware/initrd /tmp/initrd.cpio || fail "no /sys/firmware/initrd"
	kexec -s -l /boot/bzImage --initrd=/tmp/initrd.cpio --append="$append" ||
		fail "kexec -s -l failed"
	# Loading runs KHO's kexec_file hooks: check the log after it.
	check "kernel log clean after kexec load" kernel_log_clean
	[ "$KHO_FAILED" = 0 ] || fail "checks failed in generation $KHO_GEN"
	say "kexec into generation $next: $append"
	# Let the shutdown path's messages reach the serial log (vmtest -c).
	dmesg -n 8
	kexec -e
	fail "kexec -e returned"
}

# Print MemTotal, MemFree and CmaTotal of this boot, for the record.
say_meminfo() {
	say "meminfo: $(grep -E '^(MemTotal|MemFree|CmaTotal):' /proc/meminfo |
		tr -s ' ' | tr '\n' ' ')"
}

# ---- reserve_mem regions and persistent ftrace (reserve_mem*.sh) ----

TRACEFS=/sys/kernel/tracing

mount_tracefs() {
	[ -d "$TRACEFS/instances" ] || mount -t tracefs nodev "$TRACEFS"
}

# reserve_mem_region NAME: "START:SIZE" of the reserve_mem region NAME in
# this boot, fresh or revived, as the kernel logged them (0x + 16 digits).
reserve_mem_region() {
	dmesg | grep -o "reserve_mem: $1 [a-z ]*at 0x[0-9a-f]* (size 0x[0-9a-f]*)" |
		tail -n 1 | sed 's/.* at \(0x[0-9a-f]*\) (size \(0x[0-9a-f]*\))/\1:\2/'
}

# instance_on_region INSTANCE START:SIZE: ftrace mapped the boot instance
# INSTANCE (trace_instance=INSTANCE@region) at START.
instance_on_region() {
	local re="Tracing: mapped boot instance $1 at physical memory"

	[ -n "$2" ] && [ -d "$TRACEFS/instances/$1" ] &&
		dmesg_has_text "$re ${2%:*} of size "
}

# new_marker: a line for trace_marker that cannot be in memory by chance.
new_marker() {
	echo "khotest-$KHO_TEST-gen$KHO_GEN-${RANDOM:-0}-$(cut -d' ' -f1 /proc/uptime | tr -d .)"
}

# trace_mark INSTANCE TEXT: write TEXT into the instance's ring buffer.
trace_mark() {
	echo "$2" > "$TRACEFS/instances/$1/trace_marker"
}

# trace_holds INSTANCE TEXT: the instance's trace file shows TEXT.
trace_holds() {
	grep -qF -- "$2" "$TRACEFS/instances/$1/trace"
}

trace_lacks() {
	! trace_holds "$@"
}

# say_trace INSTANCE: copy the last events of the instance to the log.
say_trace() {
	grep -v '^#' "$TRACEFS/instances/$1/trace" | tail -n 5 |
		while IFS= read -r line; do
			say "trace $1: $line"
		done
}

# memblock_blob_has DIR NAME: debugfs kho/DIR/blobs/memblock is a
# memblock-v1 blob with a reserve-mem-v1 node NAME.
memblock_blob_has() {
	fdt_has "$KHO_DEBUGFS/$1/blobs/memblock" memblock-v1 "$2" \
		'compatible = "reserve-mem-v1";'
}

# ---- test_kho restore (restore_*.sh, demo.sh) ----

# test_kho_restored GEN SAVED: test_kho of this boot (generation GEN) took
# back and freed exactly the payload SAVED (from test_kho_saved) and
# reported PASS.
test_kho_restored() {
	local n f r b c re

	saved_split "$2" || return 1
	re="test_kho: generation $1: restored and freed $n blocks ($f folios"
	re="$re of orders [0-9]*-[0-9]*, $r page ranges), $b bytes: PASS\$"
	dmesg_has "$re"
}

# test_kho_line GEN WHAT: the last "test_kho: generation GEN: WHAT ..."
# line of this boot's kernel log (WHAT is e.g. "verified").
test_kho_line() {
	dmesg | grep -o "test_kho: generation $1: $2 .*" | tail -n 1
}

# test_kho_message GEN: the message test_kho of this boot restored from
# generation GEN's blob, if any.
test_kho_message() {
	dmesg | sed -n "s/.*test_kho: message from generation $1: //p" |
		tail -n 1
}

# Kernel log lines that must never appear: oopses, WARN()s, sanitizer
# reports and the stack traces that come with them.
KHO_LOG_ERRORS='BUG:|WARNING:|KASAN|Call Trace'

# kernel_log_clean: this boot's kernel log has no such line; copies the
# first few offenders to the serial log otherwise.
kernel_log_clean() {
	local bad

	bad=$(dmesg | grep -E -- "$KHO_LOG_ERRORS" | head -n 10)
	[ -z "$bad" ] && return 0
	printf '%s\n' "$bad" | while IFS= read -r line; do
		say "log: $line"
	done
	return 1
}

# check_within_1pct WHAT B A: say B and A (kB) and how far apart they are,
# and check that B is within 1 % of A.
check_within_1pct() {
	local diff pct

	diff=$(($2 - $3))
	[ "$diff" -lt 0 ] && diff=$((-diff))
	pct=$((diff * 10000 / $3))
	say "$1: $2 kB against $3 kB, difference $diff kB" \
		"($((pct / 100)).$(printf '%02d' $((pct % 100)))%)"
	check "$1 $2 kB within 1% of $3 kB" [ $((diff * 100)) -le "$3" ]
}

# meminfo_kb FIELD: FIELD of /proc/meminfo (e.g. MemFree) in kB.
meminfo_kb() {
	sed -n "s/^$1: *\([0-9]*\) kB\$/\1/p" /proc/meminfo
}

# metadata_checks GEN: the kexec-metadata of generation GEN (a cold boot
# is generation 1): it was booted by KHO kexec #GEN-1 from this release,
# as its log and debugfs say.
metadata_checks() {
	local n=$(($1 - 1)) line

	check "debugfs kexec_count is $n" \
		[ "$(cat "$KHO_DEBUGFS/kexec_count")" = "$n" ]
	[ "$n" -gt 0 ] || return 0
	line="KHO: booted by KHO kexec #$n from $(uname -r)"
	check "log says \"$line\"" dmesg_has_text "$line"
	check "debugfs previous_release is $(uname -r)" \
		[ "$(cat "$KHO_DEBUGFS/previous_release")" = "$(uname -r)" ]
	say "$(dmesg | grep -o 'KHO: booted by KHO kexec .*')"
}

# compat_line GEN WHAT: the last "test_kho_compat: generation GEN: WHAT"
# line of this boot's log.
compat_line() {
	dmesg | grep -o "test_kho_compat: generation $1: $2.*" | tail -n 1
}

# not_page_multiple N: N is a number of bytes that is not a whole page.
not_page_multiple() {
	[ -n "$1" ] && [ $(($1 % 4096)) -ne 0 ]
}

# compat_gen GEN GENS ORDERS: one generation of test_kho_compat with
# test_kho_compat.gens=GENS, whose folios are of orders ORDERS ("0-10").
# Generation 1 preserves; each later one checks the raw and the FDT blob
# (sizes as debugfs shows them), that the blob claiming more than was
# preserved is refused, and every folio and the vmalloc area byte for
# byte, then hands the same memory on, until generation GENS.
compat_gen() {
	local gen=$1 gens=$2 orders=$3 size

	check "KHO enabled" dmesg_has "KHO: enabled"
	metadata_checks "$gen"
	if [ "$gen" -gt 1 ]; then
		size=$(compat_line "$gen" "blob kho_compat: " |
			sed -n 's/.*blob kho_compat: \([0-9]*\) bytes.*/\1/p')
		say "$(compat_line "$gen" "blob kho_compat: ")"
		say "$(compat_line "$gen" "blob kho_compat_fdt: ")"
		say "$(compat_line "$gen" "blob kho_compat_short ")"
		say "$(compat_line "$gen" "restored [0-9]* folios")"
		check "raw blob of $size bytes, not a page multiple" \
			not_page_multiple "$size"
		check "in/blobs/kho_compat is its $size bytes" \
			[ "$(wc -c < "$KHO_DEBUGFS/in/blobs/kho_compat")" = "$size" ]
		check "in/blobs/kho_compat_fdt is an FDT" \
			fdt_has "$KHO_DEBUGFS/in/blobs/kho_compat_fdt" kho-compat-v1 "" \
			"generation = <0x0*$((gen - 1))>;"
		check "only the short blob refused" dmesg_has_text \
			"KHO: refusing blob kho_compat_short of the previous kernel: it is not all memory the previous kernel preserved"
		check "no other blob refused" \
			[ "$(dmesg | grep -c 'KHO: refusing blob')" = 1 ]
		check "in/blobs has no kho_compat_short" \
			[ ! -e "$KHO_DEBUGFS/in/blobs/kho_compat_short" ]
		check "raw blob read" dmesg_has \
			"test_kho_compat: generation $gen: blob kho_compat: $size bytes at .*, raw, not an FDT"
		check "FDT blob read" dmesg_has \
			"test_kho_compat: generation $gen: blob kho_compat_fdt: [0-9]* bytes at .*, an FDT of generation $((gen - 1)) naming $size raw bytes"
		check "folios of orders $orders restored intact" dmesg_has \
			"test_kho_compat: generation $gen: restored [0-9]* folios of orders $orders, [0-9]* bytes, 0 bad bytes: PASS"
		check "vmalloc area restored intact" dmesg_has \
			"test_kho_compat: generation $gen: restored a vmalloc area of 5 pages, 0 bad bytes: PASS"
	fi
	check "test_kho_compat passed" \
		dmesg_has "test_kho_compat: generation $gen: PASS"
	check "no test_kho_compat failure" dmesg_lacks "test_kho_compat: .*FAIL"
	check "kernel log clean" kernel_log_clean
	if [ "$gen" -lt "$gens" ]; then
		say "$(compat_line "$gen" "preserved ")"
		check "generation $gen preserved orders $orders" dmesg_has \
			"test_kho_compat: generation $gen: preserved [0-9]* folios of orders $orders"
		check "out/blobs/kho_compat_short claims 2 pages" \
			[ "$(wc -c < "$KHO_DEBUGFS/out/blobs/kho_compat_short")" = 8192 ]
		kexec_next "kho=on test_kho.max_mem=0 $(cmdline_arg_all test_kho_compat)"
	fi
	finish
}

# scratch_use_checks GEN: the default scratch layout of a one-node guest,
# and in every kernel after the first, how much of it its early boot used:
# at most 1/1.1 of it, so that the next kernel has the 10 % margin
# kexec_file_load asks for on top of what it needs.
scratch_use_checks() {
	local line used size

	check "two scratch areas, none per node on one node" \
		[ "$(scratch_areas | wc -l)" = 2 ]
	say "$(dmesg | grep -o 'KHO: scratch: .*')"
	[ "$1" -gt 1 ] || return 0
	line=$(dmesg | grep -o 'KHO: scratch used .*')
	say "$line"
	used=$(printf '%s\n' "$line" | sed -n 's/.*used \([0-9]*\) of.*/\1/p')
	size=$(printf '%s\n' "$line" | sed -n 's/.* of \([0-9]*\) MiB.*/\1/p')
	check "scratch use reported" [ -n "$used$size" ]
	check "used $used of $size MiB: at least 10% of the use to spare" \
		[ $((${used:-0} * 110)) -le $((${size:-0} * 100)) ]
	check "debugfs in/scratch_used has one line per area" \
		[ "$(wc -l < "$KHO_DEBUGFS/in/scratch_used")" = \
		  "$(scratch_areas | wc -l)" ]
}

# restore_chain_gen GEN: one generation of the three-kernel restore tests.
# Generation 1 preserves test_kho.max_mem bytes (from the test's header),
# generation 2 verifies, restores and frees them and preserves a fresh
# payload, generation 3 (test_kho.chain=0) verifies, restores and frees
# that one and preserves nothing. Each hands a message to the next.
# TEST_KHO_ARGS holds the test_kho arguments of generations 2 and 3.
restore_chain_gen() {
	local gen=$1 prev=$(($1 - 1)) saved next

	check "KHO enabled" dmesg_has "KHO: enabled"
	metadata_checks "$gen"
	if [ "$gen" -gt 1 ]; then
		saved=$(cmdline_arg khotest.saved)
		check "is_kho_boot says yes" dmesg_has "test_kho: is_kho_boot: yes"
		check "generation $prev's message came back" \
			[ "$(test_kho_message "$prev")" = "hi gen $prev" ]
		check "generation $prev's payload verified byte for byte, no page free in buddy" \
			test_kho_verified "$gen" "$saved"
		check "generation $prev's payload restored and freed, every block" \
			test_kho_restored "$gen" "$saved"
		say "$(test_kho_line "$gen" verified)"
		say "$(test_kho_line "$gen" "restored and freed")"
		say_meminfo
	fi
	check "no test_kho failure" dmesg_lacks "test_kho: .*FAIL"
	check "kernel log clean (no oops, warning or sanitizer report)" \
		kernel_log_clean
	case $gen in
	1|2)	saved=$(test_kho_saved "$gen")
		check "test_kho preserved generation $gen" [ -n "$saved" ]
		check "generation $gen allocated all it asked for" \
			dmesg_lacks "test_kho: generation $gen: allocation failed"
		say "$(test_kho_line "$gen" preserved)"
		next="$TEST_KHO_ARGS"
		[ "$gen" = 2 ] && next="$next test_kho.chain=0"
		next="$next test_kho.message=\"hi gen $((gen + 1))\""
		next="$next khotest.nodes=$(test_kho_nodes "$gen" preserved)"
		next="$next khotest.hashes=$(first_hash_tables)"
		kexec_next "$next khotest.saved=$saved" ;;
	*)	check "generation $gen preserved nothing (test_kho.chain=0)" \
			dmesg_lacks "test_kho: generation $gen: preserved"
		finish ;;
	esac
}

# ---- the host-like kernel (host_*.sh, host.config) ----

# test_kho_nodes GEN preserved|restored: test_kho's blocks per node in
# generation GEN, as "node:blocks,...".
test_kho_nodes() {
	dmesg | sed -n "s/.*test_kho: generation $1: $2 blocks per node: //p" |
		tail -n 1
}

# host_nodes_checks GEN NODES: what generation GEN-1 preserved came back
# on the same nodes, every one of the NODES nodes holding some of it.
host_nodes_checks() {
	local want got

	[ "$1" -gt 1 ] || return 0
	want=$(cmdline_arg khotest.nodes) got=$(test_kho_nodes "$1" restored)
	say "blocks per node: preserved $want, restored $got"
	check "every block restored on the node it was preserved on" \
		[ "${want:-none}" = "$got" ]
	check "blocks on all $2 nodes" \
		[ "$(echo "$got" | tr ',' '\n' | grep -vc ':0$')" = "$2" ]
}

# hash_tables: this boot's "<name> hash table entries: ..." lines, sorted.
hash_tables() {
	dmesg | sed -n 's/^\[[^]]*\] //; /hash table entries/p' | sort
}

# first_hash_tables: a digest of generation 1's hash_tables, handed on.
first_hash_tables() {
	local h

	h=$(cmdline_arg khotest.hashes)
	[ -n "$h" ] || h=$(hash_tables | md5sum | cut -c1-32)
	echo "$h"
}

# host_hash_checks GEN: the boot-time hash tables have the sizes a cold
# boot of the same guest (generation 1) gave them.
host_hash_checks() {
	hash_tables | while IFS= read -r line; do
		say "hash table: $line"
	done
	[ "$1" -gt 1 ] || return 0
	check "hash tables sized as on the cold boot" \
		[ "$(hash_tables | md5sum | cut -c1-32)" = "$(cmdline_arg khotest.hashes)" ]
}

# host_checks NODES: this boot sees NODES memory nodes, ran deferred struct
# page init on each, and KHO has one scratch area per node (after lowmem
# and global), each lying on its own node.
host_checks() {
	local n nodes

	nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
	check "$1 NUMA nodes online (found $nodes)" [ "$nodes" = "$1" ]
	n=$(dmesg | grep -c "node [0-9]* deferred pages initialised")
	check "deferred struct page init ran on $1 nodes (found $n)" [ "$n" = "$1" ]
	n=$(scratch_areas | wc -l)
	check "$(($1 + 2)) scratch areas: lowmem, global, one per node (found $n)" \
		[ "$n" = $(($1 + 2)) ]
	check "each per-node scratch area lies on its node" scratch_on_nodes
	say_scratch
}

# scratch_on_nodes: the scratch areas after the first two lie, in order, on
# nodes 0, 1, ... (by the nodes' memory blocks in sysfs).
scratch_on_nodes() {
	local i=0 first last a b bs

	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	scratch_areas | tail -n +3 | {
		while read -r a b; do
			first=$(node_of_block $((a / bs)))
			last=$(node_of_block $((b / bs)))
			if [ "$first" != "$i" ] || [ "$last" != "$i" ]; then
				say "scratch area $i lies on nodes ${first:-?}-${last:-?}"
				exit 1
			fi
			i=$((i + 1))
		done
		exit 0
	}
}

# node_of_block N: the node whose sysfs directory links memory block N.
node_of_block() {
	local d

	for d in /sys/devices/system/node/node[0-9]*; do
		[ -e "$d/memory$1" ] && { echo "${d##*node}"; return; }
	done
}

# check_memfree_plain: in a plain kho=off boot after a hostile handover,
# the hostile boot's MemFree (khotest.memfree=) is within 1 % of this
# one's, @1. A KASAN kernel's quarantine holds freed memory back, moving
# MemFree by MiBs either way between boots: there it is only reported.
check_memfree_plain() {
	if dmesg_has "KernelAddressSanitizer initialized"; then
		say "KASAN: MemFree $(cmdline_arg khotest.memfree) kB after the" \
			"hostile handover, $1 kB on a plain boot (not compared)"
	else
		check_within_1pct "MemFree after the hostile handover vs a plain boot" \
			"$(cmdline_arg khotest.memfree)" "$1"
	fi
}

# ---- Live Update sessions (luo_*.sh), with luoctl ----

# luo_run ARGS...: run luoctl ARGS, copy its output to the log, keep it in
# LUO_OUT; returns luoctl's status.
luo_run() {
	local rc

	LUO_OUT=$(luoctl "$@" 2>&1)
	rc=$?
	printf '%s\n' "$LUO_OUT" | while IFS= read -r line; do
		say "luoctl: $line"
	done
	return $rc
}

# luo_field PREFIX: what follows PREFIX on the line of LUO_OUT it starts.
luo_field() {
	printf '%s\n' "$LUO_OUT" | sed -n "s/^$1//p" | tail -n 1
}

# say_luo_log: copy this boot's LUO kernel log lines to the serial log.
say_luo_log() {
	dmesg | grep -o 'liveupdate: .*' | while IFS= read -r line; do
		say "log: $line"
	done
}

# luo_ready: KHO is on and /dev/liveupdate exists.
luo_ready() {
	check "KHO enabled" dmesg_has "KHO: enabled"
	check "/dev/liveupdate present" [ -c /dev/liveupdate ]
}

# luo_holder_ok: the holder luoctl forked is running.
luo_holder_ok() {
	LUO_PID=$(luo_field "holder: ")
	[ -n "$LUO_PID" ] && [ -d "/proc/$LUO_PID" ]
}
