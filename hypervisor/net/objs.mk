# SPDX-License-Identifier: GPL-2.0
# hypervisor/net: the virtual switch the PV NICs are attached to.
obj-$(CONFIG_PV_NET) += net/switch.o
