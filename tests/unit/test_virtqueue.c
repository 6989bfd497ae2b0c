// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues (hypervisor/virtio/virtqueue.c) against a fake
 * device that reads the avail ring and writes the used ring as a real
 * one would, or as a broken one might: requests with direct chains and
 * indirect tables come back with their tokens, the ring fills and
 * drains, notifications honour the device's opt-out, and a used index
 * jump, an id out of range or not in flight, or a length past the
 * request's writable bytes is a device error that leaves the queue
 * broken (and logged once), never a bad token.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <pvkit/errno.h>
#include <hv/mm.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/virtio.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define QSIZE		8

static uint16_t dev_qsize = QSIZE;
static uint16_t notified, notify_reg;
static unsigned int errors_logged;
static struct pci_dev pdev;
static struct virtio_pci vp = { .pdev = &pdev };
static struct virtqueue vq;

/* ---- what virtqueue.c needs from the rest of the hypervisor ---- */

uint16_t virtio_queue_max(struct virtio_pci *v, uint16_t index)
{
	(void)v;
	return index ? 0 : dev_qsize;
}

int virtio_queue_setup(struct virtio_pci *v, uint16_t index, uint16_t size,
		       uint64_t desc, uint64_t avail, uint64_t used,
		       volatile uint16_t **notify)
{
	(void)v;
	(void)index;
	(void)desc;
	(void)avail;
	(void)used;
	*notify = &notify_reg;
	return size ? 0 : -1;
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

void *kzalloc(size_t size)
{
	return calloc(1, size);
}

void kfree(void *p)
{
	free(p);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_ERR)
		errors_logged++;
	fputs("# log: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* ---- the fake device ---- */

static uint16_t dev_avail_seen, dev_used_idx;

static volatile uint16_t *used_idx(void)
{
	return (volatile uint16_t *)(vq.used + 2);
}

/* The next head the driver made available, or -1. */
static int dev_pop(void)
{
	if (dev_avail_seen == vq.avail[1])
		return -1;
	return vq.avail[2 + dev_avail_seen++ % vq.size];
}

static void dev_push(uint32_t id, uint32_t len)
{
	volatile uint32_t *e = (volatile uint32_t *)(vq.used + 4 +
						     8 * (dev_used_idx % vq.size));

	e[0] = id;
	e[1] = len;
	*used_idx() = ++dev_used_idx;
}

static void setup(uint16_t device_size, bool indirect)
{
	dev_qsize = device_size;
	vp.features = VIRTIO_F_VERSION_1 | (indirect ? VIRTIO_F_INDIRECT_DESC : 0);
	dev_avail_seen = dev_used_idx = 0;
	errors_logged = 0;
	notified = 0;
	EXPECT_EQ(virtqueue_create(&vp, &vq, 0, 64), 0);
}

/* A header (device reads), a data buffer, a status byte (device writes). */
static void req3(struct virtq_desc *t, void *buf, uint32_t len)
{
	static uint8_t hdr[16], status;

	t[0] = (struct virtq_desc){ (uint64_t)(uintptr_t)hdr, 16, 0, 0 };
	t[1] = (struct virtq_desc){ (uint64_t)(uintptr_t)buf, len,
				    VIRTQ_DESC_F_WRITE, 0 };
	t[2] = (struct virtq_desc){ (uint64_t)(uintptr_t)&status, 1,
				    VIRTQ_DESC_F_WRITE, 0 };
}

static void test_size_from_device(void)
{
	setup(6, false);	/* not a power of two: rounded down */
	EXPECT_EQ(vq.size, 4);
	virtqueue_destroy(&vq);
	setup(256, false);	/* more than asked for: the driver's bound */
	EXPECT_EQ(vq.size, 64);
	virtqueue_destroy(&vq);
	dev_qsize = 0;
	EXPECT_EQ(virtqueue_create(&vp, &vq, 0, 64), -1);
}

static void test_direct_round_trip(void)
{
	struct virtq_desc t[3];
	uint8_t buf[512];
	void *token;
	uint32_t len;
	int head, tok = 1;

	setup(QSIZE, false);
	req3(t, buf, sizeof(buf));
	EXPECT_EQ(virtqueue_add(&vq, t, 3, &tok), 0);
	EXPECT_EQ(vq.nr_free, QSIZE - 3);
	EXPECT_EQ(virtqueue_get(&vq, &token, &len), 0);	/* not published */
	virtqueue_kick(&vq);
	EXPECT_EQ(notify_reg, 0);
	head = dev_pop();
	EXPECT(head >= 0 && head < QSIZE);
	/* The chain as the device walks it: flags and next links. */
	EXPECT_EQ(vq.desc[head].flags, VIRTQ_DESC_F_NEXT);
	EXPECT_EQ(vq.desc[vq.desc[head].next].len, 512);
	EXPECT_EQ(vq.desc[vq.desc[vq.desc[head].next].next].flags,
		  VIRTQ_DESC_F_WRITE);
	dev_push((uint32_t)head, 513);
	EXPECT_EQ(virtqueue_get(&vq, &token, &len), 1);
	EXPECT(token == &tok);
	EXPECT_EQ(len, 513);
	EXPECT_EQ(vq.nr_free, QSIZE);
	EXPECT_EQ(virtqueue_in_flight(&vq), 0);
	EXPECT_EQ(errors_logged, 0);
	virtqueue_destroy(&vq);
}

static void test_indirect_uses_one_entry(void)
{
	static struct virtq_desc t[QSIZE + 2][3];
	static uint8_t buf[QSIZE + 2][512];
	int tok[QSIZE + 2];
	void *token;
	uint32_t len;
	unsigned int i;

	setup(QSIZE, true);
	for (i = 0; i < QSIZE; i++) {
		req3(t[i], buf[i], 512);
		EXPECT_EQ(virtqueue_add(&vq, t[i], 3, &tok[i]), 0);
	}
	EXPECT_EQ(vq.nr_free, 0);
	req3(t[i], buf[i], 512);
	EXPECT_EQ(virtqueue_add(&vq, t[i], 3, &tok[i]), -PVKIT_ENOSPC);
	virtqueue_kick(&vq);
	for (i = 0; i < QSIZE; i++) {
		int head = dev_pop();

		EXPECT_EQ(vq.desc[head].flags, VIRTQ_DESC_F_INDIRECT);
		EXPECT_EQ(vq.desc[head].len, 3 * sizeof(struct virtq_desc));
		EXPECT_EQ(vq.desc[head].addr, (uint64_t)(uintptr_t)t[i]);
		EXPECT_EQ(t[i][0].next, 1);
		EXPECT_EQ(t[i][1].flags, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT);
		/* Completed out of order. */
		dev_push((uint32_t)head, 1);
	}
	for (i = 0; i < QSIZE; i++) {
		EXPECT_EQ(virtqueue_get(&vq, &token, &len), 1);
		EXPECT(token == &tok[i]);
	}
	EXPECT_EQ(virtqueue_get(&vq, &token, &len), 0);
	EXPECT_EQ(vq.nr_free, QSIZE);
	virtqueue_destroy(&vq);
}

static void test_ring_full_direct(void)
{
	struct virtq_desc t[3];
	uint8_t buf[512];
	int tok[3];
	void *token;
	uint32_t len;

	setup(4, false);
	req3(t, buf, 512);
	EXPECT_EQ(virtqueue_add(&vq, t, 3, &tok[0]), 0);
	req3(t, buf, 512);
	EXPECT_EQ(virtqueue_add(&vq, t, 3, &tok[1]), -PVKIT_ENOSPC);
	EXPECT_EQ(virtqueue_add(&vq, t, 5, &tok[1]), -PVKIT_ENOSPC);
	EXPECT_EQ(virtqueue_add(&vq, t, 0, &tok[1]), -PVKIT_ENOSPC);
	EXPECT_EQ(virtqueue_add(&vq, t, 1, NULL), -PVKIT_ENOSPC);
	virtqueue_kick(&vq);
	dev_push((uint32_t)dev_pop(), 0);
	EXPECT_EQ(virtqueue_get(&vq, &token, &len), 1);
	/* The freed chain serves again, many times round the ring. */
	for (int round = 0; round < 20; round++) {
		req3(t, buf, 512);
		EXPECT_EQ(virtqueue_add(&vq, t, 3, &tok[2]), 0);
		virtqueue_kick(&vq);
		dev_push((uint32_t)dev_pop(), 100);
		EXPECT_EQ(virtqueue_get(&vq, &token, &len), 1);
		EXPECT(token == &tok[2]);
	}
	EXPECT_EQ(vq.nr_free, 4);
	virtqueue_destroy(&vq);
}

static void test_notify_opt_out(void)
{
	struct virtq_desc t[3];
	uint8_t buf[512];
	int tok;

	setup(QSIZE, true);
	notify_reg = 0xffff;
	*(volatile uint16_t *)vq.used = 1;	/* VIRTQ_USED_F_NO_NOTIFY */
	req3(t, buf, 512);
	EXPECT_EQ(virtqueue_add(&vq, t, 3, &tok), 0);
	virtqueue_kick(&vq);
	EXPECT_EQ(notify_reg, 0xffff);
	EXPECT_EQ(vq.avail[1], 1);
	*(volatile uint16_t *)vq.used = 0;
	virtqueue_kick(&vq);
	EXPECT_EQ(notify_reg, 0);
	virtqueue_destroy(&vq);
}

/* One in flight, then the device answers with entry (id, len) at idx. */
static int broken_by(uint32_t id, uint32_t len, uint16_t jump)
{
	struct virtq_desc t[3];
	uint8_t buf[512];
	void *token = NULL;
	uint32_t l;
	int tok, rc;

	setup(QSIZE, true);
	req3(t, buf, 512);
	EXPECT_EQ(virtqueue_add(&vq, t, 3, &tok), 0);
	virtqueue_kick(&vq);
	dev_pop();
	dev_push(id, len);
	*used_idx() = (uint16_t)(dev_used_idx + jump);
	rc = virtqueue_get(&vq, &token, &l);
	EXPECT(token == NULL);
	EXPECT(vq.broken);
	/* Broken stays broken, and says so once. */
	EXPECT_EQ(virtqueue_get(&vq, &token, &l), -PVKIT_EIO);
	EXPECT_EQ(virtqueue_add(&vq, t, 3, &tok), -PVKIT_EIO);
	EXPECT_EQ(errors_logged, 1);
	/* After a reset the request is taken back, once. */
	EXPECT(virtqueue_detach(&vq) == &tok);
	EXPECT(virtqueue_detach(&vq) == NULL);
	virtqueue_destroy(&vq);
	return rc;
}

static void test_device_errors(void)
{
	EXPECT_EQ(broken_by(QSIZE, 1, 0), -PVKIT_EIO);	/* id past the ring */
	EXPECT_EQ(broken_by(0xffffffffu, 1, 0), -PVKIT_EIO);
	EXPECT_EQ(broken_by(5, 1, 0), -PVKIT_EIO);	/* id not in flight */
	EXPECT_EQ(broken_by(0, 514, 0), -PVKIT_EIO);	/* len past 512 + 1 */
	EXPECT_EQ(broken_by(0, 1, 1), -PVKIT_EIO);	/* two used, one out */
	EXPECT_EQ(broken_by(0, 1, 0x8000), -PVKIT_EIO);
}

/* The same id twice: the second is no longer in flight. */
static void test_id_returned_twice(void)
{
	struct virtq_desc t[2][3];
	uint8_t buf[2][512];
	int tok[2], head;
	void *token;
	uint32_t len;

	setup(QSIZE, true);
	req3(t[0], buf[0], 512);
	req3(t[1], buf[1], 512);
	EXPECT_EQ(virtqueue_add(&vq, t[0], 3, &tok[0]), 0);
	EXPECT_EQ(virtqueue_add(&vq, t[1], 3, &tok[1]), 0);
	virtqueue_kick(&vq);
	head = dev_pop();
	dev_push((uint32_t)head, 1);
	dev_push((uint32_t)head, 1);
	EXPECT_EQ(virtqueue_get(&vq, &token, &len), 1);
	EXPECT(token == &tok[0]);
	EXPECT_EQ(virtqueue_get(&vq, &token, &len), -PVKIT_EIO);
	EXPECT(virtqueue_detach(&vq) == &tok[1]);
	virtqueue_destroy(&vq);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_size_from_device),
	KTAP_CASE(test_direct_round_trip),
	KTAP_CASE(test_indirect_uses_one_entry),
	KTAP_CASE(test_ring_full_direct),
	KTAP_CASE(test_notify_opt_out),
	KTAP_CASE(test_device_errors),
	KTAP_CASE(test_id_returned_twice),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
