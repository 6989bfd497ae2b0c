# SPDX-License-Identifier: GPL-2.0
# A passed-through function's config-space filter and MSI-X trap
# (hypervisor/passthrough/pt_pci.c, pt_msix.c) against a fake machine
# function, run by tests/suites/38-unit-passthrough.  struct domain and
# struct pcpu are sized by Kconfig, so these need autoconf.h; they take
# the fake spinlocks (tests/unit/fake/), which abort on a lock taken
# twice, and races.mk's rule for objects built with them.
AUTOCONF_H ?= $(O)/include/generated/autoconf.h
ifneq ($(wildcard $(AUTOCONF_H)),)
PT_OBJS := $(B)/host/tests/unit/test_pt_pci.o \
	$(B)/host/tests/unit/test_pt_msi.o \
	$(B)/host/tests/unit/pt_fake.o \
	$(B)/host-fakelock/hypervisor/passthrough/pt_pci.o \
	$(B)/host-fakelock/hypervisor/passthrough/pt_msix.o

$(PT_OBJS): HOST_CFLAGS := -I$(ROOT)/tests/unit/fake \
	-I$(ROOT)/hypervisor/passthrough $(HOST_CFLAGS) -include $(AUTOCONF_H)
$(PT_OBJS): $(AUTOCONF_H)

TESTS += test-pt-pci
$(B)/test-pt-pci: $(PT_OBJS) $(LIB_HOST)
endif
