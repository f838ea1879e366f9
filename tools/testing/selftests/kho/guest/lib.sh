# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest side of the KHO selftests (sourced by /init).

KHO_FAILED=0
# Every generation's command line starts with these (vmtest.sh uses the same).
KHO_BASE_ARGS="console=ttyS0 panic=-1 retain_initrd"

cmdline_arg() {
	tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1
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

# test_kho_verified GEN SAVED: test_kho of this boot (generation GEN)
# verified exactly the payload SAVED (from test_kho_saved) with no bad page
# and reported PASS.
test_kho_verified() {
	local n f r b c line

	IFS=: read -r n f r b c <<EOT
$2
EOT
	[ -n "$c" ] || return 1
	line="test_kho: generation $1: verified $n blocks ($f folios,"
	line="$line $r page ranges), $b bytes, 0 bad pfns, csum $c: PASS"
	dmesg_has_text "$line"
}

# Verdict of the whole test, printed by its last generation.
finish() {
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

	[ "$KHO_FAILED" = 0 ] || fail "checks failed in generation $KHO_GEN"
	# retain_initrd keeps our own initramfs readable here.
	cp /sys/firmware/initrd /tmp/initrd.cpio || fail "no /sys/firmware/initrd"
	kexec -s -l /boot/bzImage --initrd=/tmp/initrd.cpio --append="$append" ||
		fail "kexec -s -l failed"
	say "kexec into generation $next: $append"
	kexec -e
	fail "kexec -e returned"
}

# Print MemTotal, MemFree and CmaTotal of this boot, for the record.
say_meminfo() {
	say "meminfo: $(grep -E '^(MemTotal|MemFree|CmaTotal):' /proc/meminfo |
		tr -s ' ' | tr '\n' ' ')"
}
