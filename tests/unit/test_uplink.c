// SPDX-License-Identifier: GPL-2.0
/*
 * The switch's uplink (hypervisor/net/uplink_virtio.c) with the real
 * virtqueues and switch, against a fake virtio-net device that reads
 * the avail rings and writes the used rings as QEMU's would, or as a
 * broken one might.  Only VERSION_1 and MAC are asked for; a received
 * frame reaches a guest's port byte for byte and its buffer goes back on
 * the ring; a guest's frame to an unknown MAC floods to the device with
 * a zero header and the frame itself (no copy), and waits at the port
 * while the TX ring is full; a frame over the device's
 * MTU is dropped; a used length too short for the headers or a header
 * asking for offload is dropped and counted, the ring going on (a
 * DATA_VALID flag alone passes); a used
 * length past the buffer posted, or a TX id not in flight, resets the
 * device and takes the uplink off the switch, once and for good.  Once
 * the domains are built, its work and MSI-X go to the spare pCPU, and
 * stay where they are when there is none.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/msi.h>
#include <hv/mm.h>
#include <hv/pci.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/uplink.h>
#include <hv/virtio.h>
#include <hv/vswitch.h>
#include <hv/work.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define QSIZE		8
#define HDR		12
#define RX_BUFS		(QSIZE / 2)	/* header and frame: two descriptors */
#define VNET_F_MAC	(1ull << 5)

struct pcpu *pcpus[CONFIG_NR_CPUS];

static const uint8_t dev_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t guest_mac[6] = { 0x02, 0x50, 0, 0, 0, 1 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct pci_dev pdev;
static uint64_t wanted;
static unsigned int resets, errors_logged, work_queued;
static char last_log[512];
static struct work *uplink_w;
static msi_handler_t irq_fn;
static void *irq_arg;
static struct vswitch_port guest;
static struct pcpu boot_pc, spare_pc = { .id = 1, .apic_id = 7 };
static struct pcpu *spare;
static uint32_t aimed_at = ~0u;
/* A broken uplink's memory stays (the device may hold it): kept here. */
static void *volatile first_uplink;

/* ---- what the uplink needs from the rest of the hypervisor ---- */

struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned int nth)
{
	return vendor == VIRTIO_PCI_VENDOR && device == 0x1041 && !nth ?
	       &pdev : NULL;
}

bool pci_claim(struct pci_dev *dev)
{
	(void)dev;
	return true;
}

int virtio_pci_init(struct virtio_pci *vp, struct pci_dev *p)
{
	vp->pdev = p;
	return 0;
}

int virtio_negotiate(struct virtio_pci *vp, uint64_t w)
{
	wanted = w;
	vp->features = VIRTIO_F_VERSION_1 | (w & VNET_F_MAC);
	return 0;
}

int virtio_pci_irq(struct virtio_pci *vp, uint8_t vector)
{
	vp->msix = vector != 0;
	return vector ? 0 : -1;
}

void virtio_driver_ok(struct virtio_pci *vp)
{
	(void)vp;
}

int virtio_reset(struct virtio_pci *vp)
{
	(void)vp;
	resets++;
	return 0;
}

void virtio_fail(struct virtio_pci *vp)
{
	(void)vp;
}

uint8_t virtio_cfg_read8(struct virtio_pci *vp, unsigned int off)
{
	(void)vp;
	return off < 6 ? dev_mac[off] : 0;
}

uint8_t msi_vector_alloc(msi_handler_t fn, void *arg)
{
	irq_fn = fn;
	irq_arg = arg;
	return 0x40;
}

uint64_t pages_alloc_zeroed(uint64_t nr, uint64_t align)
{
	void *p = aligned_alloc(align, nr * PAGE_SIZE);

	if (p)
		memset(p, 0, nr * PAGE_SIZE);
	return (uint64_t)(uintptr_t)p;
}

void pages_free(uint64_t pa, uint64_t nr)
{
	(void)nr;
	free((void *)(uintptr_t)pa);
}

void *kmalloc(size_t size)
{
	return malloc(size);
}

void *kzalloc(size_t size)
{
	return calloc(1, size);
}

void kfree(void *p)
{
	free(p);
}

void work_init(struct work *w, struct pcpu *pc, work_fn fn)
{
	memset(w, 0, sizeof(*w));
	w->fn = fn;
	w->pc = pc;
	uplink_w = w;
}

void work_move(struct work *w, struct pcpu *to)
{
	w->pc = to;
}

struct pcpu *sched_spare_pcpu(void)
{
	return spare;
}

void pci_msix_aim(struct pci_dev *dev, uint32_t apic_id)
{
	EXPECT(dev == &pdev);
	aimed_at = apic_id;
}

void work_queue(struct work *w)
{
	(void)w;
	work_queued++;
}

void work_queue_at(struct work *w, uint64_t due)
{
	(void)w;
	(void)due;
}

uint64_t now_ns(void)
{
	return 0;
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_ERR)
		errors_logged++;
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	printf("# log: %s\n", last_log);
}

/* ---- the fake device: queue 0 receives, queue 1 transmits ---- */

struct fake_q {
	struct virtq_desc *desc;
	volatile uint16_t *avail;
	volatile uint8_t *used;
	uint16_t size, avail_seen, used_idx;
	uint16_t notify;
};

static struct fake_q fq[2];

uint16_t virtio_queue_max(struct virtio_pci *vp, uint16_t index)
{
	(void)vp;
	return index < 2 ? QSIZE : 0;
}

int virtio_queue_setup(struct virtio_pci *vp, uint16_t index, uint16_t size,
		       uint64_t desc, uint64_t avail, uint64_t used,
		       volatile uint16_t **notify)
{
	struct fake_q *q = &fq[index];

	(void)vp;
	q->desc = (struct virtq_desc *)(uintptr_t)desc;
	q->avail = (volatile uint16_t *)(uintptr_t)avail;
	q->used = (volatile uint8_t *)(uintptr_t)used;
	q->size = size;
	*notify = &q->notify;
	return 0;
}

static int dev_pop(struct fake_q *q)
{
	if (q->avail_seen == q->avail[1])
		return -1;
	return q->avail[2 + q->avail_seen++ % q->size];
}

static unsigned int dev_avail(const struct fake_q *q)
{
	return (uint16_t)(q->avail[1] - q->avail_seen);
}

static void dev_push(struct fake_q *q, uint32_t id, uint32_t len)
{
	volatile uint32_t *e = (volatile uint32_t *)(q->used + 4 +
						     8 * (q->used_idx % q->size));

	e[0] = id;
	e[1] = len;
	*(volatile uint16_t *)(q->used + 2) = ++q->used_idx;
}

/*
 * Moves len bytes between buf and the chain at head, as the device's DMA
 * would: into the chain's buffers when to_chain, else out of them.  The
 * chain's length, and whether each buffer is device-writable as it
 * should be, are checked.  Returns the chain's total length.
 */
static uint32_t dev_chain(struct fake_q *q, int head, uint8_t *buf,
			  uint32_t len, bool to_chain)
{
	uint32_t total = 0;
	unsigned int n = 0;

	for (int i = head; n < q->size; i = q->desc[i].next) {
		const struct virtq_desc *d = &q->desc[i];
		uint8_t *p = (uint8_t *)(uintptr_t)d->addr;
		uint32_t k = len > d->len ? d->len : len;

		n++;
		EXPECT_EQ(!!(d->flags & VIRTQ_DESC_F_WRITE), to_chain);
		if (to_chain)
			memcpy(p, buf, k);
		else
			memcpy(buf, p, k);
		buf += k;
		len -= k;
		total += d->len;
		if (!(d->flags & VIRTQ_DESC_F_NEXT))
			break;
	}
	EXPECT_EQ(len, 0);
	return total;
}

/* Receives a frame: a virtio_net_hdr with flags, then frame; used len. */
static void dev_rx(const uint8_t *frame, uint32_t len, uint8_t flags,
		   uint32_t used_len)
{
	int head = dev_pop(&fq[0]);
	uint8_t buf[HDR + 1514] = { flags };

	EXPECT(head >= 0);
	if (head < 0)
		return;
	memcpy(buf + HDR, frame, len);
	EXPECT(dev_chain(&fq[0], head, buf, HDR + len, true) >= HDR + 1514);
	dev_push(&fq[0], (uint32_t)head, used_len);
}

static void run_work(void)
{
	while (uplink_w->fn(uplink_w))
		;
}

static void frame_make(uint8_t *f, const uint8_t *dst, const uint8_t *src,
		       uint32_t len, uint8_t tag)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	for (uint32_t i = 14; i < len; i++)
		f[i] = (uint8_t)(tag + i);
}

static void guest_send(const uint8_t *dst, uint32_t len, uint8_t tag)
{
	struct vswitch_frame *f = vswitch_frame_alloc(len);

	frame_make(f->data, dst, guest_mac, len, tag);
	vswitch_send(&guest, f);
}

static struct vswitch_port *uplink_port(void)
{
	struct vswitch *sw = vswitch_default();

	for (unsigned int i = 0; i < VSWITCH_PORTS; i++)
		if (sw->ports[i] && sw->ports[i] != &guest)
			return sw->ports[i];
	return NULL;
}

static void guest_kick(struct vswitch_port *p)
{
	(void)p;
}

/* ---- cases, in order: one device, broken by the last ---- */

static void test_probe(void)
{
	struct vswitch_port *up;

	guest.kick = guest_kick;
	EXPECT_EQ(vswitch_attach(vswitch_default(), &guest), 0);
	uplink_virtio_probe();
	/* VERSION_1 is the transport's; MAC is all the driver asks for. */
	EXPECT_EQ(wanted, VNET_F_MAC);
	up = uplink_port();
	EXPECT(up != NULL);
	if (up)
		EXPECT_MEMEQ(up->mac, dev_mac, 6);
	/* Every RX buffer (two descriptors each) posted and the device told. */
	EXPECT_EQ(dev_avail(&fq[0]), RX_BUFS);
	EXPECT_EQ(fq[0].notify, 0);
	EXPECT_EQ(dev_avail(&fq[1]), 0);
	EXPECT(strstr(last_log, "MSI-X") != NULL);
}

static void test_placed_on_the_spare_pcpu(void)
{
	/* Every pCPU runs a vCPU: the work stays on the boot CPU's. */
	uplink_w->pc = &boot_pc;
	uplink_place();
	EXPECT(uplink_w->pc == &boot_pc);
	EXPECT_EQ(aimed_at, ~0u);
	spare = &spare_pc;
	uplink_place();
	EXPECT(uplink_w->pc == &spare_pc);
	EXPECT_EQ(aimed_at, 7);
	EXPECT(strstr(last_log, "on pCPU 1") != NULL);
}

static void test_rx_to_guest(void)
{
	uint8_t frame[100];
	struct vswitch_frame *f;
	unsigned int queued = work_queued;

	frame_make(frame, bcast, dev_mac, sizeof(frame), 7);
	dev_rx(frame, sizeof(frame), 0, HDR + sizeof(frame));
	irq_fn(irq_arg);
	EXPECT_EQ(work_queued, queued + 1);
	run_work();
	f = vswitch_pop(&guest);
	EXPECT(f != NULL);
	if (!f)
		return;
	EXPECT_EQ(f->len, sizeof(frame));
	EXPECT_MEMEQ(f->data, frame, sizeof(frame));
	vswitch_frame_put(f);
	/* A buffer is back on the ring. */
	EXPECT_EQ(dev_avail(&fq[0]), RX_BUFS);
}

static void test_tx_flood_to_device(void)
{
	static const uint8_t unknown[6] = { 0x02, 0x99, 0, 0, 0, 9 };
	uint8_t want[200];

	/* Three rings' worth: slots come back as the device completes. */
	for (unsigned int i = 0; i < 3 * QSIZE; i++) {
		uint8_t buf[HDR + sizeof(want)];
		int head;

		guest_send(unknown, sizeof(want), (uint8_t)i);
		run_work();
		head = dev_pop(&fq[1]);
		EXPECT(head >= 0);
		if (head < 0)
			return;
		EXPECT_EQ(dev_chain(&fq[1], head, buf, sizeof(buf), false),
			  sizeof(buf));
		for (unsigned int k = 0; k < HDR; k++)
			EXPECT_EQ(buf[k], 0);
		frame_make(want, unknown, guest_mac, sizeof(want), (uint8_t)i);
		EXPECT_MEMEQ(buf + HDR, want, sizeof(want));
		dev_push(&fq[1], (uint32_t)head, 0);
	}
	run_work();
	EXPECT_EQ(vswitch_peek(uplink_port()), NULL);
}

static void test_tx_ring_full_frames_wait(void)
{
	static const uint8_t unknown[6] = { 0x02, 0x99, 0, 0, 0, 9 };
	const unsigned int fit = QSIZE / 2;	/* two descriptors a frame */
	int head;

	for (unsigned int i = 0; i < fit + 2; i++)
		guest_send(unknown, 80, (uint8_t)i);
	run_work();
	EXPECT_EQ(dev_avail(&fq[1]), fit);
	EXPECT(vswitch_peek(uplink_port()) != NULL);
	for (unsigned int i = 0; i < 2; i++) {
		head = dev_pop(&fq[1]);
		EXPECT(head >= 0);
		dev_push(&fq[1], (uint32_t)head, 0);
	}
	run_work();
	EXPECT_EQ(vswitch_peek(uplink_port()), NULL);
	EXPECT_EQ(dev_avail(&fq[1]), fit - 2 + 2);
	while ((head = dev_pop(&fq[1])) >= 0)
		dev_push(&fq[1], (uint32_t)head, 0);
	run_work();
	EXPECT_EQ(uplink_port()->stats.rx_drops, 0);
}

static void test_tx_over_mtu_dropped(void)
{
	static const uint8_t unknown[6] = { 0x02, 0x99, 0, 0, 0, 9 };

	guest_send(unknown, 1515, 1);
	run_work();
	EXPECT_EQ(dev_avail(&fq[1]), 0);
	uplink_log();
	EXPECT(strstr(last_log, "too big 1,") != NULL);
}

static void test_rx_bad_entries_dropped(void)
{
	struct vswitch_frame *f;
	uint8_t frame[60];

	frame_make(frame, bcast, dev_mac, sizeof(frame), 3);
	/* Shorter than header + Ethernet header; then an offload asked. */
	dev_rx(frame, sizeof(frame), 0, HDR + 13);
	dev_rx(frame, sizeof(frame), 1, HDR + sizeof(frame));
	dev_rx(frame, sizeof(frame), 0, 0);
	run_work();
	EXPECT_EQ(vswitch_peek(&guest), NULL);
	/* DATA_VALID alone is a whole frame: it goes through. */
	dev_rx(frame, sizeof(frame), 2, HDR + sizeof(frame));
	run_work();
	f = vswitch_pop(&guest);
	EXPECT(f != NULL);
	if (f)
		vswitch_frame_put(f);
	EXPECT_EQ(dev_avail(&fq[0]), RX_BUFS);
	EXPECT_EQ(errors_logged, 0);
	uplink_log();
	EXPECT(strstr(last_log, "bad from device 3,") != NULL);
	EXPECT(strstr(last_log, "broken") == NULL);
}

static void test_rx_len_past_buffer_breaks(void)
{
	uint8_t frame[60];
	int head;

	frame_make(frame, bcast, dev_mac, sizeof(frame), 5);
	head = dev_pop(&fq[0]);
	EXPECT(head >= 0);
	dev_push(&fq[0], (uint32_t)head,
		 dev_chain(&fq[0], head, frame, 0, true) + 1);
	run_work();
	EXPECT_EQ(vswitch_peek(&guest), NULL);
	EXPECT_EQ(resets, 1);
	EXPECT_EQ(errors_logged, 2);	/* the queue's and the uplink's */
	EXPECT_EQ(uplink_port(), NULL);
	/* Broken for good: nothing more is read from the device. */
	dev_rx(frame, sizeof(frame), 0, HDR + sizeof(frame));
	irq_fn(irq_arg);
	run_work();
	EXPECT_EQ(vswitch_peek(&guest), NULL);
	EXPECT_EQ(resets, 1);
	EXPECT_EQ(errors_logged, 2);
	uplink_log();
	EXPECT(strstr(last_log, "broken") != NULL);
}

/* A second device probed afresh; its TX completion names a free slot. */
static void test_tx_bad_id_breaks(void)
{
	static const uint8_t unknown[6] = { 0x02, 0x99, 0, 0, 0, 9 };
	int head;

	first_uplink = irq_arg;
	memset(fq, 0, sizeof(fq));
	resets = errors_logged = 0;
	uplink_virtio_probe();
	EXPECT(uplink_port() != NULL);
	guest_send(unknown, 64, 1);
	run_work();
	head = dev_pop(&fq[1]);
	EXPECT(head >= 0);
	dev_push(&fq[1], (uint32_t)(head + 1) % QSIZE, 0);
	run_work();
	EXPECT_EQ(resets, 1);
	EXPECT_EQ(errors_logged, 2);
	EXPECT_EQ(uplink_port(), NULL);
	/* The guest's frames now go nowhere, and nothing is left queued. */
	guest_send(unknown, 64, 2);
	EXPECT_EQ(guest.stats.tx_dropped, 1);
	vswitch_detach(&guest);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_probe),
	KTAP_CASE(test_placed_on_the_spare_pcpu),
	KTAP_CASE(test_rx_to_guest),
	KTAP_CASE(test_tx_flood_to_device),
	KTAP_CASE(test_tx_ring_full_frames_wait),
	KTAP_CASE(test_tx_over_mtu_dropped),
	KTAP_CASE(test_rx_bad_entries_dropped),
	KTAP_CASE(test_rx_len_past_buffer_breaks),
	KTAP_CASE(test_tx_bad_id_breaks),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
