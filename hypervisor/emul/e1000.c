// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 82540EM emulation (see hv/emul/e1000.h): what Linux's e1000
 * driver uses.  Registers: CTRL/STATUS (link up, full duplex, 1000 Mb/s
 * whenever the port is on a switch), the Microwire EEPROM through EECD
 * and EERD (the MAC, a valid checksum), MDIC with an M88-style PHY that
 * reports link, the interrupt cause/mask set, RCTL/TCTL, both rings,
 * RAL/RAH, MTA, VFTA and the statistics block (real counts for good
 * frames and octets, the rest 0; read to clear).
 *
 * RX takes legacy descriptors; TX legacy, context and data descriptors
 * with the offloads the driver asks for done here in software: TCP/UDP
 * and IP checksum insertion, TCP segmentation of IPv4 and IPv6 frames,
 * and VLAN tag insertion.  Interrupt moderation: ITR is honoured (no two
 * assertions closer than ITR * 256 ns); RDTR, RADV, TIDV and TADV are
 * stored but not timed: a batch raises its cause at once, ITR permitting.
 *
 * Distrust: every descriptor is copied out of guest memory once and
 * checked before use; each buffer must lie in guest RAM and fit the
 * frame; the rings must be whole descriptors in RAM with head and tail
 * inside them.  A broken ring or a buffer outside RAM stops the device
 * (one log line, at most one a second) until the guest resets it
 * through CTRL.RST.  One call takes at most E1000_TX_BATCH TX
 * descriptors (each TSO segment past a frame's first counts as one) and
 * E1000_RX_BATCH frames, so a guest that keeps writing TDT gets nothing
 * for free.
 *
 * BAR 1 answers at the port firmware gave it; a guest moving it loses it
 * (Linux does not use it on this model).  The EEPROM and the PHY are in
 * e1000_nvm.c, the software checksums in net/csum.c.
 */
#include <stddef.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/emul/e1000.h>
#include <hv/net_csum.h>
#include "e1000_nvm.h"
#include <hv/printk.h>

/* Registers, by offset in BAR 0. */
#define R_CTRL		0x0000
#define R_STATUS	0x0008
#define R_EECD		0x0010
#define R_EERD		0x0014
#define R_CTRL_EXT	0x0018
#define R_MDIC		0x0020
#define R_VET		0x0038
#define R_ICR		0x00c0
#define R_ITR		0x00c4
#define R_ICS		0x00c8
#define R_IMS		0x00d0
#define R_IMC		0x00d8
#define R_RCTL		0x0100
#define R_TCTL		0x0400
#define R_TIPG		0x0410
#define R_RDBAL		0x2800
#define R_RDBAH		0x2804
#define R_RDLEN		0x2808
#define R_RDH		0x2810
#define R_RDT		0x2818
#define R_RDTR		0x2820
#define R_RADV		0x282c
#define R_TDBAL		0x3800
#define R_TDBAH		0x3804
#define R_TDLEN		0x3808
#define R_TDH		0x3810
#define R_TDT		0x3818
#define R_TIDV		0x3820
#define R_TXDCTL	0x3828
#define R_TADV		0x382c
#define R_STATS		0x4000
#define R_RXCSUM	0x5000
#define R_MTA		0x5200
#define R_RA		0x5400
#define R_VFTA		0x5600
#define R_MANC		0x5820

#define CTRL_RST	(1u << 26)
#define CTRL_VME	(1u << 30)
#define STATUS_FD	(1u << 0)
#define STATUS_LU	(1u << 1)
#define STATUS_1000	(1u << 7)
#define ICR_TXDW	(1u << 0)
#define ICR_TXQE	(1u << 1)
#define ICR_RXDMT0	(1u << 4)
#define ICR_RXT0	(1u << 7)
#define ICR_ASSERTED	(1u << 31)
#define RCTL_EN		(1u << 1)
#define RCTL_UPE	(1u << 3)
#define RCTL_MPE	(1u << 4)
#define RCTL_BAM	(1u << 15)
#define RCTL_BSEX	(1u << 25)
#define RCTL_SECRC	(1u << 26)
#define TCTL_EN		(1u << 1)
#define RAH_AV		(1u << 31)

/* TX descriptor command bits (byte 11) and the data/context type. */
#define TXD_EOP		0x01
#define TXD_IC		0x04	/* legacy: insert checksum */
#define TXD_TSE		0x04	/* extended: segmentation */
#define TXD_RS		0x08
#define TXD_DEXT	0x20
#define TXD_VLE		0x40
#define DTYP_DATA	1
#define TUCMD_TCP	0x01
#define TUCMD_IP	0x02	/* IPv4 */
#define POPTS_IXSM	0x01
#define POPTS_TXSM	0x02
#define RXD_DD		0x01
#define RXD_EOP		0x02
#define RXD_IXSM	0x04

#define MAX_RING	(1u << 20)	/* RDLEN/TDLEN: 20 bits */
#define MAX_FRAME	16384u		/* without segmentation */


/* ---- interrupts ---- */

static uint64_t now(struct e1000 *n)
{
	return n->dev.env->now_ns ? n->dev.env->now_ns(n->dev.env->ctx) : 0;
}

/* The pin follows the device's assertion unless INTx is disabled. */
static void apply_line(struct e1000 *n)
{
	uint16_t cmd = (uint16_t)pci_header_read(&n->hdr, PCI_COMMAND, 2);
	bool want = n->irq_level && !(cmd & PCI_COMMAND_INTX_DISABLE);

	if (want == n->line)
		return;
	n->line = want;
	n->dev.env->set_irq(n->dev.env->ctx, n->gsi, want);
}

static void set_line(struct e1000 *n, bool level)
{
	if (level && !n->irq_level) {
		n->st.irqs++;
		n->irq_ok_at = now(n) + (uint64_t)(n->itr & 0xffff) * 256;
	}
	n->irq_level = level;
	apply_line(n);
}

/* The line follows ICR & IMS; a rising edge waits for ITR's interval. */
static void irq_update(struct e1000 *n)
{
	uint64_t t;

	if (!(n->icr & n->ims)) {
		n->irq_due = UINT64_MAX;
		set_line(n, false);
		return;
	}
	if (n->irq_level)
		return;
	t = now(n);
	if (t < n->irq_ok_at) {
		n->irq_due = n->irq_ok_at;
		return;
	}
	n->irq_due = UINT64_MAX;
	set_line(n, true);
}

static void raise(struct e1000 *n, uint32_t cause)
{
	n->icr |= cause;
	irq_update(n);
}

/* ---- reset and link ---- */

static bool link_up(const struct e1000 *n)
{
	return n->port.sw != NULL;
}

static void regs_reset(struct e1000 *n)
{
	uint8_t mac[6];

	for (unsigned int i = 0; i < 3; i++) {
		mac[2 * i] = (uint8_t)n->eeprom[i];
		mac[2 * i + 1] = (uint8_t)(n->eeprom[i] >> 8);
	}
	/* Registers and the state of the EEPROM, moderation and TX. */
	memset(&n->ctrl, 0, offsetof(struct e1000, st) -
			    offsetof(struct e1000, ctrl));
	n->vet = 0x8100;
	e1000_phy_reset(n);
	n->ra[0] = (uint32_t)mac[0] | mac[1] << 8 | mac[2] << 16 |
		   (uint32_t)mac[3] << 24;
	n->ra[1] = (uint32_t)mac[4] | mac[5] << 8 | RAH_AV;
	n->irq_due = UINT64_MAX;
	n->tx_first = true;
	n->stopped = false;
	set_line(n, false);
}

/*
 * A broken ring: the device stops until the guest resets it.  A reset
 * re-arms the stop, so a guest that breaks and resets its ring in a loop
 * would write a line each time: the line is rate limited, and counts the
 * stops it did not show.
 */
static void stop(struct e1000 *n, const char *why)
{
	uint64_t t = now(n);

	if (n->stopped)
		return;
	n->stopped = true;
	n->st.stops++;
	if (n->stop_logged && t < n->log_after) {
		n->log_missed++;
		return;
	}
	pr_warn("e1000 %02x:%02x:%02x:%02x:%02x:%02x: %s: device stopped until reset (%llu more since the last line)",
		n->port.mac[0], n->port.mac[1], n->port.mac[2], n->port.mac[3],
		n->port.mac[4], n->port.mac[5], why,
		(unsigned long long)n->log_missed);
	n->stop_logged = true;
	n->log_missed = 0;
	n->log_after = t + E1000_LOG_INTERVAL_NS;
}

static bool dma_on(struct e1000 *n)
{
	uint16_t cmd = (uint16_t)pci_header_read(&n->hdr, PCI_COMMAND, 2);

	return !n->stopped && (cmd & PCI_COMMAND_MASTER);
}

static int dma_rd(struct e1000 *n, uint64_t gpa, void *buf, uint64_t len)
{
	return n->dev.env->dma_read(n->dev.env->ctx, gpa, buf, len);
}

static int dma_wr(struct e1000 *n, uint64_t gpa, const void *buf,
		  uint64_t len)
{
	return n->dev.env->dma_write(n->dev.env->ctx, gpa, buf, len);
}

/* Descriptors in the ring, or 0 (device stopped) when it is malformed. */
static uint32_t ring_size(struct e1000 *n, uint32_t len, uint32_t head,
			  uint32_t tail, const char *which)
{
	uint32_t nr = len / 16;

	if (!len || len % 128 || len >= MAX_RING) {
		stop(n, which);
		return 0;
	}
	if (head >= nr || tail >= nr) {
		stop(n, which);
		return 0;
	}
	return nr;
}

/* ---- checksums and segmentation ---- */

static void send_frame(struct e1000 *n, struct vswitch_frame *f)
{
	n->st.tx_frames++;
	n->st.tx_bytes += f->len;
	n->stat[(0x4080 - R_STATS) / 4]++;		/* GPTC */
	n->stat[(0x40d4 - R_STATS) / 4]++;		/* TPT */
	n->stat[(0x4090 - R_STATS) / 4] += f->len;	/* GOTCL */
	if (n->port.sw)
		vswitch_send(&n->port, f);
	else
		vswitch_frame_put(f);
}

/* A copy of bytes with the VLAN tag inserted after the MACs, if asked. */
static struct vswitch_frame *frame_of(struct e1000 *n, const uint8_t *p,
				      uint32_t len, bool vlan)
{
	struct vswitch_frame *f = vswitch_frame_alloc(len + (vlan ? 4 : 0));

	if (!f) {
		n->st.tx_dropped++;
		return NULL;
	}
	if (!vlan) {
		memcpy(f->data, p, len);
		return f;
	}
	memcpy(f->data, p, 12);
	net_put_be16(f->data + 12, (uint16_t)n->vet);
	net_put_be16(f->data + 14, n->tx_vlan);
	memcpy(f->data + 16, p + 12, len - 12);
	return f;
}

/*
 * TCP segmentation: each segment gets the headers, its share of the
 * payload, its IP length (and IPv4 id and checksum), its sequence
 * number, FIN and PSH only on the last, and its TCP checksum from the
 * pseudo-header sum the driver left (without the length).
 */
static void tso_send(struct e1000 *n, bool vlan)
{
	const struct e1000_txctx *c = &n->ctx;
	uint32_t hl = c->hdr_len, pay = n->tx_len - hl, mss = c->mss;
	uint16_t ip_id = net_get_be16(n->tx_buf + c->ipcss + 4);
	uint16_t pseudo = net_get_be16(n->tx_buf + c->tucso);
	uint32_t seq;
	uint8_t *h;

	if (!mss || hl + 20 > n->tx_len || c->tucss + 20u > hl ||
	    c->ipcss + 20u > c->tucss || c->tucso + 2u > hl ||
	    ((c->tucmd & TUCMD_IP) && c->ipcso + 2u > hl) ||
	    hl + mss > MAX_FRAME || !(c->tucmd & TUCMD_TCP)) {
		n->st.tx_dropped++;
		return;
	}
	seq = (uint32_t)net_get_be16(n->tx_buf + c->tucss + 4) << 16 |
	      net_get_be16(n->tx_buf + c->tucss + 6);
	for (uint32_t off = 0; off < pay; off += mss) {
		uint32_t seg = MIN(mss, pay - off), len = hl + seg;
		struct vswitch_frame *f = vswitch_frame_alloc(len);

		if (!f) {
			n->st.tx_dropped++;
			return;
		}
		h = f->data;
		memcpy(h, n->tx_buf, hl);
		memcpy(h + hl, n->tx_buf + hl + off, seg);
		if (c->tucmd & TUCMD_IP) {
			net_put_be16(h + c->ipcss + 2, (uint16_t)(len - c->ipcss));
			net_put_be16(h + c->ipcss + 4, (uint16_t)(ip_id + off / mss));
			net_put_be16(h + c->ipcso, 0);
			net_csum_insert(h, len, c->ipcss, c->ipcso, c->ipcse);
		} else {
			net_put_be16(h + c->ipcss + 4,
				 (uint16_t)(len - c->ipcss - 40));
		}
		net_put_be16(h + c->tucss + 4, (uint16_t)((seq + off) >> 16));
		net_put_be16(h + c->tucss + 6, (uint16_t)(seq + off));
		if (off + seg < pay)
			h[c->tucss + 13] &= (uint8_t)~0x09;	/* FIN, PSH */
		net_put_be16(h + c->tucso, net_fold((uint32_t)pseudo + len - c->tucss));
		net_csum_insert(h, len, c->tucss, c->tucso, 0);
		if (off)
			n->tx_cost++;	/* a segment more than its descriptor */
		if (vlan) {
			struct vswitch_frame *v = frame_of(n, h, len, true);

			vswitch_frame_put(f);
			if (!v)
				return;
			f = v;
		}
		send_frame(n, f);
	}
}

/* The gathered frame is complete: offloads, then onto the switch. */
static void tx_finish(struct e1000 *n)
{
	bool vlan = (n->tx_cmd & TXD_VLE) && (n->ctrl & CTRL_VME);
	const struct e1000_txctx *c = &n->ctx;
	struct vswitch_frame *f;

	if (n->tx_bad || n->tx_len < 14) {
		n->st.tx_dropped++;
		return;
	}
	if ((n->tx_cmd & TXD_DEXT) && (n->tx_cmd & TXD_TSE)) {
		tso_send(n, vlan);
		return;
	}
	if (n->tx_len > MAX_FRAME) {
		n->st.tx_dropped++;
		return;
	}
	if (!(n->tx_cmd & TXD_DEXT) && (n->tx_cmd & TXD_IC))
		net_csum_insert(n->tx_buf, n->tx_len, n->tx_css, n->tx_cso, 0);
	if ((n->tx_cmd & TXD_DEXT) && (n->tx_popts & POPTS_IXSM))
		net_csum_insert(n->tx_buf, n->tx_len, c->ipcss, c->ipcso, c->ipcse);
	if ((n->tx_cmd & TXD_DEXT) && (n->tx_popts & POPTS_TXSM))
		net_csum_insert(n->tx_buf, n->tx_len, c->tucss, c->tucso, c->tucse);
	f = frame_of(n, n->tx_buf, n->tx_len, vlan);
	if (f)
		send_frame(n, f);
}

/* ---- TX ---- */

static void tx_context(struct e1000 *n, const uint8_t *d)
{
	struct e1000_txctx *c = &n->ctx;

	c->ipcss = d[0];
	c->ipcso = d[1];
	c->ipcse = (uint16_t)(d[2] | d[3] << 8);
	c->tucss = d[4];
	c->tucso = d[5];
	c->tucse = (uint16_t)(d[6] | d[7] << 8);
	c->tucmd = d[11];
	c->hdr_len = d[13];
	c->mss = (uint16_t)(d[14] | d[15] << 8);
}

/* One data or legacy descriptor's buffer onto the frame being built. */
static int tx_data(struct e1000 *n, const uint8_t *d)
{
	uint64_t addr;
	uint32_t lower = (uint32_t)d[8] | d[9] << 8 | d[10] << 16 |
			 (uint32_t)d[11] << 24;
	uint8_t cmd = d[11];
	bool ext = cmd & TXD_DEXT;
	uint32_t len = ext ? lower & 0xfffff : lower & 0xffff;

	memcpy(&addr, d, 8);
	if (n->tx_first) {
		n->tx_cmd = cmd;
		n->tx_popts = ext ? d[13] : 0;
		n->tx_cso = d[10];
		n->tx_css = d[13];
		n->tx_first = false;
	}
	if (cmd & TXD_EOP) {
		n->tx_cmd = (uint8_t)((n->tx_cmd & ~TXD_VLE) | (cmd & TXD_VLE));
		n->tx_vlan = (uint16_t)(d[14] | d[15] << 8);
	}
	if (len > E1000_TX_BUF - n->tx_len) {
		n->tx_bad = true;	/* too long: dropped at EOP */
	} else if (len && !n->tx_bad) {
		if (dma_rd(n, addr, n->tx_buf + n->tx_len, len)) {
			stop(n, "TX buffer outside guest RAM");
			return -PVKIT_EFAULT;
		}
		n->tx_len += len;
	}
	if (cmd & TXD_EOP) {
		tx_finish(n);
		n->tx_len = 0;
		n->tx_first = true;
		n->tx_bad = false;
	}
	return 0;
}

/*
 * At most E1000_TX_BATCH descriptors, a segment of a TSO frame beyond
 * the first counting as one more: with an MSS of 1 a single descriptor
 * makes thousands of frames.  True when some are left.
 */
static bool tx_run(struct e1000 *n)
{
	uint64_t base = (uint64_t)n->tdba_hi << 32 | (n->tdba_lo & ~0xfu);
	uint32_t nr;
	uint8_t d[16], dd;

	if (!(n->tctl & TCTL_EN) || !dma_on(n) || n->tdh == n->tdt)
		return false;
	nr = ring_size(n, n->tdlen, n->tdh, n->tdt, "TX ring or TDT outside the ring");
	if (!nr)
		return false;
	n->tx_cost = 0;
	while (n->tdh != n->tdt && n->tx_cost < E1000_TX_BATCH) {
		uint64_t at = base + (uint64_t)n->tdh * 16;

		if (dma_rd(n, at, d, sizeof(d))) {
			stop(n, "TX ring outside guest RAM");
			return false;
		}
		if ((d[11] & TXD_DEXT) && !((d[10] >> 4) & DTYP_DATA))
			tx_context(n, d);
		else if (tx_data(n, d))
			return false;
		dd = d[12] | RXD_DD;
		if ((d[11] & TXD_RS) && dma_wr(n, at + 12, &dd, 1)) {
			stop(n, "TX ring outside guest RAM");
			return false;
		}
		n->tdh = (n->tdh + 1) % nr;
		n->tx_cost++;
	}
	raise(n, ICR_TXDW | (n->tdh == n->tdt ? ICR_TXQE : 0));
	return n->tdh != n->tdt;
}

/* ---- RX ---- */

static bool mta_match(const struct e1000 *n, const uint8_t *dst)
{
	static const uint8_t shift[4] = { 4, 3, 2, 0 };
	unsigned int mo = (n->rctl >> 12) & 3;
	uint32_t h = ((uint32_t)dst[4] >> shift[mo] |
		      (uint32_t)dst[5] << (8 - shift[mo])) & 0xfff;

	return n->mta[h >> 5] & (1u << (h & 31));
}

static bool rx_accept(const struct e1000 *n, const uint8_t *dst)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (!memcmp(dst, bcast, 6))
		return n->rctl & (RCTL_BAM | RCTL_MPE | RCTL_UPE);
	if (dst[0] & 1)
		return (n->rctl & (RCTL_MPE | RCTL_UPE)) || mta_match(n, dst);
	if (n->rctl & RCTL_UPE)
		return true;
	for (unsigned int i = 0; i < 16; i++) {
		uint32_t lo = n->ra[2 * i], hi = n->ra[2 * i + 1];

		if ((hi & RAH_AV) && dst[0] == (uint8_t)lo &&
		    dst[1] == (uint8_t)(lo >> 8) &&
		    dst[2] == (uint8_t)(lo >> 16) &&
		    dst[3] == (uint8_t)(lo >> 24) && dst[4] == (uint8_t)hi &&
		    dst[5] == (uint8_t)(hi >> 8))
			return true;
	}
	return false;
}

static uint32_t rx_buf_size(const struct e1000 *n)
{
	static const uint32_t sizes[2][4] = {
		{ 2048, 1024, 512, 256 }, { 2048, 16384, 8192, 4096 },
	};

	return sizes[!!(n->rctl & RCTL_BSEX)][(n->rctl >> 16) & 3];
}

static uint32_t rx_free(const struct e1000 *n, uint32_t nr)
{
	return (n->rdt + nr - n->rdh) % nr;
}

/*
 * One frame into as many descriptors as its length needs: false (the
 * frame stays queued) when the guest has not posted enough, or when the
 * device stopped.  The FCS is not computed: unless SECRC, 4 zero bytes
 * stand in for it, which the driver strips unread.
 */
static bool rx_frame(struct e1000 *n, uint64_t base, uint32_t nr,
		     const struct vswitch_frame *f)
{
	static const uint8_t zeros[4];
	uint32_t bsz = rx_buf_size(n), crc = n->rctl & RCTL_SECRC ? 0 : 4;
	uint32_t total = f->len + crc, off = 0;
	uint8_t d[16];

	if ((total + bsz - 1) / bsz > rx_free(n, nr)) {
		n->st.rx_no_desc++;
		return false;
	}
	while (off < total) {
		uint64_t at = base + (uint64_t)n->rdh * 16, buf;
		uint32_t chunk = MIN(bsz, total - off);
		uint32_t data = off < f->len ? MIN(chunk, f->len - off) : 0;

		if (dma_rd(n, at, d, sizeof(d))) {
			stop(n, "RX ring outside guest RAM");
			return false;
		}
		memcpy(&buf, d, 8);
		if ((data && dma_wr(n, buf, f->data + off, data)) ||
		    (chunk > data &&
		     dma_wr(n, buf + data, zeros, chunk - data))) {
			stop(n, "RX buffer outside guest RAM");
			return false;
		}
		off += chunk;
		memset(d + 8, 0, 8);
		d[8] = (uint8_t)chunk;
		d[9] = (uint8_t)(chunk >> 8);
		d[12] = RXD_DD | RXD_IXSM | (off == total ? RXD_EOP : 0);
		if (dma_wr(n, at + 8, d + 8, 8)) {
			stop(n, "RX ring outside guest RAM");
			return false;
		}
		n->rdh = (n->rdh + 1) % nr;
	}
	return true;
}

static void rx_count(struct e1000 *n, uint32_t len)
{
	n->st.rx_frames++;
	n->st.rx_bytes += len;
	n->stat[(0x4074 - R_STATS) / 4]++;		/* GPRC */
	n->stat[(0x40d0 - R_STATS) / 4]++;		/* TPR */
	n->stat[(0x4088 - R_STATS) / 4] += len;		/* GORCL */
}

/* At most E1000_RX_BATCH frames; true when frames and room are left. */
static bool rx_run(struct e1000 *n)
{
	uint64_t base = (uint64_t)n->rdba_hi << 32 | (n->rdba_lo & ~0xfu);
	struct vswitch_frame *f;
	unsigned int done = 0;
	uint32_t nr = 0;

	while (done < E1000_RX_BATCH && (f = vswitch_peek(&n->port))) {
		bool on = (n->rctl & RCTL_EN) && dma_on(n);

		if (on && !nr)
			nr = ring_size(n, n->rdlen, n->rdh, n->rdt,
				       "RX ring or RDT outside the ring");
		if (on && nr && rx_accept(n, f->data)) {
			if (!rx_frame(n, base, nr, f))
				break;
			rx_count(n, f->len);
			done++;
		} else {
			n->st.rx_filtered++;	/* off, stopped or not ours */
		}
		f = vswitch_pop(&n->port);
		if (f)
			vswitch_frame_put(f);
	}
	if (done) {
		uint32_t left = rx_free(n, nr), thr = nr >> (((n->rctl >> 8) & 3) + 1);

		raise(n, ICR_RXT0 | (left <= thr ? ICR_RXDMT0 : 0));
	}
	return done == E1000_RX_BATCH && vswitch_peek(&n->port);
}

bool e1000_work(struct e1000 *n)
{
	bool more = tx_run(n);

	return rx_run(n) || more;
}

/* A TX batch that left descriptors asks for a work call to go on. */
static void tx_kick(struct e1000 *n)
{
	if (tx_run(n) && n->port.kick)
		n->port.kick(&n->port);
}

/* ---- register access ---- */

static uint32_t *reg_array(struct e1000 *n, uint32_t off)
{
	if (off >= R_MTA && off < R_MTA + sizeof(n->mta))
		return &n->mta[(off - R_MTA) / 4];
	if (off >= R_RA && off < R_RA + sizeof(n->ra))
		return &n->ra[(off - R_RA) / 4];
	if (off >= R_VFTA && off < R_VFTA + sizeof(n->vfta))
		return &n->vfta[(off - R_VFTA) / 4];
	return NULL;
}

static uint32_t *reg_plain(struct e1000 *n, uint32_t off)
{
	switch (off) {
	case R_CTRL_EXT: return &n->ctrl_ext;
	case R_VET: return &n->vet;
	case R_ITR: return &n->itr;
	case R_TCTL: return &n->tctl;
	case R_TIPG: return &n->tipg;
	case R_RDBAL: return &n->rdba_lo;
	case R_RDBAH: return &n->rdba_hi;
	case R_RDLEN: return &n->rdlen;
	case R_RDTR: return &n->rdtr;
	case R_RADV: return &n->radv;
	case R_TDBAL: return &n->tdba_lo;
	case R_TDBAH: return &n->tdba_hi;
	case R_TDLEN: return &n->tdlen;
	case R_TIDV: return &n->tidv;
	case R_TXDCTL: return &n->txdctl;
	case R_TADV: return &n->tadv;
	case R_RXCSUM: return &n->rxcsum;
	case R_MANC: return &n->manc;
	case R_MDIC: return &n->mdic;
	case R_EERD: return &n->eerd;
	case R_RDH: return &n->rdh;
	case R_RDT: return &n->rdt;
	case R_TDH: return &n->tdh;
	case R_TDT: return &n->tdt;
	default: return reg_array(n, off);
	}
}

static uint32_t reg_read(struct e1000 *n, uint32_t off)
{
	uint32_t *r, v;

	switch (off) {
	case R_CTRL:
		return n->ctrl;
	case R_STATUS:
		return link_up(n) ? STATUS_FD | STATUS_LU | STATUS_1000 : 0;
	case R_EECD:
		return e1000_eecd_read(n);
	case R_ICR:
		v = n->icr ? n->icr | ICR_ASSERTED : 0;
		n->icr = 0;
		irq_update(n);
		return v;
	case R_IMS:
		return n->ims;
	case R_RCTL:
		return n->rctl;
	}
	if (off >= R_STATS && off < R_STATS + sizeof(n->stat)) {
		v = n->stat[(off - R_STATS) / 4];
		n->stat[(off - R_STATS) / 4] = 0;
		return v;
	}
	r = reg_plain(n, off);
	return r ? *r : 0;
}

static void ctrl_write(struct e1000 *n, uint32_t val)
{
	if (val & CTRL_RST) {
		regs_reset(n);
		return;
	}
	n->ctrl = val;
}

static void reg_write(struct e1000 *n, uint32_t off, uint32_t val)
{
	uint32_t *r;

	switch (off) {
	case R_CTRL: ctrl_write(n, val); return;
	case R_STATUS: return;
	case R_EECD: e1000_eecd_write(n, val); return;
	case R_EERD: e1000_eerd_write(n, val); return;
	case R_MDIC: e1000_mdic_write(n, val); return;
	case R_ICR: n->icr &= ~val; irq_update(n); return;
	case R_ICS: raise(n, val & 0x1ffff); return;
	case R_IMS: n->ims |= val & 0x1ffff; irq_update(n); return;
	case R_IMC: n->ims &= ~val; irq_update(n); return;
	case R_RCTL:
		n->rctl = val;
		e1000_work(n);
		return;
	case R_RDH: case R_RDT: case R_TDH: case R_TDT:
		/* Head and tail are checked where they are used. */
		reg_plain(n, off)[0] = val & 0xffff;
		if (off == R_RDT)
			e1000_work(n);
		else if (off == R_TDT)
			tx_kick(n);
		return;
	}
	if (off >= R_STATS && off < R_STATS + sizeof(n->stat))
		return;
	r = reg_plain(n, off);
	if (r)
		*r = val;
	if (off == R_TCTL)
		tx_kick(n);
	if (off == R_ITR && n->irq_due != UINT64_MAX)
		irq_update(n);
}

static int e1000_mmio(struct emul_device *dev, struct io_access *io)
{
	struct e1000 *n = dev->priv;
	uint64_t off = io->addr - n->bar;

	if (off >= E1000_MMIO_SIZE || io->size != 4 || (off & 3)) {
		if (!io->write)
			io->val = 0;
		return 0;
	}
	if (io->write)
		reg_write(n, (uint32_t)off, (uint32_t)io->val);
	else
		io->val = reg_read(n, (uint32_t)off);
	return 0;
}

/* IOADDR at +0 picks a register, IODATA at +4 reads or writes it. */
static int e1000_pio(struct emul_device *dev, struct io_access *io)
{
	struct e1000 *n = dev->priv;
	uint64_t off = io->addr - n->io_base;
	uint16_t cmd = (uint16_t)pci_header_read(&n->hdr, PCI_COMMAND, 2);
	bool ok = off < E1000_IO_SIZE && io->size == 4 && !(off & 3) &&
		  (cmd & PCI_COMMAND_IO) &&
		  pci_header_bar_addr(&n->hdr, 1) == n->io_base;

	if (!ok) {
		if (!io->write)
			io->val = 0xffffffffu;
		return 0;
	}
	if (off == 0) {
		if (io->write)
			n->ioaddr = (uint32_t)io->val & (E1000_MMIO_SIZE - 4);
		else
			io->val = n->ioaddr;
	} else if (io->write) {
		reg_write(n, n->ioaddr, (uint32_t)io->val);
	} else {
		io->val = reg_read(n, n->ioaddr);
	}
	return 0;
}

static void e1000_poll(struct emul_device *dev, uint64_t now_ns)
{
	struct e1000 *n = dev->priv;

	if (n->irq_due != UINT64_MAX && now_ns >= n->irq_due)
		irq_update(n);
}

static uint64_t e1000_next_deadline(struct emul_device *dev)
{
	struct e1000 *n = dev->priv;

	return n->irq_due;
}

static const struct emul_device_ops e1000_ops = {
	.name = "e1000",
	.pio = e1000_pio,
	.mmio = e1000_mmio,
	.poll = e1000_poll,
	.next_deadline = e1000_next_deadline,
};

/* ---- configuration space ---- */

static void follow_bar(struct e1000 *n)
{
	pci_header_follow_mem_bar(&n->hdr, 0, &n->dev, E1000_MMIO_SIZE,
				  &n->bar, &n->decoding);
}

static uint32_t cfg_read(void *opaque, unsigned int reg, unsigned int size)
{
	struct e1000 *n = opaque;

	return pci_header_read(&n->hdr, reg, size);
}

static void cfg_write(void *opaque, unsigned int reg, unsigned int size,
		      uint32_t val)
{
	struct e1000 *n = opaque;

	pci_header_write(&n->hdr, reg, size, val);
	follow_bar(n);
	apply_line(n);
}

const struct pci_function_ops e1000_cfg_ops = {
	.cfg_read = cfg_read,
	.cfg_write = cfg_write,
};

void e1000_init(struct e1000 *n, const struct emul_env *env,
		const uint8_t mac[6], unsigned int gsi, uint64_t mmio_base,
		uint16_t io_base)
{
	memset(n, 0, sizeof(*n));
	n->dev = (struct emul_device){ &e1000_ops, env, n };
	n->port.priv = n;
	memcpy(n->port.mac, mac, 6);
	n->gsi = gsi;
	n->io_base = io_base;
	pci_header_init(&n->hdr, 0x8086, 0x100e, 0x020000, 3);
	n->hdr.cfg[PCI_SUBSYSTEM_ID] = 0x1e;
	n->hdr.cfg[PCI_SUBSYSTEM_ID + 1] = 0;
	n->hdr.cfg[PCI_INTERRUPT_PIN] = 1;
	n->hdr.cfg[PCI_INTERRUPT_LINE] = (uint8_t)gsi;
	pci_header_set_bar(&n->hdr, 0, E1000_MMIO_SIZE, PCI_BAR_MEM32);
	pci_header_set_bar(&n->hdr, 1, E1000_IO_SIZE, PCI_BAR_IO);
	/* Placed and enabled as firmware would, so the guest keeps them. */
	pci_header_write(&n->hdr, PCI_BAR0, 4, (uint32_t)mmio_base);
	pci_header_write(&n->hdr, PCI_BAR0 + 4, 4, io_base);
	pci_header_write(&n->hdr, PCI_COMMAND, 2, PCI_COMMAND_MEMORY |
			 PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	n->bar = mmio_base;
	n->decoding = true;
	e1000_eeprom_build(n, mac);
	regs_reset(n);
}
