# SPDX-License-Identifier: GPL-2.0
#
# Cross-pCPU races in hypervisor code: event channels against a peer
# acting between their critical sections (single-threaded, through the
# fake spinlocks of tests/unit/fake/).  Run by tests/suites/52-unit-races.
# struct domain's arrays are sized by Kconfig, so this needs autoconf.h
# (see linux.mk).
AUTOCONF_H ?= $(O)/include/generated/autoconf.h
ifneq ($(wildcard $(AUTOCONF_H)),)
EVTCHN_OBJS := $(B)/host/tests/unit/test_evtchn.o \
	$(B)/host-fakelock/hypervisor/common/event_channel.o

# The fake spinlock header comes before the real one.
$(EVTCHN_OBJS): HOST_CFLAGS := -I$(ROOT)/tests/unit/fake $(HOST_CFLAGS) \
	-include $(AUTOCONF_H)
$(EVTCHN_OBJS): $(AUTOCONF_H)

$(B)/host-fakelock/%.o: $(ROOT)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(RENAME) -c $< -o $@

TESTS += test-evtchn
$(B)/test-evtchn: $(EVTCHN_OBJS) $(LIB_HOST)
else
$(info tests/unit: no $(AUTOCONF_H) (make config), race tests not built)
endif
