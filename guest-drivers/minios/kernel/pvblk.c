// SPDX-License-Identifier: MIT
/*
 * Mini-OS PV block frontend.  Requests are built in place, published
 * and waited for by polling the response ring; each response is a
 * private copy, checked (padding, an operation matching the request)
 * before it is believed, since the backend is trusted no more than the
 * frontend.
 */
#include <lib/string.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/pvblk.h>
#include <minios/pvdev.h>
#include <minios/time.h>

#define REQ_SLOT	((uint32_t)sizeof(struct pvkit_blk_req))
#define RSP_SLOT	((uint32_t)sizeof(struct pvkit_blk_rsp))
#define WAIT_MS		5000

int pvblk_find(struct pvblk *b)
{
	int64_t rc;

	memset(b, 0, sizeof(*b));
	rc = pvdev_find(PVKIT_DEV_CLASS_BLOCK, &b->info);
	if (rc)
		return (int)rc;
	rc = hc_dev_config(b->info.index, &b->config, sizeof(b->config));
	if (rc < 0)
		return (int)rc;
	if ((uint64_t)rc != sizeof(b->config) || b->config.pad ||
	    b->config.logical_block < 512 ||
	    b->config.physical_block < b->config.logical_block ||
	    b->config.max_segs > PVKIT_BLK_INDIRECT_SEGS ||
	    b->config.queues != b->info.max_queues)
		return -PVKIT_ERANGE;
	return 0;
}

static void free_queue(struct pvblk *b, struct pvblk_queue *q)
{
	if (q->req_mem)
		free_pages(q->req_mem, b->ring_pages);
	if (q->rsp_mem)
		free_pages(q->rsp_mem, b->ring_pages);
	if (q->ind)
		free_pages(q->ind, 1);
	memset(q, 0, sizeof(*q));
}

static int alloc_queue(struct pvblk *b, struct pvblk_queue *q)
{
	uint64_t len = (uint64_t)b->ring_pages * PAGE_SIZE;

	q->req_mem = alloc_pages(b->ring_pages);
	q->rsp_mem = alloc_pages(b->ring_pages);
	q->ind = alloc_pages(1);
	if (!q->req_mem || !q->rsp_mem || !q->ind)
		goto fail;
	if (pvkit_ring_setup(q->req_mem, len, b->order, REQ_SLOT, 0) ||
	    pvkit_ring_setup(q->rsp_mem, len, b->order, RSP_SLOT, 0) ||
	    pvkit_ring_attach(&q->req, q->req_mem, len, b->order, REQ_SLOT, 0) ||
	    pvkit_ring_attach(&q->rsp, q->rsp_mem, len, b->order, RSP_SLOT, 0))
		goto fail;
	if (evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0, &q->port))
		goto fail;
	return 0;
fail:
	free_queue(b, q);
	return -PVKIT_ENOMEM;
}

int pvblk_connect(struct pvblk *b, unsigned int nq, uint64_t features)
{
	struct pvkit_dev_connect req;
	unsigned int i;
	int rc;

	if (b->connected || !nq || nq > b->info.max_queues)
		return -PVKIT_EINVAL;
	b->order = b->info.max_order < 6 ? b->info.max_order : 6;
	if (b->order < b->info.min_order)
		b->order = b->info.min_order;
	b->ring_pages = pvdev_ring_pages(b->order, REQ_SLOT);
	memset(&req, 0, sizeof(req));
	req.index = b->info.index;
	req.nr_queues = nq;
	req.features = features;
	for (i = 0; i < nq; i++) {
		rc = alloc_queue(b, &b->q[i]);
		if (rc)
			goto fail;
		req.queue[i].req_gpa = virt_to_gpa(b->q[i].req_mem);
		req.queue[i].rsp_gpa = virt_to_gpa(b->q[i].rsp_mem);
		req.queue[i].order = b->order;
		req.queue[i].port = b->q[i].port;
	}
	rc = (int)hc_dev_connect(&req);
	if (rc)
		goto fail;
	b->nr_queues = nq;
	b->features = features;
	b->connected = true;
	return 0;
fail:
	while (i--) {
		evtchn_close(b->q[i].port);
		free_queue(b, &b->q[i]);
	}
	return rc;
}

void pvblk_disconnect(struct pvblk *b)
{
	hc_dev_disconnect(b->info.index);
	for (unsigned int i = 0; i < b->nr_queues; i++) {
		evtchn_close(b->q[i].port);
		free_queue(b, &b->q[i]);
	}
	b->nr_queues = 0;
	b->connected = false;
}

int pvblk_push(struct pvblk *b, unsigned int qi,
	       const struct pvkit_blk_req *req)
{
	struct pvblk_queue *q = &b->q[qi];
	int rc = pvkit_ring_prod_put(&q->req, req, 1);

	if (rc != 1)
		return rc < 0 ? rc : -PVKIT_EAGAIN;
	if (pvkit_ring_prod_publish_notify(&q->req)) {
		b->notifications++;
		evtchn_send(q->port);
	}
	return 0;
}

int pvblk_wait(struct pvblk *b, unsigned int qi, struct pvkit_blk_rsp *rsp,
	       uint64_t ms)
{
	struct pvblk_queue *q = &b->q[qi];
	uint64_t end = monotonic_ns() + ms * NSEC_PER_MSEC;
	int n;

	while ((n = pvkit_ring_cons_get(&q->rsp, rsp, 1)) == 0) {
		if (monotonic_ns() > end)
			return -PVKIT_EAGAIN;
		pvkit_ring_cons_notify(&q->rsp);
	}
	if (n < 0)
		return n;
	if (pvkit_ring_cons_notify(&q->rsp))
		evtchn_send(q->port);
	if (rsp->pad || rsp->pad2 || rsp->status > PVKIT_BLK_S_UNSUPPORTED)
		return -PVKIT_ERANGE;
	return 0;
}

static int submit_wait(struct pvblk *b, unsigned int qi,
		       struct pvkit_blk_req *req)
{
	struct pvkit_blk_rsp rsp;
	int rc;

	req->id = ++b->next_id;
	rc = pvblk_push(b, qi, req);
	if (rc)
		return rc;
	rc = pvblk_wait(b, qi, &rsp, WAIT_MS);
	if (rc)
		return rc;
	if (rsp.id != req->id || rsp.op != req->op)
		return -PVKIT_ERANGE;
	return rsp.status;
}

/* A READ or WRITE in page segments, indirect (queue qi's page) past six. */
static int build_rw(struct pvblk *b, unsigned int qi, struct pvkit_blk_req *r,
		    uint8_t op, uint64_t sector, void *buf, uint32_t bytes)
{
	struct pvkit_blk_req req;
	struct pvkit_blk_seg *seg = b->q[qi].ind;
	uint64_t gpa = virt_to_gpa(buf), end = gpa + bytes;
	unsigned int n = 0;

	memset(&req, 0, sizeof(req));
	memset(seg, 0, PAGE_SIZE);
	req.op = op;
	req.sector = sector;
	req.nr_sectors = bytes / 512;
	while (gpa < end && n < PVKIT_BLK_INDIRECT_SEGS) {
		uint64_t next = (gpa | 4095) + 1;

		seg[n].gpa = gpa;
		seg[n].len = (uint32_t)((next < end ? next : end) - gpa);
		gpa += seg[n].len;
		n++;
	}
	if (gpa < end)
		return -PVKIT_E2BIG;
	if (n <= PVKIT_BLK_INLINE_SEGS)
		memcpy(req.seg, seg, n * sizeof(*seg));
	else
		req.indirect_gpa = virt_to_gpa(seg);
	req.nr_segs = (uint16_t)n;
	*r = req;
	return 0;
}

int pvblk_rw(struct pvblk *b, unsigned int qi, uint8_t op, uint64_t sector,
	     void *buf, uint32_t bytes)
{
	struct pvkit_blk_req req;
	int rc = build_rw(b, qi, &req, op, sector, buf, bytes);

	return rc ? rc : submit_wait(b, qi, &req);
}

int pvblk_rw_push(struct pvblk *b, unsigned int qi, uint8_t op,
		  uint64_t sector, void *buf, uint32_t bytes, uint64_t *id)
{
	struct pvkit_blk_req req;
	int rc = build_rw(b, qi, &req, op, sector, buf, bytes);

	if (rc)
		return rc;
	req.id = *id = ++b->next_id;
	rc = pvkit_ring_prod_put(&b->q[qi].req, &req, 1);
	if (rc != 1)
		return rc < 0 ? rc : -PVKIT_EAGAIN;
	pvkit_ring_prod_publish(&b->q[qi].req);
	return 0;
}

void pvblk_kick(struct pvblk *b, unsigned int qi)
{
	evtchn_send(b->q[qi].port);
}

int pvblk_nodata(struct pvblk *b, unsigned int qi, uint8_t op,
		 uint64_t sector, uint32_t nr_sectors)
{
	struct pvkit_blk_req req;

	memset(&req, 0, sizeof(req));
	req.op = op;
	req.sector = sector;
	req.nr_sectors = nr_sectors;
	return submit_wait(b, qi, &req);
}
