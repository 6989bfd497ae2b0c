// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated 82540EM (hypervisor/emul/e1000.c) from register
 * sequences as Linux's e1000 driver issues them, on the real switch with
 * a second port as the peer: config space, the Microwire EEPROM, the
 * PHY, TX (legacy, checksum offload, segmentation) and RX with their
 * interrupts and ITR, then hostile sequences: heads and tails past the
 * ring, rings and buffers outside RAM, zero and huge lengths, and a
 * guest that keeps TDT busy.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/e1000.h>
#include <hv/printk.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define RAM		(4u << 20)
#define BAR		0xfebc0000ull
#define IOBASE		0xc000
#define GSI		19
#define TXR		0x10000ull	/* TX ring */
#define RXR		0x20000ull	/* RX ring */
#define BUFS		0x100000ull	/* buffers */

static struct e1000 nic;
static struct vswitch sw;
static struct vswitch_port peer;
static uint8_t *ram;
static bool line;
static unsigned int irq_edges, warn_lines, kicks, peer_kicks;
static uint64_t fake_now;

static const uint8_t mac[6] = { 0x02, 0x50, 0xaa, 0xbb, 0xcc, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x50, 0xaa, 0xbb, 0xcc, 0x02 };

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }

static char last_warn[256];

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_WARN)
		return;
	warn_lines++;
	va_start(ap, fmt);
	vsnprintf(last_warn, sizeof(last_warn), fmt, ap);
	va_end(ap);
}

static uint64_t fake_now_ns(void *ctx) { (void)ctx; return fake_now; }

static void fake_set_irq(void *ctx, unsigned int gsi, bool level)
{
	(void)ctx;
	EXPECT_EQ(gsi, GSI);
	if (level && !line)
		irq_edges++;
	line = level;
}

static int fake_dma_read(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	(void)ctx;
	if (gpa >= RAM || len > RAM - gpa)
		return -14;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static int fake_dma_write(void *ctx, uint64_t gpa, const void *buf,
			  uint64_t len)
{
	(void)ctx;
	if (gpa >= RAM || len > RAM - gpa)
		return -14;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static void fake_mmio_move(void *ctx, struct emul_device *d, uint64_t from,
			   uint64_t to, uint64_t len)
{
	(void)ctx; (void)d; (void)from; (void)to; (void)len;
}

static const struct emul_env env = {
	.now_ns = fake_now_ns,
	.set_irq = fake_set_irq,
	.dma_read = fake_dma_read,
	.dma_write = fake_dma_write,
	.mmio_move = fake_mmio_move,
};

static void nic_kick(struct vswitch_port *p) { (void)p; kicks++; }
static void peer_kick(struct vswitch_port *p) { (void)p; peer_kicks++; }

static void wr(uint32_t off, uint32_t v)
{
	struct io_access io = { .addr = BAR + off, .val = v, .size = 4,
				.write = true };

	EXPECT_EQ(nic.dev.ops->mmio(&nic.dev, &io), 0);
}

static uint32_t rd(uint32_t off)
{
	struct io_access io = { .addr = BAR + off, .size = 4 };

	EXPECT_EQ(nic.dev.ops->mmio(&nic.dev, &io), 0);
	return (uint32_t)io.val;
}

static void setup(void)
{
	if (!ram)
		ram = malloc(RAM);
	memset(ram, 0, RAM);
	vswitch_init(&sw);
	e1000_init(&nic, &env, mac, GSI, BAR, IOBASE);
	nic.port.kick = nic_kick;
	memset(&peer, 0, sizeof(peer));
	peer.kick = peer_kick;
	EXPECT_EQ(vswitch_attach(&sw, &nic.port), 0);
	EXPECT_EQ(vswitch_attach(&sw, &peer), 0);
	line = false;
	irq_edges = warn_lines = kicks = peer_kicks = 0;
	fake_now = 1000000;
}

static void drain_peer(void)
{
	struct vswitch_frame *f;

	while ((f = vswitch_pop(&peer)))
		vswitch_frame_put(f);
}

static void teardown(void)
{
	drain_peer();
	vswitch_detach(&nic.port);
	vswitch_detach(&peer);
}

/* ---- the driver's view ---- */

static void test_config_space(void)
{
	setup();
	EXPECT_EQ(e1000_cfg_ops.cfg_read(&nic, 0, 4), 0x100e8086);
	EXPECT_EQ(e1000_cfg_ops.cfg_read(&nic, 0x0b, 1), 0x02);	/* network */
	EXPECT_EQ(e1000_cfg_ops.cfg_read(&nic, 0x3d, 1), 1);	/* INTA */
	EXPECT_EQ(e1000_cfg_ops.cfg_read(&nic, 0x10, 4), (uint32_t)BAR);
	EXPECT_EQ(e1000_cfg_ops.cfg_read(&nic, 0x14, 4), IOBASE | 1);
	e1000_cfg_ops.cfg_write(&nic, 0x10, 4, 0xffffffff);
	EXPECT_EQ(e1000_cfg_ops.cfg_read(&nic, 0x10, 4), 0xfffe0000);
	e1000_cfg_ops.cfg_write(&nic, 0x10, 4, (uint32_t)BAR);
	teardown();
}

/* Microwire, bit by bit, as e1000_read_eeprom() does it. */
static void ee_clock(uint32_t *eecd, bool di)
{
	*eecd = (*eecd & ~4u) | (di ? 4u : 0);
	wr(0x10, *eecd);
	wr(0x10, *eecd | 1);
	wr(0x10, *eecd);
}

static uint16_t ee_read(unsigned int addr)
{
	uint32_t eecd = 0x40 | 0x2;	/* REQ, CS */
	uint16_t v = 0;

	wr(0x10, 0x40);
	EXPECT(rd(0x10) & 0x80);	/* granted */
	wr(0x10, eecd);
	for (int i = 2; i >= 0; i--)
		ee_clock(&eecd, (6 >> i) & 1);
	for (int i = 5; i >= 0; i--)
		ee_clock(&eecd, (addr >> i) & 1);
	for (int i = 0; i < 16; i++) {
		wr(0x10, eecd | 1);
		v = (uint16_t)(v << 1 | !!(rd(0x10) & 8));
		wr(0x10, eecd);
	}
	wr(0x10, 0);			/* CS low: standby */
	return v;
}

static void test_eeprom(void)
{
	uint16_t sum = 0;

	setup();
	for (unsigned int i = 0; i < 64; i++)
		sum = (uint16_t)(sum + ee_read(i));
	EXPECT_EQ(sum, 0xbaba);
	EXPECT_EQ(ee_read(0), 0x5002);
	EXPECT_EQ(ee_read(2), 0x01cc);
	wr(0x14, 1 << 8 | 1);		/* EERD, word 1 */
	EXPECT_EQ(rd(0x14), 0xbbaa0000u | 1 << 8 | 0x10);
	EXPECT_EQ(rd(0x5400), 0xbbaa5002);	/* RAL0 from the EEPROM */
	EXPECT_EQ(rd(0x5404), 0x800001cc);
	teardown();
}

static uint32_t mdic(uint32_t op, unsigned int phy, unsigned int reg,
		     uint16_t data)
{
	wr(0x20, op << 26 | phy << 21 | reg << 16 | data);
	return rd(0x20);
}

static void test_phy_and_link(void)
{
	setup();
	EXPECT_EQ(mdic(2, 1, 2, 0) & 0xffff, 0x0141);
	EXPECT_EQ(mdic(2, 1, 3, 0) & 0xfff0, 0x0c20);
	EXPECT(mdic(2, 1, 1, 0) & (1u << 28));		/* ready */
	EXPECT(mdic(2, 1, 1, 0) & 0x4);			/* link */
	EXPECT(mdic(2, 2, 1, 0) & (1u << 30));		/* no PHY 2 */
	mdic(1, 1, 0, 0x9340);				/* reset, restart */
	EXPECT_EQ(mdic(2, 1, 0, 0) & 0xffff, 0x1140);
	EXPECT_EQ(rd(0x8), 0x83);		/* FD, LU, 1000 Mb/s */
	vswitch_detach(&nic.port);
	EXPECT_EQ(rd(0x8) & 2, 0);		/* no switch, no link */
	vswitch_detach(&peer);
}

/* ---- TX ---- */

static void txd(unsigned int i, uint64_t addr, uint32_t lower, uint8_t popts)
{
	uint8_t *d = ram + TXR + 16 * i;

	memcpy(d, &addr, 8);
	memcpy(d + 8, &lower, 4);
	d[12] = 0;
	d[13] = popts;
	d[14] = d[15] = 0;
}

static void frame_at(uint64_t gpa, uint32_t len, const uint8_t *dst)
{
	uint8_t *p = ram + gpa;

	memcpy(p, dst, 6);
	memcpy(p + 6, mac, 6);
	p[12] = 0x08;
	p[13] = 0x00;
	for (uint32_t i = 14; i < len; i++)
		p[i] = (uint8_t)i;
}

static void tx_ring(uint32_t bytes)
{
	wr(0x3800, (uint32_t)TXR);
	wr(0x3804, 0);
	wr(0x3808, bytes);
	wr(0x3810, 0);
	wr(0x3818, 0);
	wr(0x400, 2);			/* TCTL.EN */
}

static void test_tx_legacy(void)
{
	struct vswitch_frame *f;

	setup();
	tx_ring(4096);
	wr(0xd0, 0x1);			/* IMS: TXDW */
	frame_at(BUFS, 100, peer_mac);
	txd(0, BUFS, 60 | (0x0b << 24), 0);		/* EOP, IFCS, RS */
	txd(1, BUFS + 60, 40 | (0x0b << 24), 0);
	wr(0x3818, 2);
	EXPECT_EQ(rd(0x3810), 2);
	EXPECT_EQ(ram[TXR + 12] & 1, 1);		/* DD */
	f = vswitch_pop(&peer);
	EXPECT(f && f->len == 60);
	if (f)
		vswitch_frame_put(f);
	f = vswitch_pop(&peer);
	EXPECT(f && f->len == 40);
	if (f)
		vswitch_frame_put(f);
	EXPECT(line);
	EXPECT_EQ(rd(0xc0), 0x80000003u);	/* TXDW, TXQE, asserted */
	EXPECT(!line);
	EXPECT_EQ(rd(0xc0), 0);			/* read to clear */
	EXPECT_EQ(rd(0x4080), 2);		/* GPTC, read to clear */
	EXPECT_EQ(rd(0x4080), 0);
	teardown();
}

static uint16_t csum(const uint8_t *p, uint32_t len, uint32_t sum)
{
	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* An IPv4/TCP frame of len bytes at gpa with the headers Linux leaves. */
static void tcp_frame(uint64_t gpa, uint32_t len, bool tso)
{
	uint8_t *p = ram + gpa, *ip = p + 14, *tcp = p + 34;
	uint32_t s;

	frame_at(gpa, len, peer_mac);
	memset(ip, 0, 40);
	ip[0] = 0x45;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	ip[2] = tso ? 0 : (uint8_t)((len - 14) >> 8);
	ip[3] = tso ? 0 : (uint8_t)(len - 14);
	tcp[4] = 0x10;			/* sequence 0x10000000 */
	tcp[12] = 0x50;
	tcp[13] = 0x19;			/* FIN, PSH, ACK */
	/* The pseudo-header sum, with the length unless segmenting. */
	s = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + (tso ? 0 : len - 34);
	tcp[16] = (uint8_t)(csum(NULL, 0, s) >> 8);
	tcp[17] = (uint8_t)csum(NULL, 0, s);
}

static void ctx_desc(unsigned int i, uint8_t tucmd, uint32_t paylen,
		     uint8_t hdr_len, uint16_t mss)
{
	uint8_t *d = ram + TXR + 16 * i;

	memset(d, 0, 16);
	d[0] = 14;		/* IPCSS */
	d[1] = 24;		/* IPCSO */
	d[2] = 33;		/* IPCSE */
	d[4] = 34;		/* TUCSS */
	d[5] = 50;		/* TUCSO */
	d[8] = (uint8_t)paylen;
	d[9] = (uint8_t)(paylen >> 8);
	d[11] = 0x20 | tucmd;	/* DEXT | TUCMD */
	d[13] = hdr_len;
	d[14] = (uint8_t)mss;
	d[15] = (uint8_t)(mss >> 8);
}

static bool tcp_ok(const struct vswitch_frame *f)
{
	const uint8_t *ip = f->data + 14;
	uint32_t tl = f->len - 34;
	uint32_t s = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + tl;

	return csum(ip, 20, 0) == 0xffff &&
	       (uint32_t)(ip[2] << 8 | ip[3]) == f->len - 14 &&
	       csum(f->data + 34, tl, s) == 0xffff;
}

static void test_tx_offloads(void)
{
	struct vswitch_frame *f;
	uint32_t seq[3];

	setup();
	tx_ring(4096);
	/* Checksum insertion: context, then one data descriptor. */
	tcp_frame(BUFS, 200, false);
	ctx_desc(0, 0x01, 0, 0, 0);
	txd(1, BUFS, 200 | 0x00100000 | (0x2b << 24), 0x02);	/* TXSM */
	wr(0x3818, 2);
	f = vswitch_pop(&peer);
	EXPECT(f && f->len == 200 && csum(f->data + 34, 166,
		0x0a00 + 1 + 0x0a00 + 2 + 6 + 166) == 0xffff);
	if (f)
		vswitch_frame_put(f);
	/* Segmentation: 54 header bytes and 2500 of payload, MSS 1000. */
	tcp_frame(BUFS, 54 + 2500, true);
	ctx_desc(2, 0x07, 2500, 54, 1000);	/* TCP, IPv4, TSE */
	txd(3, BUFS, 1000 | 0x00100000 | (0x26 << 24), 0x03);
	txd(4, BUFS + 1000, 1554 | 0x00100000 | (0x2f << 24), 0x03);
	wr(0x3818, 5);
	for (int i = 0; i < 3; i++) {
		f = vswitch_pop(&peer);
		EXPECT(f != NULL);
		if (!f)
			break;
		EXPECT_EQ(f->len, i < 2 ? 1054u : 554u);
		EXPECT(tcp_ok(f));
		seq[i] = (uint32_t)f->data[38] << 24 | f->data[39] << 16 |
			 f->data[40] << 8 | f->data[41];
		EXPECT_EQ(f->data[47], i < 2 ? 0x10 : 0x19);	/* flags */
		vswitch_frame_put(f);
	}
	EXPECT_EQ(seq[1] - seq[0], 1000);
	EXPECT_EQ(seq[2] - seq[1], 1000);
	/* An IP checksum offset past the headers: dropped, not written. */
	tcp_frame(BUFS, 54 + 100, true);
	ctx_desc(5, 0x07, 100, 54, 1000);
	ram[TXR + 16 * 5 + 1] = 250;		/* IPCSO */
	txd(6, BUFS, 154 | 0x00100000 | (0x2f << 24), 0x03);
	wr(0x3818, 7);
	EXPECT(!vswitch_peek(&peer));
	EXPECT_EQ(nic.st.tx_dropped, 1);
	teardown();
}

/*
 * TSO with an MSS of 1: each data descriptor makes 2000 frames.  One
 * TDT write then moves one such frame, not a batch of them (the segments
 * count against the batch), and work calls go on a frame each.
 */
static void test_tso_segments_bounded(void)
{
	unsigned int calls = 0;
	bool more;

	setup();
	tx_ring(4096);
	tcp_frame(BUFS, 54 + 2000, true);
	ctx_desc(0, 0x07, 2000, 54, 1);
	for (unsigned int i = 1; i <= 32; i++)
		txd(i, BUFS, 2054 | 0x00100000 | (0x2f << 24), 0x03);
	wr(0x3818, 33);
	EXPECT_EQ(rd(0x3810), 2);
	EXPECT_EQ(nic.st.tx_frames, 2000);
	EXPECT_EQ(kicks, 1);
	do {
		calls++;
		more = e1000_work(&nic);
		drain_peer();
	} while (more && calls < 100);
	EXPECT_EQ(calls, 31);
	EXPECT_EQ(rd(0x3810), 33);
	EXPECT_EQ(nic.st.tx_frames, 32 * 2000);
	EXPECT(!nic.stopped);
	teardown();
}

/* ---- RX ---- */

static void rx_ring(unsigned int nr_desc, unsigned int posted)
{
	for (unsigned int i = 0; i < nr_desc; i++) {
		uint64_t buf = BUFS + 0x1000 * i;

		memset(ram + RXR + 16 * i, 0, 16);
		memcpy(ram + RXR + 16 * i, &buf, 8);
	}
	wr(0x2800, (uint32_t)RXR);
	wr(0x2808, nr_desc * 16);
	wr(0x2810, 0);
	wr(0x2818, posted);
	wr(0x100, 2 | (1u << 15));	/* EN, BAM, 2048-byte buffers */
}

static void peer_send(const uint8_t *dst, uint32_t len)
{
	struct vswitch_frame *f = vswitch_frame_alloc(len);

	memset(f->data, 0x77, len);
	memcpy(f->data, dst, 6);
	memcpy(f->data + 6, peer_mac, 6);
	vswitch_send(&peer, f);
}

static void test_rx(void)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 9 };
	const uint8_t *d = ram + RXR;

	setup();
	wr(0xd0, 0x80);			/* IMS: RXT0 */
	rx_ring(8, 0);
	/* Learned behind the NIC, so unicast reaches it. */
	frame_at(BUFS, 60, peer_mac);
	tx_ring(128);
	txd(0, BUFS, 60 | (0x0b << 24), 0);
	wr(0x3818, 1);
	drain_peer();
	rd(0xc0);
	peer_send(mac, 100);
	EXPECT(kicks > 0);
	EXPECT(!e1000_work(&nic));
	EXPECT_EQ(d[12], 0);		/* nothing posted: it waits */
	wr(0x2818, 4);			/* RDT: three buffers */
	EXPECT_EQ(d[8] | d[9] << 8, 104);	/* with 4 bytes of FCS */
	EXPECT_EQ(d[12], 0x07);		/* DD, EOP, IXSM */
	EXPECT_EQ(ram[BUFS + 20], 0x77);
	EXPECT_EQ(rd(0x2810), 1);
	EXPECT(line);
	EXPECT(rd(0xc0) & 0x80);
	/* Not ours: filtered.  A 3000-byte frame: two buffers. */
	peer_send(other, 100);
	peer_send(mac, 3000);
	e1000_work(&nic);
	EXPECT_EQ(rd(0x2810), 3);
	EXPECT_EQ(d[16 + 12], 0x05);	/* DD, no EOP */
	EXPECT_EQ(d[32 + 12], 0x07);
	EXPECT_EQ(d[32 + 8] | d[32 + 9] << 8, 3004 - 2048);
	EXPECT_EQ(nic.st.rx_filtered, 1);
	EXPECT_EQ(rd(0x4074), 2);	/* GPRC */
	teardown();
}

static void test_itr(void)
{
	setup();
	wr(0xc4, 1000);			/* 256 us between interrupts */
	wr(0xd0, 0x4);
	wr(0xc8, 0x4);			/* ICS: LSC */
	EXPECT(line);
	rd(0xc0);
	EXPECT(!line);
	wr(0xc8, 0x4);
	EXPECT(!line);			/* too soon */
	EXPECT_EQ(nic.dev.ops->next_deadline(&nic.dev), 1000000 + 256000);
	fake_now += 256000;
	nic.dev.ops->poll(&nic.dev, fake_now);
	EXPECT(line);
	EXPECT_EQ(irq_edges, 2);
	/* INTx disable holds the pin low. */
	e1000_cfg_ops.cfg_write(&nic, 4, 2, 0x407);
	EXPECT(!line);
	e1000_cfg_ops.cfg_write(&nic, 4, 2, 0x007);
	EXPECT(line);
	teardown();
}

/* ---- hostile sequences ---- */

static void test_tdt_past_ring(void)
{
	setup();
	tx_ring(128);			/* 8 descriptors */
	frame_at(BUFS, 60, peer_mac);
	txd(0, BUFS, 60 | (0x0b << 24), 0);
	wr(0x3818, 9);
	EXPECT(nic.stopped);
	EXPECT_EQ(warn_lines, 1);
	EXPECT(!vswitch_peek(&peer));
	wr(0x3818, 0xffff);
	wr(0x3818, 1);			/* stopped: nothing more, no line */
	EXPECT(!vswitch_peek(&peer));
	EXPECT_EQ(warn_lines, 1);
	/* A reset brings it back. */
	wr(0, 1u << 26);
	EXPECT(!nic.stopped);
	tx_ring(128);
	wr(0x3818, 1);
	EXPECT(vswitch_peek(&peer) != NULL);
	teardown();
}

static void test_bad_rings_and_buffers(void)
{
	setup();
	/*
	 * A ring length that is not whole cache lines.  A second passes
	 * after each stop, so each has its line (see the next test).
	 */
	tx_ring(100);
	wr(0x3818, 1);
	EXPECT(nic.stopped);
	wr(0, 1u << 26);
	fake_now += E1000_LOG_INTERVAL_NS;
	/* A ring outside RAM. */
	wr(0x3800, 0xfff00000);
	wr(0x3808, 128);
	wr(0x400, 2);
	wr(0x3818, 1);
	EXPECT(nic.stopped);
	wr(0, 1u << 26);
	fake_now += E1000_LOG_INTERVAL_NS;
	/* A buffer outside RAM, and one straddling its end. */
	tx_ring(128);
	txd(0, RAM - 10, 60 | (0x0b << 24), 0);
	wr(0x3818, 1);
	EXPECT(nic.stopped);
	wr(0, 1u << 26);
	fake_now += E1000_LOG_INTERVAL_NS;
	tx_ring(128);
	txd(0, 0xffffffffffffff00ull, 0x100 | (0x0b << 24), 0);
	wr(0x3818, 1);
	EXPECT(nic.stopped);
	wr(0, 1u << 26);
	fake_now += E1000_LOG_INTERVAL_NS;
	/* Zero length, and a 1 MiB data descriptor: dropped, not sent. */
	tx_ring(128);
	txd(0, BUFS, 0 | (0x0b << 24), 0);
	txd(1, BUFS, 0xfffff | 0x00100000 | (0x2b << 24), 0);
	wr(0x3818, 2);
	EXPECT(!nic.stopped);
	EXPECT(!vswitch_peek(&peer));
	EXPECT_EQ(rd(0x3810), 2);
	/* RX: RDT past the ring, then a buffer outside RAM. */
	rx_ring(8, 9);
	peer_send(mac, 60);
	e1000_work(&nic);
	EXPECT(nic.stopped);
	wr(0, 1u << 26);
	fake_now += E1000_LOG_INTERVAL_NS;
	rx_ring(8, 1);
	memcpy(ram + RXR, &(uint64_t){ RAM - 8 }, 8);
	peer_send(mac, 60);
	e1000_work(&nic);
	EXPECT(nic.stopped);
	EXPECT_EQ(warn_lines, 6);
	teardown();
}

/*
 * A reset re-arms the stop: a guest breaking and resetting its ring in
 * a loop gets one line a second, which counts the stops it left out.
 */
static void test_stop_line_rate_limited(void)
{
	setup();
	for (unsigned int i = 0; i < 1000; i++) {
		wr(0, 1u << 26);
		wr(0x400, 2);
		wr(0x3818, 1);		/* TDLEN 0 */
		EXPECT(nic.stopped);
		fake_now += 1000;
	}
	EXPECT_EQ(warn_lines, 1);
	EXPECT_EQ(nic.st.stops, 1000);
	EXPECT(strstr(last_warn, "TX ring or TDT outside the ring") != NULL);
	EXPECT(strstr(last_warn, "(0 more since the last line)") != NULL);
	fake_now += E1000_LOG_INTERVAL_NS;
	wr(0, 1u << 26);
	tx_ring(100);
	wr(0x3818, 1);
	EXPECT_EQ(warn_lines, 2);
	EXPECT(strstr(last_warn, "(999 more since the last line)") != NULL);
	/* A reset of the device does not reset the limit. */
	wr(0, 1u << 26);
	wr(0x400, 2);
	wr(0x3818, 1);
	EXPECT_EQ(warn_lines, 2);
	EXPECT_EQ(nic.st.stops, 1002);
	wr(0, 1u << 26);
	tx_ring(128);
	frame_at(BUFS, 60, peer_mac);
	txd(0, BUFS, 60 | (0x0b << 24), 0);
	wr(0x3818, 1);
	EXPECT(vswitch_peek(&peer) != NULL);
	teardown();
}

static void test_tdt_flood(void)
{
	unsigned int nr = 4096, calls = 0;

	setup();
	tx_ring(nr * 16);
	frame_at(BUFS, 60, peer_mac);
	for (unsigned int i = 0; i < nr; i++)
		txd(i, BUFS, 60 | (0x09 << 24), 0);
	/* One TDT write moves one batch and asks for work to go on. */
	wr(0x3818, nr - 1);
	EXPECT_EQ(rd(0x3810), E1000_TX_BATCH);
	EXPECT_EQ(kicks, 1);
	/* The same TDT again and again costs a batch each, no more. */
	for (int i = 0; i < 4; i++)
		wr(0x3818, nr - 1);
	EXPECT_EQ(rd(0x3810), 5 * E1000_TX_BATCH);
	drain_peer();
	while (e1000_work(&nic) && calls < 100) {
		calls++;
		drain_peer();
	}
	EXPECT_EQ(rd(0x3810), nr - 1);
	EXPECT(calls < 100);
	EXPECT(!nic.stopped);
	/* A ring that goes round forever is still a batch per write. */
	for (int i = 0; i < 1000; i++) {
		wr(0x3818, (rd(0x3810) + nr - 1) % nr);
		EXPECT(rd(0x3810) != rd(0x3818));
		drain_peer();
	}
	EXPECT(!nic.stopped);
	teardown();
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_config_space),
	KTAP_CASE(test_eeprom),
	KTAP_CASE(test_phy_and_link),
	KTAP_CASE(test_tx_legacy),
	KTAP_CASE(test_tx_offloads),
	KTAP_CASE(test_tso_segments_bounded),
	KTAP_CASE(test_rx),
	KTAP_CASE(test_itr),
	KTAP_CASE(test_tdt_past_ring),
	KTAP_CASE(test_bad_rings_and_buffers),
	KTAP_CASE(test_stop_line_rate_limited),
	KTAP_CASE(test_tdt_flood),
};

int main(void)
{
	int ret = ktap_run(cases, ARRAY_SIZE(cases));

	free(ram);
	return ret;
}
