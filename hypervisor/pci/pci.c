// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's PCI: ECAM from the MCFG, one scan at boot of bus
 * bus_start and every bus behind a bridge, BAR sizes probed once with
 * decoding off.  The firmware has assigned the BARs; nothing is moved.
 * Config space is read through the ECAM pointer on every access: it is
 * the device's, never cached here.
 */
#include <lib/printf.h>
#include <lib/string.h>
#include <asm/acpi.h>
#include <asm/mmio.h>
#include <hv/pci.h>
#include <hv/printk.h>

#define PCI_DEVS_MAX	64
#define PCI_BRIDGE_DEPTH 8
#define PCI_BAR_MEM_MASK 0xfu
#define PCI_CAPS_MAX	48	/* a loop in the list ends here */

static uint64_t ecam_base;
static uint8_t ecam_bus_start, ecam_bus_end;
static struct pci_dev pci_devs[PCI_DEVS_MAX];
static unsigned int nr_pci_devs;

static volatile uint8_t *cfg_ptr(uint8_t bus, uint8_t devfn, unsigned int reg)
{
	return (volatile uint8_t *)(uintptr_t)(ecam_base + ((uint64_t)bus << 20) +
					       ((uint64_t)devfn << 12) +
					       (reg & 0xfff));
}

uint8_t pci_read8(const struct pci_dev *dev, unsigned int reg)
{
	return mmio_read8(cfg_ptr(dev->bus, dev->devfn, reg));
}

uint16_t pci_read16(const struct pci_dev *dev, unsigned int reg)
{
	return mmio_read16(cfg_ptr(dev->bus, dev->devfn, reg & ~1u));
}

uint32_t pci_read32(const struct pci_dev *dev, unsigned int reg)
{
	return mmio_read32(cfg_ptr(dev->bus, dev->devfn, reg & ~3u));
}

void pci_write16(const struct pci_dev *dev, unsigned int reg, uint16_t v)
{
	mmio_write16(cfg_ptr(dev->bus, dev->devfn, reg & ~1u), v);
}

void pci_write32(const struct pci_dev *dev, unsigned int reg, uint32_t v)
{
	mmio_write32(cfg_ptr(dev->bus, dev->devfn, reg & ~3u), v);
}

/* Sizes BAR i; returns how many BAR registers it takes (1 or 2). */
static unsigned int bar_probe(struct pci_dev *dev, unsigned int i)
{
	unsigned int reg = PCI_BAR0 + 4 * i;
	uint32_t lo = pci_read32(dev, reg), hi = 0, mlo, mhi = 0xffffffffu;
	bool mem64 = !(lo & PCI_BAR_IO) && (lo & 0x6) == PCI_BAR_MEM64;
	uint64_t mask;

	pci_write32(dev, reg, 0xffffffffu);
	mlo = pci_read32(dev, reg);
	pci_write32(dev, reg, lo);
	if (mem64 && i + 1 < PCI_NR_BARS) {
		hi = pci_read32(dev, reg + 4);
		pci_write32(dev, reg + 4, 0xffffffffu);
		mhi = pci_read32(dev, reg + 4);
		pci_write32(dev, reg + 4, hi);
	}
	dev->bar[i].io = lo & PCI_BAR_IO;
	if (dev->bar[i].io) {
		mask = (mlo & ~3u) | 0xffff0000ull;
		mask |= 0xffffffff00000000ull;
		dev->bar[i].base = lo & ~3u;
	} else {
		mask = ((uint64_t)mhi << 32) | (mlo & ~PCI_BAR_MEM_MASK);
		if (!mem64)
			mask |= 0xffffffff00000000ull;
		dev->bar[i].base = ((uint64_t)hi << 32) | (lo & ~PCI_BAR_MEM_MASK);
	}
	dev->bar[i].size = mlo && mlo != 0xffffffffu ? ~mask + 1 :
			   (mem64 && mhi ? ~mask + 1 : 0);
	return mem64 ? 2 : 1;
}

static void bars_probe(struct pci_dev *dev, unsigned int nr)
{
	uint16_t cmd = pci_read16(dev, PCI_COMMAND);

	/* A half-written BAR must decode nothing. */
	pci_write16(dev, PCI_COMMAND,
		    cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < nr;)
		i += bar_probe(dev, i);
	pci_write16(dev, PCI_COMMAND, cmd);
}

static void dev_log(const struct pci_dev *dev)
{
	char bars[96];
	size_t n = 0;

	bars[0] = 0;
	for (unsigned int i = 0; i < PCI_NR_BARS && n < sizeof(bars) - 32; i++) {
		const struct pci_bar *b = &dev->bar[i];

		if (!b->size)
			continue;
		n += (size_t)snprintf(bars + n, sizeof(bars) - n, " %u:%s%llx+%llx",
				      i, b->io ? "io" : "",
				      (unsigned long long)b->base,
				      (unsigned long long)b->size);
	}
	pr_info("pci: %02x:%02x.%u %04x:%04x class %06x%s", dev->bus,
		dev->devfn >> 3, dev->devfn & 7, dev->vendor, dev->device,
		dev->class, bars);
}

static void scan_bus(uint8_t bus, unsigned int depth);

static void scan_fn(uint8_t bus, uint8_t devfn, unsigned int depth)
{
	struct pci_dev *dev = &pci_devs[nr_pci_devs];
	uint8_t type;

	memset(dev, 0, sizeof(*dev));
	dev->bus = bus;
	dev->devfn = devfn;
	dev->vendor = pci_read16(dev, PCI_VENDOR_ID);
	dev->device = pci_read16(dev, PCI_DEVICE_ID);
	dev->class = pci_read32(dev, PCI_CLASS_REVISION) >> 8;
	type = pci_read8(dev, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	bars_probe(dev, type == PCI_HEADER_TYPE_BRIDGE ? 2 : PCI_NR_BARS);
	dev_log(dev);
	nr_pci_devs++;
	if (type == PCI_HEADER_TYPE_BRIDGE) {
		uint8_t sec = pci_read8(dev, PCI_SECONDARY_BUS);

		/* Only forward: a bus number going back would loop. */
		if (sec > bus && sec <= ecam_bus_end)
			scan_bus(sec, depth + 1);
	}
}

static void scan_bus(uint8_t bus, unsigned int depth)
{
	if (depth > PCI_BRIDGE_DEPTH)
		return;
	for (unsigned int devfn = 0; devfn < 256; devfn++) {
		volatile uint8_t *p = cfg_ptr(bus, (uint8_t)devfn, 0);

		if (mmio_read16(p + PCI_VENDOR_ID) == 0xffff) {
			if (!(devfn & 7))
				devfn += 7;
			continue;
		}
		if (nr_pci_devs == PCI_DEVS_MAX) {
			pr_warn("pci: more than %u functions, the rest ignored",
				PCI_DEVS_MAX);
			return;
		}
		scan_fn(bus, (uint8_t)devfn, depth);
		if (!(devfn & 7) &&
		    !(mmio_read8(p + PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MULTI))
			devfn += 7;
	}
}

int pci_init(void)
{
	uint64_t len;

	if (acpi_find_ecam(&ecam_base, &ecam_bus_start, &ecam_bus_end)) {
		pr_info("pci: no MCFG, no PCI devices of the hypervisor's own");
		return -1;
	}
	len = ((uint64_t)ecam_bus_end - ecam_bus_start + 1) << 20;
	if (arch_mmio_uncached(ecam_base + ((uint64_t)ecam_bus_start << 20),
			       len)) {
		pr_warn("pci: ECAM at %llx is outside the identity map",
			(unsigned long long)ecam_base);
		return -1;
	}
	scan_bus(ecam_bus_start, 0);
	return 0;
}

struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned int nth)
{
	for (unsigned int i = 0; i < nr_pci_devs; i++) {
		struct pci_dev *dev = &pci_devs[i];

		if (dev->vendor == vendor && dev->device == device && !nth--)
			return dev;
	}
	return NULL;
}

struct pci_dev *pci_find_bdf(uint16_t rid)
{
	for (unsigned int i = 0; i < nr_pci_devs; i++) {
		struct pci_dev *dev = &pci_devs[i];

		if ((dev->bus << 8 | dev->devfn) == rid)
			return dev;
	}
	return NULL;
}

bool pci_claim(struct pci_dev *dev)
{
	if (dev->claimed)
		return false;
	dev->claimed = true;
	return true;
}

unsigned int pci_find_cap(const struct pci_dev *dev, uint8_t id,
			  unsigned int from)
{
	unsigned int pos;

	if (!(pci_read16(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = from ? pci_read8(dev, from + 1) : pci_read8(dev, PCI_CAPABILITY_LIST);
	for (unsigned int n = 0; n < PCI_CAPS_MAX; n++) {
		pos &= 0xfc;
		if (pos < 0x40)
			return 0;
		if (pci_read8(dev, pos) == id)
			return pos;
		pos = pci_read8(dev, pos + 1);
	}
	return 0;
}

volatile void *pci_bar_map(const struct pci_dev *dev, unsigned int bar,
			   uint64_t off, uint64_t len)
{
	const struct pci_bar *b;

	if (bar >= PCI_NR_BARS)
		return NULL;
	b = &dev->bar[bar];
	if (b->io || !b->size || !len || off > b->size || len > b->size - off)
		return NULL;
	if (arch_mmio_uncached(b->base + off, len))
		return NULL;
	return (volatile void *)(uintptr_t)(b->base + off);
}

void pci_enable(const struct pci_dev *dev)
{
	uint16_t cmd = pci_read16(dev, PCI_COMMAND);

	pci_write16(dev, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY |
					       PCI_COMMAND_MASTER |
					       PCI_COMMAND_INTX_DISABLE);
}
