// SPDX-License-Identifier: GPL-2.0
/*
 * A Multiboot test kernel that unplugs its emulated disk and NIC
 * (disk=0,mode=emulated,unplug=pv on virtio-blk storage, and
 * net=0,mode=emulated,unplug=pv; tests/suites/49-multiboot-unplug-hostile)
 * the rude way: with a DMA read still in flight, never letting the
 * devices go first, and twice.  The read must have landed when the call
 * returns, the functions must read all-ones in config space, their
 * ports and BARs all-ones, and a second call must change nothing.  KTAP
 * on COM1, then the number of failed cases through isa-debug-exit.
 * Built with mbtest.S and ktap.c.
 */
#include "mbtest.h"

#define DEBUG_EXIT	0xf4
#define CMD		0x1f0
#define BM		0xc000
#define E1000_BAR	0xfebc0000u
#define HC_UNPLUG	27		/* pvkit/hypercall.h, ABI 1.8 */
#define UNPLUG_QUERY	0
#define UNPLUG_DO	1
#define UNPLUG_DONE	1u		/* bit 0: slot 0 never goes */
#define SLOTS		(1u << 1 | 1u << 3)	/* IDE, e1000 0 */
#define EINVAL		22
#define SECTORS		128		/* 64 KiB: one PRD entry */

static uint8_t data[65536] __attribute__((aligned(65536)));
static uint32_t prd[2] __attribute__((aligned(4096)));

/* A 32-bit guest: EAX is the low half of the 64-bit result. */
static int32_t hc1(uint32_t nr, uint32_t a1)
{
	uint32_t ret;

	__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "D"(a1) : "memory");
	return (int32_t)ret;
}

/* Function 0 of slot. */
static uint32_t cfg_read(unsigned int slot, uint8_t reg)
{
	return cfg_read32((uint8_t)(slot << 3), reg);
}

static void issue(uint8_t cmd, uint32_t lba, uint8_t count)
{
	outb(CMD + 2, count);
	outb(CMD + 3, lba & 0xff);
	outb(CMD + 4, (lba >> 8) & 0xff);
	outb(CMD + 5, (lba >> 16) & 0xff);
	outb(CMD + 6, 0x40 | ((lba >> 24) & 0x0f));
	outb(CMD + 7, cmd);
}

/* A 64 KiB DMA command on data[], started and not waited for. */
static void dma_start(uint8_t cmd, bool to_memory)
{
	prd[0] = (uint32_t)data;
	prd[1] = 0x80000000u;		/* EOT, 64 KiB */
	outl(BM + 4, (uint32_t)prd);
	outb(BM, to_memory ? 0x08 : 0x00);
	outb(BM + 2, 0x06);
	issue(cmd, 0, SECTORS);
	outb(BM, to_memory ? 0x09 : 0x01);
}

/* Polls until the drive is no longer busy; the final status. */
static uint8_t dma_wait(void)
{
	uint8_t s;

	for (uint32_t i = 0; i < 100000000u; i++) {
		s = inb(CMD + 7);
		if (!(s & 0x80))
			break;
	}
	outb(BM, 0x00);
	return s;
}

static bool pattern_ok(uint8_t seed)
{
	for (uint32_t i = 0; i < sizeof(data); i++)
		if (data[i] != (uint8_t)(i * 7 + seed))
			return false;
	return true;
}

void mbtest_main(uint32_t magic, const uint32_t *mbi, uint32_t cr0)
{
	uint32_t ide_id, nic_id;
	uint8_t bm, s;
	int32_t r;

	(void)magic;
	(void)mbi;
	(void)cr0;
	puts("KTAP version 1\n1..9\n");
	ide_id = cfg_read(1, 0);
	nic_id = cfg_read(3, 0);
	r = hc1(HC_UNPLUG, UNPLUG_QUERY);
	diag("query: ", (uint32_t)r);
	result(r == SLOTS, "query_names_ide_and_e1000");
	result(hc1(HC_UNPLUG, 2) == -EINVAL &&
	       hc1(HC_UNPLUG, 0xffffffffu) == -EINVAL, "bad_ops_refused");
	result(ide_id == 0x71118086u && nic_id == 0x100e8086u &&
	       cfg_read(1, 0) == ide_id && hc1(HC_UNPLUG, UNPLUG_QUERY) == SLOTS,
	       "query_changes_nothing");

	for (uint32_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	dma_start(0xca, false);			/* WRITE DMA */
	s = dma_wait();
	result(s == 0x50, "pattern_written_by_dma");

	for (uint32_t i = 0; i < sizeof(data); i++)
		data[i] = 0;
	dma_start(0xc8, true);			/* READ DMA, left running */
	bm = inb(BM + 2);
	r = hc1(HC_UNPLUG, UNPLUG_DO);
	diag("bus-master status before the unplug: ", bm);
	diag("unplug: ", (uint32_t)r);
	result(r == (SLOTS | UNPLUG_DONE) && pattern_ok(3),
	       "unplug_with_dma_in_flight_lands_it");

	result(cfg_read(1, 0) == 0xffffffffu && cfg_read(3, 0) == 0xffffffffu &&
	       cfg_read(0, 0) != 0xffffffffu && cfg_read(2, 0) != 0xffffffffu,
	       "functions_read_all_ones_bridge_and_platform_stay");
	issue(0xec, 0, 0);			/* IDENTIFY to nobody */
	result(inb(CMD + 7) == 0xff && inb(BM + 2) == 0xff &&
	       inl(0xc040) == 0xffffffffu, "ports_read_all_ones");
	result(*(volatile uint32_t *)E1000_BAR == 0xffffffffu,
	       "e1000_bar_reads_all_ones");
	result(hc1(HC_UNPLUG, UNPLUG_DO) == (SLOTS | UNPLUG_DONE) &&
	       hc1(HC_UNPLUG, UNPLUG_QUERY) == (SLOTS | UNPLUG_DONE),
	       "second_unplug_changes_nothing");
	outb(DEBUG_EXIT, (uint8_t)ktap_failed);
	puts("# still running after the debug-exit write\n");
}
