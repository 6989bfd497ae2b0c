# SPDX-License-Identifier: GPL-2.0
# Interrupt controllers: local APIC, IOAPIC, 8259 pair, the IRQ router.
INTC_SRCS := hypervisor/emul/vlapic.c hypervisor/emul/vlapic_timer.c \
	hypervisor/emul/vioapic.c \
	hypervisor/emul/vpic8259.c hypervisor/emul/irq_router.c

TESTS += test-vlapic test-vioapic test-vpic

$(B)/test-vlapic: $(B)/host/tests/unit/test_vlapic.o \
	$(B)/host/tests/unit/test_vlapic_timer.o \
	$(B)/host/tests/unit/vlapic_fake.o \
	$(call host-obj,$(INTC_SRCS)) $(LIB_HOST)
$(B)/test-vioapic: $(B)/host/tests/unit/test_vioapic.o \
	$(call host-obj,$(INTC_SRCS)) $(LIB_HOST)
$(B)/test-vpic: $(B)/host/tests/unit/test_vpic.o \
	$(call host-obj,$(INTC_SRCS)) $(LIB_HOST)
# The LAPIC test races IPI senders on threads against the owner.
$(B)/test-vlapic: HOST_CFLAGS += -pthread
