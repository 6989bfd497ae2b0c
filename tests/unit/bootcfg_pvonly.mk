# SPDX-License-Identifier: GPL-2.0
# The module line parser as configs/pv-only builds it (PV_NET on; the
# emulated IDE, e1000 and UART, passthrough and shadow paging off), a
# second build of the same sources beside the default one, run by
# tests/suites/32-unit-bootcfg-pvonly.
TESTS += test-bootcfg-pvonly

PVONLY_HOST := $(B)/host-pvonly
$(B)/test-bootcfg-pvonly: $(B)/host/tests/unit/test_bootcfg_pvonly.o \
	$(patsubst %.c,$(PVONLY_HOST)/%.o,$(BOOTCFG_SRCS)) $(LIB_HOST)

$(PVONLY_HOST)/%.o: $(ROOT)/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -DCONFIG_PV_NET=1 $(RENAME) -c $< -o $@
