# SPDX-License-Identifier: GPL-2.0
# The virtual switch (hypervisor/net/switch.c), run by
# tests/suites/55-unit-vswitch (and the backend, 56-unit-net-back); and the PV NIC options of the module
# command line, which bootcfg_dev.c parses as the default configuration
# (PV_NET=y, PASSTHROUGH=y, the emulated IDE, e1000 and UART) builds it.
TESTS += test-vswitch

$(B)/test-vswitch: $(B)/host/tests/unit/test_vswitch.o \
	$(call host-obj,hypervisor/net/switch.c) $(LIB_HOST)

BOOTCFG_DEFAULT_CONFIG := -DCONFIG_PV_NET=1 -DCONFIG_PASSTHROUGH=1 \
	-DCONFIG_EMUL_IDE=1 -DCONFIG_EMUL_E1000=1 -DCONFIG_EMUL_UART=1 \
	-DCONFIG_SHADOW_PAGING=1
$(call host-obj,hypervisor/common/bootcfg_dev.c): HOST_CFLAGS += $(BOOTCFG_DEFAULT_CONFIG)
$(call host-obj,hypervisor/common/bootcfg.c): HOST_CFLAGS += -DCONFIG_SHADOW_PAGING=1
$(call fuzz-obj,hypervisor/common/bootcfg_dev.c): FUZZ_CFLAGS += $(BOOTCFG_DEFAULT_CONFIG)

# The backend against a rule-breaking frontend, with the real switch.
# struct domain is sized by Kconfig: it needs autoconf.h (see races.mk).
AUTOCONF_H ?= $(O)/include/generated/autoconf.h
ifneq ($(wildcard $(AUTOCONF_H)),)
NET_BACK_OBJS := $(B)/host/tests/unit/test_net_back.o \
	$(call host-obj,hypervisor/pv/net_back.c)
$(NET_BACK_OBJS): HOST_CFLAGS += -include $(AUTOCONF_H)
$(NET_BACK_OBJS): $(AUTOCONF_H)
TESTS += test-net-back
$(B)/test-net-back: $(NET_BACK_OBJS) \
	$(call host-obj,hypervisor/net/switch.c) \
	$(call host-obj,hypervisor/net/csum.c) $(LIB_HOST)

# The uplink's virtio-net driver against a fake device, with the real
# virtqueues and switch; run by tests/suites/57-unit-uplink.
UPLINK_OBJS := $(B)/host/tests/unit/test_uplink.o \
	$(call host-obj,hypervisor/net/uplink_virtio.c)
$(UPLINK_OBJS): HOST_CFLAGS += -include $(AUTOCONF_H) -DCONFIG_NET_UPLINK=1
$(UPLINK_OBJS): $(AUTOCONF_H)
TESTS += test-uplink
$(B)/test-uplink: $(UPLINK_OBJS) \
	$(call host-obj,hypervisor/virtio/virtqueue.c) \
	$(call host-obj,hypervisor/net/switch.c) $(LIB_HOST)
endif

# The checksum code on frames nobody checked; run by
# tests/suites/35-fuzz-hostparsers (fuzz-net-csum).
FUZZERS += fuzz-net-csum
$(B)/fuzz-net-csum: $(B)/fuzz/tests/unit/fuzz_net_csum.o \
	$(call fuzz-obj,hypervisor/net/csum.c) $(LIB_FUZZ)
