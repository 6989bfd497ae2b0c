// SPDX-License-Identifier: GPL-2.0
/*
 * A passed-through function as its guest sees it: the config-space
 * filter (hypervisor/passthrough/pt_pci.c) and the MSI-X trap
 * (pt_msix.c) against a fake machine function whose config space and
 * BARs are plain arrays.  Two functions: an edu-like one (1 MiB BAR,
 * small and port BARs hidden, MSI not maskable, the MSI-X table in the
 * middle of a trapped page) and an nvme-like one (64-bit BAR, maskable
 * MSI, 64 MSI-X entries).  Both carry a vendor-specific capability the
 * guest must never see.  Every write reaching the real function is
 * logged, so a hostile guest's writes can be checked against what the
 * filter may pass on.  This file holds the cases on the header and
 * capability list, BAR mapping and a hostile guest's config writes, and
 * runs them all; MSI, MSI-X and reset are in test_pt_msi.c, the fakes in
 * pt_fake.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pt_fake.h"

/* ---- 1: the header and capability list ---- */

static void check_cap_walk(void)
{
	unsigned int seen[256] = { 0 }, ptr, n = 0;

	EXPECT(gr(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	for (ptr = gr(PCI_CAPABILITY_LIST, 1); ptr && n < 48; n++) {
		uint8_t id = (uint8_t)gr(ptr, 1);

		EXPECT(ptr >= 0x40 && ptr < 0x100 && !(ptr & 3));
		EXPECT_NE(ptr, fn.vndr);
		EXPECT_NE(id, PCI_CAP_ID_VNDR);
		seen[id]++;
		ptr = gr(ptr + 1, 1);
	}
	EXPECT_EQ(ptr, 0);
	EXPECT_EQ(n, 4);
	EXPECT_EQ(seen[PCI_CAP_ID_PM], 1);
	EXPECT_EQ(seen[PCI_CAP_ID_MSI], 1);
	EXPECT_EQ(seen[PCI_CAP_ID_MSIX], 1);
	EXPECT_EQ(seen[PCI_CAP_ID_EXP], 1);
}

/* Whether config byte r belongs to a capability the guest sees. */
static bool shown_byte(unsigned int r)
{
	unsigned int msi_len = pt.msi.maskable ? 24 : 16;

	return (r >= fn.pm && r < fn.pm + 8) ||
	       (r >= fn.msi && r < fn.msi + msi_len) ||
	       (r >= fn.msix && r < fn.msix + 12) ||
	       (r >= fn.exp && r < fn.exp + 0x3c);
}

static void check_header(enum variant v)
{
	EXPECT_EQ(gr(PCI_VENDOR_ID, 4), real32(PCI_VENDOR_ID));
	EXPECT_EQ(gr(PCI_VENDOR_ID, 2), real16(PCI_VENDOR_ID));
	EXPECT_EQ(gr(PCI_DEVICE_ID, 2), real16(PCI_DEVICE_ID));
	EXPECT_EQ(gr(PCI_CLASS_REVISION, 4), real32(PCI_CLASS_REVISION));
	EXPECT_EQ(gr(PCI_SUBSYSTEM_VENDOR_ID, 4),
		  real32(PCI_SUBSYSTEM_VENDOR_ID));
	EXPECT_EQ(gr(PCI_COMMAND, 2), 0);
	EXPECT_EQ(gr(PCI_HEADER_TYPE, 1), 0);
	EXPECT_EQ(gr(PCI_HEADER_TYPE + 1, 1), 0);	/* BIST */
	EXPECT_EQ(gr(PCI_CACHE_LINE_SIZE, 1), fn.cfg[PCI_CACHE_LINE_SIZE]);
	EXPECT_EQ(gr(0x28, 4), 0);			/* CardBus CIS */
	EXPECT_EQ(gr(PCI_ROM_ADDRESS, 4), 0);
	gw(PCI_ROM_ADDRESS, 4, ~0u);
	EXPECT_EQ(gr(PCI_ROM_ADDRESS, 4), 0);
	EXPECT_EQ(gr(0x38, 4), 0);
	EXPECT_EQ(gr(PCI_INTERRUPT_PIN, 1), 0);
	EXPECT_EQ(gr(PCI_INTERRUPT_LINE, 1), 0);
	gw(PCI_INTERRUPT_LINE, 1, 0x0a);
	EXPECT_EQ(gr(PCI_INTERRUPT_LINE, 1), 0x0a);
	EXPECT_EQ(gr(PCI_INTERRUPT_PIN, 1), 0);
	EXPECT_EQ(fn.cfg[PCI_INTERRUPT_LINE], v == EDU ? 0x0b : 0x0e);
	check_cap_walk();
	for (unsigned int r = fn.vndr; r < fn.vndr + fn.vndr_len; r++)
		EXPECT_EQ(gr(r, 1), 0);
	for (unsigned int r = 0x40; r < PCI_CFG_SIZE; r++)
		if (!shown_byte(r))
			EXPECT_EQ(gr(r, 1), 0);
	/* PM and PCI Express read as the function has them. */
	EXPECT_EQ(gr(fn.pm + 4, 4), real32(fn.pm + 4));
	EXPECT_EQ(gr(fn.exp + PCI_EXP_DEVCAP, 4),
		  real32(fn.exp + PCI_EXP_DEVCAP));
	EXPECT_EQ(gr(fn.exp + 0x38, 4), real32(fn.exp + 0x38));
	/* One vector, whatever the function could do. */
	EXPECT_EQ(gr(fn.msi + PCI_MSI_FLAGS, 2),
		  PCI_MSI_FLAGS_64BIT | (v == EDU ? 0 : PCI_MSI_FLAGS_MASKBIT));
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_FLAGS, 2), fn.nr_entries - 1);
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_TABLE, 4),
		  real32(fn.msix + PCI_MSIX_TABLE));
	for (unsigned int r = PCI_CFG_SIZE; r < CFG_SIZE; r += 4) {
		EXPECT_EQ(gr(r, 4), 0);
		EXPECT_EQ(gr(r + 1, 1), 0);
		EXPECT_EQ(gr(r + 2, 2), 0);
	}
	EXPECT_EQ(nr_wlog, 0);
}

/* Sizing BAR i: all-ones in, size and flags out; then back home. */
static void check_bar_size(unsigned int i, uint32_t want, bool is64)
{
	unsigned int reg = PCI_BAR0 + 4 * i;
	uint32_t lo = gr(reg, 4), hi = is64 ? gr(reg + 4, 4) : 0;

	gw(reg, 4, ~0u);
	EXPECT_EQ(gr(reg, 4), want);
	if (is64) {
		gw(reg + 4, 4, ~0u);
		EXPECT_EQ(gr(reg + 4, 4), ~0u);
		EXPECT_EQ(gr(reg, 4), want);
	}
	gw(reg, 4, lo);
	if (is64)
		gw(reg + 4, 4, hi);
	EXPECT_EQ(gr(reg, 4), lo);
	EXPECT_EQ(pt.bar[i].gpa, pt.bar[i].home);
}

static void test_header_edu(void)
{
	setup(EDU);
	check_header(EDU);
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE);
	check_bar_size(0, 0xfff00000u, false);
	for (unsigned int i = 1; i < PCI_NR_BARS; i++) {
		EXPECT_EQ(gr(PCI_BAR0 + 4 * i, 4), 0);
		gw(PCI_BAR0 + 4 * i, 4, ~0u);
		EXPECT_EQ(gr(PCI_BAR0 + 4 * i, 4), 0);
	}
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE);
	EXPECT_EQ(nr_wlog, 0);
	teardown();
}

static void test_header_nvme(void)
{
	setup(NVME);
	check_header(NVME);
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE | PCI_BAR_MEM64);
	EXPECT_EQ(gr(PCI_BAR0 + 4, 4), 0);
	EXPECT_EQ(gr(PCI_BAR0 + 8, 4),
		  (PLATFORM_PCI_MMIO_BASE + 0x4000) | PCI_BAR_PREFETCH);
	/* 64-bit: both halves sized; prefetchable 8 KiB. */
	check_bar_size(0, 0xffffc000u | PCI_BAR_MEM64, true);
	check_bar_size(2, 0xffffe000u | PCI_BAR_PREFETCH, false);
	/* The hidden 64-bit BAR and its upper half. */
	for (unsigned int i = 3; i < PCI_NR_BARS; i++) {
		gw(PCI_BAR0 + 4 * i, 4, ~0u);
		EXPECT_EQ(gr(PCI_BAR0 + 4 * i, 4), 0);
	}
	/* Byte-wide BAR writes merge into what the guest sees. */
	gw(PCI_BAR0 + 3, 1, 0xd0);
	EXPECT_EQ(gr(PCI_BAR0, 4), 0xd0000000u | PCI_BAR_MEM64);
	EXPECT_EQ(pt.bar[0].gpa, 0xd0000000u);
	EXPECT_EQ(nr_wlog, 0);
	teardown();
}

/* ---- 2: BAR mapping ---- */

static void test_bar_map_nvme(void)
{
	const uint64_t home = PLATFORM_PCI_MMIO_BASE, hpa = 0x380000000ull;

	setup(NVME);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	EXPECT_EQ(pt.msix.trap_off, 0x2000);
	EXPECT_EQ(pt.msix.trap_len, PAGE);

	gw(PCI_COMMAND, 2, PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	EXPECT_EQ(nr_maps, 3);
	check_table_bar(home, hpa, 0x4000, 0x2000, PAGE);
	EXPECT_EQ(mapped_at(home + 0x4000), 0xfd000000);
	EXPECT_EQ(mapped_at(home + 0x5fff), 0xfd001fff);
	EXPECT_EQ(mapped_at(home + 0x6000), NO_MAP);

	/* Moved while decoding: away from the old range, at the new. */
	gw(PCI_BAR0, 4, 0xd0000000);
	check_table_bar(0xd0000000, hpa, 0x4000, 0x2000, PAGE);
	for (uint64_t off = 0; off < 0x4000; off += PAGE)
		EXPECT_EQ(mapped_at(home + off), NO_MAP);
	EXPECT_EQ(nr_maps, 3);

	/* Outside the guest's PCI window: below, above, past 4 GiB. */
	gw(PCI_BAR0, 4, 0x80000000);
	EXPECT_EQ(mapped_at(0x80000000), NO_MAP);
	EXPECT_EQ(mapped_at(0xd0000000), NO_MAP);
	EXPECT_EQ(nr_maps, 1);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_BAR0, 4, 0xfec00000);
	EXPECT_EQ(nr_maps, 1);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_BAR0, 4, 0xd0000000);
	EXPECT_EQ(nr_maps, 3);
	gw(PCI_BAR0 + 4, 4, 1);
	EXPECT_EQ(nr_maps, 1);
	EXPECT_EQ(mapped_at(0x1d0000000ull), NO_MAP);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_BAR0 + 4, 4, 0);
	check_table_bar(0xd0000000, hpa, 0x4000, 0x2000, PAGE);
	/* The last place in the window that fits, and just past it. */
	gw(PCI_BAR0 + 8, 4, 0xfebfe000);
	EXPECT_EQ(mapped_at(0xfebfffff), 0xfd001fff);
	EXPECT_EQ(nr_maps, 3);
	gw(PCI_BAR0 + 8, 4, 0xfec00000);
	EXPECT_EQ(mapped_at(0xfec00000), NO_MAP);
	EXPECT_EQ(nr_maps, 2);

	gw(PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	/* Moved while not decoding: nothing mapped, nothing trapped. */
	gw(PCI_BAR0, 4, 0xe0000000);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	check_table_bar(0xe0000000, hpa, 0x4000, 0x2000, PAGE);
	/* Bus mastering on the real function followed the guest's. */
	EXPECT_EQ(real16(PCI_COMMAND), real_cmd0);
	teardown();
}

static void test_bar_map_edu(void)
{
	setup(EDU);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EXPECT_EQ(nr_maps, 2);
	check_table_bar(PLATFORM_PCI_MMIO_BASE, 0xfea00000, 1u << 20, 0x3000,
			PAGE);
	/* The hidden BARs are mapped nowhere. */
	for (unsigned int i = 0; i < nr_maps; i++)
		EXPECT(maps[i].hpa >= 0xfea00000 &&
		       maps[i].hpa + maps[i].len <= 0xfeb00000);
	gw(PCI_COMMAND, 2, 0);
	EXPECT_EQ(nr_maps, 0);
	teardown();
}

/* ---- 3: a hostile guest's config writes ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Whether config byte r of the real function may change at all. */
static bool real_writable(unsigned int r)
{
	unsigned int m = fn.msi, x = fn.msix;

	if (r == PCI_COMMAND || r == PCI_COMMAND + 1)
		return true;
	if (r >= m + PCI_MSI_FLAGS && r < m + 0x10)
		return true;		/* control, address, data */
	if (pt.msi.maskable && r >= m + 0x10 && r < m + 0x14)
		return true;		/* mask */
	return r == x + PCI_MSIX_FLAGS || r == x + PCI_MSIX_FLAGS + 1;
}

static uint16_t msi_ctrl0, msix_ctrl0;
static unsigned int msi_addr_writes;

/* Every real write a guest config write caused is one the filter may make. */
static void check_real_writes(void)
{
	unsigned int m = fn.msi;

	for (unsigned int k = 0; k < nr_wlog; k++) {
		const struct cfg_write *w = &wlog[k];
		bool ok;

		if (w->reg == PCI_COMMAND && w->size == 2)
			ok = (w->val & ~PCI_COMMAND_MASTER) == real_cmd0;
		else if (w->reg == m + PCI_MSI_FLAGS && w->size == 2)
			ok = (w->val & ~PCI_MSI_FLAGS_ENABLE) == msi_ctrl0;
		else if (w->reg == m + PCI_MSI_ADDRESS_LO && w->size == 4)
			ok = w->val == (uint32_t)HW_ADDR(MSI_IRTE) &&
			     ++msi_addr_writes;
		else if (w->reg == m + PCI_MSI_ADDRESS_HI && w->size == 4)
			ok = w->val == HW_ADDR(MSI_IRTE) >> 32;
		else if (w->reg == msi_data_reg() && w->size == 2)
			ok = w->val == HW_DATA(MSI_IRTE);
		else if (pt.msi.maskable && w->reg == msi_data_reg() + 4 &&
			 w->size == 4)
			ok = w->val <= 1;
		else if (w->reg == fn.msix + PCI_MSIX_FLAGS && w->size == 2)
			ok = (w->val & ~PCI_MSIX_FLAGS_ENABLE) == msix_ctrl0;
		else
			ok = false;
		if (!ok) {
			ktap_fail_at(__FILE__, __LINE__,
				     "real write not allowed");
			ktap_diag("  reg 0x%x size %u val 0x%x", w->reg,
				  w->size, w->val);
		}
	}
	nr_wlog = 0;
}

/* Everything the guest has mapped is a BAR of its function, in its window. */
static void check_maps(void)
{
	for (unsigned int i = 0; i < nr_maps; i++) {
		const struct mapping *m = &maps[i];
		uint64_t trap = fn.dev.bar[0].base + pt.msix.trap_off;
		bool in_bar = false;

		EXPECT(m->gpa >= PLATFORM_PCI_MMIO_BASE &&
		       m->gpa + m->len - 1 <= PLATFORM_PCI_MMIO_END);
		for (unsigned int k = 0; k < PCI_NR_BARS; k++) {
			const struct pt_bar *b = &pt.bar[k];

			in_bar |= b->size && m->hpa >= b->hpa &&
				  m->hpa + m->len <= b->hpa + b->size;
		}
		EXPECT(in_bar);
		/* The MSI-X table's pages are never the guest's. */
		EXPECT(m->hpa + m->len <= trap ||
		       m->hpa >= trap + pt.msix.trap_len);
	}
}

static void hostile_write(unsigned int reg, unsigned int size)
{
	uint32_t v = rnd();

	if (size < 4)
		v &= (1u << (8 * size)) - 1;
	gw(reg, size, v);
	check_real_writes();
	check_maps();
}

static void hostile(enum variant v)
{
	static uint8_t cfg0[CFG_SIZE];
	uint8_t *bar0;
	uint64_t bar0_len;
	unsigned int bad = 0;

	setup(v);
	memcpy(cfg0, fn.cfg, CFG_SIZE);
	bar0_len = fn.dev.bar[0].size;
	bar0 = malloc(bar0_len);
	memcpy(bar0, fn.bar[0], bar0_len);
	msi_ctrl0 = real16(fn.msi + PCI_MSI_FLAGS) & ~PCI_MSI_FLAGS_QSIZE;
	msix_ctrl0 = real16(fn.msix + PCI_MSIX_FLAGS);
	msi_addr_writes = 0;

	maps_may_overlap = true;
	for (unsigned int size = 1; size <= 4; size *= 2)
		for (unsigned int reg = 0; reg < CFG_SIZE; reg += size)
			hostile_write(reg, size);
	/* Then from a function the guest has set going. */
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	check_real_writes();
	for (unsigned int n = 0; n < 8000; n++) {
		unsigned int size = 1u << (rnd() % 3);
		/* Most at the header, its BARs and the shown capabilities. */
		unsigned int reg = rnd() % (n % 4 == 0 ? CFG_SIZE :
					    n % 4 == 1 ? 0x28 : 0xc0);

		hostile_write(reg & ~(size - 1), size);
	}
	maps_may_overlap = false;

	for (unsigned int r = 0; r < CFG_SIZE; r++) {
		if (real_writable(r) || fn.cfg[r] == cfg0[r])
			continue;
		if (!bad++)
			ktap_diag("  real config byte 0x%x: 0x%02x, was 0x%02x",
				  r, fn.cfg[r], cfg0[r]);
	}
	EXPECT_EQ(bad, 0);
	EXPECT_MEMEQ(fn.cfg + PCI_BAR0, cfg0 + PCI_BAR0, 24);
	EXPECT_MEMEQ(fn.cfg + PCI_ROM_ADDRESS, cfg0 + PCI_ROM_ADDRESS, 4);
	EXPECT_EQ(fn.cfg[PCI_HEADER_TYPE], cfg0[PCI_HEADER_TYPE]);
	EXPECT_MEMEQ(fn.cfg + fn.vndr, cfg0 + fn.vndr, fn.vndr_len);
	EXPECT_MEMEQ(fn.cfg + fn.pm, cfg0 + fn.pm, 8);
	EXPECT_MEMEQ(fn.cfg + fn.exp, cfg0 + fn.exp, 0x3c);
	EXPECT_EQ(real16(PCI_COMMAND) & PCI_COMMAND_IO, 0);
	EXPECT_EQ(real16(PCI_COMMAND) & ~PCI_COMMAND_MASTER, real_cmd0);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_MASKALL, 0);

	/*
	 * The guest never wrote the table: no real entry got a message,
	 * each only its mask bit; the rest of the BAR is as it was.
	 */
	bad = 0;
	for (uint64_t off = 0; off < bar0_len; off++) {
		uint64_t t = off - fn.table_off;
		bool ctrl = off >= fn.table_off && t < 16ull * fn.nr_entries &&
			    t % 16 >= 12;

		if (ctrl && t % 16 == 12)
			EXPECT_EQ(fn.bar[0][off], PCI_MSIX_ENTRY_CTRL_MASK);
		else if (!ctrl && fn.bar[0][off] != bar0[off])
			bad++;
		else if (ctrl && fn.bar[0][off])
			bad++;
	}
	EXPECT_EQ(bad, 0);
	EXPECT(pt.cfg_refused > 1000);
	/* The writes did reach the paths that write the real function. */
	EXPECT(msi_addr_writes > 0);
	EXPECT(map_calls > 0);
	ktap_diag("%s: %llu config writes refused, %u BAR mappings",
		  v == EDU ? "edu" : "nvme",
		  (unsigned long long)pt.cfg_refused, map_calls);
	free(bar0);
	teardown();
}

static void test_hostile_cfg_edu(void)
{
	hostile(EDU);
}

static void test_hostile_cfg_nvme(void)
{
	hostile(NVME);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_header_edu),
	KTAP_CASE(test_header_nvme),
	KTAP_CASE(test_bar_map_nvme),
	KTAP_CASE(test_bar_map_edu),
	KTAP_CASE(test_hostile_cfg_edu),
	KTAP_CASE(test_hostile_cfg_nvme),
	KTAP_CASE(test_msi_edu),
	KTAP_CASE(test_msi_nvme_maskable),
	KTAP_CASE(test_msix),
	KTAP_CASE(test_msix_straddle),
	KTAP_CASE(test_msix_bad_bir),
	KTAP_CASE(test_reset),
};

int main(void)
{
	int ret = ktap_run(cases, ARRAY_SIZE(cases));

	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		free(fn.bar[i]);
	return ret;
}