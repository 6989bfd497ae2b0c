# SPDX-License-Identifier: GPL-2.0
#
# The guest platform's ACPI tables (hypervisor/common/acpi_build.c), the
# ACPI PM block, the PCI host bridge and the pvkit platform PCI device
# (hypervisor/emul/).  Run by
# tests/suites/38-unit-acpi-pci.

TESTS += test-acpi test-acpi-pm test-pci test-pvkit-pci

$(B)/test-acpi: $(B)/host/tests/unit/test_acpi.o \
	$(B)/host/tests/unit/acpi_aml.o \
	$(call host-obj,hypervisor/common/acpi_build.c) $(LIB_HOST)
$(B)/test-acpi-pm: $(B)/host/tests/unit/test_acpi_pm.o \
	$(call host-obj,hypervisor/emul/acpi_pm.c) $(LIB_HOST)
$(B)/test-pci: $(B)/host/tests/unit/test_pci.o \
	$(call host-obj,hypervisor/emul/pci_host.c) $(LIB_HOST)
$(B)/test-pvkit-pci: $(B)/host/tests/unit/test_pvkit_pci.o \
	$(call host-obj,hypervisor/emul/pvkit_pci.c) \
	$(call host-obj,hypervisor/emul/pci_host.c) $(LIB_HOST)
