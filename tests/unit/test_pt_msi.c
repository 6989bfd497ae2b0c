// SPDX-License-Identifier: GPL-2.0
/*
 * A passed-through function's interrupts as its guest sees them: MSI
 * through the config-space filter (pt_pci.c), MSI-X through the trapped
 * table pages (pt_msix.c) and remapped by the fake IOMMU, and the
 * guest's reset of the function.  The fake machine function and the
 * hypervisor around it are in pt_fake.c; test_pt_pci.c runs the cases.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pt_fake.h"

/* ---- 4: MSI ---- */

static void check_msi_live(uint16_t want_data)
{
	EXPECT(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE);
	EXPECT_EQ(real32(fn.msi + PCI_MSI_ADDRESS_LO),
		  (uint32_t)HW_ADDR(MSI_IRTE));
	EXPECT_EQ(real32(fn.msi + PCI_MSI_ADDRESS_HI), HW_ADDR(MSI_IRTE) >> 32);
	EXPECT_EQ(real16(msi_data_reg()), HW_DATA(MSI_IRTE));
	nr_sent = 0;
	fire(pt.msi.vector);
	EXPECT_EQ(nr_sent, 1);
	EXPECT_EQ(sent[0].addr, 0x00000002fee01000ull);
	EXPECT_EQ(sent[0].data, want_data);
}

static void check_msi_dropped(void)
{
	uint64_t dropped = pt.dropped;

	nr_sent = 0;
	fire(pt.msi.vector);
	EXPECT_EQ(nr_sent, 0);
	EXPECT_EQ(pt.dropped, dropped + 1);
}

static void msi(enum variant v)
{
	setup(v);
	/* Remapped at setup: the last remapping entry, the boot CPU. */
	EXPECT_NE(pt.msi.vector, 0);
	EXPECT_EQ(pt.msi.hw_addr, HW_ADDR(MSI_IRTE));
	EXPECT_EQ(pt.msi.hw_data, HW_DATA(MSI_IRTE));

	gw(fn.msi + PCI_MSI_ADDRESS_LO, 4, 0xfee01000);
	gw(fn.msi + PCI_MSI_ADDRESS_HI, 4, 2);
	gw(msi_data_reg(), 2, 0x4041);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_ADDRESS_LO, 4), 0xfee01000);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_ADDRESS_HI, 4), 2);
	EXPECT_EQ(gr(msi_data_reg(), 2), 0x4041);
	EXPECT_EQ(real32(fn.msi + PCI_MSI_ADDRESS_LO), 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	check_msi_dropped();		/* not enabled yet */

	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE,
		  PCI_MSI_FLAGS_ENABLE);
	check_msi_live(0x4041);
	EXPECT_EQ(pt.irqs, 1);
	/* A new message while enabled: the function keeps the remapped one. */
	gw(msi_data_reg(), 2, 0x4042);
	check_msi_live(0x4042);

	if (v == NVME) {
		gw(msi_data_reg() + 4, 4, 1);
		EXPECT_EQ(real32(msi_data_reg() + 4), 1);
		EXPECT_EQ(gr(msi_data_reg() + 4, 4), 1);
		check_msi_dropped();
		gw(msi_data_reg() + 4, 4, 0);
		EXPECT_EQ(real32(msi_data_reg() + 4), 0);
		check_msi_live(0x4042);
	}

	gw(fn.msi + PCI_MSI_FLAGS, 2, 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	check_msi_dropped();

	/* The domain ends: quarantined and stopped. */
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT(real16(PCI_COMMAND) & PCI_COMMAND_MASTER);
	check_msi_live(0x4042);
	spin_lock(&pt.lock);
	pt.quarantined = true;
	spin_unlock(&pt.lock);
	pt_pci_stop(&pt);
	EXPECT_EQ(real16(PCI_COMMAND) & PCI_COMMAND_MASTER, 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(nr_maps, 0);
	check_msi_dropped();
	/* Whatever the guest writes after that. */
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT_EQ(real16(PCI_COMMAND) & PCI_COMMAND_MASTER, 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(nr_maps, 0);
	check_msi_dropped();
	teardown();
}

void test_msi_edu(void)
{
	msi(EDU);
}

void test_msi_nvme_maskable(void)
{
	msi(NVME);
}

/* ---- 5: MSI-X through the trapped pages ---- */

static void msix_enable(uint16_t extra)
{
	gw(fn.msix + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | extra);
}

static void program_entry(unsigned int i, uint32_t addr, uint32_t data)
{
	entry_write(i, 0, addr);
	entry_write(i, 4, 0);
	entry_write(i, 8, data);
	entry_write(i, 12, 0);
}

static void check_hw_entry(unsigned int i, bool live)
{
	EXPECT_EQ(hw_entry(i, 0), (uint32_t)HW_ADDR(i));
	EXPECT_EQ(hw_entry(i, 4), HW_ADDR(i) >> 32);
	EXPECT_EQ(hw_entry(i, 8), HW_DATA(i));
	EXPECT_EQ(hw_entry(i, 12), live ? 0 : PCI_MSIX_ENTRY_CTRL_MASK);
}

static void check_sent(uint8_t vector, uint64_t addr, uint32_t data)
{
	nr_sent = 0;
	fire(vector);
	EXPECT_EQ(nr_sent, 1);
	EXPECT_EQ(sent[0].addr, addr);
	EXPECT_EQ(sent[0].data, data);
}

static void check_not_sent(uint8_t vector)
{
	uint64_t dropped = pt.dropped;

	nr_sent = 0;
	fire(vector);
	EXPECT_EQ(nr_sent, 0);
	EXPECT_EQ(pt.dropped, dropped + 1);
}

void test_msix(void)
{
	struct io_access past;
	uint32_t untouched;
	uint64_t v;

	setup(NVME);
	untouched = hw_entry(2, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT_EQ(trap_base, PLATFORM_PCI_MMIO_BASE + 0x2000);
	program_entry(0, 0xfee00000, 0x4051);
	program_entry(1, 0xfee02000, 0x4052);
	EXPECT_EQ(entry_read(0, 0), 0xfee00000);
	EXPECT_EQ(entry_read(1, 8), 0x4052);
	EXPECT_EQ(entry_read(1, 12), 0);
	EXPECT_EQ(entry_read(2, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	/* Not enabled yet: nothing remapped, every real entry masked. */
	EXPECT_EQ(nr_irq_calls, 0);
	EXPECT_EQ(hw_entry(0, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE, 0);

	msix_enable(0);
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_FLAGS, 2),
		  PCI_MSIX_FLAGS_ENABLE | (fn.nr_entries - 1));
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS),
		  PCI_MSIX_FLAGS_ENABLE | (fn.nr_entries - 1));
	check_hw_entry(0, true);
	check_hw_entry(1, true);
	EXPECT_EQ(hw_entry(2, 0), untouched);
	EXPECT_EQ(hw_entry(2, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_EQ(nr_irq_calls, 2);
	for (unsigned int k = 0; k < nr_irq_calls && k < 2; k++) {
		EXPECT_EQ(irq_calls[k].rid, RID);
		EXPECT_EQ(irq_calls[k].index, k);
		EXPECT_EQ(irq_calls[k].vector, pt.msix.e[k].vector);
		EXPECT_EQ(irq_calls[k].apic_id, APIC_ID);
	}
	EXPECT_NE(pt.msix.e[0].vector, pt.msix.e[1].vector);
	check_sent(pt.msix.e[1].vector, 0xfee02000, 0x4052);
	check_sent(pt.msix.e[0].vector, 0xfee00000, 0x4051);

	/* Masking an entry masks the real one; the message stays. */
	entry_write(1, 12, 1);
	check_hw_entry(1, false);
	check_not_sent(pt.msix.e[1].vector);
	entry_write(1, 12, 0);
	check_hw_entry(1, true);
	EXPECT_EQ(nr_irq_calls, 2);	/* remapped once only */

	/* The function mask masks every real entry. */
	msix_enable(PCI_MSIX_FLAGS_MASKALL);
	EXPECT(gr(fn.msix + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_MASKALL);
	for (unsigned int i = 0; i < fn.nr_entries; i++)
		EXPECT_EQ(hw_entry(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	check_not_sent(pt.msix.e[1].vector);
	msix_enable(0);
	check_hw_entry(0, true);
	check_hw_entry(1, true);
	check_sent(pt.msix.e[1].vector, 0xfee02000, 0x4052);

	/* Byte and word accesses to the table are ignored. */
	EXPECT_EQ(trap_rw(entry_off(0, 0), 1, false, 0), ~0ull);
	EXPECT_EQ(trap_rw(entry_off(0, 2), 2, false, 0), ~0ull);
	trap_rw(entry_off(0, 8), 1, true, 0x99);
	trap_rw(entry_off(0, 8), 2, true, 0x9999);
	trap_rw(entry_off(0, 12), 1, true, 1);
	EXPECT_EQ(entry_read(0, 8), 0x4051);
	EXPECT_EQ(entry_read(0, 12), 0);
	check_hw_entry(0, true);
	/* So are misaligned dwords and qwords. */
	trap_rw(entry_off(0, 2), 4, true, 0x11111111);
	trap_rw(entry_off(0, 4), 8, true, ~0ull);
	EXPECT_EQ(entry_read(0, 0), 0xfee00000);
	EXPECT_EQ(entry_read(0, 4), 0);

	/* A qword write of the address, and of data and control. */
	trap_rw(entry_off(2, 0), 8, true, 0x12345678fee03000ull);
	EXPECT_EQ(entry_read(2, 0), 0xfee03000);
	EXPECT_EQ(entry_read(2, 4), 0x12345678);
	EXPECT_EQ(trap_rw(entry_off(2, 0), 8, false, 0), 0x12345678fee03000ull);
	trap_rw(entry_off(2, 8), 8, true, 0x4053);
	EXPECT_EQ(entry_read(2, 8), 0x4053);
	EXPECT_EQ(entry_read(2, 12), 0);
	check_hw_entry(2, true);
	check_sent(pt.msix.e[2].vector, 0x12345678fee03000ull, 0x4053);
	/* Reserved control bits read 0. */
	entry_write(3, 12, 0xfffffffe);
	EXPECT_EQ(entry_read(3, 12), 0);
	entry_write(3, 12, 1);

	/* Entry 63's remapping entry is MSI's: refused, warned once. */
	EXPECT_EQ(warn_lines, 0);
	nr_irq_calls = 0;
	program_entry(63, 0xfee04000, 0x4054);
	EXPECT_EQ(hw_entry(63, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_NE(hw_entry(63, 0), (uint32_t)HW_ADDR(63));
	EXPECT_EQ(nr_irq_calls, 0);
	EXPECT_EQ(warn_lines, 1);
	entry_write(63, 12, 1);
	entry_write(63, 12, 0);
	EXPECT_EQ(hw_entry(63, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_EQ(warn_lines, 1);
	EXPECT_EQ(pt.msix.e[63].refused, 2);
	/* ... while 62 still has one. */
	program_entry(62, 0xfee05000, 0x4055);
	check_hw_entry(62, true);
	check_sent(pt.msix.e[62].vector, 0xfee05000, 0x4055);

	/* The PBA and the rest of the trapped page are the function's. */
	v = trap_rw(fn.pba_off - pt.msix.trap_off, 4, false, 0);
	EXPECT_EQ(v, *(uint32_t *)(fn.bar[0] + fn.pba_off));
	EXPECT_EQ(trap_rw(fn.pba_off - pt.msix.trap_off + 1, 1, false, 0),
		  fn.bar[0][fn.pba_off + 1]);
	trap_rw(0x800, 4, true, 0xcafef00d);
	EXPECT_EQ(*(uint32_t *)(fn.bar[0] + pt.msix.trap_off + 0x800),
		  0xcafef00d);
	trap_rw(0xffe, 2, true, 0xbeef);
	EXPECT_EQ(*(uint16_t *)(fn.bar[0] + pt.msix.trap_off + 0xffe), 0xbeef);
	trap_rw(0x808, 8, true, 0x0123456789abcdefull);
	EXPECT_EQ(trap_rw(0x808, 8, false, 0), 0x0123456789abcdefull);
	/* An access past the trapped range is someone else's. */
	past = (struct io_access){ .addr = trap_base + trap_len - 2,
				   .size = 4 };
	EXPECT_NE(trap_dev->ops->mmio(trap_dev, &past), 0);

	/* Disabled: all real entries masked, the function's MSI-X off. */
	gw(fn.msix + PCI_MSIX_FLAGS, 2, 0);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE, 0);
	for (unsigned int i = 0; i < fn.nr_entries; i++)
		EXPECT_EQ(hw_entry(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	check_not_sent(pt.msix.e[0].vector);
	teardown();
}

/*
 * The edu-like table starts in the middle of its page: an access just
 * below it that runs into it must not reach the real table.
 */
void test_msix_straddle(void)
{
	uint64_t below;
	uint8_t table0[16];

	setup(EDU);
	below = fn.table_off - pt.msix.trap_off;
	EXPECT_NE(below, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	memcpy(table0, fn.bar[0] + fn.table_off, 16);
	trap_rw(below - 4, 8, true, 0xffffffffffffffffull);
	trap_rw(below - 2, 4, true, 0xffffffff);
	trap_rw(below - 1, 2, true, 0xffff);
	EXPECT_MEMEQ(fn.bar[0] + fn.table_off, table0, 16);
	/* A read there does not show the real table either. */
	EXPECT_NE(trap_rw(below - 4, 8, false, 0) >> 32,
		  *(uint32_t *)(fn.bar[0] + fn.table_off));
	/* Just below the table is still the function's. */
	trap_rw(below - 4, 4, true, 0x5a5a5a5a);
	EXPECT_EQ(*(uint32_t *)(fn.bar[0] + fn.table_off - 4), 0x5a5a5a5a);
	teardown();
}

/* A table BAR indicator past the six BARs: the assignment is refused. */
void test_msix_bad_bir(void)
{
	EXPECT_NE(setup_variant(NVME_BAD_BIR), 0);
	EXPECT_EQ(trap_dev, NULL);
	teardown();
}

/* ---- 6: the guest's reset ---- */

void test_reset(void)
{
	setup(NVME);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	gw(PCI_BAR0, 4, 0xd0000000);
	gw(PCI_BAR0 + 8, 4, 0xd0100000);
	gw(PCI_INTERRUPT_LINE, 1, 5);
	gw(fn.msi + PCI_MSI_ADDRESS_LO, 4, 0xfee01000);
	gw(msi_data_reg(), 2, 0x4041);
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	program_entry(0, 0xfee00000, 0x4051);
	msix_enable(0);
	check_hw_entry(0, true);
	EXPECT_EQ(nr_maps, 3);

	pt_pci_reset(&pt);
	EXPECT_EQ(gr(PCI_COMMAND, 2), 0);
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE | PCI_BAR_MEM64);
	EXPECT_EQ(gr(PCI_BAR0 + 4, 4), 0);
	EXPECT_EQ(gr(PCI_BAR0 + 8, 4),
		  (PLATFORM_PCI_MMIO_BASE + 0x4000) | PCI_BAR_PREFETCH);
	EXPECT_EQ(gr(PCI_INTERRUPT_LINE, 1), 0);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_ADDRESS_LO, 4), 0);
	EXPECT_EQ(gr(msi_data_reg(), 2), 0);
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_FLAGS, 2), fn.nr_entries - 1);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	EXPECT_EQ(real16(PCI_COMMAND), real_cmd0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE, 0);
	for (unsigned int i = 0; i < fn.nr_entries; i++)
		EXPECT_EQ(hw_entry(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	check_not_sent(pt.msi.vector);
	check_not_sent(pt.msix.e[0].vector);

	/* Decoding again: at home, the guest's table all masked and empty. */
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	check_table_bar(PLATFORM_PCI_MMIO_BASE, 0x380000000ull, 0x4000, 0x2000,
			PAGE);
	for (unsigned int i = 0; i < fn.nr_entries; i++) {
		EXPECT_EQ(entry_read(i, 0), 0);
		EXPECT_EQ(entry_read(i, 8), 0);
		EXPECT_EQ(entry_read(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	}
	/* A reset function forgot its table: entry 0 is remapped again. */
	nr_irq_calls = 0;
	program_entry(0, 0xfee00000, 0x4061);
	msix_enable(0);
	EXPECT_EQ(nr_irq_calls, 1);
	check_hw_entry(0, true);
	check_sent(pt.msix.e[0].vector, 0xfee00000, 0x4061);
	teardown();
}
