// SPDX-License-Identifier: MIT
/*
 * Unit tests of every ring operation, single-threaded: the producer and the
 * consumer are two private views of one ring in one buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every prefetch the ring asks for is recorded, to check where it went. */
#define PF_MAX 4096
static struct { const uint8_t *p; int write; } pf[PF_MAX];
static unsigned int pf_n;
#define pf_note(addr, w) do {						\
	if (pf_n < PF_MAX) {						\
		pf[pf_n].p = (const uint8_t *)(addr);			\
		pf[pf_n++].write = (w);					\
	}								\
} while (0)
#define pvkit_ring_prefetch_read(p)	pf_note(p, 0)
#define pvkit_ring_prefetch_write(p)	pf_note(p, 1)

#include <pvkit/ring_core.h>
#include "ktap.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		ktap_diag("%s:%d: check failed: %s", __FILE__, __LINE__, \
			  #cond);					\
		return 0;						\
	}								\
} while (0)

struct msg {
	uint64_t seq;
	uint64_t body[7];
};

struct pair {
	void *mem;
	uint64_t len;
	struct pvkit_ring prod;
	struct pvkit_ring cons;
};

static int pair_init(struct pair *p, uint32_t order, uint32_t slot_size,
		     uint32_t start)
{
	p->len = PVKIT_RING_BYTES(1u << order, slot_size);
	p->mem = aligned_alloc(64, (p->len + 63) & ~63ull);
	if (!p->mem)
		return -1;
	memset(p->mem, 0xa5, p->len);
	if (pvkit_ring_setup(p->mem, p->len, order, slot_size, start))
		return -1;
	if (pvkit_ring_attach(&p->prod, p->mem, p->len, order, slot_size,
			      start))
		return -1;
	return pvkit_ring_attach(&p->cons, p->mem, p->len, order, slot_size,
				 start);
}

static void pair_free(struct pair *p)
{
	free(p->mem);
}

static struct msg make_msg(uint64_t seq)
{
	struct msg m;
	int i;

	m.seq = seq;
	for (i = 0; i < 7; i++)
		m.body[i] = seq * 0x9e3779b97f4a7c15ull + i;
	return m;
}

static int msg_ok(const struct msg *m, uint64_t seq)
{
	struct msg want = make_msg(seq);

	return !memcmp(m, &want, sizeof(want));
}

static int test_layout(void)
{
	struct pvkit_ring_hdr h;

	CHECK(sizeof(h) == PVKIT_RING_SLOTS_OFFSET);
	CHECK((uint8_t *)&h.cons - (uint8_t *)&h.prod == 128);
	CHECK((uint8_t *)&h.prod_event - (uint8_t *)&h.prod == 256);
	CHECK((uint8_t *)&h.cons_event - (uint8_t *)&h.prod == 384);
	CHECK(PVKIT_RING_BYTES(256, 64) == 512 + 256 * 64);
	/* a 32-slot ring of 64-byte messages fits one page */
	CHECK(PVKIT_RING_BYTES(32, 64) <= PVKIT_PAGE_SIZE);
	return 1;
}

static int test_params(void)
{
	static uint8_t buf[4096] __attribute__((aligned(64)));
	struct pvkit_ring r;

	CHECK(pvkit_ring_attach(&r, buf, sizeof(buf), 4, 64, 0) == 0);
	CHECK(r.size == 16 && r.mask == 15);
	CHECK(pvkit_ring_attach(&r, buf, sizeof(buf), 0, 8, 0) == 0);
	CHECK(r.size == 1);
	/* too small a region for 64 slots of 64 bytes */
	CHECK(pvkit_ring_attach(&r, buf, sizeof(buf), 6, 64, 0) ==
	      -PVKIT_EINVAL);
	CHECK(pvkit_ring_attach(&r, buf, sizeof(buf), 2, 12, 0) ==
	      -PVKIT_EINVAL);
	CHECK(pvkit_ring_attach(&r, buf, sizeof(buf), 2, 0, 0) ==
	      -PVKIT_EINVAL);
	CHECK(pvkit_ring_attach(&r, buf, sizeof(buf), 0, 8192, 0) ==
	      -PVKIT_EINVAL);
	CHECK(pvkit_ring_attach(&r, buf + 8, sizeof(buf) - 8, 2, 8, 0) ==
	      -PVKIT_EINVAL);
	CHECK(pvkit_ring_attach(&r, buf, sizeof(buf),
				PVKIT_RING_MAX_ORDER + 1, 8, 0) ==
	      -PVKIT_EINVAL);
	CHECK(pvkit_ring_setup(buf, sizeof(buf), 6, 64, 0) == -PVKIT_EINVAL);
	return 1;
}

static int test_setup(void)
{
	struct pair p;
	struct pvkit_ring_hdr *h;
	uint8_t *b;
	unsigned int i;
	int ok = 1;

	CHECK(pair_init(&p, 3, 64, 1234) == 0);
	h = p.mem;
	b = p.mem;
	if (h->prod != 1234 || h->cons != 1234 || h->prod_event != 1234 ||
	    h->cons_event != 1234)
		ok = 0;
	for (i = 4; i < 128; i++)
		if (b[i] || b[128 + i] || b[256 + i] || b[384 + i])
			ok = 0;
	pair_free(&p);
	return ok;
}

static int test_empty(void)
{
	struct pair p;
	struct msg m;
	int ok;

	CHECK(pair_init(&p, 4, 64, 0) == 0);
	ok = pvkit_ring_cons_get(&p.cons, &m, 1) == 0 &&
	     pvkit_ring_cons_avail(&p.cons) == 0 &&
	     pvkit_ring_prod_space(&p.prod, 1) == 16;
	pair_free(&p);
	return ok;
}

static int test_put_get_one(void)
{
	struct pair p;
	struct msg m = make_msg(7), out;
	int ok = 1;

	CHECK(pair_init(&p, 4, 64, 0) == 0);
	ok &= pvkit_ring_prod_put(&p.prod, &m, 1) == 1;
	/* not yet published: invisible */
	ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 0;
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_avail(&p.cons) == 1;
	ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 1;
	ok &= msg_ok(&out, 7);
	ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 0;
	ok &= ((struct pvkit_ring_hdr *)p.mem)->cons == 1;
	pair_free(&p);
	return ok;
}

/* Copy-out is a snapshot: rewriting the slot afterwards changes nothing. */
static int test_copy_is_private(void)
{
	struct pair p;
	struct msg m = make_msg(3), out;
	int ok = 1;

	CHECK(pair_init(&p, 2, 64, 0) == 0);
	pvkit_ring_prod_put(&p.prod, &m, 1);
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 1;
	memset(p.cons.slots, 0xff, 64);
	ok &= msg_ok(&out, 3);
	pair_free(&p);
	return ok;
}

static int test_full(void)
{
	struct pair p;
	struct msg m[8], out[8];
	int ok = 1, i;

	CHECK(pair_init(&p, 3, 64, 0) == 0);
	for (i = 0; i < 8; i++)
		m[i] = make_msg(i);
	ok &= pvkit_ring_prod_put(&p.prod, m, 8) == 8;
	ok &= pvkit_ring_prod_put(&p.prod, m, 1) == 0;
	ok &= pvkit_ring_prod_space(&p.prod, 1) == 0;
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_get(&p.cons, out, 3) == 3;
	/* space comes back only once the producer looks again */
	ok &= pvkit_ring_prod_space(&p.prod, 0) == 0;
	ok &= pvkit_ring_prod_space(&p.prod, 1) == 3;
	ok &= pvkit_ring_prod_put(&p.prod, m, 5) == 3;
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_get(&p.cons, out + 3, 8) == 5;
	ok &= pvkit_ring_cons_get(&p.cons, out, 8) == 3;
	for (i = 0; i < 3; i++)
		ok &= msg_ok(&out[i], i);
	pair_free(&p);
	return ok;
}

/* Batches that straddle the end of the slot array, many times over. */
static int run_wrap(uint32_t order, uint32_t start, uint32_t rounds)
{
	struct pair p;
	struct msg in[32], out[32];
	uint64_t next_in = 0, next_out = 0;
	uint32_t round;
	int ok = 1, n, i, want;

	CHECK(pair_init(&p, order, 64, start) == 0);
	for (round = 0; round < rounds && ok; round++) {
		want = 1 + (round * 7) % 32;
		for (i = 0; i < want; i++)
			in[i] = make_msg(next_in + i);
		n = pvkit_ring_prod_put(&p.prod, in, want);
		ok &= n >= 0;
		next_in += n;
		pvkit_ring_prod_publish(&p.prod);
		n = pvkit_ring_cons_get(&p.cons, out, 1 + (round * 5) % 32);
		ok &= n >= 0;
		for (i = 0; i < n; i++)
			ok &= msg_ok(&out[i], next_out + i);
		next_out += n;
	}
	while ((n = pvkit_ring_cons_get(&p.cons, out, 32)) > 0) {
		for (i = 0; i < n; i++)
			ok &= msg_ok(&out[i], next_out + i);
		next_out += n;
	}
	ok &= n == 0 && next_in == next_out && next_in >= rounds;
	ok &= p.prod.error == 0 && p.cons.error == 0;
	pair_free(&p);
	return ok;
}

static int test_wrap_slots(void)
{
	return run_wrap(4, 0, 10000) && run_wrap(5, 3, 10000);
}

/* Free-running indices across 2^32: start just below the wrap. */
static int test_wrap_index(void)
{
	struct pair p;
	struct msg m = make_msg(0);
	int ok;

	ok = run_wrap(4, 0xfffffff0u, 2000) && run_wrap(3, 0xffffffffu, 100) &&
	     run_wrap(0, 0xfffffffeu, 50);
	/* a full ring across the wrap is full, not empty */
	CHECK(pair_init(&p, 2, 64, 0xfffffffeu) == 0);
	ok &= pvkit_ring_prod_put(&p.prod, &m, 1) == 1;
	ok &= pvkit_ring_prod_put(&p.prod, &m, 1) == 1;
	ok &= pvkit_ring_prod_put(&p.prod, &m, 1) == 1;
	ok &= pvkit_ring_prod_put(&p.prod, &m, 1) == 1;
	ok &= p.prod.idx == 2;
	ok &= pvkit_ring_prod_space(&p.prod, 1) == 0;
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_avail(&p.cons) == 4;
	pair_free(&p);
	return ok;
}

static int test_in_place(void)
{
	struct pair p;
	struct msg *slot, out[4];
	int ok = 1, i;

	CHECK(pair_init(&p, 2, 64, 2) == 0);
	ok &= pvkit_ring_prod_space(&p.prod, 4) == 4;
	for (i = 0; i < 4; i++) {
		slot = pvkit_ring_prod_slot(&p.prod, i);
		*slot = make_msg(100 + i);
	}
	pvkit_ring_prod_advance(&p.prod, 4);
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_get(&p.cons, out, 4) == 4;
	for (i = 0; i < 4; i++)
		ok &= msg_ok(&out[i], 100 + i);
	pair_free(&p);
	return ok;
}

static int test_slot_sizes(void)
{
	static const uint32_t sizes[] = { 8, 24, 136, 4096 };
	uint8_t in[4096], out[4096];
	unsigned int s, k;
	struct pair p;
	int ok = 1;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		CHECK(pair_init(&p, 1, sizes[s], 0) == 0);
		for (k = 0; k < 5; k++) {
			memset(in, (int)(k + s), sizes[s]);
			ok &= pvkit_ring_prod_put(&p.prod, in, 1) == 1;
			pvkit_ring_prod_publish(&p.prod);
			ok &= pvkit_ring_cons_get(&p.cons, out, 1) == 1;
			ok &= !memcmp(in, out, sizes[s]);
		}
		pair_free(&p);
	}
	return ok;
}

PVKIT_RING_DEFINE_TYPED(msg, struct msg)

/* The typed wrappers, and the sized calls refusing a wrong size. */
static int test_typed(void)
{
	struct pair p;
	struct msg in[6], out[6];
	int ok = 1, i;

	CHECK(pair_init(&p, 2, sizeof(struct msg), 0xfffffffdu) == 0);
	for (i = 0; i < 6; i++)
		in[i] = make_msg(50 + i);
	ok &= msg_ring_put(&p.prod, in, 3) == 3;
	pvkit_ring_prod_publish(&p.prod);
	ok &= msg_ring_get(&p.cons, out, 2) == 2;
	ok &= msg_ring_put(&p.prod, in + 3, 3) == 3;	/* wraps the array */
	pvkit_ring_prod_publish(&p.prod);
	/* the cached view first, the producer's index only when it is empty */
	ok &= msg_ring_get(&p.cons, out + 2, 6) == 1;
	ok &= msg_ring_get(&p.cons, out + 3, 6) == 3;
	for (i = 0; i < 6; i++)
		ok &= msg_ok(&out[i], 50 + i);
	ok &= pvkit_ring_prod_put_sized(&p.prod, in, 1, 32) == -PVKIT_EINVAL;
	ok &= pvkit_ring_cons_get_sized(&p.cons, out, 1, 128) == -PVKIT_EINVAL;
	pair_free(&p);
	return ok;
}

static int test_need_event(void)
{
	CHECK(pvkit_ring_need_event(5, 6, 5));
	CHECK(!pvkit_ring_need_event(6, 6, 5));
	CHECK(!pvkit_ring_need_event(4, 6, 5));
	CHECK(pvkit_ring_need_event(5, 40, 0));
	CHECK(!pvkit_ring_need_event(5, 5, 5));
	CHECK(pvkit_ring_need_event(0xffffffffu, 3, 0xfffffff0u));
	CHECK(pvkit_ring_need_event(1, 3, 0xfffffff0u));
	CHECK(!pvkit_ring_need_event(3, 3, 0xfffffff0u));
	return 1;
}

/* Batching and suppression: the consumer asks once, gets one kick. */
static int test_prod_notify(void)
{
	struct pair p;
	struct msg m[8], out[8];
	int ok = 1;

	CHECK(pair_init(&p, 4, 64, 0xfffffffcu) == 0);
	memset(m, 0, sizeof(m));
	/* setup leaves prod_event == start: the first publish notifies */
	pvkit_ring_prod_put(&p.prod, m, 8);
	ok &= pvkit_ring_prod_publish_notify(&p.prod) == 1;
	/* nothing new since: no kick, whatever the event */
	ok &= pvkit_ring_prod_publish_notify(&p.prod) == 0;
	/* consumer busy (never armed): more batches, no kicks */
	pvkit_ring_prod_put(&p.prod, m, 4);
	ok &= pvkit_ring_prod_publish_notify(&p.prod) == 0;
	ok &= pvkit_ring_cons_get(&p.cons, out, 8) == 8;
	ok &= pvkit_ring_cons_arm(&p.cons) == 1;	/* 4 still there */
	ok &= pvkit_ring_cons_get(&p.cons, out, 8) == 4;
	ok &= pvkit_ring_cons_arm(&p.cons) == 0;	/* idle: may sleep */
	ok &= p.cons.hdr->prod_event == p.cons.idx;
	/* one batch of three after arming: exactly one kick */
	pvkit_ring_prod_put(&p.prod, m, 3);
	ok &= pvkit_ring_prod_publish_notify(&p.prod) == 1;
	pvkit_ring_prod_put(&p.prod, m, 1);
	ok &= pvkit_ring_prod_publish_notify(&p.prod) == 0;
	/* plain publish, then a notify check covers both batches */
	ok &= pvkit_ring_cons_get(&p.cons, out, 8) == 4;
	ok &= pvkit_ring_cons_arm(&p.cons) == 0;
	pvkit_ring_prod_put(&p.prod, m, 1);
	pvkit_ring_prod_publish(&p.prod);
	pvkit_ring_prod_put(&p.prod, m, 1);
	ok &= pvkit_ring_prod_publish_notify(&p.prod) == 1;
	pair_free(&p);
	return ok;
}

/* The other direction: a producer waiting for space. */
static int test_cons_notify(void)
{
	struct pair p;
	struct msg m[8], out[8];
	int ok = 1;

	CHECK(pair_init(&p, 3, 64, 0) == 0);
	memset(m, 0, sizeof(m));
	pvkit_ring_prod_put(&p.prod, m, 8);
	pvkit_ring_prod_publish(&p.prod);
	/* no producer waiting yet: event still at start, cons moves past 0 */
	ok &= pvkit_ring_cons_get(&p.cons, out, 1) == 1;
	ok &= pvkit_ring_cons_notify(&p.cons) == 1;
	ok &= pvkit_ring_prod_put(&p.prod, m, 8) == 1;
	pvkit_ring_prod_publish(&p.prod);
	/* full; wait for 4 free slots */
	ok &= pvkit_ring_prod_arm(&p.prod, 4) == 0;
	ok &= pvkit_ring_cons_get(&p.cons, out, 3) == 3;
	ok &= pvkit_ring_cons_notify(&p.cons) == 0;
	ok &= pvkit_ring_prod_arm(&p.prod, 4) == 0;
	ok &= pvkit_ring_cons_get(&p.cons, out, 1) == 1;
	ok &= pvkit_ring_cons_notify(&p.cons) == 1;
	ok &= pvkit_ring_prod_arm(&p.prod, 4) == 1;
	ok &= pvkit_ring_prod_space(&p.prod, 4) == 4;
	ok &= pvkit_ring_cons_notify(&p.cons) == 0;
	pair_free(&p);
	return ok;
}

/*
 * A consumer working through a full ring one message at a time hands the
 * slots back in runs of pvkit_ring_cons_lag(), not one store per message,
 * and never holds any back once its cached view is used up or it calls
 * cons_notify/cons_release.
 */
static int test_cons_release_runs(void)
{
	struct pair p;
	struct msg m[64], out;
	struct pvkit_ring_hdr *h;
	uint32_t i, start = 0xfffffff0u;
	int ok = 1;

	CHECK(pair_init(&p, 6, 64, start) == 0);
	h = p.mem;
	CHECK(pvkit_ring_cons_lag(&p.cons) == 16);
	for (i = 0; i < 64; i++)
		m[i] = make_msg(i);
	ok &= pvkit_ring_prod_put(&p.prod, m, 64) == 64;
	pvkit_ring_prod_publish(&p.prod);
	for (i = 1; i <= 64 && ok; i++) {
		ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 1;
		ok &= msg_ok(&out, i - 1);
		ok &= h->cons == start + i / 16 * 16;
	}
	ok &= h->cons == start + 64;
	/* the producer sees the space in the same runs */
	ok &= pvkit_ring_prod_put(&p.prod, m, 64) == 64;
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 1;
	ok &= h->cons == start + 64;
	ok &= pvkit_ring_prod_space(&p.prod, 1) == 0;
	ok &= pvkit_ring_cons_notify(&p.cons) == 1;
	ok &= h->cons == start + 65;
	ok &= pvkit_ring_prod_space(&p.prod, 1) == 1;
	ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 1;
	ok &= h->cons == start + 65;
	pvkit_ring_cons_release(&p.cons);
	ok &= h->cons == start + 66;
	/* a one-slot ring gives each slot back at once */
	pair_free(&p);
	CHECK(pair_init(&p, 0, 64, 0) == 0);
	h = p.mem;
	ok &= pvkit_ring_prod_put(&p.prod, m, 1) == 1;
	pvkit_ring_prod_publish(&p.prod);
	ok &= pvkit_ring_cons_get(&p.cons, &out, 1) == 1;
	ok &= h->cons == 1;
	pair_free(&p);
	return ok;
}

static int test_cons_violation(void)
{
	struct pair p;
	struct msg out[4];
	int ok = 1;

	/* producer index more than n ahead */
	CHECK(pair_init(&p, 2, 64, 0xfffffffeu) == 0);
	p.cons.hdr->prod = 0xfffffffeu + 5;
	ok &= pvkit_ring_cons_get(&p.cons, out, 4) == -PVKIT_ERANGE;
	/* sticky, even once the index looks sane again */
	p.cons.hdr->prod = 0xfffffffeu + 1;
	ok &= pvkit_ring_cons_get(&p.cons, out, 4) == -PVKIT_ERANGE;
	ok &= pvkit_ring_cons_avail(&p.cons) == -PVKIT_ERANGE;
	ok &= pvkit_ring_cons_arm(&p.cons) == -PVKIT_ERANGE;
	pair_free(&p);

	/* exactly n ahead is legal */
	CHECK(pair_init(&p, 2, 64, 0) == 0);
	p.cons.hdr->prod = 4;
	ok &= pvkit_ring_cons_get(&p.cons, out, 4) == 4;
	/* behind the consumer */
	p.cons.hdr->prod = 3;
	ok &= pvkit_ring_cons_get(&p.cons, out, 4) == -PVKIT_ERANGE;
	pair_free(&p);

	/* going back without falling behind the consumer */
	CHECK(pair_init(&p, 2, 64, 0) == 0);
	p.cons.hdr->prod = 3;
	ok &= pvkit_ring_cons_get(&p.cons, out, 1) == 1;
	p.cons.hdr->prod = 2;
	ok &= pvkit_ring_cons_get(&p.cons, out, 1) == 1;	/* cached */
	ok &= pvkit_ring_cons_get(&p.cons, out, 1) == 1;	/* cached */
	ok &= pvkit_ring_cons_get(&p.cons, out, 1) == -PVKIT_ERANGE;
	pair_free(&p);

	/* the check in cons_arm */
	CHECK(pair_init(&p, 2, 64, 0) == 0);
	p.cons.hdr->prod = 0x80000000u;
	ok &= pvkit_ring_cons_arm(&p.cons) == -PVKIT_ERANGE;
	pair_free(&p);
	return ok;
}

static int test_prod_violation(void)
{
	struct pair p;
	struct msg m[4];
	int ok = 1;

	memset(m, 0, sizeof(m));
	/* consumer claims to have consumed what was never published */
	CHECK(pair_init(&p, 2, 64, 100) == 0);
	pvkit_ring_prod_put(&p.prod, m, 4);
	pvkit_ring_prod_publish(&p.prod);
	p.prod.hdr->cons = 105;
	ok &= pvkit_ring_prod_put(&p.prod, m, 1) == -PVKIT_ERANGE;
	ok &= pvkit_ring_prod_space(&p.prod, 0) == -PVKIT_ERANGE;
	ok &= pvkit_ring_prod_arm(&p.prod, 1) == -PVKIT_ERANGE;
	pair_free(&p);

	/* consumer going backwards */
	CHECK(pair_init(&p, 2, 64, 100) == 0);
	pvkit_ring_prod_put(&p.prod, m, 4);
	pvkit_ring_prod_publish(&p.prod);
	p.prod.hdr->cons = 102;
	ok &= pvkit_ring_prod_put(&p.prod, m, 4) == 2;
	p.prod.hdr->cons = 101;
	ok &= pvkit_ring_prod_put(&p.prod, m, 1) == -PVKIT_ERANGE;
	pair_free(&p);

	/* unpublished slots don't count as consumable */
	CHECK(pair_init(&p, 2, 64, 0) == 0);
	pvkit_ring_prod_put(&p.prod, m, 4);
	p.prod.hdr->cons = 1;
	ok &= pvkit_ring_prod_put(&p.prod, m, 1) == -PVKIT_ERANGE;
	pair_free(&p);
	return ok;
}

/* Garbage event indices cost wake-ups, nothing else. */
static int test_garbage_events(void)
{
	struct pair p;
	struct msg m[4], out[4];
	int ok = 1, k;

	memset(m, 0, sizeof(m));
	CHECK(pair_init(&p, 2, 64, 0) == 0);
	for (k = 0; k < 100; k++) {
		p.prod.hdr->prod_event = (uint32_t)k * 0x9e3779b9u;
		p.prod.hdr->cons_event = (uint32_t)k * 0x7f4a7c15u;
		ok &= pvkit_ring_prod_put(&p.prod, m, 3) == 3;
		ok &= pvkit_ring_prod_publish_notify(&p.prod) >= 0;
		ok &= pvkit_ring_cons_get(&p.cons, out, 4) == 3;
		ok &= pvkit_ring_cons_notify(&p.cons) >= 0;
	}
	ok &= !p.prod.error && !p.cons.error;
	pair_free(&p);
	return ok;
}

/* Is every slot that shares bytes with the line at off in [lo, hi)? */
static int line_within(const struct pvkit_ring *r, uint64_t off, uint32_t lo,
		       uint32_t hi)
{
	uint32_t first = (uint32_t)(off / r->slot_size);
	uint32_t last = (uint32_t)((off + PVKIT_RING_LINE - 1) / r->slot_size);
	uint32_t pos;

	if (hi - lo >= r->size)
		return 1;
	for (pos = first; pos <= last; pos++)
		if (((pos - lo) & r->mask) >= hi - lo)
			return 0;
	return 1;
}

/*
 * Check the prefetches recorded since the last call: whole lines of the
 * slot area; the producer's only on slots it filled in this put or may
 * fill next (up to the consumer's released index plus a lap); the
 * consumer's only on slots published and not yet taken.
 */
static int prefetches_ok(const struct pair *p, uint32_t put_from,
			 int *seen_w, int *seen_r)
{
	const struct pvkit_ring *r = &p->prod;
	uint64_t bytes = (uint64_t)r->size * r->slot_size;
	uint32_t cons_rel = p->prod.hdr->cons, prod_pub = p->prod.hdr->prod;
	unsigned int i;
	int ok = 1;

	for (i = 0; i < pf_n; i++) {
		uint64_t off = (uint64_t)(pf[i].p - r->slots);

		if (pf[i].p < r->slots || off >= bytes ||
		    off % PVKIT_RING_LINE) {
			ktap_diag("prefetch outside the slot lines: %lld",
				  (long long)(pf[i].p - r->slots));
			ok = 0;
			continue;
		}
		if (pf[i].write) {
			*seen_w += 1;
			if (!line_within(r, off, put_from, cons_rel + r->size)) {
				ktap_diag("write prefetch of line %llu: "
					  "slots not free (from %u, cons %u)",
					  (unsigned long long)off, put_from,
					  cons_rel);
				ok = 0;
			}
		} else {
			*seen_r += 1;
			if (!line_within(r, off, p->cons.idx, prod_pub)) {
				ktap_diag("read prefetch of line %llu: slots "
					  "not published (cons %u, prod %u)",
					  (unsigned long long)off, p->cons.idx,
					  prod_pub);
				ok = 0;
			}
		}
	}
	pf_n = 0;
	return ok;
}

/*
 * Random puts and gets, each side in random batches, over slot sizes
 * smaller than, equal to and larger than a line: every prefetch lands
 * where the rule says, and some of each kind are made.
 */
static int test_prefetch_targets(void)
{
	static const uint32_t sizes[] = { 16, 24, 64, 128, 200, 4096 };
	uint8_t buf[32 * 4096];
	unsigned int s, k;
	int ok = 1;

	memset(buf, 0x3c, sizeof(buf));
	srand(7);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint32_t sz = sizes[s];
		int seen_w = 0, seen_r = 0;
		struct pair p;

		CHECK(pair_init(&p, sz > 1024 ? 5 : 8, sz, 0xfffff000u) == 0);
		pf_n = 0;
		for (k = 0; k < 20000 && ok; k++) {
			uint32_t n = 1 + (uint32_t)rand() % 32;
			uint32_t from = p.prod.idx;
			int got;

			if (rand() & 1) {
				got = pvkit_ring_prod_put(&p.prod, buf, n);
				ok &= got >= 0;
				ok &= prefetches_ok(&p, from, &seen_w, &seen_r);
				if (rand() % 3)
					pvkit_ring_prod_publish(&p.prod);
			} else {
				got = pvkit_ring_cons_get(&p.cons, buf, n);
				ok &= got >= 0;
				ok &= prefetches_ok(&p, from, &seen_w, &seen_r);
			}
		}
		if (!seen_w || !seen_r) {
			ktap_diag("slot size %u: %d write and %d read prefetches",
				  sz, seen_w, seen_r);
			ok = 0;
		}
		pair_free(&p);
	}
	return ok;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "layout", test_layout },
	{ "attach_params", test_params },
	{ "setup_header", test_setup },
	{ "empty", test_empty },
	{ "put_get_one", test_put_get_one },
	{ "copy_is_private", test_copy_is_private },
	{ "full", test_full },
	{ "wrap_slot_array", test_wrap_slots },
	{ "wrap_index_2_32", test_wrap_index },
	{ "fill_in_place", test_in_place },
	{ "slot_sizes", test_slot_sizes },
	{ "typed_wrappers", test_typed },
	{ "need_event", test_need_event },
	{ "prod_notify_suppression", test_prod_notify },
	{ "cons_notify_space", test_cons_notify },
	{ "cons_release_runs", test_cons_release_runs },
	{ "cons_detects_bad_prod", test_cons_violation },
	{ "prod_detects_bad_cons", test_prod_violation },
	{ "garbage_event_indices", test_garbage_events },
	{ "prefetch_only_free_or_published", test_prefetch_targets },
};

int main(void)
{
	unsigned int i, n = sizeof(cases) / sizeof(cases[0]);

	ktap_plan((int)n);
	for (i = 0; i < n; i++)
		ktap_result(cases[i].fn(), cases[i].name);
	return ktap_exit();
}
