// SPDX-License-Identifier: GPL-2.0
/*
 * The PIIX IDE model driven by register sequences as ata_piix writes
 * them: IDENTIFY, PIO and DMA reads and writes checked against the disk
 * bytes, LBA48, flush and SET FEATURES, asynchronous completion, and
 * hostile sequences (PRD tables outside RAM, without an end, looping
 * over their page; ranges past the end; SRST with a request in flight;
 * commands out of order) that must end in ATA errors and touch nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/ide_piix.h>
#include <hv/storage.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define RAM_BYTES	(1u << 20)
#define DISK_SECTORS	2048u
#define BM		0xc000
#define CMD		IDE_PIIX_CMD_PORT
#define CTL		IDE_PIIX_CTL_PORT
#define PRD_GPA		0x1000u
#define BUF_GPA		0x10000u

static struct ide_piix ide;
static uint8_t ram[RAM_BYTES];
static uint8_t disk[DISK_SECTORS * STORAGE_SECTOR];
static bool irq_level;
static unsigned int irq_rises;
/* Deferred mode: requests wait here until complete_pending(). */
static bool deferred;
static struct storage_req *pending;
static unsigned int kicks, submits, flushes;

/* ---- fakes ---- */

static void fake_set_irq(void *ctx, unsigned int gsi, bool level)
{
	(void)ctx;
	EXPECT_EQ(gsi, IDE_PIIX_IRQ);
	if (level && !irq_level)
		irq_rises++;
	irq_level = level;
}

static int fake_dma_read(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	(void)ctx;
	if (gpa > RAM_BYTES || len > RAM_BYTES - gpa)
		return -1;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static void *fake_dma_map(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	if (gpa > RAM_BYTES || len > RAM_BYTES - gpa)
		return NULL;
	return ram + gpa;
}

static const struct emul_env env = {
	.set_irq = fake_set_irq,
	.dma_read = fake_dma_read,
	.dma_map = fake_dma_map,
};

static void disk_io(struct storage_req *r)
{
	uint64_t off = r->sector * STORAGE_SECTOR;

	for (unsigned int i = 0; i < r->nr_segs; i++) {
		if (r->op == STORAGE_READ)
			memcpy(r->segs[i].buf, disk + off, r->segs[i].len);
		else
			memcpy(disk + off, r->segs[i].buf, r->segs[i].len);
		off += r->segs[i].len;
	}
}

static void fake_rw(struct storage *s, struct storage_req *r)
{
	(void)s;
	submits++;
	if (deferred) {
		/* The segment array is the model's; only done() is owed. */
		disk_io(r);
		pending = r;
		return;
	}
	disk_io(r);
	r->done(r, 0);
}

static void fake_flush(struct storage *s, struct storage_req *r)
{
	(void)s;
	flushes++;
	r->done(r, 0);
}

static uint64_t fake_capacity(const struct storage *s)
{
	(void)s;
	return DISK_SECTORS;
}

static const struct storage_ops fake_ops = {
	.read = fake_rw,
	.write = fake_rw,
	.flush = fake_flush,
	.capacity = fake_capacity,
};

static struct storage st = { .ops = &fake_ops };

static void fake_kick(void *arg)
{
	EXPECT(arg == &ide);
	kicks++;
}

static void complete_pending(void)
{
	struct storage_req *r = pending;

	pending = NULL;
	EXPECT(r != NULL);
	if (!r)
		return;
	r->done(r, 0);
	ide_piix_complete(&ide);
}

static void setup(void)
{
	memset(ram, 0, sizeof(ram));
	for (unsigned int i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i * 7 + i / STORAGE_SECTOR);
	irq_level = false;
	irq_rises = kicks = submits = flushes = 0;
	deferred = false;
	pending = NULL;
	st.max_segs = 0;
	ide_piix_init(&ide, &env, &st, BM);
	ide.kick = fake_kick;
	ide.kick_arg = &ide;
}

/* ---- port access ---- */

static uint32_t in(uint16_t port, unsigned int size)
{
	struct io_access io = { .addr = port, .size = (uint8_t)size };

	EXPECT_EQ(ide.dev.ops->pio(&ide.dev, &io), 0);
	return (uint32_t)io.val;
}

static void out(uint16_t port, unsigned int size, uint32_t val)
{
	struct io_access io = { .addr = port, .size = (uint8_t)size,
				.val = val, .write = true };

	EXPECT_EQ(ide.dev.ops->pio(&ide.dev, &io), 0);
}

static uint8_t status(void)
{
	return (uint8_t)in(CMD + 7, 1);
}

/* The task file as ata_sff_tf_load writes it, then the command. */
static void issue(uint8_t cmd, uint64_t lba, uint32_t count, bool ext)
{
	if (ext) {
		out(CMD + 2, 1, (count >> 8) & 0xff);
		out(CMD + 3, 1, (lba >> 24) & 0xff);
		out(CMD + 4, 1, (lba >> 32) & 0xff);
		out(CMD + 5, 1, (lba >> 40) & 0xff);
	}
	out(CMD + 2, 1, count & 0xff);
	out(CMD + 3, 1, lba & 0xff);
	out(CMD + 4, 1, (lba >> 8) & 0xff);
	out(CMD + 5, 1, (lba >> 16) & 0xff);
	out(CMD + 6, 1, 0x40 | (ext ? 0 : (lba >> 24) & 0x0f));
	out(CMD + 7, 1, cmd);
}

static void put_prd(unsigned int n, uint32_t addr, uint32_t len, bool eot)
{
	uint32_t e[2] = { addr, (len & 0xffff) | (eot ? 0x80000000u : 0) };

	memcpy(ram + PRD_GPA + 8 * n, e, sizeof(e));
}

/* ata_bmdma_setup + start, around the command. */
static void dma(uint8_t cmd, uint64_t lba, uint32_t count, bool ext,
		bool to_mem)
{
	out(BM + 4, 4, PRD_GPA);
	out(BM, 1, to_mem ? 0x08 : 0);
	issue(cmd, lba, count, ext);
	out(BM, 1, (to_mem ? 0x08 : 0) | 1);
}

/* The interrupt handler's reads and writes: bm status, stop, status. */
static uint8_t dma_irq(uint8_t *bm_status)
{
	uint8_t s;

	*bm_status = (uint8_t)in(BM + 2, 1);
	out(BM, 1, in(BM, 1) & ~1u);
	s = status();
	out(BM + 2, 1, *bm_status | 0x06);
	return s;
}

static const uint8_t *sector(uint64_t lba)
{
	return disk + lba * STORAGE_SECTOR;
}

/* ---- cases ---- */

static uint32_t cfg(unsigned int reg, unsigned int size)
{
	return ide_piix_cfg_ops.cfg_read(&ide, reg, size);
}

/* What ata_piix and the PCI core read: ids, legacy class, BAR 4, IDETIM. */
static void test_pci_config(void)
{
	setup();
	EXPECT_EQ(cfg(0, 4), 0x71118086u);
	EXPECT_EQ(cfg(0x08, 4) >> 8, 0x010180u);
	EXPECT_EQ(cfg(0x20, 4), (uint32_t)BM | 1);
	EXPECT_EQ(cfg(0x04, 2) & 5, 5u);
	EXPECT_EQ(cfg(0x41, 1) & 0x80, 0x80u);
	EXPECT_EQ(cfg(0x43, 1) & 0x80, 0u);
	ide_piix_cfg_ops.cfg_write(&ide, 0x20, 4, 0xffffffff);
	EXPECT_EQ(cfg(0x20, 4), 0xfff1u);
	/* BAR 4 moved away: the bus-master block no longer answers there. */
	EXPECT_EQ(in(BM + 2, 1), 0xffu);
	ide_piix_cfg_ops.cfg_write(&ide, 0x20, 4, BM);
	EXPECT_EQ(in(BM + 2, 1), 0x20u);
	/* I/O decode off: the channel floats. */
	ide_piix_cfg_ops.cfg_write(&ide, 0x04, 2, 0);
	EXPECT_EQ(status(), 0xffu);
}

/* After SRST: the ATA signature; device 1 shows status 0. */
static void test_reset_signature(void)
{
	setup();
	out(CTL, 1, 0x06);
	EXPECT_EQ(in(CTL, 1) & 0x80, 0x80u);
	out(CTL, 1, 0x02);
	EXPECT_EQ(status(), 0x50u);
	EXPECT_EQ(in(CMD + 1, 1), 0x01u);
	EXPECT_EQ(in(CMD + 2, 1), 1u);
	EXPECT_EQ(in(CMD + 3, 1), 1u);
	EXPECT_EQ(in(CMD + 4, 1), 0u);
	EXPECT_EQ(in(CMD + 5, 1), 0u);
	out(CMD + 6, 1, 0xb0);
	EXPECT_EQ(status(), 0u);
	out(CMD + 7, 1, 0xec);		/* to the absent device: ignored */
	EXPECT_EQ(irq_rises, 0u);
	out(CMD + 6, 1, 0xa0);
	EXPECT_EQ(status(), 0x50u);
}

static void test_identify(void)
{
	uint16_t id[256];
	char model[41];

	setup();
	out(CMD + 6, 1, 0xa0);
	out(CMD + 7, 1, 0xec);
	EXPECT_EQ(irq_rises, 1u);
	EXPECT(irq_level);
	EXPECT_EQ(in(CTL, 1), 0x58u);
	EXPECT(irq_level);		/* alt status leaves INTRQ alone */
	EXPECT_EQ(status(), 0x58u);
	EXPECT(!irq_level);
	for (unsigned int i = 0; i < 256; i++)
		id[i] = (uint16_t)in(CMD, 2);
	EXPECT_EQ(status(), 0x50u);
	for (unsigned int i = 0; i < 20; i++) {
		model[2 * i] = (char)(id[27 + i] >> 8);
		model[2 * i + 1] = (char)id[27 + i];
	}
	model[40] = 0;
	EXPECT(!strncmp(model, "pvkit emulated disk ", 20));
	EXPECT_EQ(id[0] & 0x8000, 0u);
	EXPECT_EQ(id[49] & 0x0300, 0x0300u);
	EXPECT_EQ((uint32_t)id[61] << 16 | id[60], DISK_SECTORS);
	EXPECT_EQ(id[100], DISK_SECTORS);
	EXPECT_EQ(id[83] & 0xc000, 0x4000u);
	EXPECT_EQ(id[83] & 0x3400, 0x3400u);	/* LBA48, FLUSH (EXT) */
	EXPECT_EQ(id[85] & 0x20, 0x20u);	/* write cache on */
	EXPECT_EQ(id[88] & 0x3f, 0x3fu);
	/* Reads past the end of the data phase are harmless. */
	EXPECT_EQ(in(CMD, 2), 0u);
}

static void test_pio_read_write(void)
{
	uint8_t want[2 * STORAGE_SECTOR], got[2 * STORAGE_SECTOR];

	setup();
	issue(0x20, 5, 2, false);
	for (unsigned int s = 0; s < 2; s++) {
		EXPECT_EQ(status(), 0x58u);
		for (unsigned int i = 0; i < STORAGE_SECTOR; i += 2) {
			uint16_t w = (uint16_t)in(CMD, 2);

			got[s * STORAGE_SECTOR + i] = (uint8_t)w;
			got[s * STORAGE_SECTOR + i + 1] = (uint8_t)(w >> 8);
		}
	}
	EXPECT_EQ(status(), 0x50u);
	EXPECT(!memcmp(got, sector(5), sizeof(got)));
	EXPECT_EQ(irq_rises, 2u);

	for (unsigned int i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(0xa5 ^ i);
	issue(0x34, 700, 2, true);
	EXPECT_EQ(irq_rises, 2u);		/* no IRQ before the first block */
	for (unsigned int s = 0; s < 2; s++) {
		EXPECT_EQ(in(CTL, 1), 0x58u);
		for (unsigned int i = 0; i < STORAGE_SECTOR; i += 4) {
			uint32_t v;

			memcpy(&v, want + s * STORAGE_SECTOR + i, 4);
			out(CMD, 4, v);
		}
		status();
	}
	EXPECT_EQ(irq_rises, 4u);
	EXPECT_EQ(in(CTL, 1), 0x50u);
	EXPECT(!memcmp(sector(700), want, sizeof(want)));
}

/* Two PRDs, one crossing a page; the table's end bounds nothing extra. */
static void test_dma_read(void)
{
	uint8_t bm;

	setup();
	put_prd(0, BUF_GPA, 4096, false);
	put_prd(1, BUF_GPA + 0x3000, 8192, true);
	dma(0xc8, 100, 24, false, true);
	EXPECT_EQ(submits, 1u);
	EXPECT(irq_level);
	EXPECT_EQ(dma_irq(&bm), 0x50u);
	EXPECT_EQ(bm & 0x07, 0x04u);
	EXPECT(!memcmp(ram + BUF_GPA, sector(100), 4096));
	EXPECT(!memcmp(ram + BUF_GPA + 0x3000, sector(108), 8192));
	EXPECT_EQ(in(BM + 2, 1) & 0x06, 0u);	/* cleared by the handler */
	EXPECT_EQ(ide.stats.dma_reqs, 1u);
}

/* LBA48, a 64 KiB PRD (length 0), a storage with a segment limit. */
static void test_dma_write_ext(void)
{
	uint8_t bm;

	setup();
	st.max_segs = 1;
	for (unsigned int i = 0; i < 0x11000; i++)
		ram[BUF_GPA + i] = (uint8_t)(i * 13);
	put_prd(0, BUF_GPA, 0, false);
	put_prd(1, BUF_GPA + 0x10000, 0x1000, true);
	dma(0x35, 1000, 136, true, false);
	EXPECT_EQ(submits, 2u);
	EXPECT_EQ(dma_irq(&bm), 0x50u);
	EXPECT(!memcmp(sector(1000), ram + BUF_GPA, 0x11000));
}

/* The command before the start bit, or after: both begin the transfer. */
static void test_dma_start_order(void)
{
	uint8_t bm;

	setup();
	put_prd(0, BUF_GPA, 512, true);
	out(BM + 4, 4, PRD_GPA);
	out(BM, 1, 0x09);
	issue(0xc8, 3, 1, false);
	EXPECT_EQ(dma_irq(&bm), 0x50u);
	EXPECT(!memcmp(ram + BUF_GPA, sector(3), 512));
}

/* Completion after the access returned: kicked, finished by the owner. */
static void test_async_completion(void)
{
	uint8_t bm;

	setup();
	deferred = true;
	put_prd(0, BUF_GPA, 1024, true);
	dma(0xc8, 7, 2, false, true);
	EXPECT_EQ(in(CTL, 1) & 0x80, 0x80u);
	EXPECT(!irq_level);
	EXPECT_EQ(kicks, 0u);
	EXPECT_EQ(ide.stats.late, 0u);
	complete_pending();
	EXPECT_EQ(kicks, 1u);
	EXPECT_EQ(ide.stats.late, 1u);
	EXPECT(irq_level);
	EXPECT_EQ(dma_irq(&bm), 0x50u);
	/* A second call finds nothing to finish. */
	ide_piix_complete(&ide);
	EXPECT(!irq_level);
}

static void test_flush_and_features(void)
{
	setup();
	issue(0xea, 0, 0, false);
	EXPECT_EQ(status(), 0x50u);
	EXPECT_EQ(flushes, 1u);
	out(CMD + 1, 1, 0x03);
	issue(0xef, 0, 0x42, false);		/* UDMA 2 */
	EXPECT_EQ(status(), 0x50u);
	out(CMD + 1, 1, 0x82);
	issue(0xef, 0, 0, false);
	EXPECT_EQ(status(), 0x50u);
	EXPECT(!ide.write_cache);
	out(CMD + 1, 1, 0x03);
	issue(0xef, 0, 0x50, false);		/* no such mode */
	EXPECT_EQ(status(), 0x51u);
	EXPECT_EQ(in(CMD + 1, 1), 0x04u);
	issue(0xe0, 0, 0, false);		/* STANDBY IMMEDIATE */
	EXPECT_EQ(status(), 0x50u);
	issue(0xe5, 0, 0, false);		/* CHECK POWER MODE */
	EXPECT_EQ(status(), 0x50u);
	EXPECT_EQ(in(CMD + 2, 1), 0xffu);
	issue(0x91, 0, 0, false);		/* not implemented */
	EXPECT_EQ(status(), 0x51u);
	EXPECT_EQ(in(CMD + 1, 1), 0x04u);
}

/* nIEN masks INTRQ; clearing it shows an interrupt still pending. */
static void test_nien(void)
{
	setup();
	out(CTL, 1, 0x02);
	issue(0xe7, 0, 0, false);
	EXPECT(!irq_level);
	out(CTL, 1, 0x00);
	EXPECT(irq_level);
	status();
	EXPECT(!irq_level);
}

/* HOB reads the previous register writes back. */
static void test_hob(void)
{
	setup();
	out(CMD + 3, 1, 0x11);
	out(CMD + 3, 1, 0x22);
	EXPECT_EQ(in(CMD + 3, 1), 0x22u);
	out(CTL, 1, 0x80);
	EXPECT_EQ(in(CMD + 3, 1), 0x11u);
	out(CMD + 2, 1, 0);			/* a write clears HOB */
	EXPECT_EQ(in(CMD + 3, 1), 0x22u);
}

/* ---- hostile sequences ---- */

static void expect_dma_error(void)
{
	uint8_t bm;

	EXPECT_EQ(dma_irq(&bm), 0x51u);
	EXPECT_EQ(bm & 0x03, 0x02u);
	EXPECT_EQ(in(CMD + 1, 1), 0x04u);
	EXPECT_EQ(submits, 0u);
}

static void test_prd_outside_ram(void)
{
	setup();
	put_prd(0, RAM_BYTES - 512, 1024, true);
	dma(0xc8, 0, 2, false, true);
	expect_dma_error();
	/* The table itself outside RAM. */
	setup();
	out(BM + 4, 4, RAM_BYTES + 0x1000);
	out(BM, 1, 0x08);
	issue(0xc8, 0, 1, false);
	out(BM, 1, 0x09);
	expect_dma_error();
	EXPECT_EQ(ide.stats.bad_prd, 1u);
}

/* No EOT and too short a length: the walk runs off the table's page. */
static void test_prd_runs_off_page(void)
{
	setup();
	for (unsigned int i = 0; i < 512; i++)
		put_prd(i, BUF_GPA, 0, false);
	/* 600 * 64 KiB is more than 512 entries can carry. */
	out(BM + 4, 4, PRD_GPA);
	out(BM, 1, 0x08);
	issue(0x25, 0, 0, true);		/* 65536 sectors: 32 MiB */
	EXPECT_EQ(status() & 0x80, 0x00u);
	/* The disk has 2048 sectors only: IDNF before any DMA. */
	EXPECT_EQ(in(CMD + 1, 1), 0x10u);

	setup();
	for (unsigned int i = 0; i < 512; i++)
		put_prd(i, BUF_GPA, 512, false);
	out(BM + 4, 4, PRD_GPA + 4088);	/* the last entry of the page */
	out(BM, 1, 0x08);
	issue(0xc8, 0, 2, false);
	out(BM, 1, 0x09);
	expect_dma_error();
}

/*
 * A table whose entries all point at one buffer never loops: the walk
 * is bounded by the transfer and the page, and one without EOT that
 * covers less than the transfer fails at the page's end.
 */
static void test_prd_short_and_bad(void)
{
	setup();
	put_prd(0, BUF_GPA, 512, true);
	dma(0xc8, 0, 2, false, true);		/* EOT before 1024 bytes */
	expect_dma_error();
	setup();
	put_prd(0, BUF_GPA + 1, 512, true);	/* odd address */
	dma(0xc8, 0, 1, false, true);
	expect_dma_error();
	setup();
	put_prd(0, BUF_GPA, 100, true);		/* not whole sectors */
	dma(0xc8, 0, 1, false, true);
	expect_dma_error();
	setup();
	put_prd(0, BUF_GPA, 512, true);
	dma(0xc8, 0, 1, false, false);		/* direction disagrees */
	expect_dma_error();
}

static void test_range_past_end(void)
{
	setup();
	issue(0xc8, DISK_SECTORS - 1, 2, false);
	EXPECT_EQ(status(), 0x51u);
	EXPECT_EQ(in(CMD + 1, 1), 0x10u);
	issue(0x24, 0xffffffffffffull, 1, true);
	EXPECT_EQ(status(), 0x51u);
	issue(0x20, DISK_SECTORS, 0, false);	/* 256 sectors at the end */
	EXPECT_EQ(status(), 0x51u);
	/* CHS addressing is refused. */
	out(CMD + 2, 1, 1);
	out(CMD + 6, 1, 0xa0);
	out(CMD + 7, 1, 0x20);
	EXPECT_EQ(status(), 0x51u);
	EXPECT_EQ(submits, 0u);
}

/*
 * A DMA command that fails before any transfer still sets the
 * bus-master interrupt bit with its IRQ: libata's handler ignores a DMA
 * interrupt without it and would wait for the command's timeout.
 */
static void test_dma_error_sets_intr(void)
{
	uint8_t bm;

	setup();
	put_prd(0, BUF_GPA, 1024, true);
	dma(0xc8, DISK_SECTORS - 1, 2, false, true);
	EXPECT(irq_level);
	EXPECT_EQ(dma_irq(&bm), 0x51u);
	EXPECT_EQ(bm & 0x06, 0x04u);
	EXPECT_EQ(in(CMD + 1, 1), 0x10u);
	EXPECT_EQ(in(BM + 2, 1) & 0x07, 0u);
	/* CHS addressing, and nIEN: no line, so no interrupt bit. */
	out(CTL, 1, 0x02);
	out(CMD + 6, 1, 0xa0);
	out(CMD + 7, 1, 0xc8);
	EXPECT_EQ(in(BM + 2, 1) & 0x04, 0u);
	out(CTL, 1, 0x00);
	EXPECT(irq_level);
	EXPECT_EQ(in(BM + 2, 1) & 0x04, 0x04u);
	EXPECT_EQ(status(), 0x51u);
	EXPECT_EQ(submits, 0u);
}

/* SRST with a request in flight: BSY until it lands, no IRQ, no result. */
static void test_srst_mid_command(void)
{
	setup();
	deferred = true;
	put_prd(0, BUF_GPA, 512, true);
	dma(0xc8, 0, 1, false, true);
	out(CTL, 1, 0x06);
	out(CTL, 1, 0x02);
	EXPECT_EQ(in(CTL, 1) & 0x80, 0x80u);
	issue(0xec, 0, 0, false);		/* ignored while busy */
	EXPECT_EQ(ide.stats.cmds, 1u);
	out(CTL, 1, 0x00);
	complete_pending();
	EXPECT(!irq_level);
	EXPECT_EQ(status(), 0x50u);
	EXPECT_EQ(in(CMD + 1, 1), 0x01u);
	EXPECT_EQ(in(BM + 2, 1) & 0x05, 0u);
	/* And the drive works again. */
	deferred = false;
	issue(0xe7, 0, 0, false);
	EXPECT_EQ(status(), 0x50u);

	/* SRST in a PIO data phase. */
	setup();
	issue(0x30, 0, 1, false);
	out(CMD, 2, 0x1234);
	out(CTL, 1, 0x06);
	out(CTL, 1, 0x02);
	EXPECT_EQ(status(), 0x50u);
	out(CMD, 2, 0x1234);
	EXPECT_EQ(submits, 0u);
}

/* A command in a data phase aborts it; data with no phase is dropped. */
static void test_out_of_order(void)
{
	setup();
	out(CMD, 2, 0xdead);
	EXPECT_EQ(in(CMD, 2), 0u);
	out(BM, 1, 0x09);			/* start with no command */
	EXPECT_EQ(submits, 0u);
	out(BM, 1, 0x00);
	issue(0x30, 10, 1, false);
	out(CMD, 2, 0xbeef);
	out(CMD + 7, 1, 0xec);
	EXPECT_EQ(status(), 0x51u);
	EXPECT_EQ(in(CMD + 1, 1), 0x04u);
	out(CMD, 2, 0xbeef);
	EXPECT_EQ(submits, 0u);
	EXPECT(!memcmp(sector(10), disk + 10 * STORAGE_SECTOR, 2));
	/* A DMA command whose start bit never comes stays BSY; SRST frees it. */
	issue(0xc8, 0, 1, false);
	EXPECT_EQ(in(CTL, 1) & 0x80, 0x80u);
	out(CTL, 1, 0x06);
	out(CTL, 1, 0x02);
	EXPECT_EQ(status(), 0x50u);
	out(BM, 1, 0x09);
	EXPECT_EQ(submits, 0u);
}

/*
 * A guest that never clears the start bit: the next DMA command starts
 * at once, and the bus-master status shows it active until it ends.
 */
static void test_dma_start_left_set(void)
{
	uint8_t bm;

	setup();
	put_prd(0, BUF_GPA, 512, true);
	dma(0xc8, 1, 1, false, true);
	EXPECT_EQ(status(), 0x50u);
	EXPECT_EQ(in(BM + 2, 1) & 0x07, 0x04u);
	out(BM + 2, 1, 0x06);
	deferred = true;
	issue(0xc8, 2, 1, false);
	EXPECT_EQ(submits, 2u);
	EXPECT_EQ(in(BM + 2, 1) & 0x07, 0x01u);
	complete_pending();
	EXPECT_EQ(dma_irq(&bm), 0x50u);
	EXPECT_EQ(bm & 0x07, 0x04u);
	EXPECT(!memcmp(ram + BUF_GPA, sector(2), 512));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_pci_config),
	KTAP_CASE(test_reset_signature),
	KTAP_CASE(test_identify),
	KTAP_CASE(test_pio_read_write),
	KTAP_CASE(test_dma_read),
	KTAP_CASE(test_dma_write_ext),
	KTAP_CASE(test_dma_start_order),
	KTAP_CASE(test_dma_start_left_set),
	KTAP_CASE(test_async_completion),
	KTAP_CASE(test_flush_and_features),
	KTAP_CASE(test_nien),
	KTAP_CASE(test_hob),
	KTAP_CASE(test_prd_outside_ram),
	KTAP_CASE(test_prd_runs_off_page),
	KTAP_CASE(test_prd_short_and_bad),
	KTAP_CASE(test_range_past_end),
	KTAP_CASE(test_dma_error_sets_intr),
	KTAP_CASE(test_srst_mid_command),
	KTAP_CASE(test_out_of_order),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
