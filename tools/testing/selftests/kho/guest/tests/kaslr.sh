# SPDX-License-Identifier: GPL-2.0
# khotest: mem=1G timeout=300 append=kho=on test_kho.max_mem=4194304
#
# KASLR on a KHO boot may only place the kernel inside the scratch areas:
# everything else can hold preserved memory. Six kernels, five handovers;
# every kernel after the first must have its code, and its whole image,
# inside one scratch area, and must verify the small test_kho payload of
# the kernel before it. The addresses chosen travel on the command line
# (khotest.kaslr=) and the last kernel lists them; they need not differ.

KASLR_GENS=6
TEST_KHO_ARGS="kho=on test_kho.max_mem=4194304"

run_gen() {
	local code seen saved

	check "KHO enabled" dmesg_has "KHO: enabled"
	code=$(kernel_range code) || code=
	code=$(printf '0x%x' "${code% *}")
	seen=$(cmdline_arg khotest.kaslr)
	seen=${seen:+$seen,}$code
	say "kernel code starts at $code"
	if [ "$1" -gt 1 ]; then
		check "KHO found the handover data" \
			dmesg_has "KHO: found kexec handover data"
		check "test_kho verified generation $(($1 - 1))'s payload" \
			test_kho_verified "$1" "$(cmdline_arg khotest.saved)"
		say_scratch
		check "kernel code inside a scratch area" kernel_in_scratch code
		check "whole kernel image inside a scratch area" \
			kernel_in_scratch image
	fi
	say "kernel code of generations 1-$1: $seen"
	if [ "$1" -lt "$KASLR_GENS" ]; then
		saved=$(test_kho_saved "$1")
		check "test_kho preserved generation $1" [ -n "$saved" ]
		kexec_next "$TEST_KHO_ARGS khotest.kaslr=$seen khotest.saved=$saved"
	fi
	finish
}
