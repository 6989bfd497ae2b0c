/* SPDX-License-Identifier: MIT */
/*
 * pvkit ring library: the producer and consumer sides of the shared ring
 * whose wire layout hypercall-abi/include/pvkit/ring.h defines.
 *
 * Header-only and freestanding: it needs nothing but the compiler (GCC
 * and Clang lower the copies to memcpy, which every pvkit environment
 * provides) and the barrier mapping in ring_barrier.h.  The same code runs
 * in the hypervisor, in Mini-OS, in Linux modules and in user space.
 *
 * Each side keeps a private struct pvkit_ring in its own memory.  Nothing
 * it holds is ever taken back from shared memory without checking: the
 * peer's index is loaded once per batch, checked against what the peer
 * could legally have done since the last look, and only then used.  A
 * broken check marks the ring dead; every later call returns
 * -PVKIT_ERANGE.
 *
 * Producer:  pvkit_ring_prod_put() copies messages into free slots (or
 *            pvkit_ring_prod_space()/_slot()/_advance() to fill them in
 *            place), pvkit_ring_prod_publish() makes them visible, and
 *            pvkit_ring_prod_publish_notify() also says whether the
 *            consumer asked to be notified.
 * Consumer:  pvkit_ring_cons_get() copies messages out into private
 *            memory and frees their slots (in runs: see there);
 *            pvkit_ring_cons_arm() asks to
 *            be notified before going idle; pvkit_ring_cons_notify() says
 *            whether a producer waiting for space should be woken.
 *
 * Neither side is thread-safe: one thread (or CPU with preemption off)
 * drives a side at a time.
 */
#ifndef PVKIT_RING_CORE_H
#define PVKIT_RING_CORE_H

#include <pvkit/ring.h>
#include <pvkit/errno.h>
#include <pvkit/ring_barrier.h>

#if defined(__KERNEL__) && defined(__linux__)
#include <linux/string.h>
#include <linux/prefetch.h>
#define pvkit_ring_copy(dst, src, len)	memcpy(dst, src, len)
#define pvkit_ring_prefetch_read(p)	prefetch(p)
#define pvkit_ring_prefetch_write(p)	prefetchw(p)
#else
#define pvkit_ring_copy(dst, src, len)	__builtin_memcpy(dst, src, len)
#ifndef pvkit_ring_prefetch_read		/* a test may watch them */
#define pvkit_ring_prefetch_read(p)	__builtin_prefetch(p, 0)
#define pvkit_ring_prefetch_write(p)	__builtin_prefetch(p, 1)
#endif
#endif

#define pvkit_ring_always_inline	inline __attribute__((always_inline))
#define pvkit_ring_likely(x)		__builtin_expect(!!(x), 1)
#define pvkit_ring_unlikely(x)		__builtin_expect(!!(x), 0)

/* One side's private view of a ring.  Never placed in shared memory. */
struct pvkit_ring {
	struct pvkit_ring_hdr *hdr;
	uint8_t *slots;
	uint32_t size;		/* n */
	uint32_t mask;		/* n - 1 */
	uint32_t slot_size;
	uint32_t idx;		/* own index: next to fill / next to consume */
	uint32_t shared;	/* own index as last stored in the header */
	uint32_t peer;		/* peer's index, last checked value */
	uint32_t kicked;	/* own index when the peer's event was last checked */
	int error;		/* 0, or -PVKIT_ERANGE once the peer broke the rules */
};

static inline int pvkit_ring_check_params(const void *mem, uint64_t len,
					  uint32_t order, uint32_t slot_size)
{
	if (order > PVKIT_RING_MAX_ORDER)
		return -PVKIT_EINVAL;
	if (slot_size < PVKIT_RING_SLOT_ALIGN || slot_size > PVKIT_RING_MAX_SLOT)
		return -PVKIT_EINVAL;
	if (slot_size % PVKIT_RING_SLOT_ALIGN)
		return -PVKIT_EINVAL;
	if ((uintptr_t)mem % PVKIT_RING_LINE)
		return -PVKIT_EINVAL;
	if (len < PVKIT_RING_BYTES(1u << order, slot_size))
		return -PVKIT_EINVAL;
	return 0;
}

/*
 * Initialise the shared header of a fresh ring: both indices and both
 * event indices at start, reserved bytes zero.  Done by the side that
 * allocates the ring (the frontend) before it tells the peer about it.
 * Slots are left as they are: nobody reads a slot before it is produced.
 */
static inline int pvkit_ring_setup(void *mem, uint64_t len, uint32_t order,
				   uint32_t slot_size, uint32_t start)
{
	struct pvkit_ring_hdr *hdr = (struct pvkit_ring_hdr *)mem;
	uint8_t *p = (uint8_t *)mem;
	uint32_t i;
	int ret;

	ret = pvkit_ring_check_params(mem, len, order, slot_size);
	if (ret)
		return ret;
	for (i = 0; i < sizeof(*hdr); i++)
		p[i] = 0;
	hdr->prod = start;
	hdr->cons = start;
	hdr->prod_event = start;
	hdr->cons_event = start;
	return 0;
}

/*
 * Attach one side to a ring.  The starting index comes from the device
 * protocol, not from the header: a backend never adopts an index the
 * guest wrote.  Reads nothing from shared memory.
 */
static inline int pvkit_ring_attach(struct pvkit_ring *r, void *mem,
				    uint64_t len, uint32_t order,
				    uint32_t slot_size, uint32_t start)
{
	int ret;

	ret = pvkit_ring_check_params(mem, len, order, slot_size);
	if (ret)
		return ret;
	r->hdr = (struct pvkit_ring_hdr *)mem;
	r->slots = (uint8_t *)mem + PVKIT_RING_SLOTS_OFFSET;
	r->size = 1u << order;
	r->mask = r->size - 1;
	r->slot_size = slot_size;
	r->idx = start;
	r->shared = start;
	r->peer = start;
	r->kicked = start;
	r->error = 0;
	return 0;
}

static inline void *pvkit_ring_slot(const struct pvkit_ring *r, uint32_t i)
{
	return r->slots + (uint64_t)(i & r->mask) * r->slot_size;
}

static inline int pvkit_ring_broken(struct pvkit_ring *r)
{
	r->error = -PVKIT_ERANGE;
	return r->error;
}

/*
 * Slot lines asked for ahead of use.  The producer asks, for every line it
 * fills, for the line PVKIT_RING_FILL_AHEAD bytes further on: that line
 * was last read by the consumer a lap ago, and taking it back from there
 * then overlaps with filling the lines before it instead of holding up
 * each store in turn.  The consumer asks for up to PVKIT_RING_READ_AHEAD
 * bytes of slots it has already seen published, so that the next get's
 * miss overlaps with the caller's work on this one.  Neither side ever
 * asks for a line the other may be writing or reading: only slots free
 * by the producer's cached view, and published by the consumer's.  A
 * prefetch is a hint; nothing depends on it (docs/ring-buffers.md,
 * "Prefetching slots the other side is done with").
 */
#define PVKIT_RING_FILL_AHEAD	1024u
#define PVKIT_RING_READ_AHEAD	128u

/*
 * The lines starting in [from & ~(LINE - 1), end): offsets into the slot
 * area, counted on past its end and wrapped.  A slot area that is not a
 * whole number of lines (a ring of fewer than 8 slots) is left alone.
 */
static pvkit_ring_always_inline void
pvkit_ring_prefetch_lines(const struct pvkit_ring *r, uint64_t from,
			  uint64_t end, int write)
{
	uint64_t bytes = (uint64_t)r->size * r->slot_size;
	uint64_t line = from & ~(uint64_t)(PVKIT_RING_LINE - 1);
	uint64_t off = line;

	if (bytes % PVKIT_RING_LINE)
		return;
	while (off >= bytes)	/* from is less than two laps on */
		off -= bytes;
	for (; line < end; line += PVKIT_RING_LINE) {
		if (write)
			pvkit_ring_prefetch_write(r->slots + off);
		else
			pvkit_ring_prefetch_read(r->slots + off);
		off += PVKIT_RING_LINE;
		if (off == bytes)
			off = 0;
	}
}

static inline uint64_t pvkit_ring_slot_offset(const struct pvkit_ring *r,
					      uint32_t i)
{
	return (uint64_t)(i & r->mask) * r->slot_size;
}

/*
 * After filling n slots up to r->idx: the lines FILL_AHEAD bytes past
 * them, if the cached view says every slot they touch is free.
 */
static pvkit_ring_always_inline void
pvkit_ring_prod_prefetch(const struct pvkit_ring *r, uint32_t n, uint32_t sz)
{
	uint32_t ahead = (PVKIT_RING_FILL_AHEAD + PVKIT_RING_LINE) / sz + 1;
	uint64_t from = pvkit_ring_slot_offset(r, r->idx - n);

	if (r->size - (r->idx - r->peer) < ahead)
		return;
	pvkit_ring_prefetch_lines(r, from + PVKIT_RING_FILL_AHEAD,
				  from + PVKIT_RING_FILL_AHEAD +
				  (uint64_t)n * sz, 1);
}

/*
 * After a get: the lines of the next published slots, up to READ_AHEAD
 * bytes, and only lines made of them alone.  A line that also holds a
 * slot not yet published (or one handed back), which the producer may be
 * filling, is left where it is: taking it would stall the producer.
 */
static pvkit_ring_always_inline void
pvkit_ring_cons_prefetch(const struct pvkit_ring *r, uint32_t sz)
{
	uint64_t mask = ~(uint64_t)(PVKIT_RING_LINE - 1);
	uint64_t from = pvkit_ring_slot_offset(r, r->idx);
	uint64_t len = (uint64_t)(r->peer - r->idx) * sz;

	if (len > PVKIT_RING_READ_AHEAD)
		len = PVKIT_RING_READ_AHEAD;
	pvkit_ring_prefetch_lines(r, (from + PVKIT_RING_LINE - 1) & mask,
				  (from + len) & mask, 0);
}

/* ---- producer ---------------------------------------------------------- */

/*
 * Take a fresh consumer index.  It is valid iff it lies between the last
 * one seen and the last prod published: a consumer cannot go back, nor
 * consume what it was never given.  The acquire pairs with the consumer's
 * release of cons: its copies out of the slots are done before we refill
 * them.
 */
static inline int pvkit_ring_prod_refresh(struct pvkit_ring *r)
{
	uint32_t cons = pvkit_ring_load_acquire(&r->hdr->cons);

	if ((uint32_t)(cons - r->peer) > (uint32_t)(r->shared - r->peer))
		return pvkit_ring_broken(r);
	r->peer = cons;
	return 0;
}

/*
 * Free slots, at least 'want' of them if the consumer has freed that many.
 * The consumer's index is read only when the cached view has fewer than
 * 'want' free, which under load is rarely: that keeps the consumer's cache
 * line where it is.  Returns the number free or -PVKIT_ERANGE.
 */
static inline int pvkit_ring_prod_space(struct pvkit_ring *r, uint32_t want)
{
	uint32_t space;

	if (pvkit_ring_unlikely(r->error))
		return r->error;
	space = r->size - (r->idx - r->peer);
	if (space >= want)
		return (int)space;
	if (pvkit_ring_prod_refresh(r))
		return r->error;
	return (int)(r->size - (r->idx - r->peer));
}

/* The k-th slot past the producer's private index, to fill in place. */
static inline void *pvkit_ring_prod_slot(const struct pvkit_ring *r,
					 uint32_t k)
{
	return pvkit_ring_slot(r, r->idx + k);
}

/*
 * Count k filled slots as produced (still private until published).
 * k must not exceed what pvkit_ring_prod_space() last returned.
 */
static inline void pvkit_ring_prod_advance(struct pvkit_ring *r, uint32_t k)
{
	r->idx += k;
}

/*
 * Copy n messages of sz bytes.  When sz is a compile-time constant (the
 * _sized calls and the typed wrappers) and the run is short, each message
 * is a fixed-size copy the compiler does inline, which beats a call to a
 * general memcpy; longer runs are one memcpy, which beats the inline copy.
 */
#ifndef PVKIT_RING_INLINE_COPIES
#define PVKIT_RING_INLINE_COPIES	4
#endif

static pvkit_ring_always_inline void pvkit_ring_copy_msgs(void *dst,
							   const void *src,
							   uint32_t n,
							   uint32_t sz)
{
	uint32_t i;

	if (!__builtin_constant_p(sz) || n > PVKIT_RING_INLINE_COPIES) {
		pvkit_ring_copy(dst, src, (uint64_t)n * sz);
		return;
	}
	for (i = 0; i < n; i++)
		pvkit_ring_copy((uint8_t *)dst + (uint64_t)i * sz,
				(const uint8_t *)src + (uint64_t)i * sz, sz);
}

/* Copy n messages from src into the ring, in at most two runs. */
static pvkit_ring_always_inline void pvkit_ring_copy_in(struct pvkit_ring *r,
							 const void *src,
							 uint32_t n,
							 uint32_t sz)
{
	uint32_t first = r->size - (r->idx & r->mask);

	if (first > n)
		first = n;
	pvkit_ring_copy_msgs(pvkit_ring_slot(r, r->idx), src, first, sz);
	if (n > first)
		pvkit_ring_copy_msgs(r->slots,
				     (const uint8_t *)src + (uint64_t)first * sz,
				     n - first, sz);
	r->idx += n;
}

/* The put, with the fill-ahead prefetch on or off (a constant). */
static pvkit_ring_always_inline int
pvkit_ring__put(struct pvkit_ring *r, const void *src, uint32_t n,
		uint32_t slot_size, int ahead)
{
	int space;

	if (pvkit_ring_unlikely(slot_size != r->slot_size))
		return -PVKIT_EINVAL;
	space = pvkit_ring_prod_space(r, n);
	if (pvkit_ring_unlikely(space < 0))
		return space;
	if ((uint32_t)space < n)
		n = (uint32_t)space;
	if (!n)
		return 0;
	pvkit_ring_copy_in(r, src, n, slot_size);
	if (ahead)
		pvkit_ring_prod_prefetch(r, n, slot_size);
	return (int)n;
}

/*
 * pvkit_ring_prod_put() with the slot size as an argument, which must be
 * the ring's (-PVKIT_EINVAL otherwise): a caller that passes a constant
 * (sizeof its message) gets inline fixed-size copies.
 */
static pvkit_ring_always_inline int
pvkit_ring_prod_put_sized(struct pvkit_ring *r, const void *src, uint32_t n,
			  uint32_t slot_size)
{
	return pvkit_ring__put(r, src, n, slot_size, 1);
}

/*
 * Copy up to n messages (n * slot_size contiguous bytes at src) into free
 * slots.  Returns how many went in (0 when the ring is full) or
 * -PVKIT_ERANGE.  Nothing is visible to the consumer until published.
 */
static inline int pvkit_ring_prod_put(struct pvkit_ring *r, const void *src,
				      uint32_t n)
{
	return pvkit_ring_prod_put_sized(r, src, n, r->slot_size);
}

/*
 * Make everything produced so far visible.  The release orders the slot
 * writes before the index store; it pairs with the consumer's acquire
 * load of prod.  One store per batch, however big the batch.
 */
static inline void pvkit_ring_prod_publish(struct pvkit_ring *r)
{
	if (r->shared == r->idx)
		return;
	pvkit_ring_store_release(&r->hdr->prod, r->idx);
	r->shared = r->idx;
}

/*
 * Publish, then report whether the consumer asked to be notified for any
 * message published since the last check (1: notify it, 0: don't).
 * The full barrier between the prod store and the prod_event load pairs
 * with the one in pvkit_ring_cons_arm(): either we see its new event index
 * or it sees our new prod, so a consumer going idle is never missed.
 */
static inline int pvkit_ring_prod_publish_notify(struct pvkit_ring *r)
{
	uint32_t event;
	int notify;

	if (r->idx == r->kicked)
		return 0;
	pvkit_ring_store_mb(&r->hdr->prod, r->idx);
	r->shared = r->idx;
	event = pvkit_ring_load_mb(&r->hdr->prod_event);
	notify = pvkit_ring_need_event(event, r->idx, r->kicked);
	r->kicked = r->idx;
	return notify;
}

/*
 * Before waiting for space: ask to be notified once 'want' slots are free
 * (1 <= want <= n), then look again.  Returns 1 if the space is there now
 * (don't sleep), 0 if the producer may sleep until notified, or
 * -PVKIT_ERANGE.
 */
static inline int pvkit_ring_prod_arm(struct pvkit_ring *r, uint32_t want)
{
	if (r->error)
		return r->error;
	if (want == 0 || want > r->size)
		want = r->size;
	pvkit_ring_store_mb(&r->hdr->cons_event, r->idx - r->size + want - 1);
	if (pvkit_ring_prod_refresh(r))
		return r->error;
	return r->size - (r->idx - r->peer) >= want;
}

/* ---- consumer ---------------------------------------------------------- */

/*
 * Check a producer index loaded from shared memory: it may not go back
 * from the last value seen, nor run more than n ahead of the consumer.
 * Since the last value seen was itself valid, that also rejects a prod
 * behind the consumer.
 */
static inline int pvkit_ring_cons_take(struct pvkit_ring *r, uint32_t prod)
{
	uint32_t limit = r->shared + r->size;

	if ((uint32_t)(prod - r->peer) > (uint32_t)(limit - r->peer))
		return pvkit_ring_broken(r);
	r->peer = prod;
	return 0;
}

/*
 * Messages waiting.  The producer's index is loaded (acquire, pairing with
 * its release) only when the cached view is empty.  Returns the count or
 * -PVKIT_ERANGE.
 *
 * An empty ring reads nothing but prod, however often it is polled: not
 * the next slot either, not even as a prefetch.  That slot is the one the
 * producer is writing; a consumer spinning on an empty ring would take
 * its line away in the middle of every write, so the producer (one
 * message at a time, the consumer close behind) needs the line back for
 * each message and runs at about half speed.  The price is that a
 * one-message round trip takes the index miss and the slot miss one after
 * the other instead of together, about a tenth more (docs/ring-buffers.md).
 */
static inline int pvkit_ring_cons_avail(struct pvkit_ring *r)
{
	if (pvkit_ring_unlikely(r->error))
		return r->error;
	if (r->peer != r->idx)
		return (int)(r->peer - r->idx);
	if (pvkit_ring_cons_take(r, pvkit_ring_load_acquire(&r->hdr->prod)))
		return r->error;
	return (int)(r->peer - r->idx);
}

/* Copy n messages out of the ring into dst, in at most two runs. */
static pvkit_ring_always_inline void pvkit_ring_copy_out(struct pvkit_ring *r,
							  void *dst,
							  uint32_t n,
							  uint32_t sz)
{
	uint32_t first = r->size - (r->idx & r->mask);

	if (first > n)
		first = n;
	pvkit_ring_copy_msgs(dst, pvkit_ring_slot(r, r->idx), first, sz);
	if (n > first)
		pvkit_ring_copy_msgs((uint8_t *)dst + (uint64_t)first * sz,
				     r->slots, n - first, sz);
	r->idx += n;
}

/*
 * Give every slot consumed so far back to the producer.  The release
 * orders the copies out of those slots before the store; it pairs with
 * the producer's acquire load of cons.
 */
static inline void pvkit_ring_cons_release(struct pvkit_ring *r)
{
	if (r->shared == r->idx)
		return;
	pvkit_ring_store_release(&r->hdr->cons, r->idx);
	r->shared = r->idx;
}

/*
 * How many consumed slots a get may hold back while the cached view still
 * has messages.  A ring that runs full puts the producer right behind the
 * consumer: a cons store per message then moves the cons line and the
 * slot pair being read to the producer once per message.  Holding the
 * store back hands the slots over in runs instead, so the producer fills
 * a run from its cached view while the consumer reads further on.
 */
static inline uint32_t pvkit_ring_cons_lag(const struct pvkit_ring *r)
{
	uint32_t lag = r->size / 4;

	if (lag > 32)
		return 32;
	return lag ? lag : 1;
}

/* The get, with the read-ahead prefetch on or off (a constant). */
static pvkit_ring_always_inline int
pvkit_ring__get(struct pvkit_ring *r, void *dst, uint32_t max,
		uint32_t slot_size, int ahead)
{
	int avail;
	uint32_t n;

	if (pvkit_ring_unlikely(slot_size != r->slot_size))
		return -PVKIT_EINVAL;
	avail = pvkit_ring_cons_avail(r);
	if (pvkit_ring_unlikely(avail <= 0))
		return avail;
	n = (uint32_t)avail < max ? (uint32_t)avail : max;
	if (!n)
		return 0;
	pvkit_ring_copy_out(r, dst, n, slot_size);
	if (r->peer == r->idx ||
	    r->idx - r->shared >= pvkit_ring_cons_lag(r))
		pvkit_ring_cons_release(r);
	if (ahead)
		pvkit_ring_cons_prefetch(r, slot_size);
	return (int)n;
}

/* pvkit_ring_cons_get() with the slot size as an argument; see _put_sized. */
static pvkit_ring_always_inline int
pvkit_ring_cons_get_sized(struct pvkit_ring *r, void *dst, uint32_t max,
			  uint32_t slot_size)
{
	return pvkit_ring__get(r, dst, max, slot_size, 1);
}

/*
 * Copy up to max messages out of shared memory into dst (max * slot_size
 * private bytes) and give their slots back to the producer.  The caller
 * parses only its private copy, so a producer rewriting a slot meanwhile
 * changes nothing it has already seen.  Returns the number copied (0 when
 * empty) or -PVKIT_ERANGE.
 *
 * The slots go back (pvkit_ring_cons_release()) once the cached view of
 * prod is used up, or once pvkit_ring_cons_lag() of them are held; a
 * consumer that stops while messages are still waiting calls
 * pvkit_ring_cons_notify() or pvkit_ring_cons_release() to hand back the
 * rest.  A consumer that loops until 0 has given back everything.
 */
static inline int pvkit_ring_cons_get(struct pvkit_ring *r, void *dst,
				      uint32_t max)
{
	return pvkit_ring_cons_get_sized(r, dst, max, r->slot_size);
}

/*
 * Before going idle: ask to be notified for the next message, then look
 * again.  Returns 1 if messages arrived meanwhile (don't sleep), 0 if the
 * consumer may sleep until notified, or -PVKIT_ERANGE.
 * The full barrier between the prod_event store and the prod load pairs
 * with the one in pvkit_ring_prod_publish_notify().
 */
static inline int pvkit_ring_cons_arm(struct pvkit_ring *r)
{
	if (r->error)
		return r->error;
	if (r->peer != r->idx)
		return 1;
	pvkit_ring_store_mb(&r->hdr->prod_event, r->idx);
	if (pvkit_ring_cons_take(r, pvkit_ring_load_mb(&r->hdr->prod)))
		return r->error;
	return r->peer != r->idx;
}

/*
 * After consuming: give back every slot consumed (including any a get
 * held back) and report whether the producer asked to be woken for any
 * slot freed since the last check (1: notify it, 0: don't).  Pairs with
 * pvkit_ring_prod_arm() as publish_notify pairs with cons_arm.
 */
static inline int pvkit_ring_cons_notify(struct pvkit_ring *r)
{
	uint32_t event;
	int notify;

	if (r->idx == r->kicked)
		return 0;
	pvkit_ring_store_mb(&r->hdr->cons, r->idx);
	r->shared = r->idx;
	event = pvkit_ring_load_mb(&r->hdr->cons_event);
	notify = pvkit_ring_need_event(event, r->idx, r->kicked);
	r->kicked = r->idx;
	return notify;
}

/*
 * Type-safe wrappers for a device's message type, with the slot size a
 * constant:  PVKIT_RING_DEFINE_TYPED(blkreq, struct pvkit_blk_request)
 * defines blkreq_ring_put(r, const struct pvkit_blk_request *src, n) and
 * blkreq_ring_get(r, struct pvkit_blk_request *dst, max).  The ring must
 * have been attached with slot_size == sizeof(type).
 */
#define PVKIT_RING_DEFINE_TYPED(name, type)				\
static inline int name##_ring_put(struct pvkit_ring *r,		\
				  const type *src, uint32_t n)		\
{									\
	return pvkit_ring_prod_put_sized(r, src, n, sizeof(type));	\
}									\
static inline int name##_ring_get(struct pvkit_ring *r, type *dst,	\
				  uint32_t max)				\
{									\
	return pvkit_ring_cons_get_sized(r, dst, max, sizeof(type));	\
}

#endif /* PVKIT_RING_CORE_H */
