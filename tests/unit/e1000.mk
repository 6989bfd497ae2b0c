# SPDX-License-Identifier: GPL-2.0
# The emulated e1000 NIC (hypervisor/emul/e1000.c) on the real switch,
# run by tests/suites/58-unit-e1000.
TESTS += test-e1000

$(B)/test-e1000: $(B)/host/tests/unit/test_e1000.o \
	$(call host-obj,hypervisor/emul/e1000.c) \
	$(call host-obj,hypervisor/emul/e1000_nvm.c) \
	$(call host-obj,hypervisor/net/csum.c) \
	$(call host-obj,hypervisor/emul/pci_host.c) \
	$(call host-obj,hypervisor/net/switch.c) $(LIB_HOST)

# Its libFuzzer target, run by tests/suites/59-fuzz-e1000.
FUZZERS += fuzz-e1000
$(B)/fuzz-e1000: $(B)/fuzz/tests/unit/fuzz_e1000.o \
	$(call fuzz-obj,hypervisor/emul/e1000.c) \
	$(call fuzz-obj,hypervisor/emul/e1000_nvm.c) \
	$(call fuzz-obj,hypervisor/net/csum.c) \
	$(call fuzz-obj,hypervisor/emul/pci_host.c) \
	$(call fuzz-obj,hypervisor/net/switch.c) $(LIB_FUZZ)
