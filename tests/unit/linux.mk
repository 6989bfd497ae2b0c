# SPDX-License-Identifier: GPL-2.0
#
# The Linux bzImage loader (hypervisor/common/linux_loader.c).

TESTS += test-linux-loader

$(B)/test-linux-loader: $(B)/host/tests/unit/test_linux_loader.o \
	$(call host-obj,hypervisor/common/linux_loader.c) $(LIB_HOST)
