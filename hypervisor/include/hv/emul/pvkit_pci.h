/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pvkit platform PCI device of an HVM domain (pvkit/io/device.h):
 * a PCI function whose only job is to carry the domain's event-channel
 * upcalls to the guest as MSI-X messages, one table entry per vCPU.
 * BAR 0 holds the MSI-X table and the pending bit array; the function
 * has no INTx and no registers of its own.
 *
 * Set up as
 *	pvkit_pci_init(&p, env, bar_base);
 *	emul_bus_attach(d, &p.dev);
 *	emul_bus_map(d, &p.dev, true, bar_base, PVKIT_PCI_BAR_SIZE);
 *	pci_host_add_function(&host, devfn, &pvkit_pci_cfg_ops, &p);
 * The caller serialises pvkit_pci_raise() with the device's other calls
 * (the bus lock of p.dev).
 */
#ifndef HV_EMUL_PVKIT_PCI_H
#define HV_EMUL_PVKIT_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include <pvkit/io/device.h>
#include <hv/emul.h>
#include <hv/emul/pci_host.h>

#define PVKIT_PCI_MSIX_CAP	0x40

struct msix_entry {
	uint32_t addr_lo;
	uint32_t addr_hi;
	uint32_t data;
	uint32_t ctrl;		/* bit 0: masked */
};

struct pvkit_pci {
	struct emul_device dev;		/* dev.priv points back here */
	struct pci_header hdr;
	uint64_t bar;			/* where the range is on the bus */
	bool decoding;			/* the range is live */
	uint16_t msix_ctrl;		/* enable (15), function mask (14) */
	struct msix_entry table[PVKIT_PCI_MSIX_VECTORS];
	uint64_t pba;
	uint64_t sent;			/* messages sent (statistics) */
};

extern const struct pci_function_ops pvkit_pci_cfg_ops;	/* opaque: p */

void pvkit_pci_init(struct pvkit_pci *p, const struct emul_env *env,
		    uint64_t bar_base);
/* Signals entry (vCPU) n, or marks it pending while it is masked. */
void pvkit_pci_raise(struct pvkit_pci *p, unsigned int n);

#endif
