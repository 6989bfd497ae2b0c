# SPDX-License-Identifier: GPL-2.0
# hypervisor/net: the virtual switch the PV NICs are attached to, and its
# uplink to a virtio-net device.
obj-$(CONFIG_PV_NET) += net/switch.o net/csum.o
obj-$(CONFIG_NET_UPLINK) += net/uplink_virtio.o
