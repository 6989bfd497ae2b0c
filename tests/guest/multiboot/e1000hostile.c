// SPDX-License-Identifier: GPL-2.0
/*
 * A Multiboot test kernel that drives the emulated e1000 the wrong way
 * (tests/suites/49-multiboot-e1000-hostile).  The domain has two NICs on
 * the switch: A (00:03.0) transmits, B (00:04.0) receives what A sends,
 * so both rings are fed without another guest.  Rings and buffers
 * outside RAM or across its end, ring lengths of 0, of no whole cache
 * lines and too big, heads and tails past the ring, zero-length,
 * oversized and unterminated frames, a TDT flood, EEPROM reads past its
 * end, CTRL.RST with transmits in flight, bus mastering off, narrow
 * accesses and the I/O window: each must either stop the NIC (no more
 * DMA until CTRL.RST) or drop the frame and go on, as e1000.c promises,
 * and both NICs must still move a frame after.  Paging is off: physical
 * addresses are used as pointers.  KTAP on COM1, then the number of
 * failed cases through isa-debug-exit; with "stray" on its command line
 * it finally copies a register into memory that is not RAM with rep
 * movsl, which must stop the domain.  Built with mbtest.S and ktap.c.
 */
#include "mbtest.h"

#define DEBUG_EXIT	0xf4
#define NOT_RAM		0x40000000u	/* neither RAM nor a device */
#define NR_CASES	44

#define CTRL		0x0000
#define STATUS		0x0008
#define EECD		0x0010
#define EERD		0x0014
#define RCTL		0x0100
#define TCTL		0x0400
#define RDBAL		0x2800
#define RDBAH		0x2804
#define RDLEN		0x2808
#define RDH		0x2810
#define RDT		0x2818
#define TDBAL		0x3800
#define TDBAH		0x3804
#define TDLEN		0x3808
#define TDH		0x3810
#define TDT		0x3818
#define GPRC		0x4074
#define GPTC		0x4080
#define GORCL		0x4088
#define GOTCL		0x4090
#define TPR		0x40d0
#define TPT		0x40d4
#define RAL0		0x5400
#define RAH0		0x5404

#define CTRL_RST	(1u << 26)
#define STATUS_LU	(1u << 1)
#define EECD_SK		(1u << 0)
#define EECD_CS		(1u << 1)
#define EECD_DI		(1u << 2)
#define EECD_DO		(1u << 3)
#define EECD_REQ	(1u << 6)
#define EECD_GNT	(1u << 7)
#define TCTL_EN		(1u << 1)
#define RCTL_EN		(1u << 1)
#define CMD_EOP		0x01
#define CMD_RS		0x08
#define DD		0x01
#define RX_EOP		0x02

#define TX_RING		16384u	/* descriptors of the big ring */
#define FLOOD_RING	1024u
#define FLOOD_WRITES	20000u
#define RX_BUFS		8u
#define RX_BUF_SIZE	2048u	/* RCTL.BSIZE 0 */

struct txd {
	uint64_t addr;
	uint16_t len;
	uint8_t cso, cmd, sta, css;
	uint16_t special;
};

struct rxd {
	uint64_t addr;
	uint16_t len, csum;
	uint8_t sta, err;
	uint16_t special;
};

struct nic {
	uint32_t mmio;
	uint16_t io;
	uint8_t devfn;
	uint8_t mac[6];
};

static struct nic nic_a, nic_b;
static uint32_t ram_end;

static struct txd txr[TX_RING] __attribute__((aligned(128)));
static struct rxd rxr[RX_BUFS] __attribute__((aligned(128)));
static uint8_t frame[65536] __attribute__((aligned(4096)));
static uint8_t rxbuf[RX_BUFS][RX_BUF_SIZE] __attribute__((aligned(4096)));

/* ---- registers (configuration space: pcicfg.c) ---- */

/* The device reads and writes rings and buffers behind the compiler. */
static void barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

static uint32_t rd(const struct nic *n, uint32_t off)
{
	uint32_t v;

	barrier();
	v = *(volatile uint32_t *)(n->mmio + off);
	barrier();
	return v;
}

static void wr(const struct nic *n, uint32_t off, uint32_t v)
{
	barrier();
	*(volatile uint32_t *)(n->mmio + off) = v;
	barrier();
}

static void *zero(void *p, uint32_t len)
{
	uint8_t *b = p;

	while (len--)
		*b++ = 0;
	return p;
}

/* ---- finding the NICs ---- */

static bool find_nics(void)
{
	struct nic *want[2] = { &nic_a, &nic_b };
	unsigned int found = 0;

	for (unsigned int dev = 0; dev < 32 && found < 2; dev++) {
		struct nic *n = want[found];
		uint32_t lo, hi;

		if (cfg_read32((uint8_t)(dev << 3), 0) != 0x100e8086u)
			continue;
		n->devfn = (uint8_t)(dev << 3);
		n->mmio = cfg_read32(n->devfn, 0x10) & ~0xfu;
		n->io = (uint16_t)(cfg_read32(n->devfn, 0x14) & ~3u);
		cfg_write16(n->devfn, 0x04, 0x0007);	/* I/O, memory, master */
		lo = rd(n, RAL0);
		hi = rd(n, RAH0);
		for (unsigned int i = 0; i < 4; i++)
			n->mac[i] = (uint8_t)(lo >> (8 * i));
		n->mac[4] = (uint8_t)hi;
		n->mac[5] = (uint8_t)(hi >> 8);
		found++;
	}
	return found == 2 && nic_a.devfn == 3 << 3 && nic_b.devfn == 4 << 3 &&
	       (rd(&nic_a, STATUS) & STATUS_LU) && nic_a.io;
}

/* ---- TX ---- */

static void reset(const struct nic *n)
{
	wr(n, CTRL, CTRL_RST);
	rd(n, GPTC);			/* the statistics read to clear */
	rd(n, GOTCL);
	rd(n, TPT);
	rd(n, GPRC);
	rd(n, GORCL);
}

static void tx_ring(const struct nic *n, uint32_t lo, uint32_t hi,
		    uint32_t len, uint32_t head)
{
	wr(n, TDBAL, lo);
	wr(n, TDBAH, hi);
	wr(n, TDLEN, len);
	wr(n, TDH, head);
	wr(n, TDT, head);
	wr(n, TCTL, TCTL_EN);
}

/* A frame of len bytes from A to B in frame[], a byte pattern after it. */
static void make_frame(uint32_t len, uint8_t seed)
{
	for (unsigned int i = 0; i < 6; i++) {
		frame[i] = nic_b.mac[i];
		frame[6 + i] = nic_a.mac[i];
	}
	frame[12] = 0x88;
	frame[13] = 0xb5;		/* local experimental */
	for (uint32_t i = 14; i < len; i++)
		frame[i] = (uint8_t)(i * 7 + seed);
}

static void txd_set(struct txd *d, uint64_t addr, uint16_t len, uint8_t cmd)
{
	zero(d, sizeof(*d));
	d->addr = addr;
	d->len = len;
	d->cmd = cmd;
}

/*
 * A 60-byte frame on a fresh 8-entry ring, without a reset: whether it
 * went out (TDH moved, DD written, GPTC and TPT counted it).  A stopped
 * NIC takes nothing.
 */
static bool tx_one(const struct nic *n)
{
	make_frame(60, 1);
	txd_set(&txr[0], (uint32_t)frame, 60, CMD_EOP | CMD_RS);
	rd(n, GPTC);
	rd(n, TPT);
	tx_ring(n, (uint32_t)txr, 0, 128, 0);
	wr(n, TDT, 1);
	return rd(n, TDH) == 1 && (txr[0].sta & DD) && rd(n, GPTC) == 1 &&
	       rd(n, TPT) == 1;
}

/* The NIC took nothing until CTRL.RST, and sends again after it. */
static bool stopped_until_reset(const struct nic *n)
{
	bool dead = !tx_one(n) && rd(n, TDH) == 0 && !(txr[0].sta & DD);

	reset(n);
	return dead && tx_one(n);
}

/* One bad TX ring on a reset NIC: head and tail, then TDT = tail. */
static bool tx_bad_ring(uint32_t lo, uint32_t hi, uint32_t len,
			uint32_t head, uint32_t tail)
{
	reset(&nic_a);
	txd_set(&txr[0], (uint32_t)frame, 60, CMD_EOP | CMD_RS);
	tx_ring(&nic_a, lo, hi, len, head);
	wr(&nic_a, TDT, tail);
	return rd(&nic_a, GPTC) == 0 && stopped_until_reset(&nic_a);
}

/* Descriptors d[0..nr) on the 8-entry ring of a reset A, TDT after them. */
static void tx_descs(uint32_t nr)
{
	reset(&nic_a);
	tx_ring(&nic_a, (uint32_t)txr, 0, 128, 0);
	wr(&nic_a, TDT, nr);
}

static bool tx_buffer_bad(uint64_t addr, uint16_t len)
{
	bool ok;

	txd_set(&txr[0], addr, len, CMD_EOP | CMD_RS);
	tx_descs(1);
	ok = rd(&nic_a, TDH) == 0 && !(txr[0].sta & DD) &&
	     rd(&nic_a, GPTC) == 0;
	return ok && stopped_until_reset(&nic_a);
}

/* Dropped and counted: the descriptor is done, nothing went out. */
static bool tx_dropped(uint32_t nr)
{
	tx_descs(nr);
	if (rd(&nic_a, TDH) != nr || !(txr[nr - 1].sta & DD) ||
	    rd(&nic_a, GPTC) != 0)
		return false;
	return tx_one(&nic_a);		/* no reset: the ring goes on */
}

static bool tx_ring_straddles_ram_end(void)
{
	struct txd *last = (struct txd *)(ram_end - 64);

	/* Entries 0-3 are RAM's last 64 bytes, 4-7 lie past its end. */
	make_frame(60, 2);
	txd_set(&last[3], (uint32_t)frame, 60, CMD_EOP | CMD_RS);
	reset(&nic_a);
	tx_ring(&nic_a, ram_end - 64, 0, 128, 3);
	wr(&nic_a, TDT, 6);
	return rd(&nic_a, TDH) == 4 && (last[3].sta & DD) &&
	       rd(&nic_a, GPTC) == 1 && stopped_until_reset(&nic_a);
}

static bool tx_jumbo_sent(void)
{
	make_frame(9000, 3);
	txd_set(&txr[0], (uint32_t)frame, 9000, CMD_EOP | CMD_RS);
	tx_descs(1);
	return rd(&nic_a, TDH) == 1 && (txr[0].sta & DD) &&
	       rd(&nic_a, GPTC) == 1 && rd(&nic_a, GOTCL) == 9000;
}

/* Three buffers without EOP, then a frame with it: one 360-byte frame. */
static bool tx_chain_joins(void)
{
	make_frame(100, 4);
	for (unsigned int i = 0; i < 3; i++)
		txd_set(&txr[i], (uint32_t)frame, 100, CMD_RS);
	txd_set(&txr[3], (uint32_t)frame, 60, CMD_EOP | CMD_RS);
	reset(&nic_a);
	tx_ring(&nic_a, (uint32_t)txr, 0, 128, 0);
	wr(&nic_a, TDT, 3);
	if (rd(&nic_a, TDH) != 3 || !(txr[2].sta & DD) ||
	    rd(&nic_a, GPTC) != 0)
		return false;
	wr(&nic_a, TDT, 4);
	return rd(&nic_a, GPTC) == 1 && rd(&nic_a, GOTCL) == 360;
}

/* 65 KiB without EOP overflow the frame: dropped at EOP, the next is sent. */
static bool tx_chain_overflows(void)
{
	reset(&nic_a);
	zero(txr, 128 * sizeof(txr[0]));
	for (unsigned int i = 0; i < 65; i++)
		txd_set(&txr[i], (uint32_t)frame, 1024, 0);
	txd_set(&txr[65], (uint32_t)frame, 1024, CMD_EOP | CMD_RS);
	tx_ring(&nic_a, (uint32_t)txr, 0, 128 * 16, 0);
	wr(&nic_a, TDT, 66);
	return rd(&nic_a, TDH) == 66 && (txr[65].sta & DD) &&
	       rd(&nic_a, GPTC) == 0 && tx_one(&nic_a) &&
	       rd(&nic_a, GOTCL) == 60;
}

/*
 * TDT rewritten in a loop, moved every 50th time to just behind TDH:
 * each write costs the guest its exit and a batch, no more.
 */
static bool tdt_flood(void)
{
	uint32_t bad = 0;

	reset(&nic_a);
	for (unsigned int i = 0; i < FLOOD_RING; i++)
		txd_set(&txr[i], (uint32_t)frame, 0, CMD_EOP);	/* dropped */
	tx_ring(&nic_a, (uint32_t)txr, 0, FLOOD_RING * 16, 0);
	for (unsigned int i = 0; i < FLOOD_WRITES; i++) {
		uint32_t h = rd(&nic_a, TDH);

		if (h >= FLOOD_RING)
			bad++;
		wr(&nic_a, TDT, i % 50 ? rd(&nic_a, TDT) :
				(h + FLOOD_RING - 1) % FLOOD_RING);
	}
	if (bad)
		diag("TDH outside the ring: ", bad);
	return !bad && rd(&nic_a, GPTC) == 0 && tx_one(&nic_a);
}

/*
 * TSO with an MSS of 1 behind one context: 8 frames of 54 header and
 * 1000 payload bytes make 8000 segments, a batch's worth per call, all
 * sent in the end.
 */
static bool tso_mss_1(void)
{
	uint8_t *c = (uint8_t *)&txr[0];
	uint32_t spins = 0;

	make_frame(54 + 1000, 14);
	reset(&nic_a);
	zero(txr, 16 * sizeof(txr[0]));
	c[0] = 14;			/* IPCSS, IPCSO, IPCSE */
	c[1] = 24;
	c[2] = 33;
	c[4] = 34;			/* TUCSS, TUCSO */
	c[5] = 50;
	c[8] = 1000 & 0xff;		/* PAYLEN */
	c[9] = 1000 >> 8;
	c[11] = 0x20 | 0x07;		/* DEXT; TSE, IPv4, TCP */
	c[13] = 54;			/* HDRLEN */
	c[14] = 1;			/* MSS */
	for (unsigned int i = 1; i <= 8; i++) {
		txd_set(&txr[i], (uint32_t)frame, 54 + 1000, 0x2f);
		txr[i].cso = 0x10;	/* DTYP data */
		txr[i].css = 0x03;	/* POPTS: IXSM, TXSM */
	}
	tx_ring(&nic_a, (uint32_t)txr, 0, 16 * sizeof(txr[0]), 0);
	wr(&nic_a, TDT, 9);
	while (rd(&nic_a, TDH) != 9 && spins++ < 1000000)
		;
	return rd(&nic_a, TDH) == 9 && (txr[8].sta & DD) &&
	       rd(&nic_a, GPTC) == 8000 && tx_one(&nic_a);
}

/*
 * CTRL.RST with most of 16383 frames still to go (one batch goes in the
 * TDT write, the rest through the NIC's work item): none after it.
 */
static bool reset_with_tx_in_flight(void)
{
	uint32_t before = 0, after = 0;

	reset(&nic_a);
	make_frame(60, 5);
	for (unsigned int i = 0; i < TX_RING; i++)
		txd_set(&txr[i], (uint32_t)frame, 60, CMD_EOP | CMD_RS);
	tx_ring(&nic_a, (uint32_t)txr, 0, TX_RING * 16, 0);
	wr(&nic_a, TDT, TX_RING - 1);
	wr(&nic_a, CTRL, CTRL_RST);
	for (unsigned int i = 0; i < TX_RING; i++)
		before += txr[i].sta & DD;
	for (unsigned int i = 0; i < 2000; i++)
		rd(&nic_a, STATUS);	/* exits: time for the NIC's work */
	for (unsigned int i = 0; i < TX_RING; i++)
		after += txr[i].sta & DD;
	diag("descriptors done before the reset: ", before);
	return before >= 256 && before < TX_RING - 1 && after == before &&
	       rd(&nic_a, TDH) == 0 && rd(&nic_a, TDT) == 0 &&
	       rd(&nic_a, TCTL) == 0 && rd(&nic_a, TDLEN) == 0 &&
	       rd(&nic_a, GPTC) == 0 && tx_one(&nic_a);
}

/* Bus mastering off: no DMA, not a fault; on again, the ring goes on. */
static bool no_dma_without_bus_master(void)
{
	bool idle;

	reset(&nic_a);
	make_frame(60, 6);
	txd_set(&txr[0], (uint32_t)frame, 60, CMD_EOP | CMD_RS);
	cfg_write16(nic_a.devfn, 0x04, 0x0003);
	tx_ring(&nic_a, (uint32_t)txr, 0, 128, 0);
	wr(&nic_a, TDT, 1);
	idle = rd(&nic_a, TDH) == 0 && !(txr[0].sta & DD);
	cfg_write16(nic_a.devfn, 0x04, 0x0007);
	wr(&nic_a, TDT, 1);
	return idle && rd(&nic_a, TDH) == 1 && (txr[0].sta & DD) &&
	       rd(&nic_a, GPTC) == 1;
}

/* ---- EEPROM ---- */

static uint32_t eerd(unsigned int addr)
{
	wr(&nic_a, EERD, addr << 8 | 1);
	return rd(&nic_a, EERD);
}

static bool eerd_past_end(void)
{
	uint16_t sum = 0;

	for (unsigned int i = 0; i < 64; i++)
		sum = (uint16_t)(sum + (eerd(i) >> 16));
	return sum == 0xbaba && eerd(0x40) == (0x40u << 8 | 0x10) &&
	       eerd(0xff) == (0xffu << 8 | 0x10) &&
	       (eerd(0) >> 16) == (uint32_t)(nic_a.mac[0] | nic_a.mac[1] << 8);
}

static void ee_clock(uint32_t v)
{
	wr(&nic_a, EECD, v | EECD_SK);
	wr(&nic_a, EECD, v);
}

static uint16_t ee_word(uint32_t v)
{
	uint16_t w = 0;

	for (unsigned int i = 0; i < 16; i++) {
		wr(&nic_a, EECD, v | EECD_SK);
		w = (uint16_t)(w << 1 | !!(rd(&nic_a, EECD) & EECD_DO));
		wr(&nic_a, EECD, v);
	}
	return w;
}

/* Microwire: word 63, then reading on runs round to word 0. */
static bool microwire_past_end(void)
{
	uint32_t v = EECD_REQ | EECD_CS, cmd = 6u << 6 | 63;
	uint16_t last, next;

	wr(&nic_a, EECD, EECD_REQ);
	if (!(rd(&nic_a, EECD) & EECD_GNT))
		return false;
	wr(&nic_a, EECD, v);
	for (int i = 8; i >= 0; i--)
		ee_clock(v | ((cmd >> i) & 1 ? EECD_DI : 0));
	last = ee_word(v);
	next = ee_word(v);
	wr(&nic_a, EECD, 0);
	return last == (uint16_t)(eerd(63) >> 16) &&
	       next == (uint16_t)(nic_a.mac[0] | nic_a.mac[1] << 8);
}

/* ---- register access ---- */

/* A byte write of CTRL's RST byte and narrow reads: all ignored. */
static bool narrow_access_ignored(void)
{
	uint32_t status = rd(&nic_a, STATUS);

	reset(&nic_a);
	wr(&nic_a, TDLEN, 128);
	*(volatile uint8_t *)(nic_a.mmio + CTRL + 3) = CTRL_RST >> 24;
	return rd(&nic_a, TDLEN) == 128 &&
	       *(volatile uint16_t *)(nic_a.mmio + STATUS) == 0 &&
	       *(volatile uint32_t *)(nic_a.mmio + STATUS + 2) == 0 &&
	       rd(&nic_a, STATUS) == status;
}

/* IOADDR keeps dword offsets inside BAR 0; other sizes read all ones. */
static bool io_window(void)
{
	uint16_t io = nic_a.io;
	bool ok;

	reset(&nic_a);
	outl(io, 0xffffffffu);
	ok = inl(io) == 0x1fffc && inl(io + 4) == 0;
	outl(io, STATUS);
	ok = ok && inl(io + 4) == rd(&nic_a, STATUS);
	ok = ok && inb(io + 4) == 0xff && inb(io + 1) == 0xff;
	outb(io, 0);			/* ignored: IOADDR stays */
	outl(io, TDLEN);
	outl(io + 4, 0x80);
	return ok && rd(&nic_a, TDLEN) == 0x80 && inl(io) == TDLEN;
}

/* ---- RX: B receives what A sends ---- */

/* B reset with RX off, and whatever waits at its port dropped. */
static void rx_quiet(void)
{
	reset(&nic_b);
	for (unsigned int i = 0; i < 8; i++)
		wr(&nic_b, RDT, 0);	/* moves (drops) up to 64 a write */
}

static void rx_ring(uint32_t lo, uint32_t len, uint32_t head,
		    uint32_t tail)
{
	zero(rxr, sizeof(rxr));
	for (unsigned int i = 0; i < RX_BUFS; i++)
		rxr[i].addr = (uint32_t)rxbuf[i];
	wr(&nic_b, RDBAL, lo);
	wr(&nic_b, RDBAH, 0);
	wr(&nic_b, RDLEN, len);
	wr(&nic_b, RDH, head);
	wr(&nic_b, RDT, tail);
	wr(&nic_b, RCTL, RCTL_EN);
}

/* A sends len bytes to B (nothing else), then B's RDT moves them. */
static bool a_sends(uint32_t len, uint8_t seed)
{
	make_frame(len, seed);
	txd_set(&txr[0], (uint32_t)frame, (uint16_t)len, CMD_EOP | CMD_RS);
	tx_descs(1);
	wr(&nic_b, RDT, rd(&nic_b, RDT));
	return rd(&nic_a, GPTC) == 1;
}

static bool rx_matches(unsigned int idx, uint32_t off, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (rxbuf[idx][i] != frame[off + i])
			return false;
	return true;
}

/* A 60-byte frame into B's fresh ring without a reset: arrived intact. */
static bool rx_one(void)
{
	rd(&nic_b, GPRC);
	rd(&nic_b, TPR);
	rx_ring((uint32_t)rxr, 128, 0, 4);
	return a_sends(60, 7) && rd(&nic_b, RDH) == 1 &&
	       rxr[0].sta == (DD | RX_EOP | 0x04) && rxr[0].len == 64 &&
	       rx_matches(0, 0, 60) && rd(&nic_b, GPRC) == 1 &&
	       rd(&nic_b, TPR) == 1;
}

static bool rx_stopped_until_reset(void)
{
	bool dead = !rx_one() && rd(&nic_b, RDH) == 0 && !rxr[0].sta;

	rx_quiet();
	return dead && rx_one();
}

static bool rx_bad_ring(uint32_t lo, uint32_t len, uint32_t head,
			uint32_t tail)
{
	rx_quiet();
	rx_ring(lo, len, head, tail);
	return a_sends(60, 8) && rd(&nic_b, GPRC) == 0 &&
	       rx_stopped_until_reset();
}

static bool rx_buffer_bad(uint64_t addr, uint32_t len)
{
	rx_quiet();
	rx_ring((uint32_t)rxr, 128, 0, 4);
	rxr[0].addr = addr;
	return a_sends(len, 9) && !rxr[0].sta && rd(&nic_b, RDH) == 0 &&
	       rd(&nic_b, GPRC) == 0 && rx_stopped_until_reset();
}

/* Only the frame's bytes are written: a buffer ending at RAM's end is fine. */
static bool rx_buffer_at_ram_end(void)
{
	uint8_t *end = (uint8_t *)(ram_end - 64);

	rx_quiet();
	rx_ring((uint32_t)rxr, 128, 0, 4);
	rxr[0].addr = ram_end - 64;
	if (!a_sends(60, 10) || rxr[0].sta != (DD | RX_EOP | 0x04) ||
	    rxr[0].len != 64)
		return false;
	for (unsigned int i = 0; i < 60; i++)
		if (end[i] != frame[i])
			return false;
	return true;
}

/* No buffer posted: the frame waits at the port until RDT gives one. */
static bool rx_waits_for_buffers(void)
{
	rx_quiet();
	rx_ring((uint32_t)rxr, 128, 0, 0);
	if (!a_sends(60, 11) || rxr[0].sta || rd(&nic_b, GPRC) != 0)
		return false;
	wr(&nic_b, RDT, 2);
	return rxr[0].sta == (DD | RX_EOP | 0x04) && rx_matches(0, 0, 60) &&
	       rd(&nic_b, RDH) == 1 && rd(&nic_b, GPRC) == 1;
}

/* 5000 bytes and FCS across three 2 KiB buffers, EOP on the last. */
static bool rx_jumbo_spans_buffers(void)
{
	rx_quiet();
	rx_ring((uint32_t)rxr, 128, 0, 2);
	if (!a_sends(5000, 12) || rxr[0].sta)
		return false;		/* two buffers are not enough */
	wr(&nic_b, RDT, 4);
	return rxr[0].sta == (DD | 0x04) && rxr[0].len == 2048 &&
	       rxr[1].sta == (DD | 0x04) && rxr[1].len == 2048 &&
	       rxr[2].sta == (DD | RX_EOP | 0x04) && rxr[2].len == 908 &&
	       rx_matches(0, 0, 2048) && rx_matches(1, 2048, 2048) &&
	       rx_matches(2, 4096, 904) && rd(&nic_b, RDH) == 3 &&
	       rd(&nic_b, GORCL) == 5000;
}

static bool rx_disabled_drops(void)
{
	rx_quiet();
	rx_ring((uint32_t)rxr, 128, 0, 4);
	wr(&nic_b, RCTL, 0);
	if (!a_sends(60, 13))
		return false;
	wr(&nic_b, RCTL, RCTL_EN);
	return !rxr[0].sta && rd(&nic_b, RDH) == 0 && rx_one();
}

/* ---- stop lines ---- */

/* 1000 stops with a reset after each: the log takes a few lines only. */
static bool stop_reset_loop(void)
{
	for (unsigned int i = 0; i < 1000; i++) {
		wr(&nic_a, CTRL, CTRL_RST);
		wr(&nic_a, TCTL, TCTL_EN);
		wr(&nic_a, TDT, 1);	/* TDLEN 0 */
	}
	return stopped_until_reset(&nic_a);
}

/* ---- the cases ---- */

static void tx_cases(void)
{
	uint32_t ring = (uint32_t)txr;

	result(tx_bad_ring(NOT_RAM, 0, 128, 0, 1), "tx_ring_outside_ram");
	result(tx_bad_ring(ring, 1, 128, 0, 1), "tx_ring_above_4g");
	result(tx_bad_ring(ram_end, 0, 128, 0, 1), "tx_ring_at_ram_end");
	result(tx_ring_straddles_ram_end(), "tx_ring_straddles_ram_end");
	result(tx_bad_ring(ring, 0, 0, 0, 1), "tx_ring_length_zero");
	result(tx_bad_ring(ring, 0, 200, 0, 1), "tx_ring_length_not_128");
	result(tx_bad_ring(ring, 0, 1u << 20, 0, 1), "tx_ring_length_1m");
	result(tx_bad_ring(ring, 0, 0xffffff80u, 0, 1), "tx_ring_length_huge");
	result(tx_bad_ring(ring, 0, 128, 0, 9), "tx_tdt_past_ring");
	result(tx_bad_ring(ring, 0, 128, 8, 0), "tx_tdh_past_ring");
	result(tx_bad_ring(ring, 0, 128, 0, 0xffff), "tx_tdt_ffff");
	result(tx_buffer_bad(NOT_RAM, 60), "tx_buffer_outside_ram");
	result(tx_buffer_bad(ram_end - 30, 60), "tx_buffer_straddles_ram_end");
	result(tx_buffer_bad(0xffffffffffffff00ull, 0x200),
	       "tx_buffer_wraps_2_64");
	txd_set(&txr[0], NOT_RAM, 0, CMD_EOP | CMD_RS);
	result(tx_dropped(1), "tx_zero_length_dropped");
	txd_set(&txr[0], (uint32_t)frame, 10, CMD_EOP | CMD_RS);
	result(tx_dropped(1), "tx_headless_frame_dropped");
	txd_set(&txr[0], (uint32_t)frame, 0xffff, CMD_EOP | CMD_RS);
	result(tx_dropped(1), "tx_over_16k_dropped");
	result(tx_jumbo_sent(), "tx_9000_bytes_sent");
	result(tx_chain_joins(), "tx_chain_without_eop_joins");
	result(tx_chain_overflows(), "tx_chain_past_64k_dropped");
	result(tdt_flood(), "tdt_flood");
	result(tso_mss_1(), "tso_mss_1_all_sent");
	result(reset_with_tx_in_flight(), "reset_with_tx_in_flight");
	result(no_dma_without_bus_master(), "no_dma_without_bus_master");
}

static void rx_cases(void)
{
	uint32_t ring = (uint32_t)rxr;

	result(rx_bad_ring(NOT_RAM, 128, 0, 4), "rx_ring_outside_ram");
	result(rx_bad_ring(ram_end - 64, 128, 4, 6), "rx_ring_past_ram_end");
	result(rx_bad_ring(ring, 0, 0, 4), "rx_ring_length_zero");
	result(rx_bad_ring(ring, 100, 0, 4), "rx_ring_length_not_128");
	result(rx_bad_ring(ring, 1u << 20, 0, 4), "rx_ring_length_1m");
	result(rx_bad_ring(ring, 128, 0, 9), "rx_rdt_past_ring");
	result(rx_bad_ring(ring, 128, 8, 4), "rx_rdh_past_ring");
	result(rx_buffer_bad(NOT_RAM, 60), "rx_buffer_outside_ram");
	result(rx_buffer_bad(ram_end - 100, 200), "rx_buffer_straddles_ram_end");
	result(rx_buffer_at_ram_end(), "rx_frame_fits_before_ram_end");
	result(rx_waits_for_buffers(), "rx_waits_for_buffers");
	result(rx_jumbo_spans_buffers(), "rx_jumbo_spans_buffers");
	result(rx_disabled_drops(), "rx_disabled_drops");
}

/* rep movsl from the register block into memory that is not RAM. */
static void stray_copy(void)
{
	void *src = (void *)(nic_a.mmio + STATUS), *dst = (void *)NOT_RAM;
	uint32_t n = 4;

	__asm__ volatile("cld; rep movsl" : "+S"(src), "+D"(dst), "+c"(n)
			 : : "memory");
}

/* mbi: the Multiboot information; mem_upper its third word. */
void mbtest_main(uint32_t magic, const uint32_t *mbi, uint32_t cr0)
{
	const char *cmd = (const char *)mbi[4];

	(void)magic;
	(void)cr0;
	puts("KTAP version 1\n1..");
	putu(NR_CASES);
	putc('\n');
	ram_end = 0x100000u + mbi[2] * 1024u;
	if (!find_nics()) {
		result(false, "find_two_nics");
		outb(DEBUG_EXIT, 1);
		return;
	}
	result(true, "find_two_nics");
	tx_cases();
	rx_cases();
	result(eerd_past_end(), "eerd_past_end");
	result(microwire_past_end(), "microwire_read_runs_round");
	result(narrow_access_ignored(), "narrow_mmio_ignored");
	result(io_window(), "io_window_bounded");
	result(stop_reset_loop(), "stop_reset_loop");
	rx_quiet();
	result(tx_one(&nic_a) && rx_one(), "both_nics_work_after");
	if (ktap_tests != NR_CASES)
		diag("cases run, not as planned: ", (uint32_t)ktap_tests);
	if (has_word(cmd, " stray")) {
		puts("# rep movsl from the registers into memory that is not RAM\n");
		stray_copy();
		puts("# still running after the stray rep movsl\n");
	}
	outb(DEBUG_EXIT, (uint8_t)ktap_failed);
	puts("# still running after the debug-exit write\n");
}
