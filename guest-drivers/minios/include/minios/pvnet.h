/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS PV net frontend (pvkit/io/net.h): polled TX and RX over the
 * NIC's two queues, enough to test the backend and the switch.  Every
 * response is checked before it is used (an id the frontend has in
 * flight, a length within the posted buffer, zero padding).  The raw
 * calls (pvnet_push, pvnet_wait_rsp) let a test put any request on a
 * ring and read the answer itself.
 */
#ifndef MINIOS_PVNET_H
#define MINIOS_PVNET_H

#include <minios/os.h>
#include <pvkit/io/device.h>
#include <pvkit/io/net.h>
#include <pvkit/ring_core.h>

#define PVNET_MAX_ORDER		6
#define PVNET_MAX_SLOTS		(1u << PVNET_MAX_ORDER)

struct pvnet_queue {
	void *req_mem, *rsp_mem;
	struct pvkit_ring req, rsp;
	uint32_t port;
};

struct pvnet_stats {
	uint64_t tx_frames, tx_errors;	/* TX answered OK / ERROR */
	uint64_t rx_frames, rx_errors;	/* RX filled / refused */
	uint64_t bad_rsp;		/* responses that broke the protocol */
};

struct pvnet {
	struct pvkit_dev_info info;
	struct pvkit_net_config config;
	uint64_t features;
	uint32_t order, slots;		/* both queues' ring size */
	uint32_t max_frame;		/* mtu + header */
	unsigned int ring_pages, buf_pages;
	unsigned int rx_bufs;		/* RX ids 0 .. rx_bufs - 1 are ours */
	bool connected;
	struct pvnet_queue q[PVKIT_NET_QUEUES];
	uint8_t *tx_buf[PVNET_MAX_SLOTS];
	uint8_t *rx_buf[PVNET_MAX_SLOTS];
	bool tx_busy[PVNET_MAX_SLOTS];
	bool rx_posted[PVNET_MAX_SLOTS];
	unsigned int tx_inflight;
	volatile uint64_t events;	/* raised on either queue's port */
	struct pvnet_stats st;
};

/* Finds the first NIC and reads its configuration (checked). */
int pvnet_find(struct pvnet *n);
/*
 * Connects with rings of 2^order slots (0: the default, 5, clamped into
 * the device's range) and the features accepted, and posts rx_bufs RX
 * buffers of max_frame bytes (0: every slot), ids 0 .. rx_bufs - 1.
 */
int pvnet_connect(struct pvnet *n, uint32_t order, uint64_t features,
		  unsigned int rx_bufs);
void pvnet_disconnect(struct pvnet *n);
/*
 * Copies a frame of len bytes into a free TX buffer and sends it,
 * waiting at most ms for a buffer: 0, -EAGAIN, -E2BIG, or -ERANGE once
 * the backend answered outside the protocol.
 */
int pvnet_send(struct pvnet *n, const void *frame, uint32_t len, uint64_t ms);
/* Collects TX answers: how many, or -ERANGE for a bad one. */
int pvnet_tx_reclaim(struct pvnet *n);
/*
 * The next received frame copied into buf (max bytes) and its buffer
 * posted again: the frame's length, -EAGAIN after ms, -ERANGE for an
 * answer outside the protocol.
 */
int pvnet_recv(struct pvnet *n, void *buf, uint32_t max, uint64_t ms);
/* Publishes one request on queue qi as it is, and notifies. */
int pvnet_push(struct pvnet *n, unsigned int qi,
	       const struct pvkit_net_req *req);
/* One response of queue qi, padding checked; -EAGAIN after ms. */
int pvnet_wait_rsp(struct pvnet *n, unsigned int qi,
		   struct pvkit_net_rsp *rsp, uint64_t ms);
/* Blocks until either port is raised or the deadline passes. */
void pvnet_wait_event(struct pvnet *n, uint64_t seen, uint64_t deadline_ns);

#endif /* MINIOS_PVNET_H */
