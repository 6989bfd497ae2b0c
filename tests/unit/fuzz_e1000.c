// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the emulated e1000: arbitrary sequences of
 * register and config accesses, guest-memory writes (descriptors and
 * rings are whatever the input makes them), frames from a peer port and
 * work calls, against 256 KiB of guest RAM, under ASan/UBSan.  Broken
 * promises abort: a work call that never runs dry (unbounded work), a
 * running device whose ring head left its ring, a frame leaked at the
 * end.
 *
 * Input: 7-byte operations, op (1) offset (2) value (4, little-endian):
 *   op % 8 = 0 write, 1 read a register (offset: an index into regs[]
 *   below, or with bit 15 set a raw dword of BAR 0); 2 config write;
 *   3 guest RAM dword write at value; 4 a frame of value % 3000 bytes
 *   from the peer (to the NIC's MAC when offset is even); 5 work
 *   calls until done; 6 time passes and the device polls; 7 port I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/e1000.h>
#include <hv/printk.h>

#define RAM	(256u << 10)
#define BAR	0xfebc0000ull
#define IOBASE	0xc000

static const uint32_t regs[] = {
	0x0000, 0x0010, 0x0014, 0x0020, 0x00c0, 0x00c4, 0x00c8, 0x00d0,
	0x00d8, 0x0100, 0x0400, 0x2800, 0x2804, 0x2808, 0x2810, 0x2818,
	0x3800, 0x3804, 0x3808, 0x3810, 0x3818, 0x5400, 0x5404, 0x5200,
	0x4074, 0x0008, 0x5000, 0x0038,
};
static const uint8_t mac[6] = { 0x02, 0x50, 1, 2, 3, 4 };

static struct e1000 nic;
static struct vswitch sw;
static struct vswitch_port peer;
static uint8_t ram[RAM];
static uint64_t now;
static long frames_live;

void *kmalloc(size_t size) { frames_live++; return malloc(size); }
void *kzalloc(size_t size) { frames_live++; return calloc(1, size); }
void kfree(void *p) { if (p) frames_live--; free(p); }
void printk(int level, const char *fmt, ...) { (void)level; (void)fmt; }

static uint64_t fake_now(void *ctx) { (void)ctx; return now; }
static void fake_irq(void *ctx, unsigned int gsi, bool l)
{
	(void)ctx; (void)gsi; (void)l;
}

static int fake_rd(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	(void)ctx;
	if (gpa >= RAM || len > RAM - gpa)
		return -14;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static int fake_wr(void *ctx, uint64_t gpa, const void *buf, uint64_t len)
{
	(void)ctx;
	if (gpa >= RAM || len > RAM - gpa)
		return -14;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static void fake_move(void *ctx, struct emul_device *d, uint64_t from,
		      uint64_t to, uint64_t len)
{
	(void)ctx; (void)d; (void)from; (void)to; (void)len;
}

static const struct emul_env env = {
	.now_ns = fake_now, .set_irq = fake_irq, .dma_read = fake_rd,
	.dma_write = fake_wr, .mmio_move = fake_move,
};

static void kick(struct vswitch_port *p) { (void)p; }

static void access(bool write, uint16_t off, uint32_t val)
{
	struct io_access io = { .size = 4, .write = write, .val = val };

	io.addr = nic.bar + (off & 0x8000 ? (off & 0x7fffu) * 4u :
			     regs[off % (sizeof(regs) / sizeof(regs[0]))]);
	nic.dev.ops->mmio(&nic.dev, &io);
}

static void from_peer(uint16_t off, uint32_t val)
{
	struct vswitch_frame *f = vswitch_frame_alloc(14 + val % 3000);

	if (!f)
		return;
	memset(f->data, (int)val, f->len);
	if (!(off & 1))
		memcpy(f->data, mac, 6);
	memcpy(f->data + 6, "\x02\x50\x09\x09\x09\x09", 6);
	vswitch_send(&peer, f);
}

static void check(void)
{
	unsigned int calls = 0;
	struct vswitch_frame *f;

	while (e1000_work(&nic))
		if (++calls > 100000)
			abort();
	if (!nic.stopped && nic.tdlen >= 128 && !(nic.tdlen % 128) &&
	    nic.tdlen < (1u << 20) && nic.tdh >= nic.tdlen / 16 &&
	    nic.tdt < nic.tdlen / 16 && (nic.tctl & 2) &&
	    (pci_header_read(&nic.hdr, PCI_COMMAND, 2) & PCI_COMMAND_MASTER))
		abort();	/* a head out of the ring, and the device on */
	while ((f = vswitch_pop(&peer)))
		vswitch_frame_put(f);
}

static void op(const uint8_t *p)
{
	uint16_t off = (uint16_t)(p[1] | p[2] << 8);
	uint32_t val = (uint32_t)p[3] | p[4] << 8 | p[5] << 16 |
		       (uint32_t)p[6] << 24;
	struct io_access io = { .addr = IOBASE + (off & 4), .size = 4,
				.write = off & 1, .val = val };

	switch (p[0] % 8) {
	case 0: access(true, off, val); break;
	case 1: access(false, off, val); break;
	case 2: e1000_cfg_ops.cfg_write(&nic, off & 0xfc, 4, val); break;
	case 3: memcpy(ram + (val % (RAM / 4)) * 4, &off, 2); break;
	case 4: from_peer(off, val); break;
	case 5: check(); break;
	case 6: now += val; nic.dev.ops->poll(&nic.dev, now); break;
	case 7: nic.dev.ops->pio(&nic.dev, &io); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long before;

	memset(ram, 0, sizeof(ram));
	vswitch_init(&sw);
	e1000_init(&nic, &env, mac, 19, BAR, IOBASE);
	nic.port.kick = kick;
	memset(&peer, 0, sizeof(peer));
	peer.kick = kick;
	before = frames_live;
	vswitch_attach(&sw, &nic.port);
	vswitch_attach(&sw, &peer);
	for (size_t i = 0; i + 7 <= size; i += 7)
		op(data + i);
	check();
	vswitch_detach(&nic.port);
	vswitch_detach(&peer);
	if (frames_live != before)
		abort();	/* a frame neither delivered nor freed */
	return 0;
}
