/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: the PV block protocol (PVKIT_DEV_CLASS_BLOCK).
 *
 * A disk has 1 .. max_queues queues (PVKIT_BLK_F_MQ is offered when
 * that is more than one).  Each queue's req ring has slots of struct
 * pvkit_blk_req, its rsp ring slots of struct pvkit_blk_rsp; both rings
 * have the same order.  The backend answers every request it takes with
 * exactly one response carrying the request's id, in completion order
 * (not necessarily the order of the requests).
 *
 * Sectors are 512 bytes whatever the block sizes in the configuration.
 *
 * Requests.
 *   READ, WRITE   nr_sectors sectors from sector on; the data lies in
 *                 nr_segs segments, in order, whose lengths add up to
 *                 nr_sectors * 512.  Up to PVKIT_BLK_INLINE_SEGS
 *                 segments are inline in seg[]; more (PVKIT_BLK_F_INDIRECT
 *                 accepted, at most max_segs) lie in an indirect page at
 *                 indirect_gpa, an array of struct pvkit_blk_seg, and
 *                 seg[] is then all zero.  WRITE with PVKIT_BLK_REQ_FUA
 *                 (PVKIT_BLK_F_FUA accepted) completes once its data is
 *                 on stable storage.
 *   FLUSH         (PVKIT_BLK_F_FLUSH) completes once every write the
 *                 backend took from the queue before it has completed
 *                 and is on stable storage; a write's completion means
 *                 nothing about stability otherwise (with cache
 *                 WRITEBACK).
 *                 sector, nr_sectors and nr_segs are 0.
 *   DISCARD       (PVKIT_BLK_F_DISCARD) the range's contents become
 *                 undefined; nr_segs 0.
 *   WRITE_ZEROES  (PVKIT_BLK_F_WRITE_ZEROES) the range reads as zero
 *                 afterwards; nr_segs 0.
 * A segment is a byte range of the domain's RAM: gpa a multiple of 512,
 * len a multiple of 512 from 512 to 4096, the range not crossing a 4 KiB
 * page boundary.  The backend copies a request (and its indirect page,
 * once) before it looks at it and checks every field and every segment
 * before any data moves; it reads the guest's segment list exactly once.
 *
 * Results.
 *   PVKIT_BLK_S_UNSUPPORTED  an unknown op, or one whose feature was not
 *                            accepted (WRITE on a PVKIT_BLK_F_READ_ONLY
 *                            disk included);
 *   PVKIT_BLK_S_IOERR        a malformed request: nonzero padding or
 *                            unknown flags, a range past the capacity,
 *                            nr_sectors 0 or not matching the segments,
 *                            nr_segs 0 for READ/WRITE or nonzero for the
 *                            others, a bad segment (misaligned, empty,
 *                            crossing a page, outside RAM), an indirect
 *                            page not page aligned or outside RAM; and a
 *                            storage error.  Nothing was transferred by a
 *                            malformed request.
 * Protocol violations put the device in BROKEN (pvkit/io/device.h): a
 * req ring producer index out of range, a rsp ring consumer index out of
 * range (seen once the backend needs room), a request id equal to that of a
 * request taken and not yet answered, nr_segs above max_segs, or above
 * PVKIT_BLK_INLINE_SEGS without PVKIT_BLK_F_INDIRECT accepted.
 *
 * Resize.  The capacity is the one field of the configuration that may
 * change while the domain runs: when the disk's storage is resized (a
 * host image grown or shrunk under a virtio-blk device).  The device
 * then signals a configuration change (pvkit/io/device.h, ABI 1.5).
 * Requests are checked against the capacity at the time the backend
 * takes them: after a shrink, one past the new end is answered IOERR,
 * and one taken before it may complete or fail as the storage decides.
 * The other fields never change for the life of the domain.
 *
 * Flow.  The backend takes requests only while the rsp ring has room for
 * their responses (and at most PVKIT_BLK_MAX_INFLIGHT per queue), so a
 * frontend that stops consuming responses only stops its own disk.
 */
#ifndef PVKIT_IO_BLOCK_H
#define PVKIT_IO_BLOCK_H

#include "../types.h"

#define PVKIT_BLK_SECTOR_SIZE		512

/* Features. */
#define PVKIT_BLK_F_FLUSH		(1ull << 0)
#define PVKIT_BLK_F_FUA			(1ull << 1)
#define PVKIT_BLK_F_DISCARD		(1ull << 2)
#define PVKIT_BLK_F_WRITE_ZEROES	(1ull << 3)
#define PVKIT_BLK_F_INDIRECT		(1ull << 4)
#define PVKIT_BLK_F_READ_ONLY		(1ull << 5)	/* offered: no writes */
#define PVKIT_BLK_F_MQ			(1ull << 6)	/* offered: max_queues > 1 */

/* Operations (pvkit_blk_req.op). */
#define PVKIT_BLK_OP_READ		0
#define PVKIT_BLK_OP_WRITE		1
#define PVKIT_BLK_OP_FLUSH		2
#define PVKIT_BLK_OP_DISCARD		3
#define PVKIT_BLK_OP_WRITE_ZEROES	4

/* Request flags. */
#define PVKIT_BLK_REQ_FUA		(1u << 0)

/* Status (pvkit_blk_rsp.status). */
#define PVKIT_BLK_S_OK			0
#define PVKIT_BLK_S_IOERR		1
#define PVKIT_BLK_S_UNSUPPORTED		2

#define PVKIT_BLK_INLINE_SEGS		6
/* Segments an indirect page holds: 256, 1 MiB of data at most. */
#define PVKIT_BLK_INDIRECT_SEGS		(4096 / 16)
/* Requests one queue may have taken and not yet answered. */
#define PVKIT_BLK_MAX_INFLIGHT		256

/* Cache types (pvkit_blk_config.cache). */
/*
 * The stages of pvkit_dev_stats.stage_ns[] for a disk, per request:
 * SUBMIT from the backend taking it off the ring to handing it to the
 * storage (a flush waits here for the writes before it), STORAGE until
 * the storage completes it, ANSWER until its response is on the ring,
 * HOLD until the backend decides on the event for it (raised, or not
 * needed because the frontend was not waiting): the interrupt
 * coalescing.  Time before the backend takes a request (the guest's
 * block layer and driver, the ring) and after the event (interrupt
 * delivery, completion in the guest) is the frontend's.
 */
#define PVKIT_BLK_STAGE_SUBMIT		0
#define PVKIT_BLK_STAGE_STORAGE		1
#define PVKIT_BLK_STAGE_ANSWER		2
#define PVKIT_BLK_STAGE_HOLD		3

#define PVKIT_BLK_CACHE_WRITETHROUGH	0	/* a completed write is stable */
#define PVKIT_BLK_CACHE_WRITEBACK	1	/* stable after FLUSH or FUA */

struct pvkit_blk_seg {
	uint64_t gpa;		/* multiple of 512 */
	uint32_t len;		/* 512 .. 4096, multiple of 512, in one page */
	uint32_t pad;		/* zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_blk_seg, 16);

struct pvkit_blk_req {
	uint64_t id;		/* echoed; unique among unanswered requests */
	uint64_t sector;
	uint8_t op;		/* PVKIT_BLK_OP_* */
	uint8_t flags;		/* PVKIT_BLK_REQ_* */
	uint16_t nr_segs;
	uint32_t nr_sectors;
	uint64_t indirect_gpa;	/* page aligned; 0 unless nr_segs > inline */
	struct pvkit_blk_seg seg[PVKIT_BLK_INLINE_SEGS];
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_blk_req, 128);

struct pvkit_blk_rsp {
	uint64_t id;		/* the request's */
	uint8_t op;		/* the request's */
	uint8_t pad;		/* zero */
	uint16_t status;	/* PVKIT_BLK_S_* */
	uint32_t pad2;		/* zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_blk_rsp, 16);

/* PVKIT_HC_DEV_CONFIG of a disk. */
struct pvkit_blk_config {
	uint64_t capacity;		/* in 512-byte sectors; may change */
	uint32_t logical_block;		/* bytes, a power of two >= 512 */
	uint32_t physical_block;	/* bytes, >= logical_block */
	uint32_t max_segs;		/* per request, inline or indirect */
	uint32_t max_req_bytes;		/* data per READ/WRITE */
	uint16_t queues;		/* = pvkit_dev_info.max_queues */
	uint8_t cache;			/* PVKIT_BLK_CACHE_* */
	uint8_t pad;			/* zero */
	uint32_t max_discard_sectors;	/* per DISCARD/WRITE_ZEROES; 0: none */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_blk_config, 32);

#endif /* PVKIT_IO_BLOCK_H */
