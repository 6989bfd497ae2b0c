// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge: CONFIG_ADDRESS/CONFIG_DATA and ECAM at every width
 * and alignment, the enable bit, absent functions, buses and ranges,
 * function registration, the default header (read-only IDs, command,
 * write-1-to-clear status) and BAR sizing the way Linux does it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/pci_host.h>
#include <hv/platform.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CF8		PLATFORM_PCI_CONF_ADDR_PORT
#define CFC		PLATFORM_PCI_CONF_DATA_PORT
#define ECAM		PLATFORM_ECAM_BASE

static const struct emul_env env;
static struct pci_host host;

static void setup(void)
{
	memset(&host, 0x5a, sizeof(host));
	pci_host_init(&host, &env);
	EXPECT(host.dev.ops == &pci_host_ops && host.dev.priv == &host);
}

static int io_raw(bool mmio, uint64_t addr, unsigned int size, bool write,
		  uint64_t *val)
{
	struct io_access io = { .addr = addr, .val = *val,
				.size = (uint8_t)size, .write = write };
	int rc = mmio ? pci_host_ops.mmio(&host.dev, &io) : pci_host_ops.pio(&host.dev, &io);

	*val = io.val;
	return rc;
}

static uint64_t pio_rd(uint64_t port, unsigned int size)
{
	uint64_t v = 0x1234567890abcdefull;

	EXPECT_EQ(io_raw(false, port, size, false, &v), 0);
	return v;
}

static void pio_wr(uint64_t port, unsigned int size, uint64_t v)
{
	EXPECT_EQ(io_raw(false, port, size, true, &v), 0);
}

static uint64_t ecam_addr(unsigned int bus, unsigned int devfn,
			  unsigned int reg)
{
	return ECAM + ((uint64_t)bus << 20) + ((uint64_t)devfn << 12) + reg;
}

static uint64_t mm_rd(uint64_t addr, unsigned int size)
{
	uint64_t v = 0x1234567890abcdefull;

	EXPECT_EQ(io_raw(true, addr, size, false, &v), 0);
	return v;
}

static void mm_wr(uint64_t addr, unsigned int size, uint64_t v)
{
	EXPECT_EQ(io_raw(true, addr, size, true, &v), 0);
}

static uint32_t cf8_addr(unsigned int bus, unsigned int devfn,
			 unsigned int reg)
{
	return 0x80000000u | bus << 16 | devfn << 8 | (reg & 0xfc);
}

/* Type-1 access as Linux does it: address, then the data port lane. */
static uint64_t cfg_rd(unsigned int bus, unsigned int devfn,
		       unsigned int reg, unsigned int size)
{
	pio_wr(CF8, 4, cf8_addr(bus, devfn, reg));
	return pio_rd(CFC + (reg & 3), size);
}

static void cfg_wr(unsigned int bus, unsigned int devfn, unsigned int reg,
		   unsigned int size, uint32_t v)
{
	pio_wr(CF8, 4, cf8_addr(bus, devfn, reg));
	pio_wr(CFC + (reg & 3), size, v);
}

static uint64_t ones(unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static void test_bridge_ids(void)
{
	uint32_t id = PLATFORM_PCI_VENDOR | PLATFORM_PCI_DEV_HOST_BRIDGE << 16;

	setup();
	EXPECT_EQ(cfg_rd(0, 0, PCI_VENDOR_ID, 4), id);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0), 4), id);
	EXPECT_EQ(cfg_rd(0, 0, PCI_CLASS_REVISION, 4), PCI_CLASS_HOST_BRIDGE << 8);
	EXPECT_EQ(cfg_rd(0, 0, PCI_HEADER_TYPE, 1), 0);
	EXPECT_EQ(cfg_rd(0, 0, PCI_SUBSYSTEM_VENDOR_ID, 4), id);
	/* Read-only. */
	cfg_wr(0, 0, PCI_VENDOR_ID, 4, 0);
	mm_wr(ecam_addr(0, 0, PCI_CLASS_REVISION), 4, 0);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0), 4), id);
	EXPECT_EQ(cfg_rd(0, 0, PCI_CLASS_REVISION, 4), PCI_CLASS_HOST_BRIDGE << 8);
	/* No BARs, no ROM, no capabilities. */
	for (unsigned int r = PCI_BAR0; r < PCI_BAR0 + 24; r += 4) {
		cfg_wr(0, 0, r, 4, 0xffffffff);
		EXPECT_EQ(cfg_rd(0, 0, r, 4), 0);
	}
	cfg_wr(0, 0, PCI_ROM_ADDRESS, 4, 0xffffffff);
	EXPECT_EQ(cfg_rd(0, 0, PCI_ROM_ADDRESS, 4), 0);
	EXPECT_EQ(cfg_rd(0, 0, PCI_CAPABILITY_LIST, 1), 0);
}

static void test_conf_addr(void)
{
	setup();
	EXPECT_EQ(pio_rd(CF8, 4), 0);
	/* Linux's pci_check_type1(): a byte to 0xCFB, then this. */
	pio_wr(CF8 + 3, 1, 0x01);
	pio_wr(CF8, 4, 0x80000000);
	EXPECT_EQ(pio_rd(CF8, 4), 0x80000000);
	/* Reserved bits 30:24 and 1:0 read 0. */
	pio_wr(CF8, 4, 0xffffffff);
	EXPECT_EQ(pio_rd(CF8, 4), 0x80fffffc);
	/* Only dword accesses at 0xCF8 reach CONFIG_ADDRESS. */
	for (unsigned int off = 0; off < 4; off++) {
		for (unsigned int size = 1; size <= 4; size <<= 1) {
			if (off == 0 && size == 4)
				continue;
			EXPECT_EQ(pio_rd(CF8 + off, size), ones(size));
			pio_wr(CF8 + off, size, 0);
			EXPECT_EQ(pio_rd(CF8, 4), 0x80fffffc);
		}
	}
}

static void test_disabled(void)
{
	setup();
	/* Enable bit clear: CONFIG_DATA floats, whatever the address. */
	pio_wr(CF8, 4, cf8_addr(0, 0, 0) & ~0x80000000u);
	for (unsigned int off = 0; off < 4; off++)
		for (unsigned int size = 1; size <= 4; size <<= 1)
			EXPECT_EQ(pio_rd(CFC + off, size), ones(size));
	pio_wr(CF8, 4, PCI_COMMAND);
	pio_wr(CFC, 2, PCI_COMMAND_MEMORY);
	EXPECT_EQ(cfg_rd(0, 0, PCI_COMMAND, 2), 0);
	/* Enabled, same address: now it lands. */
	cfg_wr(0, 0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EXPECT_EQ(cfg_rd(0, 0, PCI_COMMAND, 2), PCI_COMMAND_MEMORY);
}

/* Every width at every byte offset of a dword, both mechanisms. */
static void test_widths(void)
{
	uint32_t dw = PLATFORM_PCI_VENDOR | PLATFORM_PCI_DEV_HOST_BRIDGE << 16;

	setup();
	pio_wr(CF8, 4, cf8_addr(0, 0, 0));
	for (unsigned int off = 0; off < 4; off++) {
		for (unsigned int size = 1; size <= 4; size <<= 1) {
			uint64_t want = off + size <= 4 ?
				(dw >> (8 * off)) & ones(size) : ones(size);

			EXPECT_EQ(pio_rd(CFC + off, size), want);
			EXPECT_EQ(mm_rd(ecam_addr(0, 0, off), size), want);
		}
	}
	/* Quadwords through ECAM: two dwords when aligned, else floating. */
	cfg_wr(0, 0, PCI_INTERRUPT_LINE, 1, 0x0b);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0), 8), dw);	/* command 0 */
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 8), 8), PCI_CLASS_HOST_BRIDGE << 8);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0x38), 8), 0x0bull << 32);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 4), 8), ~0ull);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 1), 8), ~0ull);
	/* Writes at each lane touch that lane only. */
	mm_wr(ecam_addr(0, 0, PCI_INTERRUPT_LINE), 8, 0);	/* crosses: no */
	EXPECT_EQ(cfg_rd(0, 0, PCI_INTERRUPT_LINE, 1), 0x0b);
	mm_wr(ecam_addr(0, 0, 0x38), 8, 0x22ull << 32);
	EXPECT_EQ(cfg_rd(0, 0, PCI_INTERRUPT_LINE, 1), 0x22);
	cfg_wr(0, 0, PCI_CACHE_LINE_SIZE, 1, 0x10);
	EXPECT_EQ(cfg_rd(0, 0, 0x0c, 4), 0x10);
	pio_wr(CF8, 4, cf8_addr(0, 0, 0x3c));
	pio_wr(CFC + 1, 2, 0xffff);		/* pin (RO) and min_gnt (0) */
	pio_wr(CFC + 3, 2, 0xffff);		/* crosses: ignored */
	EXPECT_EQ(cfg_rd(0, 0, 0x3c, 4), 0x22);
	pio_wr(CFC + 0, 1, 0x05);
	EXPECT_EQ(cfg_rd(0, 0, 0x3c, 4), 0x05);
	mm_wr(ecam_addr(0, 0, 0x0d), 2, 0xffff);	/* latency, hdr: RO */
	EXPECT_EQ(cfg_rd(0, 0, 0x0c, 4), 0x10);
	mm_wr(ecam_addr(0, 0, 0x0c), 1, 0x40);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0x0c), 4), 0x40);
	/* Odd sizes from a confused caller float too. */
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0), 3), ones(3));
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0), 0), 0);
}

static void test_absent(void)
{
	uint64_t v = 0;

	setup();
	for (unsigned int devfn = 1; devfn < PCI_NR_DEVFN; devfn++) {
		EXPECT_EQ(cfg_rd(0, devfn, 0, 4), 0xffffffff);
		EXPECT_EQ(mm_rd(ecam_addr(0, devfn, 0), 4), 0xffffffff);
	}
	for (unsigned int size = 1; size <= 4; size <<= 1)
		EXPECT_EQ(cfg_rd(0, PCI_DEVFN(3, 0), 2, size), ones(size));
	/* Only bus 0 exists. */
	for (unsigned int bus = 1; bus <= PLATFORM_ECAM_BUS_END; bus++) {
		EXPECT_EQ(cfg_rd(bus, 0, 0, 4), 0xffffffff);
		EXPECT_EQ(mm_rd(ecam_addr(bus, 0, 0), 2), 0xffff);
		mm_wr(ecam_addr(bus, 0, PCI_COMMAND), 2, 0xffff);
	}
	EXPECT_EQ(cfg_rd(0, 0, PCI_COMMAND, 2), 0);
	/* Extended space of the bridge reads 0 (no capabilities). */
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0x100), 4), 0);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0xffc), 4), 0);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0xfff), 1), 0);
	/* Outside the device's ranges: the bus's mistake, reported. */
	EXPECT_EQ(io_raw(true, ECAM - 1, 1, false, &v), -PVKIT_EINVAL);
	EXPECT_EQ(io_raw(true, ECAM + PLATFORM_ECAM_SIZE, 4, false, &v),
		  -PVKIT_EINVAL);
	EXPECT_EQ(io_raw(true, 0, 4, false, &v), -PVKIT_EINVAL);
	EXPECT_EQ(io_raw(false, CF8 - 1, 1, false, &v), -PVKIT_EINVAL);
	EXPECT_EQ(io_raw(false, CF8 + PLATFORM_PCI_CONF_PORTS, 1, false, &v),
		  -PVKIT_EINVAL);
}

/* A function recording what reaches it. */
struct probe {
	unsigned int reads, writes, bad;
	unsigned int reg, size;
	uint32_t val;
};

static uint32_t probe_read(void *opaque, unsigned int reg, unsigned int size)
{
	struct probe *p = opaque;

	p->reads++;
	p->reg = reg;
	p->size = size;
	if (reg >= PCI_CFG_EXP_SIZE || (size != 1 && size != 2 && size != 4) ||
	    (reg & 3) + size > 4)
		p->bad++;
	return 0xa5a5a5a5u;	/* wider than asked: the host must mask */
}

static void probe_write(void *opaque, unsigned int reg, unsigned int size,
			uint32_t val)
{
	struct probe *p = opaque;

	p->writes++;
	p->reg = reg;
	p->size = size;
	p->val = val;
	if (reg >= PCI_CFG_EXP_SIZE || (size != 1 && size != 2 && size != 4) ||
	    (reg & 3) + size > 4 || (size < 4 && val >> (8 * size)))
		p->bad++;
}

static const struct pci_function_ops probe_ops = {
	.cfg_read = probe_read,
	.cfg_write = probe_write,
};

/* An unplugged function reads all-ones and is never called again. */
static void test_remove_function(void)
{
	struct probe p = { 0 };
	unsigned int devfn = PCI_DEVFN(3, 0);

	setup();
	EXPECT_EQ(pci_host_remove_function(&host, devfn), -PVKIT_ENOENT);
	EXPECT_EQ(pci_host_remove_function(&host, 0), -PVKIT_EINVAL);
	EXPECT_EQ(pci_host_remove_function(&host, PCI_NR_DEVFN), -PVKIT_EINVAL);
	EXPECT_EQ(pci_host_add_function(&host, devfn, &probe_ops, &p), 0);
	EXPECT_EQ(cfg_rd(0, devfn, 0x40, 4), 0xa5a5a5a5);
	EXPECT_EQ(pci_host_remove_function(&host, devfn), 0);
	p.reads = 0;
	EXPECT_EQ(cfg_rd(0, devfn, 0, 4), 0xffffffff);
	EXPECT_EQ(mm_rd(ecam_addr(0, devfn, 0), 2), 0xffff);
	cfg_wr(0, devfn, 0x04, 2, 0x7);
	EXPECT_EQ(p.reads, 0);
	EXPECT_EQ(p.writes, 0);
	EXPECT_EQ(pci_host_remove_function(&host, devfn), -PVKIT_ENOENT);
	/* The bridge is still there; the slot takes a function again. */
	EXPECT_EQ(cfg_rd(0, 0, PCI_VENDOR_ID, 2), PLATFORM_PCI_VENDOR);
	EXPECT_EQ(pci_host_add_function(&host, devfn, &probe_ops, &p), 0);
}

static void test_add_function(void)
{
	static const struct pci_function_ops half = { .cfg_read = probe_read };
	struct probe p = { 0 };
	unsigned int devfn = PCI_DEVFN(2, 0);

	setup();
	EXPECT_EQ(pci_host_add_function(&host, PCI_NR_DEVFN, &probe_ops, &p),
		  -PVKIT_EINVAL);
	EXPECT_EQ(pci_host_add_function(&host, devfn, NULL, &p), -PVKIT_EINVAL);
	EXPECT_EQ(pci_host_add_function(&host, devfn, &half, &p), -PVKIT_EINVAL);
	EXPECT_EQ(pci_host_add_function(&host, 0, &probe_ops, &p), -PVKIT_EEXIST);
	EXPECT_EQ(pci_host_add_function(&host, devfn, &probe_ops, &p), 0);
	EXPECT_EQ(pci_host_add_function(&host, devfn, &probe_ops, &p),
		  -PVKIT_EEXIST);

	EXPECT_EQ(cfg_rd(0, devfn, 0x42, 2), 0xa5a5);
	EXPECT_EQ(p.reg, 0x42);
	EXPECT_EQ(p.size, 2);
	EXPECT_EQ(mm_rd(ecam_addr(0, devfn, 0xffd), 1), 0xa5);
	EXPECT_EQ(p.reg, 0xffd);
	cfg_wr(0, devfn, 0x13, 1, 0x1ff);
	EXPECT_EQ(p.reg, 0x13);
	EXPECT_EQ(p.val, 0xff);
	mm_wr(ecam_addr(0, devfn, 0x800), 8, 0x1111111122222222ull);
	EXPECT_EQ(p.reg, 0x804);
	EXPECT_EQ(p.val, 0x11111111);
	EXPECT_EQ(p.writes, 3);
	/* Crossing accesses never reach the function. */
	EXPECT_EQ(mm_rd(ecam_addr(0, devfn, 0x3), 2), 0xffff);
	EXPECT_EQ(mm_rd(ecam_addr(0, devfn, 0x2), 4), 0xffffffff);
	EXPECT_EQ(p.reads, 2);
	EXPECT_EQ(p.bad, 0);
	/* Neighbours stay absent. */
	EXPECT_EQ(cfg_rd(0, PCI_DEVFN(2, 1), 0, 4), 0xffffffff);
	EXPECT_EQ(cfg_rd(0, PCI_DEVFN(1, 0), 0, 4), 0xffffffff);
}

/* Linux's __pci_read_base(): save, write ones, read, restore. */
static uint32_t bar_probe(unsigned int devfn, unsigned int bar)
{
	unsigned int reg = PCI_BAR0 + 4 * bar;
	uint32_t saved = (uint32_t)cfg_rd(0, devfn, reg, 4), sz;

	cfg_wr(0, devfn, reg, 4, 0xffffffff);
	sz = (uint32_t)cfg_rd(0, devfn, reg, 4);
	cfg_wr(0, devfn, reg, 4, saved);
	return sz;
}

static void test_bar_sizing(void)
{
	static struct pci_header h;
	unsigned int devfn = PCI_DEVFN(1, 0);
	uint64_t size64;

	setup();
	pci_header_init(&h, PLATFORM_PCI_VENDOR, PLATFORM_PCI_DEV_PLATFORM,
			0xff0000, 1);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 4096, PCI_BAR_MEM32), 0);
	EXPECT_EQ(pci_header_set_bar(&h, 1, 32, PCI_BAR_IO), 0);
	EXPECT_EQ(pci_header_set_bar(&h, 2, 1 << 20,
				     PCI_BAR_MEM64 | PCI_BAR_PREFETCH), 0);
	EXPECT_EQ(pci_header_set_bar(&h, 4, 8ull << 30, PCI_BAR_MEM64), 0);
	EXPECT_EQ(pci_host_add_function(&host, devfn, &pci_header_ops, &h), 0);

	EXPECT_EQ(bar_probe(devfn, 0), 0xfffff000);
	EXPECT_EQ(~(bar_probe(devfn, 0) & ~0xfu) + 1, 4096);
	EXPECT_EQ(bar_probe(devfn, 1), 0x0000ffe1);
	EXPECT_EQ((~(bar_probe(devfn, 1) & ~3u) & 0xffff) + 1, 32);
	EXPECT_EQ(bar_probe(devfn, 2), 0xfff0000c);
	EXPECT_EQ(bar_probe(devfn, 3), 0xffffffff);
	EXPECT_EQ(bar_probe(devfn, 4), 0x00000004);
	EXPECT_EQ(bar_probe(devfn, 5), 0xfffffffe);
	size64 = ~((uint64_t)bar_probe(devfn, 5) << 32 |
		   (bar_probe(devfn, 4) & ~0xfu)) + 1;
	EXPECT_EQ(size64, 8ull << 30);
	/* Restored after probing. */
	EXPECT_EQ(cfg_rd(0, devfn, PCI_BAR0, 4), 0);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_BAR0 + 8, 4), 0xc);

	/* Programming: low bits stay the flags, the address sticks. */
	cfg_wr(0, devfn, PCI_BAR0, 4, 0xc0001fff);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_BAR0, 4), 0xc0001000);
	EXPECT_EQ(pci_header_bar_addr(&h, 0), 0xc0001000);
	cfg_wr(0, devfn, PCI_BAR0 + 4, 4, 0x12345c03);
	EXPECT_EQ(pci_header_bar_addr(&h, 1), 0x5c00);
	mm_wr(ecam_addr(0, devfn, PCI_BAR0 + 8), 8, 0x00000012fe300000ull);
	EXPECT_EQ(pci_header_bar_addr(&h, 2), 0x12fe300000ull);
	mm_wr(ecam_addr(0, devfn, PCI_BAR0 + 16), 8, 0x00000004ffffffffull);
	EXPECT_EQ(pci_header_bar_addr(&h, 4), 0x400000000ull);
	EXPECT_EQ(pci_header_bar_addr(&h, 6), 0);
	/* Byte writes into a BAR respect the mask too. */
	cfg_wr(0, devfn, PCI_BAR0, 1, 0xff);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_BAR0, 4), 0xc0001000);
	cfg_wr(0, devfn, PCI_BAR0 + 3, 1, 0xd0);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_BAR0, 4), 0xd0001000);
}

static void test_set_bar_errors(void)
{
	static struct pci_header h;

	pci_header_init(&h, 1, 2, 0, 0);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 0, PCI_BAR_MEM32), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 3000, PCI_BAR_MEM32), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 8, PCI_BAR_MEM32), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 1ull << 32, PCI_BAR_MEM32),
		  -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 2, PCI_BAR_IO), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 512, PCI_BAR_IO), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 16, PCI_BAR_IO | PCI_BAR_PREFETCH),
		  -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 5, 16, PCI_BAR_MEM64), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 6, 16, PCI_BAR_MEM32), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 16, 0x2), -PVKIT_EINVAL);
	EXPECT_EQ(pci_header_set_bar(&h, 0, 1ull << 63,
				     PCI_BAR_MEM64 | PCI_BAR_PREFETCH), 0);
	EXPECT_EQ(pci_header_set_bar(&h, 5, 16, PCI_BAR_MEM32 | PCI_BAR_PREFETCH),
		  0);
	/* Out-of-range header accesses are ignored, not out of bounds. */
	EXPECT_EQ(pci_header_read(&h, 255, 4), 0);
	EXPECT_EQ(pci_header_read(&h, 4096, 1), 0);
	pci_header_write(&h, 254, 4, 0xffffffff);
	pci_header_write(&h, 1u << 31, 4, 0xffffffff);
	EXPECT_EQ(pci_header_read(&h, 0, 4), 0x00020001);
}

static void test_command_status(void)
{
	static struct pci_header h;
	unsigned int devfn = PCI_DEVFN(4, 0);

	setup();
	pci_header_init(&h, 0x1af4, 0x10f1, 0xff0000, 0);
	h.cfg[PCI_STATUS + 1] = 0xf9;		/* all error bits latched */
	h.cfg[PCI_STATUS] = 0x10;		/* capabilities: read-only */
	EXPECT_EQ(pci_host_add_function(&host, devfn, &pci_header_ops, &h), 0);

	cfg_wr(0, devfn, PCI_COMMAND, 2, 0xffff);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_COMMAND, 2),
		  PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
		  PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
		  PCI_COMMAND_INTX_DISABLE);
	/* Status: writing 0 keeps, writing 1 clears, one bit at a time. */
	cfg_wr(0, devfn, PCI_STATUS, 2, 0);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_STATUS, 2), 0xf910);
	cfg_wr(0, devfn, PCI_STATUS, 2, 0x8000);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_STATUS, 2), 0x7910);
	/* A dword write to command also writes status: Linux does this. */
	cfg_wr(0, devfn, PCI_COMMAND, 4, 0xffff0000);
	EXPECT_EQ(cfg_rd(0, devfn, PCI_COMMAND, 4), 0x00100000);
}

/* Random hostile accesses on both paths: no crash, nothing bad reaches
 * a function, the bridge's identity survives. */
static void test_random_storm(void)
{
	static const uint8_t sizes[] = { 1, 2, 4, 8, 3, 0 };
	struct probe p = { 0 };
	uint32_t id = PLATFORM_PCI_VENDOR | PLATFORM_PCI_DEV_HOST_BRIDGE << 16;
	uint64_t seed = 42;

	setup();
	EXPECT_EQ(pci_host_add_function(&host, PCI_DEVFN(1, 0), &probe_ops, &p),
		  0);
	for (unsigned int i = 0; i < 300000; i++) {
		uint64_t v, addr;
		bool mmio, write;
		unsigned int size;
		int rc;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		mmio = seed >> 63;
		write = (seed >> 62) & 1;
		size = sizes[(seed >> 40) % ARRAY_SIZE(sizes)];
		if (mmio)	/* the ECAM window, mostly devices 0-1 */
			addr = ECAM + ((seed >> 8) & (PLATFORM_ECAM_SIZE - 1) &
				       ~0xf6000ull);
		else
			addr = CF8 + ((seed >> 8) & 7);
		v = seed * 0x9e3779b97f4a7c15ull;
		if (!mmio && addr == CF8 && size == 4 && write)
			v = (v & ~0x00ffff00ull) | (seed & 0x00010900ull);
		rc = io_raw(mmio, addr, size, write, &v);
		EXPECT_EQ(rc, 0);
		if (ktap_case_failures)
			break;
	}
	EXPECT_EQ(p.bad, 0);
	EXPECT(p.reads > 1000 && p.writes > 1000);
	ktap_diag("function saw %u reads and %u writes", p.reads, p.writes);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, 0), 4), id);
	EXPECT_EQ(mm_rd(ecam_addr(0, 0, PCI_CLASS_REVISION), 4),
		  PCI_CLASS_HOST_BRIDGE << 8);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_bridge_ids),
	KTAP_CASE(test_conf_addr),
	KTAP_CASE(test_disabled),
	KTAP_CASE(test_widths),
	KTAP_CASE(test_absent),
	KTAP_CASE(test_add_function),
	KTAP_CASE(test_remove_function),
	KTAP_CASE(test_bar_sizing),
	KTAP_CASE(test_set_bar_errors),
	KTAP_CASE(test_command_status),
	KTAP_CASE(test_random_storm),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
