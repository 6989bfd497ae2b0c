// SPDX-License-Identifier: GPL-2.0
/*
 * PIIX4 IDE: one ATA disk on the primary channel over a struct storage.
 * See hv/emul/ide_piix.h.
 *
 * Every command ends in one of three ways: data phase (DRQ), storage
 * request in flight (BSY), or done (DRDY, maybe ERR, and INTRQ).  A
 * command the model does not know, a range past the end of the disk or
 * a PRD table that fails its checks ends with ERR; nothing the guest
 * writes reaches storage before it has been checked.  DMA moves the
 * whole transfer in one storage request (or a few, for a storage with a
 * segment limit) straight between the disk and guest RAM.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <hv/emul/ide_piix.h>

#define ST_ERR		0x01
#define ST_DRQ		0x08
#define ST_DSC		0x10
#define ST_DRDY		0x40
#define ST_BSY		0x80
#define ST_READY	(ST_DRDY | ST_DSC)

#define ER_ABRT		0x04
#define ER_IDNF		0x10
#define ER_UNC		0x40

#define DEV_LBA		0x40
#define DEV_SLAVE	0x10

#define CTL_NIEN	0x02
#define CTL_SRST	0x04
#define CTL_HOB		0x80

#define BM_CMD_START	0x01
#define BM_CMD_TOMEM	0x08	/* the controller writes memory: a disk read */
#define BM_ST_ACTIVE	0x01
#define BM_ST_ERR	0x02
#define BM_ST_INTR	0x04
#define BM_ST_CAPABLE	0x60	/* drive 0 and 1 DMA capable: guest bits */

#define PRD_EOT		0x80000000u
#define PRD_SIZE	8u
#define PAGE_4K		4096u

#define CMD_READ_PIO		0x20
#define CMD_READ_PIO_NR		0x21
#define CMD_READ_PIO_EXT	0x24
#define CMD_READ_DMA_EXT	0x25
#define CMD_WRITE_PIO		0x30
#define CMD_WRITE_PIO_NR	0x31
#define CMD_WRITE_PIO_EXT	0x34
#define CMD_WRITE_DMA_EXT	0x35
#define CMD_READ_DMA		0xc8
#define CMD_READ_DMA_NR		0xc9
#define CMD_WRITE_DMA		0xca
#define CMD_WRITE_DMA_NR	0xcb
#define CMD_STANDBY_NOW		0xe0
#define CMD_IDLE_NOW		0xe1
#define CMD_STANDBY		0xe2
#define CMD_IDLE		0xe3
#define CMD_CHECK_POWER		0xe5
#define CMD_FLUSH		0xe7
#define CMD_FLUSH_EXT		0xea
#define CMD_IDENTIFY		0xec
#define CMD_SET_FEATURES	0xef

#define SF_WCACHE_ON		0x02
#define SF_XFER_MODE		0x03
#define SF_LOOKAHEAD_OFF	0x55
#define SF_DEFAULTS_OFF		0x66
#define SF_WCACHE_OFF		0x82
#define SF_LOOKAHEAD_ON		0xaa
#define SF_DEFAULTS_ON		0xcc

/* PIIX IDE timing: bit 15 of IDETIM enables a channel's decode. */
#define PIIX_IDETIM_PRI		0x40
#define PIIX_IDETIM_SEC		0x42
#define PIIX_IDETIM_EN		0x8000u
#define PIIX_TIMING_END		0x4c

#define IDE_CLASS		0x010180	/* legacy both, bus master */
#define ATA_LBA28_MAX		0x0fffffffull

static void finish_io(struct ide_piix *ide);

/* ---- interrupt and status ---- */

/*
 * The bus-master status's interrupt bit records the drive asserting its
 * line (PIIX4 IDEINTS), whatever the command: libata's DMA interrupt
 * path ignores an interrupt without it, so a DMA command that fails
 * before any transfer (IDNF, CHS) must set it too.
 */
static void update_irq(struct ide_piix *ide)
{
	bool level = ide->irq_pending && !(ide->devctl & CTL_NIEN);

	if (level == ide->irq_level)
		return;
	ide->irq_level = level;
	if (level)
		ide->bm_status |= BM_ST_INTR;
	ide->dev.env->set_irq(ide->dev.env->ctx, IDE_PIIX_IRQ, level);
}

static void raise_irq(struct ide_piix *ide)
{
	ide->irq_pending = true;
	update_irq(ide);
}

static void cmd_ok(struct ide_piix *ide)
{
	ide->phase = IDE_IDLE;
	ide->status = ST_READY;
	raise_irq(ide);
}

static void cmd_error(struct ide_piix *ide, uint8_t error)
{
	ide->phase = IDE_IDLE;
	ide->status = ST_READY | ST_ERR;
	ide->error = error;
	ide->stats.errors++;
	ide->stats.last_error_cmd = ide->cmd;
	ide->stats.last_error_feature = ide->feature;
	raise_irq(ide);
}

/* The DMA engine stops; the guest sees why in the bus-master status. */
static void dma_end(struct ide_piix *ide, uint8_t bm_bits)
{
	ide->bm_status = (uint8_t)((ide->bm_status & ~BM_ST_ACTIVE) |
				   BM_ST_INTR | bm_bits);
}

/* ---- storage requests ---- */

static void req_done(struct storage_req *r, int status)
{
	struct ide_piix *ide = container_of(r, struct ide_piix, req);

	ide->result = status;
	/*
	 * Within the submission the submitter sees completed; later, kick
	 * has the owner call ide_piix_complete().  The seq_cst pair makes
	 * sure one of the two does, and the exchange there that only one
	 * finishes it.
	 */
	__atomic_store_n(&ide->completed, true, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&ide->submitting, __ATOMIC_SEQ_CST) && ide->kick)
		ide->kick(ide->kick_arg);
}

static bool claim_completion(struct ide_piix *ide)
{
	return __atomic_exchange_n(&ide->completed, false, __ATOMIC_SEQ_CST);
}

void ide_piix_complete(struct ide_piix *ide)
{
	if (!claim_completion(ide))
		return;
	ide->stats.late++;
	finish_io(ide);
}

bool ide_piix_busy(const struct ide_piix *ide)
{
	return ide->in_flight;
}

static void submit(struct ide_piix *ide, enum storage_op op, uint64_t sector,
		   const struct storage_seg *segs, unsigned int nr)
{
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < nr; i++)
		bytes += segs[i].len;
	ide->req = (struct storage_req){
		.op = op,
		.fua = op == STORAGE_WRITE && !ide->write_cache,
		.sector = sector,
		.nr_sectors = (uint32_t)(bytes / STORAGE_SECTOR),
		.nr_segs = nr,
		.segs = segs,
		.done = req_done,
	};
	ide->in_flight = true;
	ide->phase = IDE_BUSY;
	ide->status = ST_BSY;
	__atomic_store_n(&ide->submitting, true, __ATOMIC_SEQ_CST);
	storage_submit(ide->st, &ide->req);
	__atomic_store_n(&ide->submitting, false, __ATOMIC_SEQ_CST);
	if (claim_completion(ide))
		finish_io(ide);
}

/* One sector through buf, for PIO. */
static void submit_buf(struct ide_piix *ide, enum storage_op op)
{
	ide->segs[0] = (struct storage_seg){ ide->buf, STORAGE_SECTOR };
	submit(ide, op, ide->lba, ide->segs, 1);
}

/* The next batch of a DMA transfer's segments, within the storage's limit. */
static void submit_dma_chunk(struct ide_piix *ide)
{
	unsigned int max = ide->st->max_segs ? ide->st->max_segs :
			   IDE_PIIX_MAX_SEGS;
	unsigned int first = ide->next_seg;
	unsigned int nr = MIN(ide->nr_segs - first, max);
	uint64_t sector = ide->lba;

	for (unsigned int i = 0; i < first; i++)
		sector += ide->segs[i].len / STORAGE_SECTOR;
	ide->next_seg = first + nr;
	submit(ide, ide->write ? STORAGE_WRITE : STORAGE_READ, sector,
	       ide->segs + first, nr);
}

/* Drive ready after SRST, with the signature of an ATA disk. */
static void reset_done(struct ide_piix *ide)
{
	ide->resetting = false;
	ide->phase = IDE_IDLE;
	ide->status = ST_READY;
	ide->error = 0x01;		/* diagnostics passed, no device 1 */
	ide->nsect = ide->lbal = 1;
	ide->lbam = ide->lbah = 0;
	ide->hob_nsect = ide->hob_lbal = ide->hob_lbam = ide->hob_lbah = 0;
	ide->device = 0;
}

static void pio_read_done(struct ide_piix *ide)
{
	ide->phase = IDE_PIO_IN;
	ide->pos = 0;
	ide->status = ST_READY | ST_DRQ;
	raise_irq(ide);
}

static void pio_write_done(struct ide_piix *ide)
{
	ide->lba++;
	ide->stats.pio_sectors++;
	if (!--ide->left) {
		cmd_ok(ide);
		return;
	}
	ide->phase = IDE_PIO_OUT;
	ide->pos = 0;
	ide->status = ST_READY | ST_DRQ;
	raise_irq(ide);
}

static void finish_io(struct ide_piix *ide)
{
	int result = ide->result;

	ide->in_flight = false;
	if (ide->stale) {
		ide->stale = false;
		if (ide->resetting && !(ide->devctl & CTL_SRST))
			reset_done(ide);
		return;
	}
	if (result) {
		if (ide->req.op == STORAGE_READ || ide->req.op == STORAGE_WRITE)
			dma_end(ide, 0);
		cmd_error(ide, ide->req.op == STORAGE_READ ? ER_UNC : ER_ABRT);
		return;
	}
	switch (ide->cmd) {
	case CMD_READ_PIO:
	case CMD_READ_PIO_NR:
	case CMD_READ_PIO_EXT:
		pio_read_done(ide);
		return;
	case CMD_WRITE_PIO:
	case CMD_WRITE_PIO_NR:
	case CMD_WRITE_PIO_EXT:
		pio_write_done(ide);
		return;
	case CMD_FLUSH:
	case CMD_FLUSH_EXT:
		cmd_ok(ide);
		return;
	default:	/* DMA */
		if (ide->next_seg < ide->nr_segs) {
			submit_dma_chunk(ide);
			return;
		}
		dma_end(ide, 0);
		cmd_ok(ide);
	}
}

/* ---- IDENTIFY DEVICE ---- */

/* ATA strings: two characters a word, the first in the high byte. */
static void id_string(uint16_t *id, unsigned int word, unsigned int words,
		      const char *s)
{
	size_t len = strlen(s);

	for (unsigned int i = 0; i < words * 2; i++) {
		uint8_t c = i < len ? (uint8_t)s[i] : ' ';

		id[word + i / 2] |= (uint16_t)(i & 1 ? c : c << 8);
	}
}

static void identify(struct ide_piix *ide)
{
	uint64_t cap = ide->st->ops->capacity(ide->st);
	uint32_t cap28 = (uint32_t)MIN(cap, ATA_LBA28_MAX);
	uint32_t chs = (uint32_t)MIN(cap, 16383ull * 16 * 63);
	uint16_t id[256];
	uint16_t wc = ide->write_cache ? 1u << 5 : 0;
	uint8_t mode = ide->xfer_mode;

	memset(id, 0, sizeof(id));
	id[0] = 0x0040;				/* fixed disk */
	id[1] = (uint16_t)MAX(chs / (16 * 63), 1u);
	id[3] = 16;
	id[6] = 63;
	id_string(id, 10, 10, "PVKIT-IDE-0");
	id_string(id, 23, 4, "1.0");
	id_string(id, 27, 20, "pvkit emulated disk");
	id[47] = 0x8000;			/* no READ/WRITE MULTIPLE */
	id[49] = (1u << 9) | (1u << 8);		/* LBA, DMA */
	id[53] = 0x0007;			/* words 54-58, 64-70, 88 */
	id[54] = id[1];
	id[55] = 16;
	id[56] = 63;
	id[57] = (uint16_t)chs;
	id[58] = (uint16_t)(chs >> 16);
	id[60] = (uint16_t)cap28;
	id[61] = (uint16_t)(cap28 >> 16);
	id[63] = 0x0007;			/* MWDMA 0-2 */
	if (mode >= 0x20 && mode <= 0x22)
		id[63] |= (uint16_t)(0x100u << (mode - 0x20));
	id[64] = 0x0003;			/* PIO 3 and 4 */
	id[65] = id[66] = id[67] = id[68] = 120;
	id[80] = 0x00f0;			/* ATA-4 .. ATA-7 */
	id[82] = (1u << 14) | (1u << 5);	/* NOP, write cache */
	id[83] = (1u << 14) | (1u << 13) | (1u << 12) | (1u << 10);
	id[84] = 1u << 14;
	id[85] = (1u << 14) | wc;
	id[86] = (1u << 13) | (1u << 12) | (1u << 10);
	id[87] = 1u << 14;
	id[88] = 0x003f;			/* UDMA 0-5 */
	if (mode >= 0x40 && mode <= 0x45)
		id[88] |= (uint16_t)(0x100u << (mode - 0x40));
	for (unsigned int i = 0; i < 4; i++)
		id[100 + i] = (uint16_t)(cap >> (16 * i));
	id[106] = 0x4000;			/* one logical sector a physical */
	for (unsigned int i = 0; i < 256; i++) {
		ide->buf[2 * i] = (uint8_t)id[i];
		ide->buf[2 * i + 1] = (uint8_t)(id[i] >> 8);
	}
	ide->left = 1;
	ide->lba = 0;
	pio_read_done(ide);
}

/* ---- commands ---- */

static void set_features(struct ide_piix *ide)
{
	uint8_t mode = ide->nsect;

	switch (ide->feature) {
	case SF_XFER_MODE:
		if (mode > 0x0c && !(mode >= 0x20 && mode <= 0x22) &&
		    !(mode >= 0x40 && mode <= 0x45))
			break;
		ide->xfer_mode = mode;
		cmd_ok(ide);
		return;
	case SF_WCACHE_ON:
	case SF_WCACHE_OFF:
		ide->write_cache = ide->feature == SF_WCACHE_ON;
		cmd_ok(ide);
		return;
	case SF_LOOKAHEAD_ON:
	case SF_LOOKAHEAD_OFF:
	case SF_DEFAULTS_ON:
	case SF_DEFAULTS_OFF:
		cmd_ok(ide);
		return;
	}
	cmd_error(ide, ER_ABRT);
}

/*
 * The guest's PRD table, copied an entry at a time and each entry
 * checked before it becomes a segment: an even address, a length in
 * whole sectors, the region in guest RAM, the table inside its page.
 * The transfer's length bounds the walk; a table that ends before it
 * (EOT) or runs off its page fails.
 */
static int prd_to_segs(struct ide_piix *ide)
{
	const struct emul_env *env = ide->dev.env;
	uint64_t need = (uint64_t)ide->left * STORAGE_SECTOR, got = 0;
	uint32_t off = ide->prd & (PAGE_4K - 1);
	unsigned int n = 0;

	ide->nr_segs = ide->next_seg = 0;
	while (got < need) {
		uint32_t e[2];
		uint32_t len, take;
		void *p;

		if (off + PRD_SIZE > PAGE_4K ||
		    env->dma_read(env->ctx, ide->prd + n * PRD_SIZE, e,
				  sizeof(e)))
			return -1;
		len = e[1] & 0xffff;
		if (!len)
			len = 0x10000;
		if ((e[0] & 1) || len % STORAGE_SECTOR)
			return -1;
		take = (uint32_t)MIN((uint64_t)len, need - got);
		p = env->dma_map(env->ctx, e[0], take);
		if (!p)
			return -1;
		ide->segs[n++] = (struct storage_seg){ p, take };
		got += take;
		if ((e[1] & PRD_EOT) && got < need)
			return -1;
		off += PRD_SIZE;
	}
	ide->nr_segs = n;
	return 0;
}

static void dma_start(struct ide_piix *ide)
{
	bool to_mem = ide->bm_cmd & BM_CMD_TOMEM;

	if (to_mem == ide->write || prd_to_segs(ide)) {
		ide->stats.bad_prd++;
		dma_end(ide, BM_ST_ERR);
		cmd_error(ide, ER_ABRT);
		return;
	}
	/*
	 * A start bit the guest left set from the last transfer starts
	 * this one too: the engine runs, so the status says so.
	 */
	ide->bm_status |= BM_ST_ACTIVE;
	ide->stats.dma_reqs++;
	submit_dma_chunk(ide);
}

static uint64_t cmd_lba(const struct ide_piix *ide, bool ext)
{
	if (ext)
		return (uint64_t)ide->hob_lbah << 40 |
		       (uint64_t)ide->hob_lbam << 32 |
		       (uint64_t)ide->hob_lbal << 24 |
		       (uint64_t)ide->lbah << 16 | ide->lbam << 8 | ide->lbal;
	return (uint64_t)(ide->device & 0x0f) << 24 |
	       (uint64_t)ide->lbah << 16 | ide->lbam << 8 | ide->lbal;
}

static void cmd_rw(struct ide_piix *ide, bool ext, bool dma, bool write)
{
	uint32_t count = ext ? (uint32_t)ide->hob_nsect << 8 | ide->nsect :
			 ide->nsect;

	if (!count)
		count = ext ? 65536 : 256;
	if (!(ide->device & DEV_LBA)) {
		cmd_error(ide, ER_ABRT);	/* CHS addressing */
		return;
	}
	ide->lba = cmd_lba(ide, ext);
	if (!storage_range_ok(ide->st, ide->lba, count)) {
		cmd_error(ide, ER_IDNF);
		return;
	}
	ide->left = count;
	ide->write = write;
	if (dma) {
		ide->phase = IDE_DMA_WAIT;
		ide->status = ST_READY | ST_BSY;
		if (ide->bm_cmd & BM_CMD_START)
			dma_start(ide);
	} else if (write) {
		ide->phase = IDE_PIO_OUT;
		ide->pos = 0;
		ide->status = ST_READY | ST_DRQ;
	} else {
		submit_buf(ide, STORAGE_READ);
	}
}

static void exec_cmd(struct ide_piix *ide, uint8_t cmd)
{
	static const struct storage_seg none[1];

	ide->cmd = cmd;
	ide->stats.cmds++;
	switch (cmd) {
	case CMD_IDENTIFY:
		identify(ide);
		return;
	case CMD_READ_PIO:
	case CMD_READ_PIO_NR:
	case CMD_READ_PIO_EXT:
	case CMD_WRITE_PIO:
	case CMD_WRITE_PIO_NR:
	case CMD_WRITE_PIO_EXT:
		cmd_rw(ide, cmd == CMD_READ_PIO_EXT || cmd == CMD_WRITE_PIO_EXT,
		       false, cmd >= CMD_WRITE_PIO);
		return;
	case CMD_READ_DMA:
	case CMD_READ_DMA_NR:
	case CMD_WRITE_DMA:
	case CMD_WRITE_DMA_NR:
		cmd_rw(ide, false, true, cmd >= CMD_WRITE_DMA);
		return;
	case CMD_READ_DMA_EXT:
	case CMD_WRITE_DMA_EXT:
		cmd_rw(ide, true, true, cmd == CMD_WRITE_DMA_EXT);
		return;
	case CMD_FLUSH:
	case CMD_FLUSH_EXT:
		ide->stats.flushes++;
		submit(ide, STORAGE_FLUSH, 0, none, 0);
		return;
	case CMD_SET_FEATURES:
		set_features(ide);
		return;
	case CMD_STANDBY_NOW:	/* sd stops the disk at shutdown */
	case CMD_IDLE_NOW:
	case CMD_STANDBY:
	case CMD_IDLE:
		cmd_ok(ide);
		return;
	case CMD_CHECK_POWER:
		ide->nsect = 0xff;	/* active or idle */
		cmd_ok(ide);
		return;
	}
	cmd_error(ide, ER_ABRT);
}

/*
 * A command while busy is ignored, as a drive ignores it; one that
 * interrupts a data phase ends it with ABRT.  Device 1 is absent.
 */
static void write_command(struct ide_piix *ide, uint8_t cmd)
{
	if ((ide->device & DEV_SLAVE) || (ide->status & ST_BSY) ||
	    ide->resetting)
		return;
	ide->irq_pending = false;
	update_irq(ide);
	if (ide->status & ST_DRQ) {
		cmd_error(ide, ER_ABRT);
		return;
	}
	exec_cmd(ide, cmd);
}

/* ---- the data port ---- */

static uint64_t data_read(struct ide_piix *ide, unsigned int size)
{
	uint64_t v = 0;

	if (ide->phase != IDE_PIO_IN)
		return 0;
	size = MIN(size, STORAGE_SECTOR - ide->pos);
	for (unsigned int i = 0; i < size; i++)
		v |= (uint64_t)ide->buf[ide->pos + i] << (8 * i);
	ide->pos += size;
	if (ide->pos < STORAGE_SECTOR)
		return v;
	if (ide->cmd != CMD_IDENTIFY)
		ide->stats.pio_sectors++;
	ide->lba++;
	if (!--ide->left) {
		ide->phase = IDE_IDLE;
		ide->status = ST_READY;
	} else {
		submit_buf(ide, STORAGE_READ);
	}
	return v;
}

static void data_write(struct ide_piix *ide, uint64_t v, unsigned int size)
{
	if (ide->phase != IDE_PIO_OUT)
		return;
	size = MIN(size, STORAGE_SECTOR - ide->pos);
	for (unsigned int i = 0; i < size; i++)
		ide->buf[ide->pos + i] = (uint8_t)(v >> (8 * i));
	ide->pos += size;
	if (ide->pos == STORAGE_SECTOR)
		submit_buf(ide, STORAGE_WRITE);
}

/* ---- the command and control blocks ---- */

/* Status as the selected device shows it: device 1 is absent. */
static uint8_t shown_status(const struct ide_piix *ide)
{
	return (ide->device & DEV_SLAVE) ? 0 : ide->status;
}

static uint8_t cmd_block_read(struct ide_piix *ide, unsigned int reg)
{
	bool hob = ide->devctl & CTL_HOB;

	switch (reg) {
	case 1:
		return hob ? ide->hob_feature : ide->error;
	case 2:
		return hob ? ide->hob_nsect : ide->nsect;
	case 3:
		return hob ? ide->hob_lbal : ide->lbal;
	case 4:
		return hob ? ide->hob_lbam : ide->lbam;
	case 5:
		return hob ? ide->hob_lbah : ide->lbah;
	case 6:
		return ide->device;
	default:
		ide->irq_pending = false;
		update_irq(ide);
		return shown_status(ide);
	}
}

static void shift(uint8_t *cur, uint8_t *hob, uint8_t v)
{
	*hob = *cur;
	*cur = v;
}

static void cmd_block_write(struct ide_piix *ide, unsigned int reg, uint8_t v)
{
	ide->devctl &= (uint8_t)~CTL_HOB;
	switch (reg) {
	case 1:
		shift(&ide->feature, &ide->hob_feature, v);
		return;
	case 2:
		shift(&ide->nsect, &ide->hob_nsect, v);
		return;
	case 3:
		shift(&ide->lbal, &ide->hob_lbal, v);
		return;
	case 4:
		shift(&ide->lbam, &ide->hob_lbam, v);
		return;
	case 5:
		shift(&ide->lbah, &ide->hob_lbah, v);
		return;
	case 6:
		ide->device = v;
		return;
	default:
		write_command(ide, v);
	}
}

/*
 * SRST: the command in progress is abandoned (a storage request in
 * flight finishes into the void) and the drive stays BSY until SRST is
 * cleared and nothing is in flight.
 */
static void write_devctl(struct ide_piix *ide, uint8_t v)
{
	bool was = ide->devctl & CTL_SRST;

	ide->devctl = v;
	if ((v & CTL_SRST) && !was) {
		ide->resetting = true;
		ide->stale = ide->in_flight;
		ide->phase = ide->in_flight ? IDE_BUSY : IDE_IDLE;
		ide->status = ST_BSY;
		ide->irq_pending = false;
		ide->bm_status &= (uint8_t)~BM_ST_ACTIVE;
	} else if (!(v & CTL_SRST) && was && !ide->in_flight) {
		reset_done(ide);
	}
	update_irq(ide);
}

/* ---- bus master (BAR 4) ---- */

static uint8_t bm_read(const struct ide_piix *ide, unsigned int off)
{
	switch (off) {
	case 0:
		return ide->bm_cmd;
	case 2:
		return ide->bm_status;
	case 4: case 5: case 6: case 7:
		return (uint8_t)(ide->prd >> (8 * (off - 4)));
	default:
		return 0;	/* the empty secondary channel, reserved bytes */
	}
}

static void bm_write(struct ide_piix *ide, unsigned int off, uint8_t v)
{
	uint8_t old = ide->bm_cmd;
	unsigned int sh = 8 * (off - 4);

	switch (off) {
	case 0:
		ide->bm_cmd = v & (BM_CMD_START | BM_CMD_TOMEM);
		if (!(v & BM_CMD_START)) {
			ide->bm_status &= (uint8_t)~BM_ST_ACTIVE;
			return;
		}
		if (old & BM_CMD_START)
			return;
		ide->bm_status |= BM_ST_ACTIVE;
		if (ide->phase == IDE_DMA_WAIT)
			dma_start(ide);
		return;
	case 2:
		ide->bm_status = (uint8_t)((ide->bm_status & BM_ST_ACTIVE) |
			(ide->bm_status & ~v & (BM_ST_ERR | BM_ST_INTR)) |
			(v & BM_ST_CAPABLE));
		return;
	case 4: case 5: case 6: case 7:
		ide->prd = (ide->prd & ~(0xffu << sh)) | (uint32_t)v << sh;
		ide->prd &= ~3u;
		return;
	}
}

static bool decoding(const struct ide_piix *ide)
{
	return pci_header_read((struct pci_header *)&ide->hdr, PCI_COMMAND, 2) &
	       PCI_COMMAND_IO;
}

static bool bm_decoding(const struct ide_piix *ide)
{
	return decoding(ide) &&
	       pci_header_bar_addr(&ide->hdr, 4) == ide->bm_base;
}

/* Byte registers, an access of several bytes split lowest first. */
static int ide_piix_pio(struct emul_device *dev, struct io_access *io)
{
	struct ide_piix *ide = dev->priv;
	uint64_t v = 0;

	if (!io->write)
		io->val = ~0ull >> (64 - 8 * io->size);
	if (io->addr == IDE_PIIX_CMD_PORT) {
		if (!decoding(ide))
			return 0;
		if (io->write)
			data_write(ide, io->val, io->size);
		else
			io->val = data_read(ide, io->size);
		return 0;
	}
	for (unsigned int i = 0; i < io->size; i++) {
		uint64_t port = io->addr + i;
		uint8_t b = (uint8_t)(io->val >> (8 * i));

		if (port > IDE_PIIX_CMD_PORT && port < IDE_PIIX_CMD_PORT + 8 &&
		    decoding(ide)) {
			if (io->write)
				cmd_block_write(ide, port - IDE_PIIX_CMD_PORT, b);
			else
				b = cmd_block_read(ide, port - IDE_PIIX_CMD_PORT);
		} else if (port == IDE_PIIX_CTL_PORT && decoding(ide)) {
			if (io->write)
				write_devctl(ide, b);
			else
				b = shown_status(ide);
		} else if (port >= ide->bm_base &&
			   port < ide->bm_base + (uint64_t)IDE_PIIX_BM_PORTS &&
			   bm_decoding(ide)) {
			if (io->write)
				bm_write(ide, port - ide->bm_base, b);
			else
				b = bm_read(ide, port - ide->bm_base);
		} else {
			b = 0xff;
		}
		v |= (uint64_t)b << (8 * i);
	}
	if (!io->write)
		io->val = v;
	return 0;
}

static const struct emul_device_ops ide_piix_ops = {
	.name = "ide-piix",
	.pio = ide_piix_pio,
};

/* ---- configuration space ---- */

static uint32_t cfg_read(void *opaque, unsigned int reg, unsigned int size)
{
	struct ide_piix *ide = opaque;

	return pci_header_read(&ide->hdr, reg, size);
}

static void cfg_write(void *opaque, unsigned int reg, unsigned int size,
		      uint32_t val)
{
	struct ide_piix *ide = opaque;

	pci_header_write(&ide->hdr, reg, size, val);
}

const struct pci_function_ops ide_piix_cfg_ops = {
	.cfg_read = cfg_read,
	.cfg_write = cfg_write,
};

void ide_piix_init(struct ide_piix *ide, const struct emul_env *env,
		   struct storage *st, uint16_t bm_base)
{
	struct pci_header *h = &ide->hdr;

	memset(ide, 0, sizeof(*ide));
	ide->dev = (struct emul_device){ &ide_piix_ops, env, ide };
	ide->st = st;
	ide->bm_base = bm_base;
	ide->write_cache = true;
	pci_header_init(h, IDE_PIIX_VENDOR, IDE_PIIX_DEVICE, IDE_CLASS, 1);
	pci_header_set_bar(h, 4, IDE_PIIX_BM_PORTS, PCI_BAR_IO);
	/* Placed and enabled as firmware would, so the guest keeps it. */
	pci_header_write(h, PCI_BAR0 + 16, 4, bm_base);
	pci_header_write(h, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	/* Timing registers: the guest's to program; primary decode on. */
	for (unsigned int r = PIIX_IDETIM_PRI; r < PIIX_TIMING_END; r++)
		h->wmask[r] = 0xff;
	h->cfg[PIIX_IDETIM_PRI + 1] = PIIX_IDETIM_EN >> 8;
	h->cfg[PIIX_IDETIM_SEC + 1] = 0;
	reset_done(ide);
	ide->bm_status = 0x20;		/* drive 0 DMA capable */
}
