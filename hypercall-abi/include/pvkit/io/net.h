/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: the PV net protocol (PVKIT_DEV_CLASS_NET).
 *
 * A NIC has exactly two queues, connected together:
 *   queue 0, TX  req ring: frames the frontend sends (struct pvkit_net_req);
 *                rsp ring: one struct pvkit_net_rsp per request taken;
 *   queue 1, RX  req ring: empty buffers the frontend posts;
 *                rsp ring: one response per posted buffer, once a frame
 *                          was written into it (or the buffer is refused).
 * Both queues' rings have the same order.  A frame is an Ethernet frame
 * without preamble or FCS: destination MAC, source MAC, type, payload;
 * 14 .. mtu + 14 bytes, where mtu is the configuration's when
 * PVKIT_NET_F_MTU was accepted, else 1500.
 *
 * TX.  A request describes one frame in nr_segs (1 .. PVKIT_NET_TX_SEGS)
 * segments, in order, each a byte range of the domain's RAM (1 .. 65535
 * bytes, gpa any alignment); len is the frame's length and the sum of the
 * segment lengths.  The backend copies the request, checks it whole,
 * copies the frame out of guest memory once and answers with the
 * request's id: PVKIT_NET_S_OK once the frame is on the switch (it may
 * still be dropped there, as on a wire: a full queue at the receiver, an
 * unknown destination with no one to flood to), PVKIT_NET_S_ERROR for a
 * malformed request (an unknown flag or one not accepted, nonzero
 * padding, csum_start or csum_offset without PVKIT_NET_TXF_CSUM, a
 * checksum field outside the frame, len out of range or not the
 * segments' sum, an empty segment or one outside RAM); nothing of a
 * malformed request is sent.  The guest may reuse the frame's memory
 * once the response is out.  TX ids are only echoed.
 *
 * RX.  A request posts one buffer: nr_segs 1, seg[0] the buffer
 * (PVKIT_NET_MIN_FRAME .. 65535 bytes), flags, len, csum_start,
 * csum_offset and seg[1..] zero.  Its id
 * must be below the ring size (2^order) and differ from every buffer
 * posted and not yet answered.  The backend keeps posted buffers and
 * answers each with the buffer's id once it wrote a frame into it: len
 * is then the frame's length (at most the buffer's).  A frame larger
 * than the next buffer is dropped and counted, the buffer kept.  A
 * malformed posting (padding, flags, len, a buffer outside RAM or too
 * small) is answered at once with PVKIT_NET_S_ERROR and len 0.
 * Buffers are consumed in the order posted.
 *
 * Protocol violations put the device in BROKEN (pvkit/io/device.h): a
 * ring index out of range, nr_segs 0 or above PVKIT_NET_TX_SEGS (RX: not
 * 1), an RX id at or above the ring size or equal to that of a buffer
 * posted and not yet answered.
 *
 * Flow.  The backend takes TX requests only while the TX rsp ring has
 * room for their responses, and RX buffers only while the RX rsp ring
 * has room for one response per buffer it holds, so a frontend that
 * stops reading responses only stops its own NIC.  Frames for a NIC
 * whose frontend posts no buffers wait in its switch port's bounded
 * queue and are dropped (and counted) once it is full: other NICs on the
 * switch never wait for it.
 *
 * Link.  The configuration's link is PVKIT_NET_LINK_UP while the switch
 * port is attached; when it changes the backend raises both ports and
 * the frontend reads the configuration again.
 *
 * Features.
 *   PVKIT_NET_F_MTU  config.mtu (68 .. PVKIT_NET_MAX_MTU) applies
 *                    instead of 1500; RX buffers should then hold
 *                    mtu + 14 bytes.
 *   PVKIT_NET_F_MAC  config.mac is the NIC's address (always offered).
 *   PVKIT_NET_F_CSUM a TX request may carry PVKIT_NET_TXF_CSUM: the
 *                    frame's checksum is left to the backend, which
 *                    stores the ones' complement of the 16-bit ones'
 *                    complement sum of bytes csum_start .. len - 1 at
 *                    csum_start + csum_offset (2 bytes, big-endian, which
 *                    hold the pseudo-header's sum when sent: the TCP and
 *                    UDP convention).  csum_start is at least
 *                    PVKIT_NET_HDR_LEN and the field lies inside the
 *                    frame.  The checksum is complete before the frame
 *                    leaves the backend: every receiver, and the uplink,
 *                    gets a whole frame.
 *   PVKIT_NET_F_RX_CSUM  an RX response may carry PVKIT_NET_RXF_DATA_VALID:
 *                    the frame's TCP or UDP checksum was computed by the
 *                    hypervisor (its sender left it to the backend) or
 *                    verified by it, so the frontend need not check it.
 *                    Frames without the flag (not TCP or UDP over IPv4
 *                    or IPv6, an IPv4 fragment, a bad checksum) are
 *                    checked as on a wire.
 * No segmentation offload: every frame is at most the MTU.
 */
#ifndef PVKIT_IO_NET_H
#define PVKIT_IO_NET_H

#include "../types.h"

/* Features. */
#define PVKIT_NET_F_MTU			(1ull << 0)
#define PVKIT_NET_F_MAC			(1ull << 1)
#define PVKIT_NET_F_CSUM		(1ull << 2)
#define PVKIT_NET_F_RX_CSUM		(1ull << 3)

/* pvkit_net_req.flags (TX). */
#define PVKIT_NET_TXF_CSUM		(1u << 0)	/* PVKIT_NET_F_CSUM */

/* pvkit_net_rsp.flags (RX). */
#define PVKIT_NET_RXF_DATA_VALID	(1u << 0)	/* PVKIT_NET_F_RX_CSUM */

/* The queues of a NIC. */
#define PVKIT_NET_QUEUE_TX		0
#define PVKIT_NET_QUEUE_RX		1
#define PVKIT_NET_QUEUES		2

#define PVKIT_NET_HDR_LEN		14	/* dst, src, type */
#define PVKIT_NET_MIN_FRAME		PVKIT_NET_HDR_LEN
#define PVKIT_NET_DEFAULT_MTU		1500
#define PVKIT_NET_MIN_MTU		68
#define PVKIT_NET_MAX_MTU		9000
#define PVKIT_NET_TX_SEGS		3
#define PVKIT_NET_SEG_MAX		65535

/* Status (pvkit_net_rsp.status). */
#define PVKIT_NET_S_OK			0
#define PVKIT_NET_S_ERROR		1

/* Link state (pvkit_net_config.link). */
#define PVKIT_NET_LINK_DOWN		0
#define PVKIT_NET_LINK_UP		1

struct pvkit_net_seg {
	uint64_t gpa;
	uint32_t len;		/* 1 .. PVKIT_NET_SEG_MAX */
	uint32_t pad;		/* zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_net_seg, 16);

/* The req slot of both queues. */
struct pvkit_net_req {
	uint32_t id;		/* echoed; RX: below the ring size, unique */
	uint16_t nr_segs;	/* TX: 1 .. PVKIT_NET_TX_SEGS; RX: 1 */
	uint16_t flags;		/* TX: PVKIT_NET_TXF_*; RX: 0 */
	uint32_t len;		/* TX: the frame's bytes; RX: 0 */
	uint16_t csum_start;	/* PVKIT_NET_TXF_CSUM, else 0 */
	uint16_t csum_offset;	/* PVKIT_NET_TXF_CSUM, else 0 */
	struct pvkit_net_seg seg[PVKIT_NET_TX_SEGS];	/* unused ones zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_net_req, 64);

/* The rsp slot of both queues. */
struct pvkit_net_rsp {
	uint32_t id;		/* the request's */
	uint16_t status;	/* PVKIT_NET_S_* */
	uint16_t flags;		/* RX: PVKIT_NET_RXF_*; TX: 0 */
	uint32_t len;		/* RX: the frame's bytes; TX: 0 */
	uint32_t pad2;		/* zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_net_rsp, 16);

/* PVKIT_HC_DEV_CONFIG of a NIC. */
struct pvkit_net_config {
	uint8_t mac[6];		/* unicast */
	uint16_t mtu;		/* PVKIT_NET_MIN_MTU .. PVKIT_NET_MAX_MTU */
	uint16_t link;		/* PVKIT_NET_LINK_* */
	uint16_t queues;	/* PVKIT_NET_QUEUES */
	uint32_t pad;		/* zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_net_config, 16);

#endif /* PVKIT_IO_NET_H */
