/* SPDX-License-Identifier: MIT */
/*
 * A hostile peer driven by a byte string, shared by the hostile-producer
 * test (random strings) and the libFuzzer target (fuzzed strings).
 *
 * Two rings: on ring A the side under test is the consumer and the bytes
 * play the producer; on ring B the side under test is the producer and
 * the bytes play the consumer.  The bytes may write anything anywhere in
 * either ring's shared memory (indices, event indices, slots, padding,
 * even the tested side's own index) between any two library calls.
 *
 * After every call the model checks what the library promises whatever
 * the peer does: results within their documented range, a reported
 * violation stays reported, copies are exactly the slots' bytes at the
 * time of the call, and the private state stays self-consistent.  Rings
 * are allocated to their exact size so that AddressSanitizer catches any
 * access outside them.  model_fail() is called on a broken promise.
 */
#ifndef PVKIT_RING_TESTS_MODEL_H
#define PVKIT_RING_TESTS_MODEL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pvkit/ring_core.h>

#define MODEL_MAX_BATCH	40
#define MODEL_MAX_ORDER	6
#define MODEL_MAX_SLOT	128

static void model_fail(const char *what);

struct model_input {
	const uint8_t *data;
	size_t len;
	size_t pos;
};

struct model {
	void *mem_a;
	void *mem_b;
	uint64_t len;
	uint32_t order;
	uint32_t slot_size;
	struct pvkit_ring cons;		/* tested consumer of ring A */
	struct pvkit_ring prod;		/* tested producer of ring B */
	int cons_dead;
	int prod_dead;
	uint64_t violations;		/* rings found broken */
	uint64_t copied;		/* messages the consumer took */
	uint8_t buf[MODEL_MAX_BATCH * MODEL_MAX_SLOT];
	uint8_t shadow[MODEL_MAX_BATCH * MODEL_MAX_SLOT];
};

static inline uint8_t model_u8(struct model_input *in)
{
	return in->pos < in->len ? in->data[in->pos++] : 0;
}

static inline uint32_t model_u32(struct model_input *in)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v << 8 | model_u8(in);
	return v;
}

/*
 * An index value for the peer's side: mostly one a well-behaved peer could
 * write (between lo and lo + span), sometimes near that range, sometimes
 * anything at all.
 */
static inline uint32_t model_index(struct model_input *in, uint32_t lo,
				   uint32_t span)
{
	uint8_t how = model_u8(in);

	if (how < 200)
		return lo + (uint32_t)(model_u8(in) % (span + 1));
	if (how < 230)
		return lo + span + 1 + (uint32_t)(model_u8(in) % 4);
	if (how < 245)
		return lo - 1 - (uint32_t)(model_u8(in) % 4);
	return model_u32(in);
}

static inline void *model_alloc(uint64_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, PVKIT_RING_LINE, len))
		return NULL;
	return p;
}

static inline int model_init(struct model *m, struct model_input *in)
{
	uint32_t start;

	m->order = model_u8(in) % (MODEL_MAX_ORDER + 1);
	m->slot_size = 8 * (1 + model_u8(in) % (MODEL_MAX_SLOT / 8));
	start = model_u8(in) & 1 ? model_u32(in) : 0u - model_u8(in);
	m->len = PVKIT_RING_BYTES(1u << m->order, m->slot_size);
	m->mem_a = model_alloc(m->len);
	m->mem_b = model_alloc(m->len);
	m->cons_dead = 0;
	m->prod_dead = 0;
	m->violations = 0;
	m->copied = 0;
	if (!m->mem_a || !m->mem_b)
		return -1;
	memset(m->mem_a, 0, m->len);
	memset(m->mem_b, 0, m->len);
	if (pvkit_ring_setup(m->mem_a, m->len, m->order, m->slot_size, start) ||
	    pvkit_ring_setup(m->mem_b, m->len, m->order, m->slot_size, start))
		model_fail("setup");
	if (pvkit_ring_attach(&m->cons, m->mem_a, m->len, m->order,
			      m->slot_size, start) ||
	    pvkit_ring_attach(&m->prod, m->mem_b, m->len, m->order,
			      m->slot_size, start))
		model_fail("attach");
	return 0;
}

static inline void model_free(struct model *m)
{
	free(m->mem_a);
	free(m->mem_b);
}

/* The private state the library keeps must stay consistent. */
static inline void model_check_state(const struct pvkit_ring *r, int dead)
{
	if (dead && r->error != -PVKIT_ERANGE)
		model_fail("violation not sticky");
	if (r->error)
		return;
	if ((uint32_t)(r->peer - r->shared) > r->size &&
	    (uint32_t)(r->shared - r->peer) > r->size)
		model_fail("peer index escaped the ring");
}

/* A result: -ERANGE (the ring is now dead) or 0 .. limit. */
static inline void model_check_result(struct model *m, int ret, int limit,
				      int *dead)
{
	if (ret == -PVKIT_ERANGE) {
		if (!*dead)
			m->violations++;
		*dead = 1;
		return;
	}
	if (*dead)
		model_fail("call on a dead ring did not fail");
	if (ret < 0 || ret > limit)
		model_fail("result out of range");
}

/* Snapshot the n slots the consumer is about to copy, wrapping. */
static inline void model_snapshot(struct model *m, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && i < MODEL_MAX_BATCH; i++)
		memcpy(m->shadow + i * m->slot_size,
		       pvkit_ring_slot(&m->cons, m->cons.idx + i),
		       m->slot_size);
}

static inline void model_cons_get(struct model *m, struct model_input *in)
{
	uint32_t max = model_u8(in) % (MODEL_MAX_BATCH + 1);
	uint32_t before = m->cons.idx;
	int ret;

	/* the slots can only be the ones up to n past cons */
	model_snapshot(m, max < m->cons.size ? max : m->cons.size);
	ret = pvkit_ring_cons_get(&m->cons, m->buf, max);
	model_check_result(m, ret, (int)(max < m->cons.size ? max :
					 m->cons.size), &m->cons_dead);
	if (ret > 0) {
		m->copied += (uint64_t)ret;
		if (m->cons.idx != before + (uint32_t)ret)
			model_fail("consumer index moved wrongly");
		if (memcmp(m->buf, m->shadow, (size_t)ret * m->slot_size))
			model_fail("copy differs from the slots");
		if (m->cons.peer == m->cons.idx &&
		    m->cons.hdr->cons != m->cons.idx)
			model_fail("consumer index not released");
		if (m->cons.idx - m->cons.shared >=
		    pvkit_ring_cons_lag(&m->cons))
			model_fail("consumer held back too many slots");
	}
}

static inline void model_prod_put(struct model *m, struct model_input *in)
{
	uint32_t n = model_u8(in) % (MODEL_MAX_BATCH + 1);
	uint32_t before = m->prod.idx;
	int ret;

	memset(m->buf, model_u8(in), (size_t)n * m->slot_size);
	ret = pvkit_ring_prod_put(&m->prod, m->buf, n);
	model_check_result(m, ret, (int)n, &m->prod_dead);
	if (ret >= 0 && m->prod.idx != before + (uint32_t)ret)
		model_fail("producer index moved wrongly");
	if (ret > 0 && memcmp(pvkit_ring_slot(&m->prod, before), m->buf,
			      m->slot_size))
		model_fail("slot not written");
	if (model_u8(in) & 1) {
		pvkit_ring_prod_publish(&m->prod);
	} else {
		ret = pvkit_ring_prod_publish_notify(&m->prod);
		if (ret < 0 || ret > 1)
			model_fail("publish_notify result");
	}
}

static inline void model_scribble(void *mem, uint64_t len,
				  struct model_input *in)
{
	uint32_t off = model_u32(in) % (uint32_t)len;
	uint8_t n = model_u8(in) % 16, i;

	for (i = 0; i < n && off + i < len; i++)
		((uint8_t *)mem)[off + i] = model_u8(in);
}

static inline void model_step(struct model *m, struct model_input *in)
{
	struct pvkit_ring_hdr *a = (struct pvkit_ring_hdr *)m->mem_a;
	struct pvkit_ring_hdr *b = (struct pvkit_ring_hdr *)m->mem_b;
	int ret;

	switch (model_u8(in) % 12) {
	case 0:
	case 1:
		/* legal: from the last prod seen to cons + n */
		a->prod = model_index(in, m->cons.peer, m->cons.shared +
				      m->cons.size - m->cons.peer);
		break;
	case 2:
		model_scribble(m->mem_a, m->len, in);
		break;
	case 3:
	case 4:
		model_cons_get(m, in);
		break;
	case 5:
		ret = pvkit_ring_cons_arm(&m->cons);
		model_check_result(m, ret, 1, &m->cons_dead);
		break;
	case 6:
		if (pvkit_ring_cons_notify(&m->cons) > 1)
			model_fail("cons_notify result");
		if (m->cons.shared != m->cons.idx)
			model_fail("cons_notify held slots back");
		break;
	case 7:
		/* legal: from the last cons seen to the published prod */
		b->cons = model_index(in, m->prod.peer,
				      m->prod.shared - m->prod.peer);
		break;
	case 8:
		model_scribble(m->mem_b, m->len, in);
		break;
	case 9:
	case 10:
		model_prod_put(m, in);
		break;
	case 11:
		ret = pvkit_ring_prod_arm(&m->prod, model_u8(in));
		model_check_result(m, ret, 1, &m->prod_dead);
		ret = pvkit_ring_prod_space(&m->prod, model_u8(in));
		model_check_result(m, ret, (int)m->prod.size, &m->prod_dead);
		break;
	}
	model_check_state(&m->cons, m->cons_dead);
	model_check_state(&m->prod, m->prod_dead);
}

/* Run one whole input; returns the number of violations reported. */
static inline uint64_t model_run(struct model *m, const uint8_t *data,
				 size_t len)
{
	struct model_input in = { data, len, 0 };

	if (model_init(m, &in))
		return 0;
	while (in.pos < in.len)
		model_step(m, &in);
	model_free(m);
	return m->violations;
}

#endif /* PVKIT_RING_TESTS_MODEL_H */
