// SPDX-License-Identifier: GPL-2.0
/*
 * A Multiboot test kernel that drives the emulated IDE disk the wrong
 * way (tests/suites/49-multiboot-ide-hostile): PRD regions and tables
 * outside RAM, a table without an end, ranges past the end of the disk,
 * data and commands out of order, SRST with a DMA command pending, an
 * endless rep outsw into the data port.  Each must end in an ATA error
 * or nothing at all, and the disk must still work after.  KTAP on COM1,
 * then the number of failed cases through isa-debug-exit; with "stray"
 * on its command line it finally points rep insw at memory that is not
 * RAM, which must stop the domain.  Built with mbtest.S and ktap.c.
 */
#include "mbtest.h"

#define DEBUG_EXIT	0xf4
#define CMD		0x1f0
#define CTL		0x3f6
#define BM		0xc000
#define DISK_SECTORS	2048u		/* the suite's size=1M */
#define NOT_RAM		0xe0000000u

static uint16_t buf[4096] __attribute__((aligned(4096)));
static uint32_t prd[1024] __attribute__((aligned(4096)));

static void insw(uint16_t port, void *dst, uint32_t n)
{
	__asm__ volatile("cld; rep insw" : "+D"(dst), "+c"(n) : "d"(port)
			 : "memory");
}

static void outsw(uint16_t port, const void *src, uint32_t n)
{
	__asm__ volatile("cld; rep outsw" : "+S"(src), "+c"(n) : "d"(port)
			 : "memory");
}

static uint8_t status(void)
{
	return inb(CMD + 7);
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

/* READ DMA of count sectors at lba, PRD table at table; final status. */
static uint8_t dma_read(uint32_t table, uint32_t lba, uint8_t count,
			uint8_t *bm)
{
	uint8_t s;

	outl(BM + 4, table);
	outb(BM, 0x08);
	issue(0xc8, lba, count);
	outb(BM, 0x09);
	*bm = inb(BM + 2);
	outb(BM, 0x08);
	s = status();
	outb(BM + 2, 0x06);
	return s;
}

static bool dma_failed(uint32_t table, uint32_t lba, uint8_t count)
{
	uint8_t bm, s = dma_read(table, lba, count, &bm);

	return s == 0x51 && (bm & 0x02) && inb(CMD + 1) == 0x04;
}

static void reset(void)
{
	outb(CTL, 0x06);
	outb(CTL, 0x02);
}

static bool identify_ok(void)
{
	issue(0xec, 0, 0);
	if (status() != 0x58)
		return false;
	insw(CMD, buf, 256);
	return status() == 0x50 && buf[60] == DISK_SECTORS &&
	       buf[27] == ('p' << 8 | 'v');
}

/* mbi: the Multiboot information; its fifth word is the command line. */
void mbtest_main(uint32_t magic, const uint32_t *mbi, uint32_t cr0)
{
	const char *cmd = (const char *)mbi[4];
	uint8_t bm;

	(void)magic;
	(void)cr0;
	puts("KTAP version 1\n1..9\n");
	reset();
	result(identify_ok(), "identify_by_rep_insw");

	prd[0] = NOT_RAM;
	prd[1] = 0x80000000u | 1024;
	result(dma_failed((uint32_t)prd, 0, 2), "prd_region_outside_ram");
	result(dma_failed(NOT_RAM, 0, 2), "prd_table_outside_ram");
	prd[1022] = (uint32_t)buf;
	prd[1023] = 512;		/* the page's last entry, no EOT */
	result(dma_failed((uint32_t)&prd[1022], 0, 2), "prd_table_runs_off_page");

	issue(0xc8, DISK_SECTORS - 1, 2);
	result(status() == 0x51 && inb(CMD + 1) == 0x10, "range_past_end_idnf");

	/* Data with no data phase, then a command inside one. */
	outsw(CMD, buf, 256);
	issue(0x30, 5, 1);
	outsw(CMD, buf, 10);
	issue(0xec, 0, 0);
	result(status() == 0x51 && inb(CMD + 1) == 0x04,
	       "command_in_data_phase_aborts");

	/* A DMA command left waiting, then SRST. */
	outb(BM, 0x00);
	issue(0xc8, 0, 1);
	reset();
	result(status() == 0x50 && inb(CMD + 1) == 0x01, "srst_with_dma_pending");

	/* 100000 words into the data port with no command. */
	outsw(CMD, (const void *)0x100000, 100000);
	result(status() == 0x50, "endless_data_writes_ignored");

	prd[0] = (uint32_t)buf;
	prd[1] = 0x80000000u | 1024;
	result(dma_read((uint32_t)prd, 1, 2, &bm) == 0x50 && (bm & 0x04) &&
	       identify_ok(), "disk_works_after");

	if (has_word(cmd, " stray")) {
		puts("# rep insw into memory that is not RAM\n");
		issue(0xec, 0, 0);
		insw(CMD, (void *)NOT_RAM, 256);
		puts("# still running after the stray rep insw\n");
	}
	outb(DEBUG_EXIT, (uint8_t)ktap_failed);
	puts("# still running after the debug-exit write\n");
}
