# SPDX-License-Identifier: GPL-2.0
#
# pvkit top-level Makefile.  Everything a user does goes through
#   make run    build all, boot the default demo in QEMU
#   make check  build all, run every test (KTAP), print "N passed, N failed"
#   make bench  the benchmarks (results and method in docs/benchmarks.md),
#               then build/bench/report.md; make bench-quick: short jobs;
#               make bench-check: exits per request against baselines
# Configuration is Kconfig: make defconfig | olddefconfig | menuconfig.

ROOT := $(abspath .)
O ?= $(ROOT)/build
override O := $(abspath $(O))
export O ROOT

KCONFIG_CONFIG ?= $(ROOT)/.config
AUTOCONF_H := $(O)/include/generated/autoconf.h
AUTO_CONF := $(O)/include/config/auto.conf
export KCONFIG_CONFIG AUTOCONF_H AUTO_CONF

SETUP := $(ROOT)/scripts/setup.sh
KCONF := $(ROOT)/scripts/kconfig.sh

COMPONENTS := lib hypervisor guest-drivers/minios ring-buffers tests/unit \
	guest-drivers/linux tests/guest

.PHONY: all setup config defconfig olddefconfig menuconfig run check bench \
	bench-quick bench-check fuzz-long clean distclean $(COMPONENTS) help

all: $(COMPONENTS)

help:
	@echo "make run        build everything and boot the default demo"
	@echo "make check      build everything and run all tests"
	@echo "make bench      run the benchmarks, then build/bench/report.md"
	@echo "make bench-quick  the same with short jobs (meant to fit 10 minutes)"
	@echo "make bench-check  exits and interrupts per request against tests/bench/baseline.csv"
	@echo "make defconfig | olddefconfig | menuconfig"
	@echo "make setup      install the Debian packages pvkit needs"
	@echo "make fuzz-long  long fuzzing runs (not part of check)"

# Installs missing Debian packages; quick no-op when all are present.
setup:
	@$(SETUP)

$(O)/.setup-stamp: $(SETUP)
	@$(SETUP)
	@mkdir -p $(O) && touch $@

# Order-only: the Kconfig tools must be installed first, but a newer
# setup.sh must not turn an existing .config back into the defaults.
$(KCONFIG_CONFIG): | $(O)/.setup-stamp
	@$(KCONF) defconfig

defconfig: $(O)/.setup-stamp
	@$(KCONF) defconfig
	@$(KCONF) sync
olddefconfig: $(O)/.setup-stamp
	@$(KCONF) olddefconfig
	@$(KCONF) sync
menuconfig: $(O)/.setup-stamp
	@$(KCONF) menuconfig
	@$(KCONF) sync

$(AUTOCONF_H) $(AUTO_CONF): $(KCONFIG_CONFIG) $(ROOT)/Kconfig $(O)/.setup-stamp
	@$(KCONF) sync

config: $(AUTOCONF_H)

lib: config
	@$(MAKE) -C lib
hypervisor: config lib
	@$(MAKE) -C hypervisor
guest-drivers/minios: config lib
	@$(MAKE) -C guest-drivers/minios
ring-buffers: config
	@$(MAKE) -C ring-buffers
tests/unit: config
	@$(MAKE) -C tests/unit
guest-drivers/linux: config
	@$(MAKE) -C guest-drivers/linux
# Last: it packs the initramfs with guest-drivers/linux's modules.
tests/guest: config guest-drivers/linux
	@$(MAKE) -C tests/guest

run: all
	@$(ROOT)/scripts/demo.sh

check: all
	@$(ROOT)/tests/run-tests

bench: all
	@$(ROOT)/tests/run-bench

bench-quick: all
	@BENCH_QUICK=1 $(ROOT)/tests/run-bench

bench-check: all
	@$(ROOT)/tests/bench/check

fuzz-long: all
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-1800} $(ROOT)/tests/run-tests --only fuzz

clean:
	rm -rf $(O)

distclean: clean
	rm -f $(KCONFIG_CONFIG) $(KCONFIG_CONFIG).old
