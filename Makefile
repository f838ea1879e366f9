# SPDX-License-Identifier: GPL-2.0
#
# Kexec HandOver (KHO) for Linux 6.12, built and tested as a patch series.
#
# The pipeline, one stage per step:
#
#   deps -> base -> overlay -> config -> kernel -> initramfs -> QEMU
#
#   deps       Debian packages (apt-get, only when missing)
#   base       Debian's linux-source tarball, extracted once, never modified
#   overlay    build/src = base + our new kernel files + patches/, in order
#   config     tinyconfig + tools/testing/selftests/kho/*config fragments
#   kernel     out-of-tree bzImage with ccache
#   initramfs  busybox, Debian's kexec, the kernel itself, the guest tests
#   QEMU       tools/testing/selftests/kho/vmtest.sh boots and kexecs
#
# Outputs go to build/, caches to $(CACHE). See README.md.

BASE_VERSION := 6.12.117

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

KMAKE := $(MAKE) -s -C $(SRC) O=$(KOUT) ARCH=x86_64 CC="ccache gcc" -j$(JOBS)
FRAGMENTS := $(SELFTEST)/config $(SELFTEST)/x86_64.config
VMTEST := $(SRC)/$(SELFTEST)/vmtest.sh -k $(BZIMAGE) -i $(INITRAMFS) -l $(LOGS)

.PHONY: all deps base overlay config kernel initramfs demo check selftest \
	kunit pipeline-test memblock-test utest fuzz bench bench-radix lint series clean help

all: initramfs

help:
	@sed -n '/^# The pipeline/,/^# Outputs/p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Targets: demo check utest pipeline-test memblock-test kunit selftest lint series fuzz bench clean"

# --- deps -> base -> overlay -------------------------------------------------
deps:
	@pipeline/deps.sh

base: deps
	@pipeline/base.sh $(BASE_VERSION) $(BUILD)/base

overlay: base
	@pipeline/overlay.sh $(REPO) $(BASE) $(SRC)

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
demo: initramfs
	@echo "demo: kernel 1 boots with kho=on, runs kexec -s into kernel 2"
	@$(VMTEST) -v demo
	@echo "demo: serial log in $(LOGS)/demo.log; kernel 2's own words:"
	@sed -n 's/^KHOTEST: demo: gen 2: \(kernel 2 confirms\)/\1/p' $(LOGS)/demo.log

selftest: initramfs
	@$(VMTEST) all

# The API suites need kho=on; kho_off then runs in a second boot of the
# same kernel with kho=off.
kunit: overlay
	@echo "kunit: kunit.py run --arch=x86_64 --kunitconfig=kernel/liveupdate"
	@cd $(SRC) && ./tools/testing/kunit/kunit.py run --arch=x86_64 \
		--kunitconfig=kernel/liveupdate --build_dir=$(KUNIT_OUT) \
		--jobs=$(JOBS) --make_options="CC=ccache gcc" --qemu_args="-smp 4" \
		--kernel_args=kho=on
	@echo "kunit: kunit.py exec, kho=off boot, suite kho_off"
	@cd $(SRC) && ./tools/testing/kunit/kunit.py exec --arch=x86_64 \
		--build_dir=$(KUNIT_OUT) --qemu_args="-smp 4" \
		--kernel_args=kho=off kho_off

pipeline-test: overlay
	@pipeline/pipeline-test.sh $(REPO) $(BASE) $(SRC) $(BASE_VERSION)

memblock-test: overlay
	@pipeline/memblock-test.sh $(SRC)

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

# --- everything that is a test, with one closing count ------------------------
check: deps
	@pipeline/check.sh utest pipeline-test memblock-test kunit selftest lint

clean:
	rm -rf $(BUILD)
