/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU in front of the machine's PCI functions, vendor-neutral.  A
 * driver (AMD-Vi today, arch/x86/iommu/) implements struct iommu_ops;
 * passthrough (hypervisor/passthrough/) calls only the iommu_*()
 * wrappers below.
 *
 * Until a function is attached, its DMA is not translated: the
 * hypervisor's own drivers (virtio) use host-physical addresses.  An
 * attached function reaches exactly its domain's RAM, guest-physical
 * [0, mem_bytes) to host-physical [mem_hpa, +mem_bytes), the same view
 * as the domain's nested page tables; every other address faults and is
 * reported.  A blocked function (quarantine) reaches nothing, and its
 * interrupts are dropped.
 *
 * Interrupt remapping: an attached function's MSI reaches the CPUs only
 * through remapping table entries the hypervisor wrote, one per message
 * it programmed; a message naming any other entry is dropped.
 *
 * A function is named by its requester id, bus << 8 | devfn.
 */
#ifndef HV_IOMMU_H
#define HV_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;

/* The remapping entries one function may use: MSI-X tables up to 64. */
#define IOMMU_IRQS_MAX	64

struct iommu_ops {
	const char *name;
	/* Whether rid sits behind this IOMMU (its ACPI table lists it). */
	bool (*covers)(uint16_t rid);
	/*
	 * rid's DMA confined to d's RAM, its interrupts to irq_map()'s
	 * entries (none yet); 0, -PVKIT_ENOENT (rid not covered),
	 * -PVKIT_EINVAL (d's RAM not mappable) or -PVKIT_ENOMEM.  Replaces
	 * a block() or an earlier attach().
	 */
	int (*attach)(uint16_t rid, struct domain *d);
	/* rid's DMA and interrupts blocked; its remapping entries cleared. */
	void (*block)(uint16_t rid);
	/*
	 * Remapping entry index of rid delivers vector (fixed, edge) to the
	 * local APIC apic_id; *addr and *data are what the function's MSI
	 * or MSI-X entry must be programmed with.  0, -PVKIT_ENOENT (rid
	 * not covered) or -PVKIT_EINVAL (index from IOMMU_IRQS_MAX on, rid
	 * not attached).  Without remapping (!intremap) it is the plain
	 * message, which nothing confines: passthrough uses it only when
	 * the command line says unsafe_interrupts.
	 */
	int (*irq_map)(uint16_t rid, unsigned int index, uint8_t vector,
		       uint32_t apic_id, uint64_t *addr, uint32_t *data);
	/* Reads the fault log and reports each fault once (rate-limited). */
	void (*poll_faults)(void);
	/* Faults reported so far, for tests and the end-of-run log. */
	uint64_t (*faults)(void);
	bool intremap;		/* interrupt remapping is available */
};

/*
 * Finds and enables an IOMMU of the machine, if there is one (the ACPI
 * IVRS for AMD-Vi).  0, or -PVKIT_ENOENT when there is none (logged).
 */
int iommu_init(void);

/* NULL when iommu_init() found none. */
extern const struct iommu_ops *iommu;

static inline bool iommu_present(void)
{
	return iommu != NULL;
}

#endif /* HV_IOMMU_H */
