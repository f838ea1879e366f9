# SPDX-License-Identifier: GPL-2.0
#
# Kexec HandOver (KHO) for Linux 6.12, built and tested as a patch series.
#
# The pipeline, one stage per step:
#
#   deps -> base -> overlay -> config -> kernel -> initramfs -> QEMU
#
#   deps       Debian packages (apt-get, only when missing)
#   base       Debian's linux-source-6.12 .deb at BASE_DEB, fetched into the
#              cache, checked against pipeline/base.sums, extracted once
#   overlay    build/src = base + our new kernel files + patches/, in order
#   config     tinyconfig + tools/testing/selftests/kho/*config fragments
#   kernel     out-of-tree bzImage with ccache
#   initramfs  busybox, Debian's kexec, the kernel itself, the guest tests
#   QEMU       tools/testing/selftests/kho/vmtest.sh boots and kexecs
#
# Outputs go to build/, caches to $(CACHE). See README.md.

# The base: the exact Debian version of linux-source-6.12 the series applies
# to. A new Debian update is one command: make rebase BASE_DEB=<version>.
BASE_DEB     := 6.12.118-1~deb12u1
BASE_VERSION := $(firstword $(subst -, ,$(BASE_DEB)))

REPO      := $(CURDIR)
BUILD     := $(REPO)/build
BASE      := $(BUILD)/base/linux-source-6.12
SRC       := $(BUILD)/src
KOUT      := $(BUILD)/kernel
KUNIT_OUT := $(BUILD)/kunit
LOGS      := $(BUILD)/logs
INITRAMFS := $(BUILD)/initramfs.cpio
BZIMAGE   := $(KOUT)/arch/x86/boot/bzImage
SELFTEST  := tools/testing/selftests/kho
CACHE     ?= $(HOME)/.cache/kho-series
JOBS      ?= $(shell nproc)

export CCACHE_DIR      := $(CACHE)/ccache
export CCACHE_BASEDIR  := $(REPO)
export CCACHE_NOHASHDIR := 1
export KBUILD_BUILD_TIMESTAMP := 2026-01-01
export KBUILD_BUILD_USER := kho
export KBUILD_BUILD_HOST := series

# $(call kmake,OUTDIR): make in the overlaid tree with output in OUTDIR.
kmake = $(MAKE) -s -C $(SRC) O=$(1) ARCH=x86_64 CC="ccache gcc" -j$(JOBS)
KMAKE := $(call kmake,$(KOUT))
FRAGMENTS := $(SELFTEST)/config $(SELFTEST)/x86_64.config
VMTEST := $(SRC)/$(SELFTEST)/vmtest.sh -k $(BZIMAGE) -i $(INITRAMFS) -l $(LOGS)

# The debug variant: the same kernel with DEBUG_VM, KASAN and allocation
# profiling, in its own output directory, with its own initramfs and logs.
KOUT_DEBUG      := $(BUILD)/kernel-debug
BZIMAGE_DEBUG   := $(KOUT_DEBUG)/arch/x86/boot/bzImage
INITRAMFS_DEBUG := $(BUILD)/initramfs-debug.cpio
FRAGMENTS_DEBUG := $(FRAGMENTS) $(SELFTEST)/debug.config
DEBUG_TESTS     ?= restore_16m compat hostile
# -t: KASAN under TCG is slow; -c: any BUG, WARNING, KASAN report or Call
# Trace in a serial log fails the test. -a: KASAN's shadow (1/8 of RAM) is
# a kernel memblock reservation, so the default 200 % scratch would not fit
# in the guest, yet every later kernel allocates its own shadow in scratch:
# one large global area.
VMTEST_DEBUG := $(SRC)/$(SELFTEST)/vmtest.sh -k $(BZIMAGE_DEBUG) \
	-i $(INITRAMFS_DEBUG) -l $(LOGS)/debug -t 4 -c \
	-a kho_scratch=16M,384M,16M

.PHONY: all deps base overlay config kernel initramfs demo check selftest \
	kunit pipeline-test memblock-test utest fuzz bench bench-radix bench-kexec \
	bench-idle \
	bench-smoke lint series clean help rebase bisect kernel-host initramfs-host selftest-host \
	kernel-debug initramfs-debug selftest-debug check-debug

all: initramfs

help:
	@sed -n '/^# The pipeline/,/^# Outputs/p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Targets: demo check check-debug utest pipeline-test memblock-test kunit selftest selftest-host selftest-debug bench-kexec bench-idle lint series fuzz bench clean"

# --- deps -> base -> overlay -------------------------------------------------
deps:
	@pipeline/deps.sh

base: deps
	@pipeline/base.sh '$(BASE_DEB)' $(BUILD)/base $(CACHE)/debs

overlay: base
	@pipeline/overlay.sh $(REPO) $(BASE) $(SRC)

# make rebase BASE_DEB=<version>: move the series to another Debian base.
rebase: deps
	@pipeline/rebase.sh $(REPO) '$(BASE_DEB)' $(CACHE)/debs

# --- config -> kernel -> initramfs -------------------------------------------
$(KOUT)/.config: $(FRAGMENTS) $(wildcard patches/*) kernel/liveupdate/Kconfig | overlay
	@echo "config: tinyconfig + $(FRAGMENTS)"
	@pipeline/config.sh $(SRC) $(KOUT) $(FRAGMENTS)

config: $(KOUT)/.config

kernel: config
	@echo "kernel: make bzImage in $(KOUT)"
	@$(KMAKE) bzImage

initramfs: kernel
	@pipeline/initramfs.sh $(SRC) $(BZIMAGE) $(SRC)/$(SELFTEST)/guest $(INITRAMFS)

# --- QEMU ---------------------------------------------------------------------
# The guest prints "stage N: ..." lines (and the FDT dump, "  | ..."); they
# are picked out of the serial log once QEMU is done.
demo: initramfs
	@echo "demo: kernel 1 boots with kho=on under QEMU, preserves test_kho's folios and a message, runs kexec -s into kernel 2"
	@$(VMTEST) demo
	@sed -n 's/^KHOTEST: demo: gen [0-9]*: \(stage [0-9]*: .*\|  | .*\)$$/demo: \1/p' $(LOGS)/demo.log
	@echo "demo: serial log of both kernels in $(LOGS)/demo.log"

selftest: initramfs
	@$(VMTEST) all

# The API suites need KHO on: the kernel has KEXEC_HANDOVER_ENABLE_DEFAULT,
# so the first boot passes no kho= (kho_param_default checks that it is on);
# kho_off then runs in a second boot of the same kernel with kho=off, which
# must win. The kernel is host-like (.kunitconfig: NUMA,
# deferred struct page init, ...) and boots on two nodes whose boundary is
# not aligned to a MAX_ORDER block (kunit.py gives it 1024 MiB).
KUNIT_QEMU := -smp 4 \
	-object memory-backend-ram,id=m0,size=513M -numa node,nodeid=0,memdev=m0,cpus=0-1 \
	-object memory-backend-ram,id=m1,size=511M -numa node,nodeid=1,memdev=m1,cpus=2-3

kunit: overlay
	@echo "kunit: kunit.py run --arch=x86_64 --kunitconfig=kernel/liveupdate"
	@cd $(SRC) && ./tools/testing/kunit/kunit.py run --arch=x86_64 \
		--kunitconfig=kernel/liveupdate --build_dir=$(KUNIT_OUT) \
		--jobs=$(JOBS) --make_options="CC=ccache gcc" \
		--qemu_args="$(KUNIT_QEMU)"
	@echo "kunit: kunit.py exec, kho=off boot, suite kho_off"
	@cd $(SRC) && ./tools/testing/kunit/kunit.py exec --arch=x86_64 \
		--build_dir=$(KUNIT_OUT) --qemu_args="$(KUNIT_QEMU)" \
		--kernel_args=kho=off kho_off

pipeline-test: overlay
	@pipeline/pipeline-test.sh $(REPO) $(BASE) $(SRC) '$(BASE_DEB)' $(CACHE)/debs

memblock-test: overlay
	@pipeline/memblock-test.sh $(SRC)

# --- the host-like variant: NUMA, deferred struct page init, ... ------------
# host.config on top of the selftest fragments, in its own output directory,
# with its own initramfs; runs the host_* tests (vmtest.sh host).
KOUT_HOST      := $(BUILD)/kernel-host
BZIMAGE_HOST   := $(KOUT_HOST)/arch/x86/boot/bzImage
INITRAMFS_HOST := $(BUILD)/initramfs-host.cpio
FRAGMENTS_HOST := $(FRAGMENTS) $(SELFTEST)/host.config
VMTEST_HOST    := $(SRC)/$(SELFTEST)/vmtest.sh -k $(BZIMAGE_HOST) \
	-i $(INITRAMFS_HOST) -l $(LOGS)/host

# $(call kernel_variant,NAME,KOUT,FRAGMENTS,INITRAMFS): the config, kernel
# and initramfs stages of a kernel variant: kernel-NAME and initramfs-NAME.
define kernel_variant
$(2)/.config: $(3) $(wildcard patches/*) kernel/liveupdate/Kconfig | overlay
	@echo "config: tinyconfig + $(3)"
	@pipeline/config.sh $(SRC) $(2) $(3)

kernel-$(1): $(2)/.config
	@echo "kernel: make bzImage in $(2)"
	@$$(call kmake,$(2)) bzImage

initramfs-$(1): kernel-$(1)
	@pipeline/initramfs.sh $(SRC) $(2)/arch/x86/boot/bzImage $(SRC)/$(SELFTEST)/guest $(4)
endef

$(eval $(call kernel_variant,host,$(KOUT_HOST),$(FRAGMENTS_HOST),$(INITRAMFS_HOST)))

selftest-host: initramfs-host
	@$(VMTEST_HOST) host

# --- benchmark on real boots (not a test; see bench-kexec.py) ---------------
# BENCH_SIZES, BENCH_PATTERNS and BENCH_RUNS choose the runs; results go to
# build/bench/ (table, bench.csv, handover-cost.png, logs/).
BENCH_SIZES    ?= 256M,1G,4G
BENCH_PATTERNS ?= dense0,alt0,mixed,huge,vmalloc
BENCH_RUNS     ?= 3
BENCH_KEXEC := $(SRC)/$(SELFTEST)/bench-kexec.py -k $(BZIMAGE) -i $(INITRAMFS)

bench-kexec: initramfs
	@$(BENCH_KEXEC) -o $(BUILD)/bench -s $(BENCH_SIZES) \
		-p $(BENCH_PATTERNS) -r $(BENCH_RUNS)

# What KHO on but idle costs: cold boots with kho=off and kho=on at each of
# IDLE_SIZES, one table (bench-idle.sh; logs in build/logs/idle).
IDLE_SIZES ?= 800M 4G 16G

bench-idle: initramfs
	@$(SRC)/$(SELFTEST)/bench-idle.sh -k $(BZIMAGE) -i $(INITRAMFS) \
		-l $(LOGS)/idle $(IDLE_SIZES)

# make check's smoke run of the target: every pattern once at 16 MiB.
bench-smoke: initramfs
	@$(BENCH_KEXEC) -o $(BUILD)/bench-smoke -s 16M -p $(BENCH_PATTERNS) \
		-r 1 -m 1G --check

# --- userspace harness (needs no kernel tree) ---------------------------------
utest:
	@$(MAKE) -s -C tools/testing/kho test

# FUZZ_RUNS=N or FUZZ_SECONDS=N bound each fuzzer (default 100000 runs).
fuzz:
	@$(MAKE) -s -C tools/testing/kho fuzz

bench: bench-radix

bench-radix:
	@$(MAKE) -s -C tools/testing/kho bench

# --- the series ---------------------------------------------------------------
series: overlay
	@pipeline/series.sh $(REPO) $(BASE) $(BUILD)/series

lint: series kernel
	@pipeline/lint.sh $(REPO) $(SRC) $(KOUT) $(BUILD)/series

# Every patch builds: the x86_64 test kernel after each item of the series,
# in build/bisect (slow; not part of check).
bisect: overlay
	@pipeline/bisect.sh $(REPO) $(BASE) $(BUILD)/bisect $(FRAGMENTS)

# --- everything that is a test, with one closing count ------------------------
check: deps
	@pipeline/check.sh utest pipeline-test memblock-test kunit selftest \
		selftest-host bench-smoke lint

# --- the debug variant (slow; not part of check) -----------------------------
$(eval $(call kernel_variant,debug,$(KOUT_DEBUG),$(FRAGMENTS_DEBUG),$(INITRAMFS_DEBUG)))

selftest-debug: initramfs-debug
	@$(VMTEST_DEBUG) $(DEBUG_TESTS)

check-debug: deps
	@pipeline/check.sh selftest-debug

clean:
	rm -rf $(BUILD)
