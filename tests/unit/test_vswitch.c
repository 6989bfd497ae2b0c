// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual switch (hypervisor/net/switch.c): learning, flooding of
 * broadcast, multicast and unknown destinations, bounded queues with
 * drops counted at the receiver that stopped taking frames, per-port
 * counters, detach, and that every frame's memory comes back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/vswitch.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NPORTS		3

static long live_allocs;

void *kmalloc(size_t size)
{
	live_allocs++;
	return malloc(size);
}

void *kzalloc(size_t size)
{
	live_allocs++;
	return calloc(1, size);
}

void kfree(void *p)
{
	if (p)
		live_allocs--;
	free(p);
}

static struct vswitch sw;
static struct vswitch_port port[NPORTS];
static unsigned int kicks[NPORTS];

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };

static void mac_of(unsigned int i, uint8_t *mac)
{
	static const uint8_t base[6] = { 0x02, 0x50, 0, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[5] = (uint8_t)(i + 1);
}

static void kick(struct vswitch_port *p)
{
	kicks[p - port]++;
}

static void setup(void)
{
	vswitch_init(&sw);
	memset(port, 0, sizeof(port));
	memset(kicks, 0, sizeof(kicks));
	for (unsigned int i = 0; i < NPORTS; i++) {
		port[i].kick = kick;
		EXPECT_EQ(vswitch_attach(&sw, &port[i]), 0);
	}
}

static void teardown(void)
{
	for (unsigned int i = 0; i < NPORTS; i++)
		vswitch_detach(&port[i]);
	EXPECT_EQ(live_allocs, 0);
}

/* A frame from port src to dst, len bytes, payload tagged with tag. */
static void send(unsigned int src, const uint8_t *dst, uint32_t len,
		 uint8_t tag)
{
	struct vswitch_frame *f = vswitch_frame_alloc(len);

	memset(f->data, tag, len);
	memcpy(f->data, dst, 6);
	mac_of(src, f->data + 6);
	vswitch_send(&port[src], f);
}

static void send_to(unsigned int src, unsigned int dst, uint8_t tag)
{
	uint8_t mac[6];

	mac_of(dst, mac);
	send(src, mac, 60, tag);
}

/* Pops one frame of port p: its tag byte, or -1 when none waits. */
static int recv(unsigned int p)
{
	struct vswitch_frame *f = vswitch_pop(&port[p]);
	int tag;

	if (!f)
		return -1;
	tag = f->data[20];
	vswitch_frame_put(f);
	return tag;
}

static void test_unknown_unicast_floods_then_learns(void)
{
	setup();
	/* Nobody has spoken yet: port 1's address is unknown, so flood. */
	send_to(0, 1, 7);
	EXPECT_EQ(recv(1), 7);
	EXPECT_EQ(recv(2), 7);
	EXPECT_EQ(recv(0), -1);		/* never back to the sender */
	/* Port 1 answers: port 0 was learnt, so only port 0 gets it. */
	send_to(1, 0, 8);
	EXPECT_EQ(recv(0), 8);
	EXPECT_EQ(recv(2), -1);
	/* And now port 1 is known too. */
	send_to(0, 1, 9);
	EXPECT_EQ(recv(1), 9);
	EXPECT_EQ(recv(2), -1);
	EXPECT_EQ(kicks[1], 2);
	EXPECT_EQ(kicks[2], 1);
	teardown();
}

static void test_broadcast_and_multicast_flood(void)
{
	setup();
	send_to(1, 0, 1);		/* learn port 1 */
	EXPECT_EQ(recv(0), 1);
	EXPECT_EQ(recv(2), 1);
	send(0, bcast, 42, 2);
	EXPECT_EQ(recv(1), 2);
	EXPECT_EQ(recv(2), 2);
	EXPECT_EQ(recv(0), -1);
	send(0, mcast, 100, 3);
	EXPECT_EQ(recv(1), 3);
	EXPECT_EQ(recv(2), 3);
	EXPECT_EQ(recv(0), -1);
	/* A group source address is never learnt. */
	{
		struct vswitch_frame *f = vswitch_frame_alloc(60);

		memset(f->data, 4, 60);
		mac_of(2, f->data);
		memcpy(f->data + 6, bcast, 6);
		vswitch_send(&port[0], f);
	}
	EXPECT_EQ(recv(2), 4);
	send(1, bcast, 60, 5);
	EXPECT_EQ(recv(0), 5);
	EXPECT_EQ(recv(2), 5);
	teardown();
}

/* A port that takes nothing fills its queue; the others go on. */
static void test_stuck_port_drops_others_flow(void)
{
	struct vswitch_port_stats s;

	setup();
	send_to(2, 0, 1);		/* ports 2 and 1 known (these flood) */
	send_to(1, 0, 1);
	for (unsigned int p = 0; p < NPORTS; p++)
		while (recv(p) >= 0)
			;
	for (unsigned int i = 0; i < VSWITCH_QUEUE_LEN + 50; i++) {
		send_to(0, 2, (uint8_t)i);	/* port 2 never takes these */
		send_to(0, 1, (uint8_t)i);
		EXPECT_EQ(recv(1), (int)(uint8_t)i);
	}
	s = vswitch_stats(&port[2]);
	EXPECT_EQ(s.rx_frames, VSWITCH_QUEUE_LEN + 1);	/* 1: a flood */
	EXPECT_EQ(s.rx_drops, 50);
	s = vswitch_stats(&port[1]);
	EXPECT_EQ(s.rx_drops, 0);
	EXPECT_EQ(s.rx_frames, VSWITCH_QUEUE_LEN + 50 + 1);
	s = vswitch_stats(&port[0]);
	EXPECT_EQ(s.tx_frames, 2 * (VSWITCH_QUEUE_LEN + 50));
	EXPECT_EQ(s.tx_bytes, 60ull * 2 * (VSWITCH_QUEUE_LEN + 50));
	/* The oldest frames were kept, in order. */
	EXPECT_EQ(vswitch_peek(&port[2])->data[20], 0);
	EXPECT_EQ(recv(2), 0);
	EXPECT_EQ(recv(2), 1);
	/* Room again: the next frame is queued. */
	send_to(0, 2, 0xee);
	EXPECT_EQ(vswitch_stats(&port[2]).rx_drops, 50);
	teardown();		/* the queued frames are freed */
}

/*
 * A sender that fills a receiver's queue cannot keep the others out:
 * their frames push out its newest ones.  It cannot push out its own.
 */
static void test_flooder_cannot_crowd_out_others(void)
{
	const unsigned int len = VSWITCH_QUEUE_LEN;

	setup();
	send_to(2, 0, 1);		/* port 2 known (this floods) */
	for (unsigned int p = 0; p < NPORTS; p++)
		while (recv(p) >= 0)
			;
	for (unsigned int i = 0; i < len + 10; i++)
		send_to(0, 2, (uint8_t)i);
	EXPECT_EQ(vswitch_stats(&port[2]).rx_drops, 10);
	for (unsigned int j = 0; j < 5; j++)
		send_to(1, 2, (uint8_t)(0xa0 + j));
	EXPECT_EQ(vswitch_stats(&port[2]).rx_drops, 15);
	send_to(0, 2, 0xee);		/* full, and port 0 is the hog */
	EXPECT_EQ(vswitch_stats(&port[2]).rx_drops, 16);
	/* Port 0's oldest, in order, then every frame of port 1's. */
	for (unsigned int i = 0; i < len - 5; i++)
		EXPECT_EQ(recv(2), (int)i);
	for (unsigned int j = 0; j < 5; j++)
		EXPECT_EQ(recv(2), (int)(0xa0 + j));
	EXPECT_EQ(recv(2), -1);
	/* Below half its share again, port 0 fills the queue alone. */
	for (unsigned int i = 0; i < len; i++)
		send_to(0, 2, 3);
	EXPECT_EQ(vswitch_stats(&port[2]).rx_drops, 16);
	teardown();
}

static void test_detach_forgets(void)
{
	struct vswitch_port extra = { .kick = kick };

	setup();
	send_to(1, 0, 1);
	recv(0);
	recv(2);
	send_to(0, 1, 2);
	EXPECT_EQ(recv(1), 2);
	EXPECT_EQ(recv(2), -1);
	vswitch_detach(&port[1]);
	EXPECT(port[1].sw == NULL);
	/* Its address is forgotten: frames for it flood to who is left. */
	send_to(0, 1, 3);
	EXPECT_EQ(recv(2), 3);
	EXPECT_EQ(vswitch_stats(&port[0]).tx_dropped, 0);
	/* Alone on the switch: a frame with no one to take it is counted. */
	vswitch_detach(&port[2]);
	send_to(0, 1, 4);
	EXPECT_EQ(vswitch_stats(&port[0]).tx_dropped, 1);
	/* Ports come back; the switch has a bounded number of them. */
	EXPECT_EQ(vswitch_attach(&sw, &port[1]), 0);
	for (unsigned int i = 1; i < VSWITCH_PORTS - 1; i++)
		EXPECT_EQ(vswitch_attach(&sw, &extra), 0);
	EXPECT_NE(vswitch_attach(&sw, &port[2]), 0);
	for (unsigned int i = 1; i < VSWITCH_PORTS - 1; i++)
		vswitch_detach(&extra);
	vswitch_detach(&extra);
	teardown();
}

/* More addresses than the table holds: the stalest entry goes. */
static void test_mac_table_bounded(void)
{
	uint8_t mac[6];

	setup();
	for (unsigned int i = 0; i < VSWITCH_MACS + 8; i++) {
		struct vswitch_frame *f = vswitch_frame_alloc(60);

		memset(f->data, 0, 60);
		memcpy(f->data, bcast, 6);
		mac_of(100 + i, f->data + 6);
		f->data[10] = (uint8_t)(i >> 8);
		vswitch_send(&port[1], f);
		recv(0);
		recv(2);
	}
	/* The newest source is known: only port 1 gets a frame for it. */
	mac_of(100 + VSWITCH_MACS + 7, mac);
	mac[4] = (uint8_t)((VSWITCH_MACS + 7) >> 8);
	send(0, mac, 60, 9);
	EXPECT_EQ(recv(1), 9);
	EXPECT_EQ(recv(2), -1);
	teardown();
}

static void test_short_frame_refused(void)
{
	struct vswitch_frame *f;

	setup();
	f = vswitch_frame_alloc(13);
	memset(f->data, 0xff, 13);
	vswitch_send(&port[0], f);
	EXPECT_EQ(recv(1), -1);
	EXPECT_EQ(vswitch_stats(&port[0]).tx_frames, 0);
	teardown();
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_unknown_unicast_floods_then_learns),
	KTAP_CASE(test_broadcast_and_multicast_flood),
	KTAP_CASE(test_stuck_port_drops_others_flow),
	KTAP_CASE(test_flooder_cannot_crowd_out_others),
	KTAP_CASE(test_detach_forgets),
	KTAP_CASE(test_mac_table_bounded),
	KTAP_CASE(test_short_frame_refused),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
