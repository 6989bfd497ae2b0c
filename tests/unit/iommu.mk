# SPDX-License-Identifier: GPL-2.0
#
# The ACPI IVRS parser of the AMD-Vi driver
# (hypervisor/arch/x86/iommu/ivrs.c).  Run by
# tests/suites/38-unit-acpi-pci (test-ivrs) and
# tests/suites/35-fuzz-hostparsers (fuzz-ivrs).

TESTS += test-ivrs
FUZZERS += fuzz-ivrs

$(B)/test-ivrs: $(B)/host/tests/unit/test_ivrs.o \
	$(call host-obj,hypervisor/arch/x86/iommu/ivrs.c) $(LIB_HOST)
$(B)/fuzz-ivrs: $(B)/fuzz/tests/unit/fuzz_ivrs.o \
	$(call fuzz-obj,hypervisor/arch/x86/iommu/ivrs.c) $(LIB_FUZZ)
