#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmark the kexec handover on real boots (make bench-kexec).

For each pattern and size, boot kernel 1 under QEMU with test_kho_bench
preserving that pattern, kexec -s into kernel 2 and time it from the
serial lines, stamped on the host as they arrive. A baseline run preserves
nothing. Every run is repeated RUNS times and the best (lowest) figure of
each column is kept. Prints one table; writes bench.csv, the raw serial
logs (logs/) and, when gnuplot is there, handover-cost.png into OUT.

The guest side is guest/tests/bench_kexec.sh. The columns:

  blocks      blocks kernel 1 preserved (test_kho_bench)
  regions     memblock regions holding them in kernel 2, then the size of
              memblock.reserved ("KHO: reserved ..." line)
  pres ns/pg  kernel 1's time in the preservation calls, per page
  k2 init us  kernel 2's kho_memory_init(): the walk of the incoming map
              and the reservation ("KHO: reserved ..." line)
  release us  kernel 2's release of the memory outside scratch minus the
              preserved pages, from memblock_free_all() (a cold boot frees
              the same memory there too)
  late us     the kthread that frees the small gaps between preserved
              blocks while the initcalls run
  k2 boot ms  kernel 1's "Starting new kernel" line to kernel 2's /init,
              host clock; "base" is the same for the baseline run
  ratio       k2 boot / base
  kexec-e ms  the guest's "kexec -e" to kernel 1's last line
  MemFree kB  kernel 2's MemFree, and its difference to the baseline's
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TEST = "bench_kexec"
PATTERNS = ["dense0", "alt0", "mixed", "huge", "vmalloc"]
UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def parse_size(text):
    text = text.strip().upper()
    if text and text[-1] in UNITS:
        return int(text[:-1]) * UNITS[text[-1]]
    return int(text)


def size_name(size):
    for unit in "GMK":
        if size % UNITS[unit] == 0:
            return "%d%s" % (size // UNITS[unit], unit)
    return str(size)


def run_qemu(args, pattern, size, run, logdir):
    """Boot one kernel 1 -> kernel 2 pair; return [(host seconds, line)]."""
    # The same fixed arguments as generation 2 gets (guest/tests/
    # bench_kexec.sh). nokaslr and no PS/2 probing take the two largest
    # sources of noise out of the boot time.
    append = ("console=ttyS0 earlyprintk=serial panic=-1 retain_initrd "
              "nokaslr i8042.noaux i8042.nokbd test_kho.max_mem=0 kho=on "
              "khotest.name=%s khotest.gen=1" % TEST)
    if pattern:
        append += " test_kho_bench.pattern=%s test_kho_bench.size=%d" % (
            pattern, size)
    # -mem-prealloc: the host's first touch of guest RAM was the largest
    # source of noise in kernel 2's early boot.
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", args.mem,
           "-mem-prealloc",
           "-smp", "2", "-nographic", "-no-reboot", "-nodefaults",
           "-serial", "stdio", "-kernel", args.kernel, "-initrd", args.initrd,
           "-append", append]
    name = "%s-%s-run%d" % (pattern or "baseline", size_name(size), run)
    lines = []
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with open(os.path.join(logdir, name + ".log"), "w") as log:
        log.write("# %s\n" % " ".join(cmd))
        for raw in proc.stdout:
            now = time.monotonic() - start
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            lines.append((now, line))
            log.write("%.6f %s\n" % (now, line))
            if now > args.timeout:
                proc.kill()
                break
    proc.wait()
    return name, lines


def first(lines, pattern, after=0.0):
    rx = re.compile(pattern)
    for t, line in lines:
        if t >= after:
            m = rx.search(line)
            if m:
                return t, m
    return None, None


def parse_run(name, lines):
    """Figures of one run, or raise ValueError naming what is missing."""
    r = {}
    if not any("KHOTEST: %s: PASS" % TEST == l for _, l in lines):
        raise ValueError("%s: no PASS marker" % name)
    t, m = first(lines, r"test_kho_bench: pattern \S+: preserved (\d+) blocks,"
                 r" (\d+) pages in (\d+) ns")
    if m:
        r["blocks"], r["pages"] = int(m.group(1)), int(m.group(2))
        r["pres_ns_page"] = int(m.group(3)) / max(int(m.group(2)), 1)
    else:
        r["blocks"] = r["pages"] = 0
        r["pres_ns_page"] = 0.0
    t_kexec, _ = first(lines, r"KHOTEST: %s: gen 1: kexec into generation 2"
                       % TEST)
    t_last, _ = first(lines, r"Starting new kernel", t_kexec or 0)
    t_k2, _ = first(lines, r"Linux version", t_last or 0)
    t_init, _ = first(lines, r"KHOTEST: %s: gen 2: generation 2 reached init"
                      % TEST)
    if None in (t_kexec, t_last, t_k2, t_init):
        raise ValueError("%s: missing a timing line" % name)
    r["kexec_e_ms"] = (t_last - t_kexec) * 1000
    r["k2_boot_ms"] = (t_init - t_last) * 1000
    # Kernel 2's TSC rate turns its cycle counts into time: its sched
    # clock may not run yet when the handover is taken.
    _, m = first(lines, r"tsc: (?:Detected|Refined TSC clocksource "
                 r"calibration:) ([0-9.]+) MHz", t_last)
    mhz = float(m.group(1)) if m else 0.0
    _, m = first(lines, r"gen 2: log: KHO: reserved (\d+) preserved blocks"
                 r"(?: \(\d+ pages\))? (?:as|in) (\d+) memblock regions"
                 r".* in (\d+) cycles, (\d+) us$", t_init)
    if not m:
        raise ValueError("%s: kernel 2 printed no KHO reservation line" % name)
    r["k2_blocks"], r["regions"] = int(m.group(1)), int(m.group(2))
    cycles, us = int(m.group(3)), int(m.group(4))
    r["k2_init_us"] = int(cycles / mhz) if mhz else us
    _, m = first(lines, r"gen 2: log: KHO: released \d+ pages .* in (\d+) "
                 r"cycles, (\d+) us", t_init)
    r["k2_release_us"] = 0
    if m:
        cycles, us = int(m.group(1)), int(m.group(2))
        r["k2_release_us"] = int(cycles / mhz) if mhz else us
    _, m = first(lines, r"gen 2: log: KHO: released \d+ pages in small gaps"
                 r" .* in (\d+) us", t_init)
    r["k2_late_us"] = int(m.group(1)) if m else 0
    r["k2_kho_us"] = r["k2_init_us"] + r["k2_release_us"]
    _, m = first(lines, r"reserved \d+ preserved blocks.* of (\d+) reserved",
                 t_init)
    r["reserved"] = int(m.group(1)) if m else r["regions"]
    _, m = first(lines, r"gen 2: meminfo: .*MemFree: (\d+) kB", t_init)
    if not m:
        raise ValueError("%s: kernel 2 printed no MemFree" % name)
    r["memfree_kb"] = int(m.group(1))
    return r


def best(runs):
    """Best of several runs: the lowest time of each timed column."""
    out = dict(runs[0])
    for key in ("pres_ns_page", "kexec_e_ms", "k2_boot_ms", "k2_init_us",
                "k2_release_us", "k2_late_us", "k2_kho_us"):
        out[key] = min(r[key] for r in runs)
    return out


COLUMNS = [
    ("pattern", "%-8s"), ("size", "%5s"), ("blocks", "%8d"),
    ("regions", "%8d"), ("reserved", "%8d"), ("pres_ns_page", "%10.0f"),
    ("k2_init_us", "%10d"), ("k2_release_us", "%10d"), ("k2_late_us", "%9d"),
    ("k2_boot_ms", "%10.0f"), ("base_ms", "%8.0f"),
    ("ratio", "%7.4f"), ("kexec_e_ms", "%10.0f"), ("memfree_kb", "%11d"),
    ("memfree_delta_kb", "%11d"),
]
HEADERS = ["pattern", "size", "blocks", "regions", "reserved", "pres ns/pg",
           "k2 init us", "release us", "late us", "k2 boot ms", "base ms",
           "ratio", "kexec-e ms", "MemFree kB", "vs base kB"]


def print_table(rows):
    widths = [len(fmt % (0 if "d" in fmt or "f" in fmt else ""))
              for _, fmt in COLUMNS]
    print("  ".join(h.rjust(w) if i > 1 else h.ljust(w)
                    for i, (h, w) in enumerate(zip(HEADERS, widths))))
    for row in rows:
        print("  ".join(fmt % row[key] for key, fmt in COLUMNS))


def print_scaling(rows, patterns):
    """How each pattern's costs grow from one size to the next."""
    print()
    print("scaling from one size to the next (cost ratio / blocks ratio):")
    for p in patterns:
        pr = [r for r in rows if r["pattern"] == p]
        for a, b in zip(pr, pr[1:]):
            if not a["blocks"] or not a["k2_init_us"]:
                continue
            nb = b["blocks"] / a["blocks"]
            k1 = (b["pres_ns_page"] * b["pages"]) / max(
                a["pres_ns_page"] * a["pages"], 1)
            print("  %-8s %5s -> %-5s  blocks x%.2f  kernel 2 kho_memory_init"
                  " x%.2f  kernel 1 preserve time x%.2f"
                  % (p, a["size"], b["size"], nb,
                     b["k2_init_us"] / a["k2_init_us"], k1))
    print()


def plot(outdir, rows, patterns):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("bench-kexec: no gnuplot, no plot")
        return
    data = []
    for p in patterns:
        pts = sorted((r["blocks"], max(r["k2_init_us"], 1))
                     for r in rows if r["pattern"] == p and r["blocks"])
        if pts:
            data.append((p, pts))
    if not data:
        return
    for term, name in (("png size 900,600", "handover-cost.png"),
                       ("dumb 90 30", "handover-cost.txt")):
        gnuplot_one(gnuplot, term, os.path.join(outdir, name), data)
        print("bench-kexec: plot %s" % os.path.join(outdir, name))


def gnuplot_one(gnuplot, term, out, data):
    script = [
        "set terminal %s" % term,
        "set output '%s'" % out,
        "set logscale xy",
        "set xlabel 'blocks preserved by kernel 1'",
        "set ylabel 'kho_memory_init() in kernel 2 (us)' noenhanced",
        "set title 'KHO: kernel 2 cost against preserved blocks'",
        "set key left top",
        "set grid",
        "plot " + ", ".join("'-' using 1:2 with linespoints title '%s'" % p
                            for p, _ in data),
    ]
    for _, pts in data:
        script += ["%d %d" % pt for pt in pts] + ["e"]
    subprocess.run([gnuplot], input="\n".join(script) + "\n", text=True,
                   check=True)


def check(rows, jobs, outdir):
    """KTAP: every job gave a row, and each row's figures add up."""
    print("TAP version 13")
    print("1..%d" % (len(jobs) + 1))
    n = passed = 0
    byname = {(r["pattern"], r["size"]): r for r in rows}
    base = byname.get(("none", "0"))
    # MemFree moves by a few MB with what sits in the per-CPU page lists.
    slack = max(2048, base["memfree_kb"] // 100) if base else 2048
    for pattern, size in jobs:
        n += 1
        key = (pattern or "none", size_name(size) if size else "0")
        r = byname.get(key)
        what = "%s %s" % key
        if not r:
            why = "no figures (see the FAIL line above)"
        elif pattern and r["blocks"] < size // 4096 // 1024:
            why = "kernel 1 preserved only %d blocks" % r["blocks"]
        elif r["k2_blocks"] < r["blocks"]:
            why = "kernel 2 reserved %d blocks of %d" % (r["k2_blocks"],
                                                         r["blocks"])
        elif abs(r["memfree_delta_kb"] + r["pages"] * 4) > slack:
            why = "MemFree is %d kB off the baseline, not -%d (+-%d)" % (
                r["memfree_delta_kb"], r["pages"] * 4, slack)
        else:
            why = None
        if why:
            print("not ok %d bench-kexec %s: %s" % (n, what, why))
        else:
            passed += 1
            print("ok %d bench-kexec %s: %d blocks reserved, MemFree %+d kB"
                  % (n, what, r["k2_blocks"], r["memfree_delta_kb"]))
    n += 1
    out_ok = os.path.exists(os.path.join(outdir, "bench.csv"))
    passed += out_ok
    print("%sok %d bench-kexec wrote bench.csv" % ("" if out_ok else "not ",
                                                    n))
    print("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0"
          % (passed, n - passed))
    return 0 if passed == n else 1



def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", "--kernel", required=True)
    ap.add_argument("-i", "--initrd", required=True)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("-s", "--sizes", default="256M,1G,4G")
    ap.add_argument("-p", "--patterns", default=",".join(PATTERNS))
    ap.add_argument("-r", "--runs", type=int, default=3)
    ap.add_argument("-m", "--mem", help="guest memory (default: twice the "
                    "largest size plus 2G, for alt0)")
    ap.add_argument("-t", "--timeout", type=int, default=900)
    ap.add_argument("-c", "--check", action="store_true", help="also check "
                    "each row (a smoke test of the benchmark, as KTAP)")
    args = ap.parse_args()

    sizes = [parse_size(s) for s in args.sizes.split(",")]
    patterns = [p for p in args.patterns.split(",") if p]
    if not args.mem:
        args.mem = "%dM" % ((2 * max(sizes) >> 20) + 2048)
    logdir = os.path.join(args.out, "logs")
    os.makedirs(logdir, exist_ok=True)
    print("bench-kexec: guest of %s, sizes %s, patterns %s, best of %d runs"
          % (args.mem, args.sizes, ",".join(patterns), args.runs))

    jobs = [(None, 0)] + [(p, s) for s in sizes for p in patterns]
    results = {}
    failed = 0
    for pattern, size in jobs:
        runs = []
        for run in range(1, args.runs + 1):
            name, lines = run_qemu(args, pattern, size, run, logdir)
            try:
                runs.append(parse_run(name, lines))
            except ValueError as err:
                print("bench-kexec: FAIL %s (log %s)" %
                      (err, os.path.join(logdir, name + ".log")))
                failed += 1
                continue
            r = runs[-1]
            print("bench-kexec: %s: %d blocks, %d regions, kernel 2 init %d us,"
                  " release %d us, late %d us, boot %.0f ms"
                  % (name, r["blocks"], r["regions"], r["k2_init_us"],
                     r["k2_release_us"], r["k2_late_us"], r["k2_boot_ms"]))
            sys.stdout.flush()
        if runs:
            results[(pattern, size)] = best(runs)

    base = results.get((None, 0))
    if not base:
        print("bench-kexec: the baseline run failed; no table")
        return 1
    rows = []
    for pattern, size in jobs:
        r = results.get((pattern, size))
        if not r:
            continue
        r.update(pattern=pattern or "none", size=size_name(size) if size else
                 "0", base_ms=base["k2_boot_ms"],
                 ratio=r["k2_boot_ms"] / base["k2_boot_ms"],
                 memfree_delta_kb=r["memfree_kb"] - base["memfree_kb"])
        rows.append(r)
    print()
    print_table(rows)
    print_scaling(rows, patterns)
    with open(os.path.join(args.out, "bench.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([k for k, _ in COLUMNS])
        for row in rows:
            w.writerow([row[k] if not isinstance(row[k], float) else
                        "%.4f" % row[k] for k, _ in COLUMNS])
    print("bench-kexec: csv %s" % os.path.join(args.out, "bench.csv"))
    plot(args.out, rows, patterns)
    print("bench-kexec: %d runs failed" % failed)
    if args.check:
        return check(rows, jobs, args.out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
