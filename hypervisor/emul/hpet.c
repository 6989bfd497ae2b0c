// SPDX-License-Identifier: GPL-2.0
/*
 * HPET: a 64-bit main counter and HPET_NR_TIMERS comparators.
 *
 * The main counter is never ticked: it remembers its value at run_ns
 * (when it last started, stopped or was written) and, while enabled,
 * adds the ticks since then.  Each timer keeps its next match as a tick
 * count since run_ns, computed when the comparator, the counter or the
 * mode changes, so a match is found in O(1) however late the check is:
 * a periodic comparator jumps over every period missed, and all of
 * them turn into one interrupt, as a pending request absorbs new ones.
 *
 * Matches are processed lazily, at every register access (so the
 * comparator and the status register read right) and at every poll.
 * A comparator matches when the counter, masked to 32 bits in 32-bit
 * mode, equals it; in 32-bit mode the counter wraps every 2^32 ticks
 * and a one-shot comparator matches again then, in 64-bit mode never.
 *
 * Periodic mode follows the spec's accumulator: a comparator write with
 * Tn_VAL_SET_CNF set loads both the comparator and the period, one
 * without it loads only the period (Linux writes both ways in turn, the
 * way AMD's 8111 needs it).  Only timer 0 is periodic-capable, as on
 * Intel's chipsets; all three are 64-bit.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/clock.h>
#include <hv/emul/hpet.h>

#define NEVER		UINT64_MAX
#define TIMERS_MASK	((1u << HPET_NR_TIMERS) - 1)
#define PERIODIC_TIMERS	0x1u		/* bitmap: timer 0 only */

static uint64_t hpet_now(struct hpet *h)
{
	const struct emul_env *env = h->dev.env;

	return env->now_ns ? env->now_ns(env->ctx) : 0;
}

static bool running(const struct hpet *h)
{
	return h->config & HPET_CFG_ENABLE;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > NEVER - b ? NEVER : a + b;
}

/* Ticks since run_ns: the counter's offset from h->counter. */
static uint64_t rel_now(const struct hpet *h, uint64_t now)
{
	return running(h) ? emul_ticks_since(h->run_ns, now, HPET_HZ) : 0;
}

static uint64_t timer_caps(const struct hpet *h, unsigned int i)
{
	uint64_t caps = HPET_TN_SIZE_CAP |
			(uint64_t)h->route_cap << HPET_TN_ROUTE_CAP_SHIFT;

	if (PERIODIC_TIMERS & (1u << i))
		caps |= HPET_TN_PER_CAP;
	return caps;
}

static uint64_t timer_mask(const struct hpet_timer *t)
{
	return t->config & HPET_TN_32BIT ? 0xffffffffull : ~0ull;
}

static bool timer_periodic(const struct hpet_timer *t)
{
	return t->config & HPET_TN_PERIODIC;
}

/* The line a timer drives, or -1 when it reaches none. */
static int timer_line(const struct hpet *h, unsigned int i)
{
	unsigned int route;

	if (h->legacy && i == 0)
		return HPET_LEGACY_IRQ0;
	if (h->legacy && i == 1)
		return HPET_LEGACY_IRQ1;
	route = (h->t[i].config & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT;
	return h->route_cap & (1u << route) ? (int)route : -1;
}

/* Ticks from one match to the next, NEVER if there is none. */
static uint64_t timer_step(const struct hpet_timer *t)
{
	uint64_t period = t->period & timer_mask(t);

	if (timer_periodic(t) && period)
		return period;
	return t->config & HPET_TN_32BIT ? 1ull << 32 : NEVER;
}

/* The next match after the counter's value at rel (inclusive). */
static void timer_arm(struct hpet *h, unsigned int i, uint64_t rel)
{
	struct hpet_timer *t = &h->t[i];
	uint64_t delta;

	if (!running(h)) {
		t->next = NEVER;
		return;
	}
	delta = (t->cmp - (h->counter + rel)) & timer_mask(t);
	t->next = sat_add(rel, delta);
}

static void arm_all(struct hpet *h, uint64_t rel)
{
	for (unsigned int i = 0; i < HPET_NR_TIMERS; i++)
		timer_arm(h, i, rel);
}

static void set_line(struct hpet *h, unsigned int line, bool level)
{
	const struct emul_env *env = h->dev.env;

	if (env->set_irq)
		env->set_irq(env->ctx, line, level);
}

/* Level timers: a line is held while any enabled timer on it is pending. */
static void update_lines(struct hpet *h)
{
	uint32_t want = 0, diff;

	for (unsigned int i = 0; i < HPET_NR_TIMERS; i++) {
		const struct hpet_timer *t = &h->t[i];
		int line = timer_line(h, i);

		if ((t->config & HPET_TN_LEVEL) &&
		    (t->config & HPET_TN_INT_ENB) &&
		    (h->status & (1u << i)) && line >= 0)
			want |= 1u << line;
	}
	diff = want ^ h->lines;
	h->lines = want;
	for (unsigned int line = 0; diff; line++, diff >>= 1)
		if (diff & 1)
			set_line(h, line, want & (1u << line));
}

/* t->next has been reached at rel: move to the next match, interrupt. */
static void timer_fire(struct hpet *h, unsigned int i, uint64_t rel,
		       uint64_t now)
{
	struct hpet_timer *t = &h->t[i];
	uint64_t step = timer_step(t), k;
	int line = timer_line(h, i);

	if (step == NEVER) {
		t->next = NEVER;
	} else {
		k = (rel - t->next) / step + 1;
		if (k > NEVER / step) {
			t->next = NEVER;
		} else {
			t->next = sat_add(t->next, k * step);
			if (timer_periodic(t))
				t->cmp = (t->cmp + k * step) & timer_mask(t);
		}
	}
	if (t->config & HPET_TN_LEVEL) {
		bool pending = h->status & (1u << i);

		/* The line follows the status bit in update_lines(). */
		h->status |= 1u << i;
		if (pending || !(t->config & HPET_TN_INT_ENB) || line < 0)
			return;
	} else {
		/* Masked, unrouted, or the line is held high already. */
		if (!(t->config & HPET_TN_INT_ENB) || line < 0 ||
		    (h->lines & (1u << line)))
			return;
		set_line(h, line, true);
		set_line(h, line, false);
	}
	t->last_irq_ns = now;
	t->irq_count++;
}

/* Too soon after this timer's last interrupt to send another. */
static bool timer_held_off(const struct hpet_timer *t, uint64_t now)
{
	return t->irq_count && t->last_irq_ns <= NEVER - HPET_MIN_IRQ_PERIOD_NS &&
	       now < t->last_irq_ns + HPET_MIN_IRQ_PERIOD_NS;
}

/*
 * Processes every match up to now.  A poll (guarded) leaves a timer
 * alone until its minimum interrupt period has passed; a register
 * access must see the current state and does not wait.
 */
static void hpet_sync(struct hpet *h, uint64_t now, bool guarded)
{
	uint64_t rel = rel_now(h, now);

	for (unsigned int i = 0; i < HPET_NR_TIMERS && running(h); i++) {
		struct hpet_timer *t = &h->t[i];

		if (t->next > rel || (guarded && timer_held_off(t, now)))
			continue;
		timer_fire(h, i, rel, now);
		/* A level line raised now hides later edges on it. */
		update_lines(h);
	}
	update_lines(h);
}

/* ---- registers ---- */

static uint64_t timer_read(struct hpet *h, unsigned int i, unsigned int reg)
{
	const struct hpet_timer *t = &h->t[i];

	switch (reg) {
	case HPET_REG_TN_CONFIG:
		return t->config | timer_caps(h, i);
	case HPET_REG_TN_CMP:
		return t->cmp & timer_mask(t);
	default:
		return 0;		/* FSB route: no FSB delivery */
	}
}

static uint64_t reg_read(struct hpet *h, unsigned int reg, uint64_t now)
{
	switch (reg) {
	case HPET_REG_CAP:
		return HPET_CAP_ID | HPET_PERIOD_FS << 32;
	case HPET_REG_CONFIG:
		return h->config;
	case HPET_REG_STATUS:
		return h->status;
	case HPET_REG_COUNTER:
		return h->counter + rel_now(h, now);
	}
	if (reg >= HPET_REG_TIMER(0) && reg < HPET_REG_TIMER(HPET_NR_TIMERS))
		return timer_read(h, (reg - HPET_REG_TIMER(0)) / 0x20,
				  (reg - HPET_REG_TIMER(0)) % 0x20);
	return 0;
}

static uint64_t merge(uint64_t old, uint64_t val, uint64_t wmask)
{
	return (old & ~wmask) | (val & wmask);
}

static void config_write(struct hpet *h, uint64_t val, uint64_t wmask,
			 uint64_t now)
{
	uint64_t cfg = merge(h->config, val,
			     wmask & (HPET_CFG_ENABLE | HPET_CFG_LEGACY));
	bool was_legacy = h->legacy;

	if ((cfg ^ h->config) & HPET_CFG_ENABLE) {
		h->counter += rel_now(h, now);	/* halts where it is */
		h->run_ns = now;
		h->config = cfg;
		arm_all(h, 0);
	}
	h->config = cfg;
	WRITE_ONCE(h->legacy, (cfg & HPET_CFG_LEGACY) != 0);
	/*
	 * Taking IRQ 0 and 8 over: whatever the 8254 or the RTC left
	 * asserted there is cut off with them.
	 */
	if (h->legacy && !was_legacy) {
		set_line(h, HPET_LEGACY_IRQ0, false);
		set_line(h, HPET_LEGACY_IRQ1, false);
	}
	hpet_sync(h, now, false);
}

static void counter_write(struct hpet *h, uint64_t val, uint64_t wmask,
			  uint64_t now)
{
	/* The spec allows writes only while halted; others are dropped. */
	if (running(h))
		return;
	h->counter = merge(h->counter, val, wmask);
	h->run_ns = now;
	arm_all(h, 0);
}

static void timer_config_write(struct hpet *h, unsigned int i, uint64_t val,
			       uint64_t wmask, uint64_t now)
{
	struct hpet_timer *t = &h->t[i];
	uint64_t writable = HPET_TN_LEVEL | HPET_TN_INT_ENB | HPET_TN_32BIT |
			    HPET_TN_ROUTE, cfg, route;

	if (timer_caps(h, i) & HPET_TN_PER_CAP)
		writable |= HPET_TN_PERIODIC | HPET_TN_VAL_SET;
	cfg = merge(t->config, val, wmask) & writable;
	/* A route the timer cannot take reads back as the old one. */
	route = (cfg & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT;
	if (!(h->route_cap & (1u << route)))
		cfg = (cfg & ~(uint64_t)HPET_TN_ROUTE) |
		      (t->config & HPET_TN_ROUTE);
	if (!(cfg & HPET_TN_LEVEL))
		h->status &= ~(1ull << i);	/* edge mode has no status */
	if ((cfg ^ t->config) & (HPET_TN_32BIT | HPET_TN_PERIODIC)) {
		t->config = cfg;
		t->cmp &= timer_mask(t);
		t->period &= timer_mask(t);
		timer_arm(h, i, rel_now(h, now));
	}
	t->config = cfg;
	hpet_sync(h, now, false);
}

static void timer_cmp_write(struct hpet *h, unsigned int i, uint64_t val,
			    uint64_t wmask, uint64_t now)
{
	struct hpet_timer *t = &h->t[i];
	uint64_t mask = timer_mask(t);

	if (!timer_periodic(t) || (t->config & HPET_TN_VAL_SET))
		t->cmp = merge(t->cmp, val, wmask) & mask;
	if (timer_periodic(t))
		t->period = merge(t->period, val, wmask) & mask;
	t->config &= ~(uint64_t)HPET_TN_VAL_SET;
	timer_arm(h, i, rel_now(h, now));
	hpet_sync(h, now, false);
}

static void reg_write(struct hpet *h, unsigned int reg, uint64_t val,
		      uint64_t wmask, uint64_t now)
{
	unsigned int i;

	switch (reg) {
	case HPET_REG_CONFIG:
		config_write(h, val, wmask, now);
		return;
	case HPET_REG_STATUS:
		h->status &= ~(val & wmask & TIMERS_MASK);
		update_lines(h);
		return;
	case HPET_REG_COUNTER:
		counter_write(h, val, wmask, now);
		return;
	}
	if (reg < HPET_REG_TIMER(0) || reg >= HPET_REG_TIMER(HPET_NR_TIMERS))
		return;
	i = (reg - HPET_REG_TIMER(0)) / 0x20;
	switch ((reg - HPET_REG_TIMER(0)) % 0x20) {
	case HPET_REG_TN_CONFIG:
		timer_config_write(h, i, val, wmask, now);
		break;
	case HPET_REG_TN_CMP:
		timer_cmp_write(h, i, val, wmask, now);
		break;
	}
}

static int hpet_mmio(struct emul_device *dev, struct io_access *io)
{
	struct hpet *h = dev->priv;
	uint64_t off = io->addr - h->base, now, shift, wmask, v;
	unsigned int reg;

	if (io->size != 4 && io->size != 8)
		goto ignore;
	if (off >= HPET_MMIO_SIZE || off & (io->size - 1))
		goto ignore;
	reg = off & ~7ull;
	shift = (off & 4) * 8;
	wmask = io->size == 8 ? ~0ull : 0xffffffffull << shift;
	now = hpet_now(h);
	hpet_sync(h, now, false);
	if (io->write) {
		reg_write(h, reg, io->val << shift, wmask, now);
		return 0;
	}
	v = reg_read(h, reg, now) >> shift;
	io->val = io->size == 8 ? v : (uint32_t)v;
	return 0;
ignore:
	if (!io->write)
		io->val = 0;
	return 0;
}

static void hpet_poll(struct emul_device *dev, uint64_t now_ns)
{
	hpet_sync(dev->priv, now_ns, true);
}

/* When timer i must next be looked at, or NEVER. */
static uint64_t timer_deadline(const struct hpet *h, unsigned int i)
{
	const struct hpet_timer *t = &h->t[i];
	uint64_t due;

	/* Nothing to send: the state catches up at the next access. */
	if (t->next == NEVER || !(t->config & HPET_TN_INT_ENB) ||
	    timer_line(h, i) < 0)
		return NEVER;
	if ((t->config & HPET_TN_LEVEL) && (h->status & (1u << i)))
		return NEVER;
	due = emul_tick_time(h->run_ns, t->next, HPET_HZ);
	if (t->irq_count && t->last_irq_ns <= NEVER - HPET_MIN_IRQ_PERIOD_NS)
		due = MAX(due, t->last_irq_ns + HPET_MIN_IRQ_PERIOD_NS);
	return due;
}

static uint64_t hpet_next_deadline(struct emul_device *dev)
{
	const struct hpet *h = dev->priv;
	uint64_t next = NEVER;

	if (!running(h))
		return NEVER;
	for (unsigned int i = 0; i < HPET_NR_TIMERS; i++)
		next = MIN(next, timer_deadline(h, i));
	return next;
}

static const struct emul_device_ops hpet_ops = {
	.name = "hpet",
	.mmio = hpet_mmio,
	.poll = hpet_poll,
	.next_deadline = hpet_next_deadline,
};

void hpet_init(struct hpet *h, const struct emul_env *env, uint64_t base,
	       uint32_t route_cap)
{
	*h = (struct hpet){
		.dev = { .ops = &hpet_ops, .env = env, .priv = h },
		.base = base,
		.route_cap = route_cap,
	};
	for (unsigned int i = 0; i < HPET_NR_TIMERS; i++) {
		h->t[i].cmp = ~0ull;
		h->t[i].next = NEVER;
	}
}

bool hpet_legacy_active(const struct hpet *h)
{
	return READ_ONCE(h->legacy);
}
