# SPDX-License-Identifier: GPL-2.0
#
# pvkit top-level Makefile.  Everything a user does goes through
#   make run    build all, boot the default demo in QEMU
#   make check  build all, run every test (KTAP), print "N passed, N failed"
#   make bench  the benchmarks (results and method in docs/benchmarks.md),
#               then build/bench/report.md; make bench-quick: short jobs;
#               make bench-check: exits per request against baselines
# Configuration is Kconfig: make defconfig | olddefconfig | menuconfig.
#   make pv-only  the PV-only hypervisor (configs/pv-only) in build/pv-only,
#               beside the default build; any other configuration goes the
#               same way: make O=DIR KCONFIG_CONFIG=DIR/.config
#               KCONFIG_DEFCONFIG=NAME (a file of configs/) hypervisor

ROOT := $(abspath .)
O ?= $(ROOT)/build
override O := $(abspath $(O))
export O ROOT

KCONFIG_CONFIG ?= $(ROOT)/.config
KCONFIG_DEFCONFIG ?= defconfig
AUTOCONF_H := $(O)/include/generated/autoconf.h
AUTO_CONF := $(O)/include/config/auto.conf
export KCONFIG_CONFIG KCONFIG_DEFCONFIG AUTOCONF_H AUTO_CONF
# Where make pv-only builds: build/pv-only, or O/pv-only for another O
# (tests/suites/47-pv-only-build); scripts/tcb-lines looks there too.
PVONLY_O := $(O)/pv-only

SETUP := $(ROOT)/scripts/setup.sh
KCONF := $(ROOT)/scripts/kconfig.sh

COMPONENTS := lib hypervisor guest-drivers/minios ring-buffers tests/unit \
	guest-drivers/linux tests/guest

.PHONY: all setup config defconfig olddefconfig menuconfig run check bench \
	bench-quick bench-check fuzz-long clean distclean $(COMPONENTS) help \
	pv-only

all: $(COMPONENTS)

help:
	@echo "make run        build everything and boot the default demo"
	@echo "make check      build everything and run all tests"
	@echo "make bench      run the benchmarks, then build/bench/report.md"
	@echo "make bench-quick  the same with short jobs (meant to fit 10 minutes)"
	@echo "make bench-check  exits and interrupts per request against tests/bench/baseline.csv"
	@echo "make defconfig | olddefconfig | menuconfig"
	@echo "make pv-only    the PV-only hypervisor (configs/pv-only) in build/pv-only"
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
# A configuration made from another defconfig (make pv-only's) is made
# again when that file changes: nobody edits it by hand.
ifneq ($(KCONFIG_DEFCONFIG),defconfig)
$(KCONFIG_CONFIG): $(ROOT)/configs/$(KCONFIG_DEFCONFIG)
endif

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

# Only the hypervisor (and the lib it links) differs: the guests, tests
# and modules of the default build serve both.
pv-only:
	@$(MAKE) --no-print-directory O=$(PVONLY_O) \
		KCONFIG_CONFIG=$(PVONLY_O)/.config KCONFIG_DEFCONFIG=pv-only \
		hypervisor

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
