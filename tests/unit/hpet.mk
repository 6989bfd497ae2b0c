# SPDX-License-Identifier: GPL-2.0
# The HPET model (hypervisor/emul/hpet.c).  Run by tests/suites/29-unit-hpet.
TESTS += test-hpet

$(B)/test-hpet: $(B)/host/tests/unit/test_hpet.o \
	$(call host-obj,hypervisor/emul/hpet.c) $(LIB_HOST)
