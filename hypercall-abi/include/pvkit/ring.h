/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: the shared-memory ring every paravirtual device uses.
 *
 * A ring carries fixed-size messages in one direction, from a producer to
 * a consumer, through memory both sides can read and write.  A device uses
 * two rings: a request ring (frontend produces, backend consumes) and a
 * response ring (backend produces, frontend consumes).  Each has its own
 * slot size and slot count, chosen by the device protocol.
 *
 * Memory layout of one ring (all offsets in bytes from the ring's base,
 * which is 64-byte aligned; normally it is the start of a guest page):
 *
 *   0x000  prod        producer index            written by the producer
 *   0x080  cons        consumer index            written by the consumer
 *   0x100  prod_event  "notify me at prod ==";   written by the consumer
 *   0x180  cons_event  "notify me at cons ==";   written by the producer
 *   0x200  slot[0] .. slot[n - 1], each slot_size bytes
 *
 * Each index sits alone on its own 64-byte cache line, and each of those
 * lines is followed by an empty one, so that the two sides never write
 * the same line nor the same 128-byte-aligned pair of lines: x86 CPUs
 * commonly prefetch a line's pair partner along with it, which makes two
 * indices written by different CPUs in one pair bounce as if they shared
 * a line.  A line moves between CPUs only when the other side actually
 * reads it.  The rest of the header is reserved: written as zero when
 * the ring is set up, never read.
 *
 * Parameters (not stored in the ring: both sides learn them from the
 * device's configuration, and the backend never takes them from shared
 * memory):
 *   n          number of slots, a power of two, 1 .. 2^PVKIT_RING_MAX_ORDER;
 *   slot_size  bytes per slot, a multiple of 8, 8 .. PVKIT_RING_MAX_SLOT;
 *   the ring occupies PVKIT_RING_BYTES(n, slot_size) bytes.
 *
 * Indices.  prod and cons are free-running 32-bit counters: they count
 * messages ever produced and consumed, modulo 2^32, and are never reduced
 * modulo n.  Message number i lives in slot[i & (n - 1)].  The number of
 * messages in the ring is (uint32_t)(prod - cons), which is correct across
 * the 2^32 wrap; a valid ring always has 0 <= prod - cons <= n.  Both
 * start at the same value (0, unless the device protocol says otherwise).
 *
 * Protocol.
 *  - The producer writes slot[prod & (n - 1)] .. for the messages it adds,
 *    then (release) stores the new prod.  It may add many messages and
 *    store prod once: a batch becomes visible all at once.
 *  - The consumer (acquire) loads prod once, checks 0 <= prod - cons <= n,
 *    copies each slot into its own private memory before it looks at it,
 *    then (release) stores the new cons.  The slots below cons belong to
 *    the producer again.
 *  - The producer (acquire) loads cons only to learn how much space is
 *    free, and checks the same bound.
 *  A side that finds the bound broken has a misbehaving peer: it must not
 *  use any index from it, and treats the ring as dead (the pvkit ring
 *  library reports -PVKIT_ERANGE and keeps reporting it).
 *
 * Notification suppression (event indices).  Notifying the peer costs an
 * exit or an interrupt, so a side notifies only when the peer asked for it:
 *  - prod_event: the consumer, before it goes idle, stores here the index
 *    of the message whose publication should wake it (normally its cons,
 *    the next message it will consume).
 *    A producer that moves prod from old to new notifies the consumer iff
 *    prod_event lies in [old, new) (modulo 2^32), i.e. iff
 *        (uint32_t)(new - prod_event - 1) < (uint32_t)(new - old).
 *  - cons_event: the producer, when it finds the ring full and wants to
 *    wait, stores here the index of the message whose consumption should
 *    wake it: to be woken once k slots are free, prod - n + k - 1.  A
 *    consumer that moves cons from old to new (consuming messages old ..
 *    new - 1) notifies the producer under the same rule.
 *  Each side stores its event index, then executes a full barrier, then
 *  reads the other side's index again before it sleeps: the peer does the
 *  mirror image (store index, full barrier, read event), so at least one
 *  of the two sees the other's store and no wake-up is lost.  A side that
 *  never sleeps may ignore the event index altogether.  Event indices are
 *  hints: a garbage value costs the writer spurious or missing wake-ups
 *  of itself, nothing else, so readers do not validate them.
 *
 * Slot contents are defined by each device protocol (the message type's
 * size is its slot_size).  A backend copies a slot out before parsing it
 * and validates the copy: the frontend can rewrite shared memory at any
 * time.
 */
#ifndef PVKIT_RING_H
#define PVKIT_RING_H

#include "types.h"

/* Cache-line size the layout is built around (fixed by the ABI). */
#define PVKIT_RING_LINE			64

/* Largest slot count: 2^20 slots, so prod - cons <= n never overflows. */
#define PVKIT_RING_MAX_ORDER		20
/* Largest slot: one page per message is more than any device needs. */
#define PVKIT_RING_MAX_SLOT		4096u
/* Slot sizes are multiples of this. */
#define PVKIT_RING_SLOT_ALIGN		8u

/* The header that starts every ring: one 128-byte block per index. */
struct pvkit_ring_hdr {
	uint32_t prod;			/* producer: next index to fill */
	uint8_t pad0[124];
	uint32_t cons;			/* consumer: next index to consume */
	uint8_t pad1[124];
	uint32_t prod_event;		/* consumer: wake me when prod passes */
	uint8_t pad2[124];
	uint32_t cons_event;		/* producer: wake me when cons passes */
	uint8_t pad3[124];
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_ring_hdr, 512);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_ring_hdr, prod, 0x000);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_ring_hdr, cons, 0x080);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_ring_hdr, prod_event, 0x100);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_ring_hdr, cons_event, 0x180);

/* Offset of slot[0] from the ring's base. */
#define PVKIT_RING_SLOTS_OFFSET		512u

/* Bytes a ring of n slots of slot_size bytes occupies. */
#define PVKIT_RING_BYTES(n, slot_size) \
	(PVKIT_RING_SLOTS_OFFSET + (uint64_t)(n) * (uint64_t)(slot_size))

/*
 * The notification rule above, for both directions: a side that moved its
 * index from old_idx to new_idx notifies the peer iff the peer's event
 * index lies in [old_idx, new_idx).
 */
static inline int pvkit_ring_need_event(uint32_t event, uint32_t new_idx,
					uint32_t old_idx)
{
	return (uint32_t)(new_idx - event - 1) < (uint32_t)(new_idx - old_idx);
}

#endif /* PVKIT_RING_H */
