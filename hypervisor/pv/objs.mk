# SPDX-License-Identifier: GPL-2.0
# hypervisor/pv: PV backends, the device table and one file per class.
obj-y += pv/pvdev.o
obj-y += pv/console_back.o
obj-y += pv/block_back.o
obj-$(CONFIG_PV_NET) += pv/net_back.o
