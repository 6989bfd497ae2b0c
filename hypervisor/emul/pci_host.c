// SPDX-License-Identifier: GPL-2.0
/*
 * PCI host bridge: configuration mechanism #1 and ECAM over bus 0, and
 * the default type-0 header.  See hv/emul/pci_host.h.
 *
 * Every path to a function's callbacks goes through cfg_access(), which
 * is the one place that checks bus, devfn, register and width: a guest
 * value never indexes anything before it has passed there.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/pci_host.h>
#include <hv/platform.h>

#define CONF_ADDR_ENABLE	0x80000000u
/* Enable, bus, device, function, dword register; the rest reads 0. */
#define CONF_ADDR_MASK		0x80fffffcu

static uint32_t ones(unsigned int size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* ---- the default type-0 header ---- */

static void put_le(uint8_t *p, uint32_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

void pci_header_init(struct pci_header *h, uint16_t vendor, uint16_t device,
		     uint32_t class_code, uint8_t revision)
{
	memset(h, 0, sizeof(*h));
	put_le(h->cfg + PCI_VENDOR_ID, vendor, 2);
	put_le(h->cfg + PCI_DEVICE_ID, device, 2);
	put_le(h->cfg + PCI_CLASS_REVISION, class_code << 8 | revision, 4);
	put_le(h->cfg + PCI_SUBSYSTEM_VENDOR_ID, vendor, 2);
	put_le(h->cfg + PCI_SUBSYSTEM_ID, device, 2);
	put_le(h->wmask + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
	       PCI_COMMAND_MASTER | PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
	       PCI_COMMAND_INTX_DISABLE, 2);
	/* Parity and abort error bits: write 1 to clear. */
	put_le(h->w1cmask + PCI_STATUS, 0xf900, 2);
	h->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	h->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

static bool bar_kind_ok(unsigned int n, uint64_t size, unsigned int kind)
{
	if (!size || size & (size - 1) || n >= PCI_NR_BARS)
		return false;
	switch (kind) {
	case PCI_BAR_IO:
		return size >= 4 && size <= 256;
	case PCI_BAR_MEM32:
	case PCI_BAR_MEM32 | PCI_BAR_PREFETCH:
		return size >= 16 && size <= (1ull << 31);
	case PCI_BAR_MEM64:
	case PCI_BAR_MEM64 | PCI_BAR_PREFETCH:
		return size >= 16 && size <= (1ull << 63) &&
		       n + 1 < PCI_NR_BARS;
	default:
		return false;
	}
}

/*
 * Sizing works through the write mask: the bits below the size and the
 * flag bits are read-only, so writing all-ones reads back ~(size - 1)
 * with the flags, as the spec requires.
 */
int pci_header_set_bar(struct pci_header *h, unsigned int n, uint64_t size,
		       unsigned int kind)
{
	unsigned int reg = PCI_BAR0 + 4 * n;
	uint64_t addr_mask = ~(size - 1);

	if (!bar_kind_ok(n, size, kind))
		return -PVKIT_EINVAL;
	if (kind == PCI_BAR_IO)
		addr_mask &= 0xfffc;
	else
		addr_mask &= ~0xfull;
	put_le(h->cfg + reg, kind, 4);
	put_le(h->wmask + reg, (uint32_t)addr_mask, 4);
	if (kind & PCI_BAR_MEM64) {
		put_le(h->cfg + reg + 4, 0, 4);
		put_le(h->wmask + reg + 4, (uint32_t)(addr_mask >> 32), 4);
	}
	return 0;
}

uint64_t pci_header_bar_addr(const struct pci_header *h, unsigned int n)
{
	unsigned int reg = PCI_BAR0 + 4 * n;
	uint32_t lo;

	if (n >= PCI_NR_BARS)
		return 0;
	lo = get_le(h->cfg + reg, 4);
	if (lo & PCI_BAR_IO)
		return lo & 0xfffc;
	if (lo & PCI_BAR_MEM64 && n + 1 < PCI_NR_BARS)
		return (uint64_t)get_le(h->cfg + reg + 4, 4) << 32 |
		       (lo & ~0xfu);
	return lo & ~0xfu;
}

void pci_header_follow_mem_bar(struct pci_header *h, unsigned int n,
			       struct emul_device *dev, uint64_t size,
			       uint64_t *addr, bool *live)
{
	uint16_t cmd = (uint16_t)pci_header_read(h, PCI_COMMAND, 2);
	uint64_t bar = pci_header_bar_addr(h, n);
	bool decode = (cmd & PCI_COMMAND_MEMORY) && bar;

	if (bar == *addr && decode == *live)
		return;
	dev->env->mmio_move(dev->env->ctx, dev, *addr, bar,
			    decode ? size : 0);
	*addr = bar;
	*live = decode;
}

uint32_t pci_header_read(struct pci_header *h, unsigned int reg,
			 unsigned int size)
{
	if (size > 4 || reg >= PCI_CFG_SIZE || size > PCI_CFG_SIZE - reg)
		return 0;
	return get_le(h->cfg + reg, size);
}

void pci_header_write(struct pci_header *h, unsigned int reg,
		      unsigned int size, uint32_t val)
{
	if (size > 4 || reg >= PCI_CFG_SIZE || size > PCI_CFG_SIZE - reg)
		return;
	for (unsigned int i = 0; i < size; i++) {
		unsigned int r = reg + i;
		uint8_t b = (uint8_t)(val >> (8 * i));

		h->cfg[r] = (uint8_t)((h->cfg[r] & ~h->wmask[r]) |
				      (b & h->wmask[r]));
		h->cfg[r] &= (uint8_t)~(b & h->w1cmask[r]);
	}
}

static uint32_t header_cfg_read(void *opaque, unsigned int reg,
				unsigned int size)
{
	return pci_header_read(opaque, reg, size);
}

static void header_cfg_write(void *opaque, unsigned int reg,
			     unsigned int size, uint32_t val)
{
	pci_header_write(opaque, reg, size, val);
}

const struct pci_function_ops pci_header_ops = {
	.cfg_read = header_cfg_read,
	.cfg_write = header_cfg_write,
};

/* ---- the host ---- */

void pci_host_init(struct pci_host *h, const struct emul_env *env)
{
	memset(h, 0, sizeof(*h));
	h->dev.ops = &pci_host_ops;
	h->dev.env = env;
	h->dev.priv = h;
	pci_header_init(&h->bridge, PLATFORM_PCI_VENDOR,
			PLATFORM_PCI_DEV_HOST_BRIDGE, PCI_CLASS_HOST_BRIDGE, 0);
	h->fn[0].ops = &pci_header_ops;
	h->fn[0].opaque = &h->bridge;
}

int pci_host_add_function(struct pci_host *h, unsigned int devfn,
			  const struct pci_function_ops *ops, void *opaque)
{
	if (devfn >= PCI_NR_DEVFN || !ops || !ops->cfg_read || !ops->cfg_write)
		return -PVKIT_EINVAL;
	if (h->fn[devfn].ops)
		return -PVKIT_EEXIST;
	h->fn[devfn].ops = ops;
	h->fn[devfn].opaque = opaque;
	return 0;
}

int pci_host_remove_function(struct pci_host *h, unsigned int devfn)
{
	if (devfn >= PCI_NR_DEVFN || !devfn)
		return -PVKIT_EINVAL;
	if (!h->fn[devfn].ops)
		return -PVKIT_ENOENT;
	h->fn[devfn] = (struct pci_host_slot){ NULL, NULL };
	return 0;
}

/*
 * One config access.  Anything that is not a 1-, 2- or 4-byte access
 * inside one dword of an existing function on bus 0 reads all-ones and
 * is otherwise ignored.
 */
static void cfg_access(struct pci_host *h, unsigned int bus,
		       unsigned int devfn, unsigned int reg, unsigned int size,
		       bool write, uint32_t *val)
{
	const struct pci_host_slot *s;
	bool ok = bus == 0 && devfn < PCI_NR_DEVFN &&
		  reg < PCI_CFG_EXP_SIZE &&
		  (size == 1 || size == 2 || size == 4) &&
		  (reg & 3) + size <= 4;

	s = ok ? &h->fn[devfn] : NULL;
	if (!s || !s->ops) {
		if (!write)
			*val = ones(size);
		return;
	}
	if (write)
		s->ops->cfg_write(s->opaque, reg, size, *val & ones(size));
	else
		*val = s->ops->cfg_read(s->opaque, reg, size) & ones(size);
}

static int pci_host_pio(struct emul_device *dev, struct io_access *io)
{
	struct pci_host *h = dev->priv;
	uint64_t off = io->addr - PLATFORM_PCI_CONF_ADDR_PORT;
	uint32_t val = (uint32_t)io->val;
	uint32_t ca = h->conf_addr;

	if (io->addr < PLATFORM_PCI_CONF_ADDR_PORT ||
	    off >= PLATFORM_PCI_CONF_PORTS)
		return -PVKIT_EINVAL;	/* the bus sent someone else's port */

	if (off < 4) {
		/* CONFIG_ADDRESS answers dword accesses only. */
		if (off == 0 && io->size == 4) {
			if (io->write)
				h->conf_addr = val & CONF_ADDR_MASK;
			else
				io->val = h->conf_addr;
		} else if (!io->write) {
			io->val = ones(io->size);
		}
		return 0;
	}

	if (!(ca & CONF_ADDR_ENABLE)) {
		if (!io->write)
			io->val = ones(io->size);
		return 0;
	}
	/* CONFIG_DATA: byte lanes 0xCFC-0xCFF of the addressed dword. */
	cfg_access(h, (ca >> 16) & 0xff, (ca >> 8) & 0xff,
		   (ca & 0xfc) + (unsigned int)(off - 4), io->size, io->write,
		   &val);
	if (!io->write)
		io->val = val;
	return 0;
}

static int pci_host_mmio(struct emul_device *dev, struct io_access *io)
{
	struct pci_host *h = dev->priv;
	uint64_t off = io->addr - PLATFORM_ECAM_BASE;
	unsigned int bus, devfn, reg;
	uint32_t lo = (uint32_t)io->val, hi = (uint32_t)(io->val >> 32);

	if (io->addr < PLATFORM_ECAM_BASE || off >= PLATFORM_ECAM_SIZE)
		return -PVKIT_EINVAL;	/* the bus sent someone else's range */

	bus = (unsigned int)(off >> 20) + PLATFORM_ECAM_BUS_START;
	devfn = (off >> 12) & 0xff;
	reg = off & 0xfff;
	if (io->size != 8) {
		cfg_access(h, bus, devfn, reg, io->size, io->write, &lo);
		hi = 0;
	} else if (!(reg & 7)) {
		/* A quadword is two dwords, low first. */
		cfg_access(h, bus, devfn, reg, 4, io->write, &lo);
		cfg_access(h, bus, devfn, reg + 4, 4, io->write, &hi);
	} else {
		lo = hi = 0xffffffffu;	/* crosses a dword: ignored */
	}
	if (!io->write)
		io->val = (uint64_t)hi << 32 | lo;
	return 0;
}

const struct emul_device_ops pci_host_ops = {
	.name = "pci-host",
	.pio = pci_host_pio,
	.mmio = pci_host_mmio,
};
