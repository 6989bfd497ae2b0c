# SPDX-License-Identifier: GPL-2.0
#
# The hypervisor's virtqueues (hypervisor/virtio/virtqueue.c) against a
# fake device, hostile ones included.  Run by tests/suites/38-unit-acpi-pci.

TESTS += test-virtqueue

$(B)/test-virtqueue: $(B)/host/tests/unit/test_virtqueue.o \
	$(call host-obj,hypervisor/virtio/virtqueue.c) $(LIB_HOST)
