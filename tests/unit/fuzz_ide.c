// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the emulated PIIX4 IDE disk: arbitrary sequences
 * of command-block, control and bus-master port accesses, config-space
 * writes, PRD tables and buffers in 256 KiB of guest RAM, ATA commands
 * with any task file, and storage completions (at once, later, with
 * data moved at submission or at completion, or failed), against a
 * 384 KiB RAM disk (hypervisor/storage/ram.c behind storage.c), under
 * ASan/UBSan.
 *
 * Storage requests pass through a small deferring kind in front of the
 * RAM disk, so the fuzzer also owns the moment a request completes.
 * After every operation the model's promises are checked and a broken
 * one aborts: status bits that disagree with the phase (BSY with DRQ,
 * ERR outside idle, a data phase without DRQ), an interrupt line that
 * is not "pending and not masked" or that rose without the bus-master
 * interrupt bit, a transfer running while the bus-master status shows
 * it idle, a request the storage layer rejects or that leaves its
 * command's range, two in flight at once, a segment outside guest RAM
 * or the sector buffer, a PIO read that does not return the disk's
 * bytes, counters out of their ranges.  At the end the drive must come
 * back by SRST and carry out IDENTIFY and a DMA read correctly.
 *
 * Input: a first byte choosing the storage's segment limit, then 8-byte
 * operations: op (1), a (1), b (2), val (4), little-endian; see op().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/ide_piix.h>
#include <hv/mm.h>
#include <hv/storage.h>

#define RAM		(256u << 10)
#define DISK		(384u << 10)
#define DISK_SECTORS	(DISK / STORAGE_SECTOR)
#define BM		0xc000
#define CMD		IDE_PIIX_CMD_PORT
#define CTL		IDE_PIIX_CTL_PORT
#define PRD_GPA		0x1000u
#define BUF_GPA		0x8000u
#define OP_SIZE		8

#define ST_ERR		0x01
#define ST_DRQ		0x08
#define ST_BSY		0x80
#define ST_READY	0x50
#define BM_START	0x01
#define BM_ACTIVE	0x01
#define BM_INTR		0x04
#define DEV_SLAVE	0x10
#define CTL_NIEN	0x02
#define CTL_SRST	0x04

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BUG_ON(c)	do { if (c) abort(); } while (0)

static struct ide_piix ide;
static uint8_t ram[RAM];
static uint8_t *disk;			/* the RAM disk's bytes */

/*
 * The interrupt line as the model drove it, and whether it rose since
 * the guest last wrote the bus-master block (which may clear the
 * status's interrupt bit).
 */
static bool irq_line, intr_owed;

/* The deferring kind: at most one request, held until completed. */
static struct storage *inner;
static struct storage front;
static struct storage_req *held;
static struct storage_seg held_segs[IDE_PIIX_MAX_SEGS];
static bool defer, late_io, held_late, in_submit_done, kicked;

/* ---- what ram.c and the model need from the hypervisor ---- */

void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }

uint64_t pages_alloc_zeroed(uint64_t nr_pages, uint64_t align)
{
	void *p = aligned_alloc(align, nr_pages * PAGE_SIZE);

	if (!p)
		return 0;
	memset(p, 0, nr_pages * PAGE_SIZE);
	disk = p;
	return virt_to_phys(p);
}

void pages_free(uint64_t pa, uint64_t nr_pages)
{
	BUG_ON(nr_pages * PAGE_SIZE != DISK || phys_to_virt(pa) != disk);
	free(phys_to_virt(pa));
	disk = NULL;
}

/* ---- the guest ---- */

static void fake_irq(void *ctx, unsigned int gsi, bool level)
{
	(void)ctx;
	BUG_ON(gsi != IDE_PIIX_IRQ);
	BUG_ON(level == irq_line);	/* only changes are driven */
	irq_line = level;
	intr_owed |= level;
}

static int fake_dma_read(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	(void)ctx;
	if (gpa > RAM || len > RAM - gpa)
		return -PVKIT_EFAULT;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static void *fake_dma_map(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	if (gpa > RAM || len > RAM - gpa)
		return NULL;
	return ram + gpa;
}

static const struct emul_env env = {
	.set_irq = fake_irq,
	.dma_read = fake_dma_read,
	.dma_map = fake_dma_map,
};

static void kick(void *arg)
{
	BUG_ON(arg != &ide || in_submit_done || kicked);
	kicked = true;
}

/* ---- the deferring storage kind ---- */

static bool is_pio(uint8_t cmd)
{
	return (cmd >= 0x20 && cmd <= 0x24) || (cmd >= 0x30 && cmd <= 0x34);
}

static bool is_write(uint8_t cmd)
{
	return cmd == 0x30 || cmd == 0x31 || cmd == 0x34 || cmd == 0x35 ||
	       cmd == 0xca || cmd == 0xcb;
}

static bool in_ram(const void *p, uint32_t len)
{
	const uint8_t *b = p;

	return b >= ram && len <= RAM && b - ram <= (long)(RAM - len);
}

/* What reaches storage is what the command asked for, in bounds. */
static void check_req(const struct storage_req *r)
{
	BUG_ON(held);
	BUG_ON(r != &ide.req);
	BUG_ON(r->sector + r->nr_sectors > DISK_SECTORS);
	BUG_ON(front.max_segs && r->nr_segs > front.max_segs);
	BUG_ON(r->nr_segs > IDE_PIIX_MAX_SEGS);
	BUG_ON((r->op == STORAGE_WRITE) != is_write(ide.cmd));
	BUG_ON(r->fua != (r->op == STORAGE_WRITE && !ide.write_cache));
	/* Inside the command's range; the last DMA batch ends it. */
	BUG_ON(r->sector < ide.lba ||
	       r->sector + r->nr_sectors > ide.lba + ide.left);
	if (is_pio(ide.cmd))
		BUG_ON(r->sector != ide.lba);
	else if (ide.next_seg == ide.nr_segs)
		BUG_ON(r->sector + r->nr_sectors != ide.lba + ide.left);
	for (unsigned int i = 0; i < r->nr_segs; i++) {
		const struct storage_seg *s = &r->segs[i];

		if (is_pio(ide.cmd))
			BUG_ON(r->nr_segs != 1 || s->buf != ide.buf ||
			       s->len != STORAGE_SECTOR);
		else
			BUG_ON(!in_ram(s->buf, s->len));
	}
}

static void inner_done(struct storage_req *r, int status)
{
	(void)r;
	BUG_ON(status);
}

/* The data moves through the real RAM disk, with its own checks. */
static void move(struct storage_req *r, const struct storage_seg *segs)
{
	struct storage_req ir = *r;

	ir.segs = segs;
	ir.done = inner_done;
	storage_submit(inner, &ir);
}

static void front_rw(struct storage *s, struct storage_req *r)
{
	(void)s;
	check_req(r);
	if (!defer) {
		in_submit_done = true;
		move(r, r->segs);
		r->done(r, 0);
		in_submit_done = false;
		return;
	}
	/* The segment array is the model's only during this call. */
	held_late = late_io;
	if (late_io)
		memcpy(held_segs, r->segs, r->nr_segs * sizeof(*r->segs));
	else
		move(r, r->segs);
	held = r;
}

static void front_flush(struct storage *s, struct storage_req *r)
{
	(void)s;
	BUG_ON(held || r != &ide.req);
	BUG_ON(ide.cmd != 0xe7 && ide.cmd != 0xea);
	if (defer) {
		held_late = false;
		held = r;
		return;
	}
	in_submit_done = true;
	r->done(r, 0);
	in_submit_done = false;
}

static uint64_t front_capacity(const struct storage *s)
{
	(void)s;
	return inner->ops->capacity(inner);
}

static const struct storage_ops front_ops = {
	.read = front_rw,
	.write = front_rw,
	.flush = front_flush,
	.capacity = front_capacity,
};

/* The held request completes; the work item may run now or later. */
static void complete_held(bool fail, bool work_now)
{
	struct storage_req *r = held;

	if (!r)
		return;
	held = NULL;
	if (!fail && held_late)
		move(r, held_segs);
	kicked = false;
	r->done(r, fail ? -PVKIT_EIO : 0);
	BUG_ON(!kicked);
	if (work_now)
		ide_piix_complete(&ide);
}

/* ---- port access ---- */

static uint32_t pio(uint16_t port, unsigned int size, bool write,
		    uint32_t val)
{
	struct io_access io = { .addr = port, .size = (uint8_t)size,
				.write = write, .val = val };

	BUG_ON(ide.dev.ops->pio(&ide.dev, &io));
	/* Its bytes go lowest first: a start may raise what status clears. */
	if (write && port < BM + IDE_PIIX_BM_PORTS && port + size > BM)
		intr_owed = false;
	if (!write)
		BUG_ON(size < 8 && io.val >> (8 * size));
	return (uint32_t)io.val;
}

static bool decoding(void)
{
	return ide_piix_cfg_ops.cfg_read(&ide, 0x04, 2) & 1;
}

static bool secondary(uint16_t port)
{
	return (port >= 0x170 && port < 0x178) || port == 0x376;
}

/* Bytes a PIO read returns are the disk's, at the sector in progress. */
static void check_pio_data(unsigned int size, uint32_t v, uint64_t lba,
			   unsigned int pos)
{
	const uint8_t *want;

	BUG_ON(lba >= DISK_SECTORS);
	want = disk + lba * STORAGE_SECTOR + pos;
	size = size < STORAGE_SECTOR - pos ? size : STORAGE_SECTOR - pos;
	for (unsigned int i = 0; i < size; i++)
		BUG_ON((uint8_t)(v >> (8 * i)) != want[i]);
}

static void port_read(uint16_t port, unsigned int size)
{
	bool data = port == CMD && decoding();
	bool pio_in = ide.phase == IDE_PIO_IN;
	bool from_disk = pio_in && ide.cmd != 0xec;
	uint64_t lba = ide.lba;
	unsigned int pos = ide.pos;
	uint32_t v = pio(port, size, false, 0);

	if (secondary(port) && secondary((uint16_t)(port + size - 1)))
		BUG_ON(v != (uint32_t)(~0ull >> (64 - 8 * size)));
	if (!data)
		return;
	if (!pio_in)
		BUG_ON(v);		/* outside a data phase: 0 */
	else if (from_disk)
		check_pio_data(size, v, lba, pos);
}

/* A command written while BSY is ignored. */
static void port_write(uint16_t port, unsigned int size, uint32_t val)
{
	bool busy = ide.status & ST_BSY;
	uint64_t cmds = ide.stats.cmds;

	pio(port, size, true, val);
	if (busy && port <= CMD + 7 && port + size > CMD + 7)
		BUG_ON(ide.stats.cmds != cmds);
}

/* ---- invariants ---- */

static void check_phase(void)
{
	uint8_t s = ide.status;

	BUG_ON((s & ST_BSY) && (s & ST_DRQ));
	BUG_ON((s & ST_ERR) && ide.phase != IDE_IDLE);
	BUG_ON(ide.resetting && !(s & ST_BSY));
	BUG_ON(ide.in_flight && ide.phase != IDE_BUSY);
	BUG_ON(ide_piix_busy(&ide) != ide.in_flight);
	BUG_ON(ide.in_flight != (held != NULL || ide.completed));
	BUG_ON(ide.stale && !(ide.in_flight && ide.resetting));
	switch (ide.phase) {
	case IDE_IDLE:
		BUG_ON((s & ST_DRQ) || ((s & ST_BSY) && !ide.resetting));
		break;
	case IDE_PIO_IN:
	case IDE_PIO_OUT:
		BUG_ON(s != (ST_READY | ST_DRQ));
		BUG_ON(!ide.left || ide.pos >= STORAGE_SECTOR);
		BUG_ON(ide.lba + ide.left > DISK_SECTORS);
		break;
	case IDE_DMA_WAIT:
		BUG_ON(!(s & ST_BSY) || (ide.bm_cmd & BM_START));
		BUG_ON(!ide.left || ide.lba + ide.left > DISK_SECTORS);
		break;
	case IDE_BUSY:
		BUG_ON(!(s & ST_BSY));
		BUG_ON(!ide.in_flight && !ide.resetting);
		break;
	}
}

static void check_bm(void)
{
	BUG_ON(ide.bm_cmd & ~0x09u);
	BUG_ON(ide.bm_status & 0x98u);
	BUG_ON(ide.prd & 3);
	BUG_ON((ide.bm_status & BM_ACTIVE) && !(ide.bm_cmd & BM_START));
	BUG_ON(ide.nr_segs > IDE_PIIX_MAX_SEGS || ide.next_seg > ide.nr_segs);
	/* A transfer the engine runs shows in the status, until stopped. */
	if (ide.in_flight && !ide.stale && !is_pio(ide.cmd) &&
	    ide.req.op != STORAGE_FLUSH && (ide.bm_cmd & BM_START))
		BUG_ON(!(ide.bm_status & BM_ACTIVE));
}

static void check(void)
{
	bool level = ide.irq_pending && !(ide.devctl & CTL_NIEN);

	BUG_ON(irq_line != level || ide.irq_level != level);
	/* The line went up: the bus-master status says so. */
	BUG_ON(intr_owed && !(ide.bm_status & BM_INTR));
	BUG_ON(ide.left > 65536 || ide.pos > STORAGE_SECTOR);
	/* Only injected failures: storage never rejected a request. */
	BUG_ON(ide.result && ide.result != -PVKIT_EIO);
	check_phase();
	check_bm();
	if (decoding())
		BUG_ON(pio(CTL, 1, false, 0) !=
		       (ide.device & DEV_SLAVE ? 0 : ide.status));
}

/* ---- operations ---- */

static const uint16_t ports[] = {
	0x1f0, 0x1f1, 0x1f2, 0x1f3, 0x1f4, 0x1f5, 0x1f6, 0x1f7, 0x3f6, 0x3f7,
	0x170, 0x171, 0x172, 0x176, 0x177, 0x376,
	BM, BM + 1, BM + 2, BM + 3, BM + 4, BM + 6, BM + 8, BM + 10, BM + 12,
};
static const uint8_t cmds[] = {
	0xec, 0x20, 0x21, 0x24, 0x30, 0x31, 0x34, 0xc8, 0xc9, 0xca, 0xcb,
	0x25, 0x35, 0xe7, 0xea, 0xef, 0xe0, 0xe1, 0xe2, 0xe3, 0xe5, 0x91,
};
static const uint8_t cfg_regs[] = {
	0x04, 0x06, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x3c, 0x40, 0x42,
};

static unsigned int size_of(unsigned int sel)
{
	return 1u << (sel % 3);
}

/*
 * A task file as libata loads it, then the command: a = the command
 * (bit 7: b's high byte raw), b = count (bits 0-9), CHS (bit 12),
 * device 1 (bit 13), LBA raw rather than inside the disk (bit 14);
 * val = LBA, its top byte the feature register.
 */
static void issue(uint8_t a, uint16_t b, uint32_t val)
{
	uint8_t cmd = a & 0x80 ? (uint8_t)(b >> 8) : cmds[a % ARRAY_SIZE(cmds)];
	uint32_t count = b & 0x3ff;
	uint64_t lba = b & 0x4000 ? (uint64_t)val * 0x101 : val % DISK_SECTORS;
	uint8_t dev = b & 0x1000 ? 0xa0 : 0x40;

	if (b & 0x2000)
		dev |= DEV_SLAVE;
	pio(CMD + 1, 1, true, val >> 24);
	pio(CMD + 2, 1, true, count >> 8);
	pio(CMD + 3, 1, true, (lba >> 24) & 0xff);
	pio(CMD + 4, 1, true, (lba >> 32) & 0xff);
	pio(CMD + 5, 1, true, (lba >> 40) & 0xff);
	pio(CMD + 2, 1, true, count & 0xff);
	pio(CMD + 3, 1, true, lba & 0xff);
	pio(CMD + 4, 1, true, (lba >> 8) & 0xff);
	pio(CMD + 5, 1, true, (lba >> 16) & 0xff);
	pio(CMD + 6, 1, true, dev | ((lba >> 24) & 0x0f));
	port_write(CMD + 7, 1, cmd);
}

/*
 * One PRD entry of the table the model would walk: a = its index, b =
 * address kind (bits 0-2), length kind (bits 3-4), length (bits 5-14),
 * EOT (bit 15); val = address.
 */
static void put_prd(uint8_t a, uint16_t b, uint32_t val)
{
	uint32_t table = ide.prd && ide.prd < RAM - 4096 ? ide.prd : PRD_GPA;
	uint32_t e[2], len;

	switch (b & 7) {
	case 4: e[0] = RAM - STORAGE_SECTOR; break;	/* straddles the end */
	case 5: e[0] = val; break;			/* anywhere */
	case 6: e[0] = (val % RAM) | 1; break;		/* odd */
	case 7: e[0] = 0xfffff000u + (val & 0xffe); break;
	default: e[0] = (val % RAM) & ~1u; break;
	}
	switch ((b >> 3) & 3) {
	case 0: len = ((b >> 5) & 0x7f) * STORAGE_SECTOR; break;
	case 1: len = 0; break;				/* 64 KiB */
	case 2: len = (b >> 5) & 0x3ff; break;		/* any */
	default: len = 0xfe00; break;
	}
	e[1] = (len & 0xffff) | (b & 0x8000 ? 0x80000000u : 0);
	memcpy(ram + table + a * 8u, e, sizeof(e));
}

/* ata_bmdma_setup and start: a = direction (bit 0), the table at val. */
static void bm_run(uint8_t a, uint32_t val)
{
	uint8_t dir = a & 1 ? 0x08 : 0;

	port_write(BM, 1, dir);
	port_write(BM + 4, 4, a & 2 ? val : PRD_GPA);
	port_write(BM, 1, dir | BM_START);
}

/* a = count of 16-bit words (with b), b bit 0 = write. */
static void pio_burst(uint8_t a, uint16_t b, uint32_t val)
{
	unsigned int words = a | (b & 0x100);

	for (unsigned int i = 0; i < words; i++) {
		if (b & 1)
			port_write(CMD, 2, (val + i) & 0xffff);
		else
			port_read(CMD, 2);
	}
}

static void cfg_write(uint8_t a, uint16_t b, uint32_t val)
{
	unsigned int size = size_of(b);
	unsigned int reg = a & 0x80 ? a & 0xfc : cfg_regs[a % ARRAY_SIZE(cfg_regs)];

	ide_piix_cfg_ops.cfg_write(&ide, reg + ((b >> 2) & 3 & -size), size,
				   val);
}

/*
 * op % 13: 0 write, 1 read a port of ports[] (a), size by b; 2 issue();
 * 3 put_prd(); 4 a guest RAM word (b) at val; 5 bm_run(); 6
 * pio_burst(); 7 cfg_write(); 8 the held request completes (a bit 0:
 * failed, bit 1: the work item runs now); 9 the work item runs; 10
 * storage holds requests (a bit 0), moving data at completion (bit 1);
 * 11 SRST, with nIEN and HOB from a; 12 write any port b.
 */
static void op(const uint8_t *p)
{
	uint8_t a = p[1];
	uint16_t b = (uint16_t)(p[2] | p[3] << 8);
	uint32_t val = (uint32_t)p[4] | p[5] << 8 | p[6] << 16 |
		       (uint32_t)p[7] << 24;
	uint16_t port = ports[a % ARRAY_SIZE(ports)];

	switch (p[0] % 13) {
	case 0: port_write(port, size_of(b), val); break;
	case 1: port_read(port, size_of(b)); break;
	case 2: issue(a, b, val); break;
	case 3: put_prd(a, b, val); break;
	case 4: memcpy(ram + (val % (RAM / 4)) * 4, &b, 2); break;
	case 5: bm_run(a, val); break;
	case 6: pio_burst(a, b, val); break;
	case 7: cfg_write(a, b, val); break;
	case 8: complete_held(a & 1, a & 2); break;
	case 9: ide_piix_complete(&ide); break;
	case 10: defer = a & 1; late_io = a & 2; break;
	case 11: port_write(CTL, 1, CTL_SRST | (a & 0x82)); break;
	case 12: port_write(b, size_of(a), val); break;
	}
	check();
}

/* ---- the end: SRST brings the drive back, and it works ---- */

static void recover(void)
{
	defer = false;
	while (held || ide.completed) {
		complete_held(false, false);
		ide_piix_complete(&ide);
	}
	ide_piix_cfg_ops.cfg_write(&ide, 0x04, 2, 0x05);
	ide_piix_cfg_ops.cfg_write(&ide, 0x20, 4, BM);
	port_write(BM, 1, 0);
	port_write(BM + 2, 1, 0x06);
	port_write(CTL, 1, CTL_SRST);
	port_write(CTL, 1, 0);
	BUG_ON(ide.in_flight || pio(CMD + 7, 1, false, 0) != ST_READY);
	check();
}

static void check_works(void)
{
	static const uint32_t prd[2] = { BUF_GPA, 0x80000000u | 1024 };
	uint16_t id[256];

	port_write(CMD + 6, 1, 0xa0);
	port_write(CMD + 7, 1, 0xec);
	for (unsigned int i = 0; i < 256; i++)
		id[i] = (uint16_t)pio(CMD, 2, false, 0);
	BUG_ON(id[60] != DISK_SECTORS || id[100] != DISK_SECTORS);
	BUG_ON(pio(CMD + 7, 1, false, 0) != ST_READY);
	memcpy(ram + PRD_GPA, prd, sizeof(prd));
	issue(7, 2, 5);		/* READ DMA, 2 sectors at 5 */
	bm_run(1, 0);
	BUG_ON(pio(CMD + 7, 1, false, 0) != ST_READY);
	BUG_ON((pio(BM + 2, 1, false, 0) & 0x07) != 0x04);
	BUG_ON(memcmp(ram + BUF_GPA, disk + 5 * STORAGE_SECTOR, 1024));
	check();
}

/*
 * The RAM disk is made once (fresh pages each time cost more than the
 * run); each input starts from the same image.
 */
static void setup(uint8_t limit)
{
	static const unsigned int limits[] = { 0, 1, 2, 3, 16, 511 };
	static uint8_t image[DISK];

	if (!inner) {
		for (unsigned int i = 0; i < DISK; i++)
			image[i] = (uint8_t)(i * 7 + i / STORAGE_SECTOR + 1);
		inner = storage_ram_create(DISK, image, DISK);
		BUG_ON(!inner || !disk);
	}
	memcpy(disk, image, DISK);
	memset(ram, 0, sizeof(ram));
	front = (struct storage){ .ops = &front_ops,
				  .max_segs = limits[limit % ARRAY_SIZE(limits)] };
	held = NULL;
	defer = late_io = kicked = in_submit_done = false;
	irq_line = intr_owed = false;
	ide_piix_init(&ide, &env, &front, BM);
	ide.kick = kick;
	ide.kick_arg = &ide;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	setup(data[0]);
	for (size_t i = 1; i + OP_SIZE <= size; i += OP_SIZE)
		op(data + i);
	recover();
	check_works();
	return 0;
}
