# SPDX-License-Identifier: GPL-2.0
#
# The Linux bzImage loader (hypervisor/common/linux_loader.c) and the
# guest page-table walker (hypervisor/arch/x86/guest_walk.c) with shadow
# paging's use of it (hypervisor/arch/x86/shadow/), run by
# tests/suites/50-unit-linux-loader; the fuzzer by 51-fuzz-linux-loader.

TESTS += test-linux-loader
FUZZERS += fuzz-linux-loader

$(B)/test-linux-loader: $(B)/host/tests/unit/test_linux_loader.o \
	$(call host-obj,hypervisor/common/linux_loader.c) $(LIB_HOST)
$(B)/fuzz-linux-loader: $(B)/fuzz/tests/unit/fuzz_linux_loader.o \
	$(call fuzz-obj,hypervisor/common/linux_loader.c) $(LIB_FUZZ)

# guest_walk.c and guest_mem.c see struct domain, whose arrays Kconfig
# sizes: they, and the test that builds a domain, need autoconf.h.  The
# top-level make writes it before it builds here; run alone on a fresh
# build directory, this test is left out rather than failing the rest.
AUTOCONF_H ?= $(O)/include/generated/autoconf.h
ifneq ($(wildcard $(AUTOCONF_H)),)
GUEST_WALK_OBJS := $(B)/host/tests/unit/test_guest_walk.o \
	$(call host-obj,hypervisor/arch/x86/guest_walk.c \
		hypervisor/common/guest_mem.c \
		hypervisor/arch/x86/shadow/vtlb.c \
		hypervisor/arch/x86/shadow/shadow.c)
$(GUEST_WALK_OBJS): HOST_CFLAGS += -include $(AUTOCONF_H)
$(GUEST_WALK_OBJS): $(AUTOCONF_H)

TESTS += test-guest-walk
$(B)/test-guest-walk: $(GUEST_WALK_OBJS) $(LIB_HOST)

# Shadow paging's fault path on tables the input makes: run by
# tests/suites/35-fuzz-hostparsers (fuzz-shadow).
FUZZ_SHADOW_OBJS := $(B)/fuzz/tests/unit/fuzz_shadow.o \
	$(call fuzz-obj,hypervisor/arch/x86/guest_walk.c \
		hypervisor/common/guest_mem.c \
		hypervisor/arch/x86/shadow/vtlb.c \
		hypervisor/arch/x86/shadow/shadow.c)
$(FUZZ_SHADOW_OBJS): FUZZ_CFLAGS += -include $(AUTOCONF_H)
$(FUZZ_SHADOW_OBJS): $(AUTOCONF_H)
FUZZERS += fuzz-shadow
$(B)/fuzz-shadow: $(FUZZ_SHADOW_OBJS) $(LIB_FUZZ)
else
$(info tests/unit: no $(AUTOCONF_H) (make config), test-guest-walk not built)
endif
