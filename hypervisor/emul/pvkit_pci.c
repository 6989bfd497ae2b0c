// SPDX-License-Identifier: GPL-2.0
/*
 * The pvkit platform PCI device: an MSI-X capability, BAR 0 with the
 * table and the pending bit array, and nothing else.  The BAR may be
 * moved by the guest; the device moves its range on the bus to follow
 * and decodes only while memory space is enabled.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <hv/emul/pvkit_pci.h>

#define MSIX_CTRL_ENABLE	(1u << 15)
#define MSIX_CTRL_MASKALL	(1u << 14)
#define MSIX_ENTRY_MASKED	1u
#define PCI_CAP_ID_MSIX		0x11
#define PCI_STATUS_CAP_LIST	(1u << 4)

static bool entry_live(const struct pvkit_pci *p, unsigned int n)
{
	return (p->msix_ctrl & MSIX_CTRL_ENABLE) &&
	       !(p->msix_ctrl & MSIX_CTRL_MASKALL) &&
	       !(p->table[n].ctrl & MSIX_ENTRY_MASKED);
}

static void send(struct pvkit_pci *p, unsigned int n)
{
	const struct msix_entry *e = &p->table[n];

	p->pba &= ~(1ull << n);
	p->sent++;
	p->dev.env->send_msi(p->dev.env->ctx,
			     (uint64_t)e->addr_hi << 32 | e->addr_lo, e->data);
}

void pvkit_pci_raise(struct pvkit_pci *p, unsigned int n)
{
	if (n >= PVKIT_PCI_MSIX_VECTORS)
		return;
	if (entry_live(p, n))
		send(p, n);
	else
		p->pba |= 1ull << n;
}

/* Unmasking, or enabling MSI-X, sends what waited in the PBA. */
static void flush_pending(struct pvkit_pci *p)
{
	for (unsigned int n = 0; n < PVKIT_PCI_MSIX_VECTORS; n++)
		if ((p->pba & (1ull << n)) && entry_live(p, n))
			send(p, n);
}

/* ---- BAR 0: the table and the PBA ---- */

static int pvkit_pci_mmio(struct emul_device *dev, struct io_access *io)
{
	struct pvkit_pci *p = dev->priv;
	uint64_t off = io->addr - p->bar;
	unsigned int n, reg;
	uint32_t *field;

	/* Dwords and qwords of the table, as the MSI-X spec allows. */
	if (off >= PVKIT_PCI_BAR_SIZE || (io->size != 4 && io->size != 8) ||
	    (off & (io->size - 1))) {
		if (!io->write)
			io->val = 0;
		return 0;
	}
	if (off >= PVKIT_PCI_PBA_OFFSET) {
		if (!io->write)
			io->val = off == PVKIT_PCI_PBA_OFFSET ?
				  (io->size == 8 ? p->pba : (uint32_t)p->pba) :
				  off == PVKIT_PCI_PBA_OFFSET + 4 ?
				  p->pba >> 32 : 0;
		return 0;	/* the PBA is read-only */
	}
	n = (unsigned int)(off / sizeof(struct msix_entry));
	if (n >= PVKIT_PCI_MSIX_VECTORS) {
		if (!io->write)
			io->val = 0;
		return 0;
	}
	for (unsigned int part = 0; part < io->size / 4u; part++) {
		reg = (unsigned int)(off % sizeof(struct msix_entry)) / 4 + part;
		field = &p->table[n].addr_lo + reg;
		if (!io->write) {
			io->val = part ? io->val | (uint64_t)*field << 32 : *field;
			continue;
		}
		*field = (uint32_t)(io->val >> (32 * part));
		if (reg == 3)
			*field &= MSIX_ENTRY_MASKED;
	}
	if (io->write)
		flush_pending(p);
	return 0;
}

static const struct emul_device_ops pvkit_pci_ops = {
	.name = "pvkit-platform",
	.mmio = pvkit_pci_mmio,
};

/* ---- configuration space ---- */

static void follow_bar(struct pvkit_pci *p)
{
	pci_header_follow_mem_bar(&p->hdr, 0, &p->dev, PVKIT_PCI_BAR_SIZE,
				  &p->bar, &p->decoding);
}

/* Message control as the guest reads it: table size, enable, mask. */
static void sync_ctrl(struct pvkit_pci *p)
{
	uint16_t v = p->msix_ctrl | (PVKIT_PCI_MSIX_VECTORS - 1);

	p->hdr.cfg[PVKIT_PCI_MSIX_CAP + 2] = (uint8_t)v;
	p->hdr.cfg[PVKIT_PCI_MSIX_CAP + 3] = (uint8_t)(v >> 8);
}

static uint32_t cfg_read(void *opaque, unsigned int reg, unsigned int size)
{
	struct pvkit_pci *p = opaque;

	return pci_header_read(&p->hdr, reg, size);
}

static void cfg_write(void *opaque, unsigned int reg, unsigned int size,
		      uint32_t val)
{
	struct pvkit_pci *p = opaque;
	unsigned int hi = PVKIT_PCI_MSIX_CAP + 3;

	/* Only the high byte of message control is writable there. */
	if (reg <= hi && reg + size > hi) {
		uint8_t b = (uint8_t)(val >> (8 * (hi - reg)));

		p->msix_ctrl = (uint16_t)((b << 8) &
				(MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL));
		sync_ctrl(p);
		flush_pending(p);
		return;
	}
	if (reg >= PVKIT_PCI_MSIX_CAP && reg < PVKIT_PCI_MSIX_CAP + 12)
		return;		/* the rest of the capability is read-only */
	pci_header_write(&p->hdr, reg, size, val);
	follow_bar(p);
}

const struct pci_function_ops pvkit_pci_cfg_ops = {
	.cfg_read = cfg_read,
	.cfg_write = cfg_write,
};

void pvkit_pci_init(struct pvkit_pci *p, const struct emul_env *env,
		    uint64_t bar_base)
{
	uint8_t *c;

	memset(p, 0, sizeof(*p));
	p->dev = (struct emul_device){ &pvkit_pci_ops, env, p };
	pci_header_init(&p->hdr, PVKIT_PCI_VENDOR, PVKIT_PCI_DEVICE,
			PVKIT_PCI_CLASS, 1);
	pci_header_set_bar(&p->hdr, 0, PVKIT_PCI_BAR_SIZE, PCI_BAR_MEM32);
	/* Placed and enabled as firmware would, so the guest keeps it. */
	pci_header_write(&p->hdr, PCI_BAR0, 4, (uint32_t)bar_base);
	pci_header_write(&p->hdr, PCI_COMMAND, 2,
			 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	p->bar = bar_base;
	p->decoding = true;
	c = p->hdr.cfg;
	c[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	c[PCI_CAPABILITY_LIST] = PVKIT_PCI_MSIX_CAP;
	c[PVKIT_PCI_MSIX_CAP] = PCI_CAP_ID_MSIX;
	c[PVKIT_PCI_MSIX_CAP + 1] = 0;			/* last capability */
	/* Table at BAR 0 offset 0, PBA at BAR 0 + PVKIT_PCI_PBA_OFFSET. */
	c[PVKIT_PCI_MSIX_CAP + 4] = 0;
	c[PVKIT_PCI_MSIX_CAP + 8] = (uint8_t)PVKIT_PCI_PBA_OFFSET;
	c[PVKIT_PCI_MSIX_CAP + 9] = (uint8_t)(PVKIT_PCI_PBA_OFFSET >> 8);
	for (unsigned int n = 0; n < PVKIT_PCI_MSIX_VECTORS; n++)
		p->table[n].ctrl = MSIX_ENTRY_MASKED;
	sync_ctrl(p);
}
