/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor as a virtio 1.x driver over PCI (modern transport only,
 * VIRTIO_F_VERSION_1 required): the transport (capabilities, status,
 * features, device config) and split virtqueues.  Device-class neutral:
 * virtio-blk storage and the virtio-net uplink use it.  The device is
 * distrusted like a guest: every used-ring entry is checked before use,
 * and a bad one marks the queue broken (a logged device error).
 */
#ifndef HV_VIRTIO_H
#define HV_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

struct pci_dev;

#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_MODERN_BASE		0x1040	/* + device type */
#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2

/* Device status. */
#define VIRTIO_S_ACKNOWLEDGE		0x01
#define VIRTIO_S_DRIVER			0x02
#define VIRTIO_S_DRIVER_OK		0x04
#define VIRTIO_S_FEATURES_OK		0x08
#define VIRTIO_S_NEEDS_RESET		0x40
#define VIRTIO_S_FAILED			0x80

/* Transport feature bits. */
#define VIRTIO_F_INDIRECT_DESC		(1ull << 28)
#define VIRTIO_F_VERSION_1		(1ull << 32)
#define VIRTIO_F_ACCESS_PLATFORM	(1ull << 33)

#define VIRTIO_NO_VECTOR		0xffff

struct virtio_pci {
	struct pci_dev *pdev;
	volatile uint8_t *common;
	volatile uint8_t *isr;
	volatile uint8_t *device;
	uint32_t device_len;
	volatile uint8_t *notify;
	uint32_t notify_len;
	uint32_t notify_mult;
	uint64_t features;		/* accepted */
	bool msix;			/* queues signal MSI-X entry 0 */
};

/* Finds and maps the capabilities, resets the device; 0 or -1. */
int virtio_pci_init(struct virtio_pci *vp, struct pci_dev *pdev);
/*
 * Offers wanted & what the device has, plus VERSION_1, which it must
 * have; sets vp->features.  0, or -1 with the device FAILED.
 */
int virtio_negotiate(struct virtio_pci *vp, uint64_t wanted);
/* Every queue's interrupts to MSI-X entry 0 at vector; 0 or -1. */
int virtio_pci_irq(struct virtio_pci *vp, uint8_t vector);
/*
 * After virtio_pci_irq(): configuration changes to MSI-X entry (not 0)
 * at vector; 0, or -1 when the device has no such entry (the driver
 * then watches virtio_config_generation() itself).
 */
int virtio_pci_config_irq(struct virtio_pci *vp, unsigned int entry,
			  uint8_t vector);
/* Changes whenever the device changes its configuration. */
uint8_t virtio_config_generation(struct virtio_pci *vp);
void virtio_driver_ok(struct virtio_pci *vp);
/* Stops the device (no more DMA once it returns 0). */
int virtio_reset(struct virtio_pci *vp);
void virtio_fail(struct virtio_pci *vp);
/* Whether the device asked for a reset or the driver marked it failed. */
bool virtio_failed(struct virtio_pci *vp);
/* Device-specific config, bounds-checked (0 past its end). */
uint8_t virtio_cfg_read8(struct virtio_pci *vp, unsigned int off);
uint32_t virtio_cfg_read32(struct virtio_pci *vp, unsigned int off);
uint64_t virtio_cfg_read64(struct virtio_pci *vp, unsigned int off);

/* The transport's side of virtqueue_create(). */
uint16_t virtio_queue_max(struct virtio_pci *vp, uint16_t index);
int virtio_queue_setup(struct virtio_pci *vp, uint16_t index, uint16_t size,
		       uint64_t desc, uint64_t avail, uint64_t used,
		       volatile uint16_t **notify);

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

#define VIRTQ_DESC_F_NEXT		1
#define VIRTQ_DESC_F_WRITE		2
#define VIRTQ_DESC_F_INDIRECT		4

struct virtqueue {
	struct virtio_pci *vp;
	uint16_t index;
	uint16_t size;
	struct virtq_desc *desc;	/* the device reads it */
	volatile uint16_t *avail;	/* flags, idx, ring[size] */
	volatile uint8_t *used;		/* flags, idx, {id, len}[size] */
	volatile uint16_t *notify;
	uint64_t pages_pa;
	uint64_t nr_pages;
	/* The driver's own view: never read back from shared memory. */
	uint16_t *next_free;
	uint16_t free_head;
	uint16_t nr_free;
	uint16_t avail_idx;
	uint16_t last_used;
	void **token;			/* per head; NULL when not in flight */
	uint16_t *chain;		/* descriptors per head */
	uint32_t *writable;		/* device-writable bytes per head */
	unsigned int in_flight;
	bool broken;
};

/* Sets up and enables queue index, at most max_size entries; 0 or -1. */
int virtqueue_create(struct virtio_pci *vp, struct virtqueue *vq,
		     uint16_t index, uint16_t max_size);
void virtqueue_destroy(struct virtqueue *vq);
/*
 * Makes table[0 .. nr) one request carrying token (not NULL).  The
 * caller fills addr, len and VIRTQ_DESC_F_WRITE; the chaining is done
 * here.  With indirect descriptors the table itself goes to the device
 * and must stay put until the request is returned.  -PVKIT_ENOSPC when
 * the ring has no room now.
 */
int virtqueue_add(struct virtqueue *vq, struct virtq_desc *table,
		  unsigned int nr, void *token);
/* Publishes what was added and notifies the device unless it opted out. */
bool virtqueue_kick(struct virtqueue *vq);
/*
 * The next completed request: 1 with its token and the bytes the device
 * says it wrote, 0 when none, -PVKIT_EIO when the device broke the
 * protocol (logged once; the queue stays broken).
 */
int virtqueue_get(struct virtqueue *vq, void **token, uint32_t *len);
/* After a reset: takes back one request still out, NULL when none. */
void *virtqueue_detach(struct virtqueue *vq);
/* Requests added and not yet returned. */
unsigned int virtqueue_in_flight(const struct virtqueue *vq);

#endif
