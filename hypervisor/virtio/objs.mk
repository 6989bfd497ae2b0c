# SPDX-License-Identifier: GPL-2.0
# hypervisor/virtio: the hypervisor as a virtio driver (transport, queues).
obj-y += virtio/virtio_pci.o virtio/virtqueue.o
