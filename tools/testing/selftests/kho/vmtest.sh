#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run KHO selftests: boot the kernel under QEMU (TCG), let the guest kexec
# through its generations, and judge each test by the explicit markers the
# guest prints ("KHOTEST: <test>: PASS"). Output is KTAP.

usage() {
	cat <<EOT
usage: $0 -k BZIMAGE -i INITRAMFS [-l LOGDIR] [-t SCALE] [-a ARGS] [-c] [-v] TEST...
  -k  kernel image            -i  initramfs built by pipeline/initramfs.sh
  -l  directory for serial logs (default: ./logs)
  -t  multiply every test's timeout by SCALE (for slow debug kernels)
  -a  append ARGS to the first kernel's command line (e.g. kho_scratch=,
      which later kernels ignore: they keep the first one's scratch)
  -c  also fail a test whose serial log shows a kernel BUG, WARNING, KASAN
      report or Call Trace (lines the guest prints itself are not read)
  -v  show the guest's KHOTEST lines while it runs
  TEST  names of guest/tests/*.sh, "all" (all but demo, bench_* and
        host_*) or "host" (the host_* tests, for a host.config kernel). A
        script with "# khocase: CASE ..." lines runs as one test per case,
        SCRIPT@CASE; SCRIPT alone stands for all its cases
EOT
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../kselftest/ktap_helpers.sh"

kernel= initrd= logdir=./logs verbose=0 scale=1 clean=0 extra=
while getopts "k:i:l:t:a:cvh" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	l) logdir=$OPTARG ;;
	t) scale=$OPTARG ;;
	a) extra=$OPTARG ;;
	c) clean=1 ;;
	v) verbose=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ -n "$kernel" ] && [ -n "$initrd" ] && [ $# -gt 0 ] || usage

tests=$*
if [ "$tests" = all ]; then
	tests=$(cd "$here/guest/tests" && ls ./*.sh | sed 's|^\./||;s|\.sh$||' |
		grep -v -e '^demo$' -e '^bench_' -e '^host_')
elif [ "$tests" = host ]; then
	# The tests that need the host-like kernel (host.config).
	tests=$(cd "$here/guest/tests" && ls ./host_*.sh | sed 's|^\./||;s|\.sh$||')
fi

# cases SCRIPT: SCRIPT@CASE for each "# khocase: CASE ..." line of a guest
# test, or SCRIPT itself if it has none.
cases() {
	local c
	c=$(sed -n 's/^# khocase: *\([^ ]*\).*/\1/p' "$here/guest/tests/$1.sh")
	[ -n "$c" ] || c=-
	for c in $c; do
		if [ "$c" = - ]; then echo "$1"; else echo "$1@$c"; fi
	done
}
expanded=
for t in $tests; do
	case $t in
	*@*) expanded="$expanded $t" ;;
	*) expanded="$expanded $(cases "$t" | tr '\n' ' ')" ;;
	esac
done
tests=$expanded
mkdir -p "$logdir"

# header FIELD TEST: a field of the "# khotest:" lines of a guest test,
# joined. They read "mem=M timeout=S [smp=N] [numa=N] append=ARGS...":
# append comes last and takes the rest, spaces included. numa=N splits the
# memory and the CPUs evenly over N nodes.
header() {
	local line
	line=$(sed -n 's/^# khotest: *//p' "$here/guest/tests/${2%%@*}.sh" | tr '\n' ' ')
	case $1 in
	append)	printf '%s\n' "$line" | sed -n 's/.*append=//p' ;;
	*)	printf '%s\n' "${line%%append=*}" | tr ' ' '\n' |
			sed -n "s/^$1=//p" ;;
	esac
}

# kernel_errors LOG: the kernel's own lines of LOG that report a BUG, a
# WARN(), a KASAN report or a stack trace; fails if there is none.
kernel_errors() {
	grep -v '^KHOTEST:' "$1" | grep -E 'BUG:|WARNING:|KASAN|Call Trace'
}

# numa_args MEM NODES SMP: QEMU arguments for NODES nodes of MEM/NODES
# each (MEM in M or G), with the SMP CPUs spread evenly over them.
numa_args() {
	local mib per cpus n first

	case $1 in
	*G) mib=$((${1%G} * 1024)) ;;
	*M) mib=${1%M} ;;
	*) echo "vmtest: numa needs mem in M or G, not $1" >&2; return 1 ;;
	esac
	per=$((mib / $2)) cpus=$(($3 / $2))
	for n in $(seq 0 $(($2 - 1))); do
		first=$((n * cpus))
		printf -- '-object memory-backend-ram,id=m%d,size=%dM ' "$n" "$per"
		printf -- '-numa node,nodeid=%d,memdev=m%d,cpus=%d-%d ' \
			"$n" "$n" "$first" $((first + cpus - 1))
	done
}

run_one() {
	local t=$1 log=$logdir/$1.log mem tmo append rc smp numa
	mem=$(header mem "$t") tmo=$(header timeout "$t")
	smp=$(header smp "$t") numa=$(header numa "$t")
	append=$(header append "$t")
	: "${mem:=1G}" "${tmo:=120}" "${smp:=2}"
	tmo=$((tmo * scale))

	# The same base arguments as KHO_BASE_ARGS in guest/lib.sh.
	append="console=ttyS0 panic=-1 retain_initrd khotest.name=$t khotest.gen=1 $append"
	[ -z "$extra" ] || append="$append $extra"
	local cmd=(qemu-system-x86_64 -accel tcg -m "$mem" -smp "$smp"
		-nographic -no-reboot -nodefaults -serial stdio -kernel "$kernel"
		-initrd "$initrd" -append "$append")
	# shellcheck disable=SC2207
	[ -z "$numa" ] || cmd+=($(numa_args "$mem" "$numa" "$smp"))
	ktap_print_msg "$t: ${cmd[*]}"
	if [ $verbose = 1 ]; then
		timeout -k 5 "$tmo" "${cmd[@]}" </dev/null 2>&1 | tee "$log" |
			grep --line-buffered '^KHOTEST:'
		rc=${PIPESTATUS[0]}
	else
		timeout -k 5 "$tmo" "${cmd[@]}" </dev/null >"$log" 2>&1
		rc=$?
	fi
	tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"

	if [ $rc = 124 ] || [ $rc = 137 ]; then
		ktap_print_msg "$t: QEMU killed after ${tmo}s"
	fi
	if [ $clean = 1 ] && kernel_errors "$log" >/dev/null; then
		ktap_print_msg "$t: the kernel reported errors:"
		kernel_errors "$log" | head -n 20 | sed 's/^/# | /'
		ktap_test_fail "$t"
	elif grep -qx "KHOTEST: $t: PASS" "$log" && ! grep -q "^KHOTEST: $t: FAIL" "$log"; then
		grep "^KHOTEST: $t: .*: ok: " "$log" | sed 's/^/# /'
		ktap_test_pass "$t"
	else
		ktap_print_msg "$t: no PASS marker; last lines of $log:"
		tail -n 40 "$log" | sed 's/^/# | /'
		ktap_test_fail "$t"
	fi
}

ktap_print_header
ktap_set_plan "$(echo $tests | wc -w)"
for t in $tests; do
	run_one "$t"
done
ktap_finished
