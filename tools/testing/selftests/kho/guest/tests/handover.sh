# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=240 append=kho=on test_kho.max_mem=67108864
#
# Three kernels, two handovers. lib/test_kho preserves 64 MiB of folios and
# page ranges in kernel 1; kernel 2 finds the kho-v2 FDT, verifies every
# page of that payload, and preserves a new one, which kernel 3 verifies in
# turn. Each verification must cover exactly what the previous kernel said
# it preserved (khotest.saved= carries that summary across kexec). Kernels
# 2 and 3 must also run from inside the scratch memory, and keep kernel 1's
# scratch layout although they are booted with another kho_scratch=.

TEST_KHO_ARGS="kho=on test_kho.max_mem=67108864"

# The payload this boot preserved, handed on to the next one.
kexec_with_payload() {
	local saved

	saved=$(test_kho_saved "$1")
	check "test_kho preserved generation $1" [ -n "$saved" ]
	kexec_next "$TEST_KHO_ARGS kho_scratch=8M,8M,8M khotest.saved=$saved \
khotest.scratch=$(scratch_layout)"
}

# The scratch areas as one word: phys:len,phys:len,...
scratch_layout() {
	paste -d: "$KHO_DEBUGFS/out/scratch_phys" "$KHO_DEBUGFS/out/scratch_len" |
		tr '\n' ',' | sed 's/,$//'
}

# The kho-v2 root FDT this kernel received names the kho_test blob.
in_fdt_ok() {
	fdt_has "$KHO_DEBUGFS/in/fdt" kho-v2 kho_test 'preserved-data = <'
}

# A kho_test blob in debugfs (DIR in or out) written by generation GEN,
# under blobs/ and under sub_fdts/, its old name.
blob_ok() {
	fdt_has "$KHO_DEBUGFS/$1/blobs/kho_test" kho-test-v1 "" \
		"generation = <0x0*$2>;" &&
	cmp -s "$KHO_DEBUGFS/$1/blobs/kho_test" "$KHO_DEBUGFS/$1/sub_fdts/kho_test"
}

verify_gen() {
	local gen=$1 prev=$(($1 - 1))

	check "is_kho_boot says yes" dmesg_has "test_kho: is_kho_boot: yes"
	check "KHO found the handover data" \
		dmesg_has "KHO: found kexec handover data"
	check "test_kho verified generation $prev's payload with no bad pfn" \
		test_kho_verified "$gen" "$(cmdline_arg khotest.saved)"
	check "no test_kho failure" dmesg_lacks "test_kho: .*FAIL"
	check "in/fdt is kho-v2 with a kho_test node" in_fdt_ok
	check "in/blobs/kho_test comes from generation $prev" blob_ok in "$prev"
	check "out/blobs/kho_test is generation $gen" blob_ok out "$gen"
	say_scratch
	say_meminfo
	check "kho_scratch= ignored on a KHO boot" \
		dmesg_has "KHO: kho_scratch= ignored"
	check "scratch layout is kernel 1's" \
		[ "$(scratch_layout)" = "$(cmdline_arg khotest.scratch)" ]
	check "kernel code inside a scratch area" kernel_in_scratch code
	check "whole kernel image inside a scratch area" kernel_in_scratch image
}

run_gen() {
	say_kho_log
	check "KHO enabled" dmesg_has "KHO: enabled"
	case $1 in
	1)	check "out/blobs/kho_test is generation 1" blob_ok out 1
		kexec_with_payload 1 ;;
	2)	verify_gen 2
		kexec_with_payload 2 ;;
	3)	verify_gen 3
		finish ;;
	esac
}
