// SPDX-License-Identifier: GPL-2.0
/*
 * virtio 1.x over PCI, the modern transport: vendor capabilities name
 * where the common config, notify area, ISR and device config live in
 * the BARs; each is mapped once, bounds-checked against its length.
 * No legacy I/O-port interface.
 */
#include <asm/mmio.h>
#include <asm/processor.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/virtio.h>

/* struct virtio_pci_cap, in config space. */
#define CAP_CFG_TYPE		3
#define CAP_BAR			4
#define CAP_OFFSET		8
#define CAP_LENGTH		12
#define CAP_NOTIFY_MULT		16

#define CAP_COMMON		1
#define CAP_NOTIFY		2
#define CAP_ISR			3
#define CAP_DEVICE		4

/* The common configuration structure. */
#define CC_DFSELECT		0
#define CC_DF			4
#define CC_GFSELECT		8
#define CC_GF			12
#define CC_MSIX_CONFIG		16
#define CC_NUM_QUEUES		18
#define CC_STATUS		20
#define CC_GENERATION		21
#define CC_Q_SELECT		22
#define CC_Q_SIZE		24
#define CC_Q_MSIX		26
#define CC_Q_ENABLE		28
#define CC_Q_NOTIFY_OFF		30
#define CC_Q_DESC		32
#define CC_Q_AVAIL		40
#define CC_Q_USED		48
#define CC_LEN			56

#define RESET_SPINS		1000000

static volatile uint8_t *cap_map(struct virtio_pci *vp, unsigned int cap,
				 uint64_t min_len, uint32_t *len)
{
	struct pci_dev *pdev = vp->pdev;
	uint8_t bar = pci_read8(pdev, cap + CAP_BAR);
	uint32_t off = pci_read32(pdev, cap + CAP_OFFSET);
	uint32_t l = pci_read32(pdev, cap + CAP_LENGTH);

	if (l < min_len)
		return NULL;
	if (len)
		*len = l;
	return pci_bar_map(pdev, bar, off, l);
}

/* The first capability of each type wins, as the spec asks. */
static void caps_map(struct virtio_pci *vp)
{
	struct pci_dev *pdev = vp->pdev;

	for (unsigned int cap = pci_find_cap(pdev, PCI_CAP_ID_VNDR, 0); cap;
	     cap = pci_find_cap(pdev, PCI_CAP_ID_VNDR, cap)) {
		switch (pci_read8(pdev, cap + CAP_CFG_TYPE)) {
		case CAP_COMMON:
			if (!vp->common)
				vp->common = cap_map(vp, cap, CC_LEN, NULL);
			break;
		case CAP_NOTIFY:
			if (vp->notify)
				break;
			vp->notify = cap_map(vp, cap, 2, &vp->notify_len);
			vp->notify_mult = pci_read32(pdev, cap + CAP_NOTIFY_MULT);
			break;
		case CAP_ISR:
			if (!vp->isr)
				vp->isr = cap_map(vp, cap, 1, NULL);
			break;
		case CAP_DEVICE:
			if (!vp->device)
				vp->device = cap_map(vp, cap, 1, &vp->device_len);
			break;
		}
	}
}

static void status_set(struct virtio_pci *vp, uint8_t bits)
{
	uint8_t s = mmio_read8(vp->common + CC_STATUS);

	mmio_write8(vp->common + CC_STATUS, s | bits);
}

int virtio_reset(struct virtio_pci *vp)
{
	mmio_write8(vp->common + CC_STATUS, 0);
	for (unsigned int i = 0; i < RESET_SPINS; i++) {
		if (!mmio_read8(vp->common + CC_STATUS))
			return 0;
		cpu_relax();
	}
	return -1;
}

int virtio_pci_init(struct virtio_pci *vp, struct pci_dev *pdev)
{
	vp->pdev = pdev;
	caps_map(vp);
	if (!vp->common || !vp->notify || !vp->isr) {
		pr_warn("virtio %02x:%02x.%u: no modern capabilities",
			pdev->bus, pdev->devfn >> 3, pdev->devfn & 7);
		return -1;
	}
	pci_enable(pdev);
	if (virtio_reset(vp)) {
		pr_warn("virtio %02x:%02x.%u: reset never completed",
			pdev->bus, pdev->devfn >> 3, pdev->devfn & 7);
		return -1;
	}
	status_set(vp, VIRTIO_S_ACKNOWLEDGE);
	status_set(vp, VIRTIO_S_DRIVER);
	return 0;
}

static uint64_t device_features(struct virtio_pci *vp)
{
	uint64_t f;

	mmio_write32(vp->common + CC_DFSELECT, 0);
	f = mmio_read32(vp->common + CC_DF);
	mmio_write32(vp->common + CC_DFSELECT, 1);
	return f | (uint64_t)mmio_read32(vp->common + CC_DF) << 32;
}

int virtio_negotiate(struct virtio_pci *vp, uint64_t wanted)
{
	uint64_t offered = device_features(vp);
	/*
	 * ACCESS_PLATFORM: the device's DMA goes through the IOMMU, which
	 * leaves the hypervisor's own functions untranslated (hv/iommu.h),
	 * so host-physical addresses stay right; a device offering it may
	 * refuse a driver that does not take it.
	 */
	uint64_t f = (wanted | VIRTIO_F_VERSION_1 | VIRTIO_F_ACCESS_PLATFORM) &
		     offered;

	if (!(f & VIRTIO_F_VERSION_1))
		goto fail;
	mmio_write32(vp->common + CC_GFSELECT, 0);
	mmio_write32(vp->common + CC_GF, (uint32_t)f);
	mmio_write32(vp->common + CC_GFSELECT, 1);
	mmio_write32(vp->common + CC_GF, (uint32_t)(f >> 32));
	status_set(vp, VIRTIO_S_FEATURES_OK);
	if (!(mmio_read8(vp->common + CC_STATUS) & VIRTIO_S_FEATURES_OK))
		goto fail;
	vp->features = f;
	return 0;
fail:
	pr_warn("virtio %02x:%02x.%u: features %llx refused (VERSION_1 required)",
		vp->pdev->bus, vp->pdev->devfn >> 3, vp->pdev->devfn & 7,
		(unsigned long long)offered);
	virtio_fail(vp);
	return -1;
}

int virtio_pci_irq(struct virtio_pci *vp, uint8_t vector)
{
	if (!vector || pci_msix_enable(vp->pdev) ||
	    pci_msix_route(vp->pdev, 0, vector))
		return -1;
	/* Configuration changes only where the driver asks for them. */
	mmio_write16(vp->common + CC_MSIX_CONFIG, VIRTIO_NO_VECTOR);
	vp->msix = true;
	return 0;
}

/* The device reads back NO_VECTOR for an entry it cannot use. */
int virtio_pci_config_irq(struct virtio_pci *vp, unsigned int entry,
			  uint8_t vector)
{
	if (!vp->msix || !vector || pci_msix_route(vp->pdev, entry, vector))
		return -1;
	mmio_write16(vp->common + CC_MSIX_CONFIG, (uint16_t)entry);
	return mmio_read16(vp->common + CC_MSIX_CONFIG) == entry ? 0 : -1;
}

uint8_t virtio_config_generation(struct virtio_pci *vp)
{
	return mmio_read8(vp->common + CC_GENERATION);
}

void virtio_driver_ok(struct virtio_pci *vp)
{
	status_set(vp, VIRTIO_S_DRIVER_OK);
}

void virtio_fail(struct virtio_pci *vp)
{
	status_set(vp, VIRTIO_S_FAILED);
}

bool virtio_failed(struct virtio_pci *vp)
{
	return mmio_read8(vp->common + CC_STATUS) &
	       (VIRTIO_S_NEEDS_RESET | VIRTIO_S_FAILED);
}

uint8_t virtio_cfg_read8(struct virtio_pci *vp, unsigned int off)
{
	if (!vp->device || off + 1 > vp->device_len)
		return 0;
	return mmio_read8(vp->device + off);
}

uint32_t virtio_cfg_read32(struct virtio_pci *vp, unsigned int off)
{
	if (!vp->device || off + 4 > vp->device_len)
		return 0;
	return mmio_read32(vp->device + off);
}

/* Two halves, read again until the generation says they match. */
uint64_t virtio_cfg_read64(struct virtio_pci *vp, unsigned int off)
{
	uint32_t lo, hi;
	uint8_t gen;

	if (!vp->device || off + 8 > vp->device_len)
		return 0;
	do {
		gen = mmio_read8(vp->common + CC_GENERATION);
		lo = mmio_read32(vp->device + off);
		hi = mmio_read32(vp->device + off + 4);
	} while (gen != mmio_read8(vp->common + CC_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

/* ---- queue registers, for virtqueue.c ---- */

uint16_t virtio_queue_max(struct virtio_pci *vp, uint16_t index)
{
	volatile uint8_t *c = vp->common;

	if (index >= mmio_read16(c + CC_NUM_QUEUES))
		return 0;
	mmio_write16(c + CC_Q_SELECT, index);
	if (mmio_read16(c + CC_Q_ENABLE))
		return 0;
	return mmio_read16(c + CC_Q_SIZE);
}

int virtio_queue_setup(struct virtio_pci *vp, uint16_t index, uint16_t size,
		       uint64_t desc, uint64_t avail, uint64_t used,
		       volatile uint16_t **notify)
{
	volatile uint8_t *c = vp->common;
	uint64_t off;

	if (size > virtio_queue_max(vp, index))
		return -1;
	off = (uint64_t)mmio_read16(c + CC_Q_NOTIFY_OFF) * vp->notify_mult;
	if (off > vp->notify_len || vp->notify_len - off < 2)
		return -1;
	*notify = (volatile uint16_t *)(vp->notify + off);
	mmio_write16(c + CC_Q_SIZE, size);
	mmio_write64(c + CC_Q_DESC, desc);
	mmio_write64(c + CC_Q_AVAIL, avail);
	mmio_write64(c + CC_Q_USED, used);
	if (vp->msix) {
		mmio_write16(c + CC_Q_MSIX, 0);
		if (mmio_read16(c + CC_Q_MSIX) == VIRTIO_NO_VECTOR)
			vp->msix = false;
	} else {
		mmio_write16(c + CC_Q_MSIX, VIRTIO_NO_VECTOR);
	}
	mmio_write16(c + CC_Q_ENABLE, 1);
	return 0;
}
