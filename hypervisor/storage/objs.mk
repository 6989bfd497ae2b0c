# SPDX-License-Identifier: GPL-2.0
# hypervisor/storage: what virtual disks are backed by, one file per kind.
obj-y += storage/storage.o
obj-y += storage/ram.o
obj-y += storage/virtio_blk.o
