# SPDX-License-Identifier: GPL-2.0
#
# Cross-pCPU races in hypervisor code: event channels against a peer
# acting between their critical sections (single-threaded, through the
# fake spinlocks of tests/unit/fake/), and FPU switching against
# fpu_forget() from another thread, and the emulation bus's lock-free
# lookup against a BAR move.  Run by tests/suites/52-unit-races.
# struct domain's and struct pcpu's arrays are sized by Kconfig, so these
# need autoconf.h (see linux.mk).
AUTOCONF_H ?= $(O)/include/generated/autoconf.h
ifneq ($(wildcard $(AUTOCONF_H)),)
EVTCHN_OBJS := $(B)/host/tests/unit/test_evtchn.o \
	$(B)/host-fakelock/hypervisor/common/event_channel.o

# The fake spinlock header comes before the real one.
$(EVTCHN_OBJS): HOST_CFLAGS := -I$(ROOT)/tests/unit/fake $(HOST_CFLAGS) \
	-include $(AUTOCONF_H)
$(EVTCHN_OBJS): $(AUTOCONF_H)

FPU_OBJS := $(B)/host/tests/unit/test_fpu.o \
	$(call host-obj,hypervisor/arch/x86/fpu.c)
$(FPU_OBJS): HOST_CFLAGS += -include $(AUTOCONF_H) -pthread
$(FPU_OBJS): $(AUTOCONF_H)

$(B)/host-fakelock/%.o: $(ROOT)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(RENAME) -c $< -o $@

BUS_OBJS := $(B)/host/tests/unit/test_emul_bus.o \
	$(call host-obj,hypervisor/common/emul_bus.c)
$(BUS_OBJS): HOST_CFLAGS += -include $(AUTOCONF_H) -pthread
$(BUS_OBJS): $(AUTOCONF_H)

TESTS += test-evtchn test-fpu test-emul-bus
$(B)/test-evtchn: $(EVTCHN_OBJS) $(LIB_HOST)
$(B)/test-fpu: $(FPU_OBJS) $(LIB_HOST)
$(B)/test-fpu: HOST_CFLAGS += -pthread
$(B)/test-emul-bus: $(BUS_OBJS) $(LIB_HOST)
$(B)/test-emul-bus: HOST_CFLAGS += -pthread
else
$(info tests/unit: no $(AUTOCONF_H) (make config), race tests not built)
endif
