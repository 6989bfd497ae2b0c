// SPDX-License-Identifier: GPL-2.0
/*
 * The pvkit platform PCI device: its config space as Linux's PCI core
 * and MSI-X code read it, BAR moves and memory decoding followed on the
 * bus, messages sent only for live entries, the PBA while masked, and
 * hostile accesses to BAR 0 that must change nothing.
 */
#include <stdint.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/pvkit_pci.h>
#include <hv/platform.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BAR		PLATFORM_PVKIT_PCI_BAR
#define CAP		PVKIT_PCI_MSIX_CAP

static struct pvkit_pci dev;
static struct { uint64_t addr; uint32_t data; } msis[64];
static unsigned int nr_msis;
static struct { uint64_t from, to, len; } moves[16];
static unsigned int nr_moves;

static void fake_send_msi(void *ctx, uint64_t addr, uint32_t data)
{
	(void)ctx;
	if (nr_msis < ARRAY_SIZE(msis)) {
		msis[nr_msis].addr = addr;
		msis[nr_msis].data = data;
	}
	nr_msis++;
}

static void fake_mmio_move(void *ctx, struct emul_device *d, uint64_t from,
			   uint64_t to, uint64_t len)
{
	(void)ctx;
	EXPECT(d == &dev.dev);
	if (nr_moves < ARRAY_SIZE(moves)) {
		moves[nr_moves].from = from;
		moves[nr_moves].to = to;
		moves[nr_moves].len = len;
	}
	nr_moves++;
}

static const struct emul_env env = {
	.send_msi = fake_send_msi,
	.mmio_move = fake_mmio_move,
};

static void setup(void)
{
	memset(&dev, 0x5a, sizeof(dev));
	pvkit_pci_init(&dev, &env, BAR);
	nr_msis = 0;
	nr_moves = 0;
}

static uint32_t cfg_rd(unsigned int reg, unsigned int size)
{
	return pvkit_pci_cfg_ops.cfg_read(&dev, reg, size);
}

static void cfg_wr(unsigned int reg, unsigned int size, uint32_t v)
{
	pvkit_pci_cfg_ops.cfg_write(&dev, reg, size, v);
}

static uint64_t bar_rd(uint64_t off, unsigned int size)
{
	struct io_access io = { .addr = dev.bar + off, .size = (uint8_t)size,
				.val = 0xdeadbeef };

	EXPECT_EQ(dev.dev.ops->mmio(&dev.dev, &io), 0);
	return io.val;
}

static void bar_wr(uint64_t off, unsigned int size, uint64_t v)
{
	struct io_access io = { .addr = dev.bar + off, .size = (uint8_t)size,
				.val = v, .write = true };

	EXPECT_EQ(dev.dev.ops->mmio(&dev.dev, &io), 0);
}

/* Entry n aimed at APIC 0, vector 0x40 + n, unmasked. */
static void program(unsigned int n)
{
	bar_wr(n * 16, 4, 0xfee00000);
	bar_wr(n * 16 + 4, 4, 0);
	bar_wr(n * 16 + 8, 4, 0x40 + n);
	bar_wr(n * 16 + 12, 4, 0);
}

static void test_config_space(void)
{
	setup();
	EXPECT_EQ(cfg_rd(0x00, 2), PVKIT_PCI_VENDOR);
	EXPECT_EQ(cfg_rd(0x02, 2), PVKIT_PCI_DEVICE);
	EXPECT_EQ(cfg_rd(0x08, 4) >> 8, PVKIT_PCI_CLASS);
	EXPECT(cfg_rd(0x06, 2) & (1u << 4));		/* capability list */
	EXPECT_EQ(cfg_rd(0x34, 1), CAP);
	EXPECT_EQ(cfg_rd(0x3d, 1), 0);			/* no INTx pin */
	EXPECT_EQ(cfg_rd(CAP, 1), 0x11);		/* MSI-X */
	EXPECT_EQ(cfg_rd(CAP + 1, 1), 0);
	/* Table size N - 1 in message control, at every width. */
	EXPECT_EQ(cfg_rd(CAP + 2, 2), PVKIT_PCI_MSIX_VECTORS - 1);
	EXPECT_EQ(cfg_rd(CAP, 4) >> 16, PVKIT_PCI_MSIX_VECTORS - 1);
	EXPECT_EQ(cfg_rd(CAP + 4, 4), 0);		/* table: BAR 0 + 0 */
	EXPECT_EQ(cfg_rd(CAP + 8, 4), PVKIT_PCI_PBA_OFFSET);
	/* As firmware left it: placed, memory decoding on. */
	EXPECT_EQ(cfg_rd(0x10, 4), (uint32_t)BAR);
	EXPECT(cfg_rd(0x04, 2) & 2);
	/* The capability's other fields are read-only. */
	cfg_wr(CAP + 4, 4, 0x123);
	cfg_wr(CAP, 2, 0xffff);
	EXPECT_EQ(cfg_rd(CAP, 2), 0x11);
	EXPECT_EQ(cfg_rd(CAP + 4, 4), 0);
}

static void test_bar_follows(void)
{
	setup();
	/* Linux sizes the BAR: all-ones, read, restore. */
	cfg_wr(0x10, 4, 0xffffffff);
	EXPECT_EQ(cfg_rd(0x10, 4), (uint32_t)-PVKIT_PCI_BAR_SIZE);
	cfg_wr(0x10, 4, (uint32_t)BAR);
	EXPECT_EQ(dev.bar, BAR);
	/* Decoding off: the range stops decoding; on again at a new place. */
	cfg_wr(0x04, 2, 0);
	EXPECT_EQ(moves[nr_moves - 1].len, 0);
	cfg_wr(0x10, 4, 0xe0000000);
	cfg_wr(0x04, 2, 2);
	EXPECT_EQ(moves[nr_moves - 1].to, 0xe0000000);
	EXPECT_EQ(moves[nr_moves - 1].len, PVKIT_PCI_BAR_SIZE);
	EXPECT_EQ(dev.bar, 0xe0000000);
	EXPECT(dev.decoding);
}

static void test_msix_delivery(void)
{
	setup();
	program(0);
	/* MSI-X disabled: the message waits in the PBA. */
	pvkit_pci_raise(&dev, 0);
	EXPECT_EQ(nr_msis, 0);
	EXPECT_EQ(bar_rd(PVKIT_PCI_PBA_OFFSET, 8), 1);
	/* Enabled with the function masked: still waits. */
	cfg_wr(CAP + 2, 2, 0xc000);
	EXPECT_EQ(nr_msis, 0);
	/* Function unmasked: sent once, PBA clear. */
	cfg_wr(CAP + 3, 1, 0x80);
	EXPECT_EQ(nr_msis, 1);
	EXPECT_EQ(msis[0].addr, 0xfee00000);
	EXPECT_EQ(msis[0].data, 0x40);
	EXPECT_EQ(bar_rd(PVKIT_PCI_PBA_OFFSET, 4), 0);
	pvkit_pci_raise(&dev, 0);
	EXPECT_EQ(nr_msis, 2);
	/* A masked entry keeps its message until unmasked. */
	program(3);
	bar_wr(3 * 16 + 12, 4, 1);
	pvkit_pci_raise(&dev, 3);
	EXPECT_EQ(nr_msis, 2);
	EXPECT_EQ(bar_rd(PVKIT_PCI_PBA_OFFSET, 8), 1u << 3);
	bar_wr(3 * 16 + 12, 4, 0);
	EXPECT_EQ(nr_msis, 3);
	EXPECT_EQ(msis[2].data, 0x43);
	/* Entries out of range are ignored. */
	pvkit_pci_raise(&dev, PVKIT_PCI_MSIX_VECTORS);
	EXPECT_EQ(nr_msis, 3);
}

static void test_table_access(void)
{
	struct pvkit_pci before;

	setup();
	/* Qword access to an entry's address. */
	bar_wr(16, 8, 0x00000000fee01000ull);
	EXPECT_EQ(bar_rd(16, 4), 0xfee01000);
	EXPECT_EQ(bar_rd(16, 8), 0xfee01000);
	/* Only the mask bit of vector control is kept. */
	bar_wr(16 + 12, 4, 0xffffffff);
	EXPECT_EQ(bar_rd(16 + 12, 4), 1);
	/* Hostile accesses change nothing and read as zero. */
	memcpy(&before, &dev, sizeof(dev));
	bar_wr(1, 4, 0xffffffff);		/* misaligned */
	bar_wr(0, 2, 0xffff);			/* narrow */
	bar_wr(16 * PVKIT_PCI_MSIX_VECTORS, 4, 0xffffffff);	/* past the table */
	bar_wr(PVKIT_PCI_PBA_OFFSET, 8, ~0ull);	/* the PBA is read-only */
	bar_wr(PVKIT_PCI_BAR_SIZE - 4, 4, 1);
	EXPECT(!memcmp(&before, &dev, sizeof(dev)));
	EXPECT_EQ(bar_rd(1, 4), 0);
	EXPECT_EQ(bar_rd(16 * PVKIT_PCI_MSIX_VECTORS, 4), 0);
	EXPECT_EQ(nr_msis, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_config_space),
	KTAP_CASE(test_bar_follows),
	KTAP_CASE(test_msix_delivery),
	KTAP_CASE(test_table_access),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
