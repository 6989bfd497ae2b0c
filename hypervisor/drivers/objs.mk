# SPDX-License-Identifier: GPL-2.0
# hypervisor/drivers: the hypervisor's own hardware.
obj-y += drivers/serial.o
