/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS PV block frontend (pvkit/io/block.h): synchronous, polled
 * requests, enough to test the backend.  The raw calls (pvblk_push,
 * pvblk_wait) let a test put any request on a ring.
 */
#ifndef MINIOS_PVBLK_H
#define MINIOS_PVBLK_H

#include <minios/os.h>
#include <pvkit/io/block.h>
#include <pvkit/io/device.h>
#include <pvkit/ring_core.h>

struct pvblk_queue {
	void *req_mem, *rsp_mem;
	void *ind;			/* this queue's indirect page */
	struct pvkit_ring req, rsp;
	uint32_t port;
};

struct pvblk {
	struct pvkit_dev_info info;
	struct pvkit_blk_config config;
	uint32_t order;
	unsigned int ring_pages;
	unsigned int nr_queues;
	uint64_t features;
	bool connected;
	uint64_t next_id;
	uint64_t notifications;		/* sent by pvblk_push() */
	struct pvblk_queue q[PVKIT_DEV_MAX_QUEUES];
};

/* Finds the first disk and reads its configuration (checked). */
int pvblk_find(struct pvblk *b);
/* Connects nq queues with the features accepted. */
int pvblk_connect(struct pvblk *b, unsigned int nq, uint64_t features);
void pvblk_disconnect(struct pvblk *b);
/* Publishes one request as it is and notifies. */
int pvblk_push(struct pvblk *b, unsigned int q,
	       const struct pvkit_blk_req *req);
/* One response, checked against the protocol; -EAGAIN after ms. */
int pvblk_wait(struct pvblk *b, unsigned int q, struct pvkit_blk_rsp *rsp,
	       uint64_t ms);
/*
 * READ or WRITE of bytes (a multiple of 512) at sector from buf (512
 * aligned), split into page segments, indirect past six: the status.
 */
int pvblk_rw(struct pvblk *b, unsigned int q, uint8_t op, uint64_t sector,
	     void *buf, uint32_t bytes);
/*
 * The same, published without notifying or waiting (queue q's indirect
 * page is its until the answer): its id in *id.  pvblk_kick() then
 * notifies; pvblk_wait() collects the answer.
 */
int pvblk_rw_push(struct pvblk *b, unsigned int q, uint8_t op,
		  uint64_t sector, void *buf, uint32_t bytes, uint64_t *id);
void pvblk_kick(struct pvblk *b, unsigned int q);
/* FLUSH, DISCARD or WRITE_ZEROES: the status. */
int pvblk_nodata(struct pvblk *b, unsigned int q, uint8_t op,
		 uint64_t sector, uint32_t nr_sectors);

#endif /* MINIOS_PVBLK_H */
