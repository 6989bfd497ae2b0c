# SPDX-License-Identifier: GPL-2.0
# The virtual switch (hypervisor/net/switch.c), run by
# tests/suites/55-unit-vswitch; and the PV NIC options of the module
# command line, which bootcfg.c parses as the default configuration
# (PV_NET=y) builds it.
TESTS += test-vswitch

$(B)/test-vswitch: $(B)/host/tests/unit/test_vswitch.o \
	$(call host-obj,hypervisor/net/switch.c) $(LIB_HOST)

$(call host-obj,hypervisor/common/bootcfg.c): HOST_CFLAGS += -DCONFIG_PV_NET=1
$(call fuzz-obj,hypervisor/common/bootcfg.c): FUZZ_CFLAGS += -DCONFIG_PV_NET=1
