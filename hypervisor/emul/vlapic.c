// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual local APIC.  Register semantics follow the Intel SDM vol. 3
 * chapter 10 and AMD APM vol. 2 chapter 16; see docs/interrupts.md for
 * what is emulated and what is not, and hv/emul/vlapic.h for which
 * functions may run on which pCPU.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <hv/emul/vlapic.h>
#include "vlapic_internal.h"

/* Writable bits per LVT entry: delivery status and remote IRR read 0. */
static const uint32_t lvt_wmask[VLAPIC_NR_LVT] = {
	[LVT_TIMER] = 0x000300ffu,	/* vector, mask, periodic; see below */
	[LVT_THERMAL] = 0x000107ffu,
	[LVT_PERF] = 0x000107ffu,
	[LVT_LINT0] = 0x0001a7ffu,	/* + polarity, trigger */
	[LVT_LINT1] = 0x0001a7ffu,
	[LVT_ERROR] = 0x000100ffu,
};

/* With the TSC-deadline timer offered, bit 18 (mode 2) is writable too. */
#define LVT_TIMER_DEADLINE_BIT	(1u << 18)

static void bit_set(uint32_t *a, uint8_t v)
{
	__atomic_fetch_or(&a[v >> 5], 1u << (v & 31), __ATOMIC_SEQ_CST);
}

static void bit_clear(uint32_t *a, uint8_t v)
{
	__atomic_fetch_and(&a[v >> 5], ~(1u << (v & 31)), __ATOMIC_SEQ_CST);
}

static bool bit_test(uint32_t *a, uint8_t v)
{
	return LD(a[v >> 5]) & (1u << (v & 31));
}

/* Highest vector set in a 256-bit register, or -1. */
static int bits_highest(uint32_t *a)
{
	int i;

	for (i = 7; i >= 0; i--) {
		uint32_t w = LD(a[i]);

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

static bool x2apic_mode(const struct vlapic *l)
{
	return LD(l->apic_base) & APIC_BASE_EXTD;
}

static bool hw_enabled(const struct vlapic *l)
{
	return LD(l->apic_base) & APIC_BASE_EN;
}

static bool sw_enabled(const struct vlapic *l)
{
	return LD(l->svr) & SVR_ENABLE;
}

static uint32_t x2apic_ldr(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

static void kick(struct vlapic *l)
{
	if (l->env && l->env->kick)
		l->env->kick(l->env->ctx);
}

/* ---- receiving: safe from any pCPU ---- */

static void raise_irr(struct vlapic *l, uint8_t vec, bool level)
{
	/* TMR first: the owner reads IRR, then TMR at EOI. */
	if (level)
		bit_set(l->tmr, vec);
	else
		bit_clear(l->tmr, vec);
	bit_set(l->irr, vec);
}

/*
 * Errors accumulate until the guest writes ESR.  The error LVT fires only
 * when a bit is newly set, so an illegal error vector cannot recurse.
 */
static void set_error(struct vlapic *l, uint32_t bit)
{
	uint32_t old = __atomic_fetch_or(&l->esr_acc, bit, __ATOMIC_SEQ_CST);
	uint32_t lvt = LD(l->lvt[LVT_ERROR]);

	if ((old & bit) || (lvt & LVT_MASKED) || !sw_enabled(l))
		return;
	if ((lvt & 0xff) >= 16)
		raise_irr(l, lvt & 0xff, false);
}

/* A fixed interrupt arriving: from a message, an LVT or a self-IPI. */
void vlapic_accept_vector(struct vlapic *l, uint8_t vec, bool level)
{
	if (!sw_enabled(l))
		return;
	if (vec < 16) {
		set_error(l, ESR_RECV_ILLEGAL);
		return;
	}
	raise_irr(l, vec, level);
}

static bool match_logical(const struct vlapic *l, const struct apic_msg *m)
{
	uint32_t ldr = LD(l->ldr), mda;

	if (x2apic_mode(l)) {
		if (!m->x2apic)
			return m->dest == 0xff;
		if (m->dest == 0xffffffffu)
			return true;
		return (m->dest >> 16) == (ldr >> 16) &&
		       (m->dest & ldr & 0xffff);
	}
	if (m->x2apic)
		return m->dest == 0xffffffffu;
	mda = m->dest & 0xff;
	ldr >>= 24;
	if (mda == 0xff)
		return true;
	if ((LD(l->dfr) >> 28) == 0xf)
		return mda & ldr;
	/* Cluster model: 4-bit cluster, 4-bit member mask. */
	return (mda >> 4) == (ldr >> 4) && (mda & ldr & 0xf);
}

bool vlapic_match(const struct vlapic *l, const struct apic_msg *m)
{
	uint32_t bcast = m->x2apic ? 0xffffffffu : 0xffu;

	if (!hw_enabled(l))
		return false;
	switch (m->shorthand) {
	case APIC_SH_SELF:
		return m->src_id == l->id;
	case APIC_SH_ALL:
		return true;
	case APIC_SH_OTHERS:
		return m->src_id != l->id;
	}
	if (m->dest_mode)
		return match_logical(l, m);
	if (x2apic_mode(l) && !m->x2apic)
		bcast = 0xff;	/* an 8-bit IOAPIC broadcast */
	return m->dest == bcast || m->dest == l->id;
}

static void set_pending(struct vlapic *l, uint32_t bit)
{
	__atomic_fetch_or(&l->pending, bit, __ATOMIC_SEQ_CST);
}

static void clear_pending(struct vlapic *l, uint32_t bit)
{
	__atomic_fetch_and(&l->pending, ~bit, __ATOMIC_SEQ_CST);
}

/*
 * Two NMIs may be pending: one the vCPU is about to take and one that
 * arrives before it does, which a CPU would latch while the first's
 * handler runs (two vCPUs sending at once must both be heard).  Once
 * the vCPU blocks NMIs, vlapic_nmi_blocked() keeps only one.
 */
static void nmi_raise(struct vlapic *l)
{
	uint32_t n = __atomic_load_n(&l->nmis, __ATOMIC_RELAXED);

	while (n < 2 && !__atomic_compare_exchange_n(&l->nmis, &n, n + 1,
						     false, __ATOMIC_SEQ_CST,
						     __ATOMIC_RELAXED))
		;
	set_pending(l, VLAPIC_PEND_NMI);
}

/* One NMI taken; the pending bit stays while another waits. */
static void nmi_take(struct vlapic *l)
{
	uint32_t n = __atomic_load_n(&l->nmis, __ATOMIC_RELAXED);

	while (n && !__atomic_compare_exchange_n(&l->nmis, &n, n - 1, false,
						 __ATOMIC_SEQ_CST,
						 __ATOMIC_RELAXED))
		;
	if (n > 1)
		return;
	clear_pending(l, VLAPIC_PEND_NMI);
	/* One raised meanwhile: its bit must not be the one cleared. */
	if (__atomic_load_n(&l->nmis, __ATOMIC_SEQ_CST))
		set_pending(l, VLAPIC_PEND_NMI);
}

void vlapic_nmi_blocked(struct vlapic *l)
{
	uint32_t two = 2;

	__atomic_compare_exchange_n(&l->nmis, &two, 1, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

void vlapic_deliver(struct vlapic *l, const struct apic_msg *m)
{
	switch (m->delivery_mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		vlapic_accept_vector(l, m->vector, m->trigger);
		break;
	case APIC_DM_NMI:
		nmi_raise(l);
		break;
	case APIC_DM_INIT:
		if (m->trigger && !m->level)
			return;		/* INIT level de-assert: no effect */
		/* A SIPI that came before this INIT is stale. */
		__atomic_fetch_and(&l->pending, ~VLAPIC_PEND_SIPI,
				   __ATOMIC_SEQ_CST);
		set_pending(l, VLAPIC_PEND_INIT);
		break;
	case APIC_DM_SIPI:
		ST(l->sipi_vector, m->vector);
		set_pending(l, VLAPIC_PEND_SIPI);
		break;
	case APIC_DM_EXTINT:
		set_pending(l, VLAPIC_PEND_EXTINT);
		break;
	default:
		return;		/* SMI and reserved modes are dropped */
	}
	kick(l);
}

bool vlapic_accept(struct vlapic *l, const struct apic_msg *m)
{
	if (!vlapic_match(l, m))
		return false;
	vlapic_deliver(l, m);
	return true;
}

uint8_t vlapic_priority(const struct vlapic *l)
{
	return LD(l->tpr) & 0xff;
}

static bool lint0_is_extint(const struct vlapic *l)
{
	uint32_t lvt = LD(l->lvt[LVT_LINT0]);

	/* A globally disabled APIC passes INTR straight to the core. */
	if (!hw_enabled(l))
		return true;
	return !(lvt & LVT_MASKED) && LVT_DM(lvt) == APIC_DM_EXTINT;
}

void vlapic_set_lint0(struct vlapic *l, bool level)
{
	uint32_t old = __atomic_exchange_n(&l->lint0_level, level,
					   __ATOMIC_SEQ_CST);
	uint32_t lvt = LD(l->lvt[LVT_LINT0]);

	if (lint0_is_extint(l)) {
		if (level)
			kick(l);
		return;
	}
	/* Other modes see edges only (level-triggered LINT0 is not kept). */
	if (!level || old || (lvt & LVT_MASKED) || !hw_enabled(l))
		return;
	if (LVT_DM(lvt) == APIC_DM_FIXED)
		vlapic_accept_vector(l, lvt & 0xff, false);
	else if (LVT_DM(lvt) == APIC_DM_NMI)
		nmi_raise(l);
	else
		return;
	kick(l);
}

/* ---- owner side ---- */

static uint32_t ppr(struct vlapic *l)
{
	int isrv = bits_highest(l->isr);
	uint32_t isrc = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
	uint32_t tpr = l->tpr & 0xff;

	return (tpr >> 4) >= (isrc >> 4) ? tpr : isrc;
}

int vlapic_pending_vector(struct vlapic *l)
{
	int irrv = bits_highest(l->irr);

	if (irrv < 0 || (irrv >> 4) <= (int)(ppr(l) >> 4))
		return -1;
	return irrv;
}

void vlapic_ack(struct vlapic *l, uint8_t vec)
{
	bit_clear(l->irr, vec);
	bit_set(l->isr, vec);
}

enum vlapic_intr_kind vlapic_pending_intr(struct vlapic *l, bool nmi_blocked,
					  int *vector)
{
	uint32_t p = LD(l->pending);
	int v;

	/* A blocked NMI stays latched; interrupts go on meanwhile. */
	if ((p & VLAPIC_PEND_NMI) && !nmi_blocked)
		return VLAPIC_INTR_NMI;
	if ((p & VLAPIC_PEND_EXTINT) ||
	    (LD(l->lint0_level) && lint0_is_extint(l)))
		return VLAPIC_INTR_EXTINT;
	v = vlapic_pending_vector(l);
	if (v < 0)
		return VLAPIC_INTR_NONE;
	*vector = v;
	return VLAPIC_INTR_FIXED;
}

bool vlapic_has_work(struct vlapic *l, bool irqs_enabled, bool nmi_blocked)
{
	uint32_t p = LD(l->pending);
	int vector;

	if (p & (VLAPIC_PEND_INIT | VLAPIC_PEND_SIPI))
		return true;
	if ((p & VLAPIC_PEND_NMI) && !nmi_blocked)
		return true;
	return irqs_enabled &&
	       vlapic_pending_intr(l, true, &vector) != VLAPIC_INTR_NONE;
}

int vlapic_ack_intr(struct vlapic *l, enum vlapic_intr_kind kind,
		    uint8_t vector)
{
	switch (kind) {
	case VLAPIC_INTR_NMI:
		nmi_take(l);
		return 2;
	case VLAPIC_INTR_EXTINT:
		clear_pending(l, VLAPIC_PEND_EXTINT);
		if (!l->env || !l->env->extint_ack)
			return -1;
		return l->env->extint_ack(l->env->ctx);
	case VLAPIC_INTR_FIXED:
		if (!bit_test(l->irr, vector))
			return -1;
		vlapic_ack(l, vector);
		return vector;
	default:
		return -1;
	}
}

uint64_t vlapic_get_cr8(const struct vlapic *l)
{
	return (LD(l->tpr) >> 4) & 0xf;
}

void vlapic_set_cr8(struct vlapic *l, uint64_t cr8)
{
	ST(l->tpr, (uint32_t)(cr8 & 0xf) << 4);
}

static void do_eoi(struct vlapic *l)
{
	int v = bits_highest(l->isr);

	if (v < 0)
		return;
	bit_clear(l->isr, v);
	if (bit_test(l->tmr, v) && l->env && l->env->eoi)
		l->env->eoi(l->env->ctx, v);
}

/* ---- registers ---- */

static void mask_all_lvts(struct vlapic *l)
{
	int i;

	for (i = 0; i < VLAPIC_NR_LVT; i++)
		ST(l->lvt[i], l->lvt[i] | LVT_MASKED);
}

/* Power-on and INIT state; ID and APIC_BASE are kept. */
static void reset_state(struct vlapic *l)
{
	int i;

	for (i = 0; i < 8; i++) {
		ST(l->irr[i], 0);
		ST(l->tmr[i], 0);
		l->isr[i] = 0;
	}
	for (i = 0; i < VLAPIC_NR_LVT; i++)
		ST(l->lvt[i], LVT_MASKED);
	ST(l->tpr, 0);
	ST(l->ldr, x2apic_mode(l) ? x2apic_ldr(l->id) : 0);
	ST(l->dfr, DFR_FLAT);
	ST(l->svr, 0xff);
	ST(l->esr_acc, 0);
	__atomic_store_n(&l->nmis, 0, __ATOMIC_SEQ_CST);
	clear_pending(l, VLAPIC_PEND_NMI | VLAPIC_PEND_EXTINT);
	l->esr = 0;
	l->icr_lo = l->icr_hi = 0;
	l->tmict = l->tdcr = 0;
	l->tsc_deadline = 0;
	l->t_start = 0;
	l->t_next = UINT64_MAX;
}

void vlapic_init(struct vlapic *l, uint32_t apic_id, unsigned int flags,
		 const struct vlapic_env *env)
{
	*l = (struct vlapic){ .env = env, .id = apic_id };
	l->x2apic_ok = flags & VLAPIC_F_X2APIC;
	l->tsc_deadline_ok = flags & VLAPIC_F_TSC_DEADLINE;
	l->apic_base = VLAPIC_DEFAULT_BASE | APIC_BASE_EN;
	if (flags & VLAPIC_F_BSP)
		l->apic_base |= APIC_BASE_BSP;
	reset_state(l);
	l->wait_sipi = !(flags & VLAPIC_F_BSP);
	if (!(flags & VLAPIC_F_BSP))
		return;
	ST(l->svr, SVR_ENABLE | 0xff);
	ST(l->lvt[LVT_LINT0], APIC_DM_EXTINT << 8);
	ST(l->lvt[LVT_LINT1], APIC_DM_NMI << 8);
}

static void send_icr(struct vlapic *l, uint32_t lo, uint32_t dest, bool x2)
{
	struct apic_msg m = {
		.dest = dest, .src_id = l->id, .vector = lo & 0xff,
		.delivery_mode = (lo >> 8) & 7, .dest_mode = (lo >> 11) & 1,
		.level = (lo >> 14) & 1, .trigger = (lo >> 15) & 1,
		.shorthand = (lo >> 18) & 3, .x2apic = x2,
	};

	switch (m.delivery_mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		if (m.vector < 16) {
			set_error(l, ESR_SEND_ILLEGAL);
			return;
		}
		break;
	case APIC_DM_NMI:
	case APIC_DM_INIT:
	case APIC_DM_SIPI:
		break;
	default:
		return;		/* SMI, ExtINT and reserved IPIs: dropped */
	}
	if (m.shorthand == APIC_SH_SELF) {
		/* Only fixed is defined for the self shorthand. */
		if (m.delivery_mode == APIC_DM_FIXED)
			vlapic_accept_vector(l, m.vector, m.trigger);
		return;
	}
	if (l->env && l->env->send_ipi)
		l->env->send_ipi(l->env->ctx, &m);
}

static void self_ipi(struct vlapic *l, uint8_t vec)
{
	if (vec < 16) {
		set_error(l, ESR_SEND_ILLEGAL);
		return;
	}
	vlapic_accept_vector(l, vec, false);
}

static void write_svr(struct vlapic *l, uint32_t val)
{
	ST(l->svr, val & SVR_WMASK);
	if (!(val & SVR_ENABLE))
		mask_all_lvts(l);
}

static void write_lvt(struct vlapic *l, unsigned int i, uint32_t val)
{
	uint32_t old = l->lvt[i], mask = lvt_wmask[i];

	if (i == LVT_TIMER && l->tsc_deadline_ok)
		mask |= LVT_TIMER_DEADLINE_BIT;
	val &= mask;
	if (!sw_enabled(l))
		val |= LVT_MASKED;
	ST(l->lvt[i], val);
	if (i == LVT_TIMER)
		vlapic_write_lvt_timer(l, old, val);
}

static int read_vec_reg(struct vlapic *l, unsigned int off, uint32_t *val)
{
	unsigned int i = (off >> 4) & 7;

	if (off >= APIC_ISR && off < APIC_TMR)
		*val = l->isr[i];
	else if (off >= APIC_TMR && off < APIC_IRR)
		*val = LD(l->tmr[i]);
	else
		*val = LD(l->irr[i]);
	return 0;
}

/* One register read; -1 if the register does not exist in this mode. */
static int reg_read(struct vlapic *l, unsigned int off, uint32_t *val,
		    bool x2)
{
	*val = 0;
	if (off >= APIC_ISR && off < APIC_ESR)
		return read_vec_reg(l, off, val);
	if (off >= APIC_LVTT && off <= APIC_LVTERR) {
		*val = l->lvt[(off - APIC_LVTT) >> 4];
		return 0;
	}
	switch (off) {
	case APIC_ID:	*val = x2 ? l->id : l->id << 24; return 0;
	case APIC_LVR:	*val = APIC_VERSION; return 0;
	case APIC_TPR:	*val = l->tpr; return 0;
	case APIC_PPR:	*val = ppr(l); return 0;
	case APIC_LDR:	*val = l->ldr; return 0;
	case APIC_SVR:	*val = l->svr; return 0;
	case APIC_ESR:	*val = l->esr; return 0;
	case APIC_ICR:	*val = l->icr_lo; return 0;
	case APIC_TMICT: *val = l->tmict; return 0;
	case APIC_TMCCT: *val = vlapic_timer_current(l, now(l)); return 0;
	case APIC_TDCR:	*val = l->tdcr; return 0;
	case APIC_APR:
	case APIC_EOI:
	case APIC_RRD:	return x2 ? -1 : 0;
	case APIC_DFR:	*val = l->dfr; return x2 ? -1 : 0;
	case APIC_ICR2:	*val = l->icr_hi; return x2 ? -1 : 0;
	default:	return -1;
	}
}

static int reg_write_x2only(struct vlapic *l, unsigned int off, uint32_t val,
			    bool x2)
{
	switch (off) {
	case APIC_EOI:
		if (x2 && val)
			return -1;
		do_eoi(l);
		return 0;
	case APIC_ESR:
		if (x2 && val)
			return -1;
		l->esr = __atomic_exchange_n(&l->esr_acc, 0, __ATOMIC_SEQ_CST);
		return 0;
	case APIC_SELF_IPI:
		if (!x2)
			return -1;
		self_ipi(l, val & 0xff);
		return 0;
	}
	/* Read-only registers: #GP in x2APIC mode, ignored in xAPIC mode. */
	return x2 ? -1 : 0;
}

static int reg_write(struct vlapic *l, unsigned int off, uint32_t val, bool x2)
{
	if (off >= APIC_LVTT && off <= APIC_LVTERR) {
		write_lvt(l, (off - APIC_LVTT) >> 4, val);
		return 0;
	}
	switch (off) {
	case APIC_TPR:	ST(l->tpr, val & 0xff); return 0;
	case APIC_SVR:	write_svr(l, val); return 0;
	case APIC_TMICT: vlapic_write_tmict(l, val); return 0;
	case APIC_TDCR:	vlapic_write_tdcr(l, val); return 0;
	case APIC_LDR:
		if (x2)
			return -1;
		ST(l->ldr, val & 0xff000000u);
		return 0;
	case APIC_DFR:
		if (x2)
			return -1;
		ST(l->dfr, (val & 0xf0000000u) | 0x0fffffffu);
		return 0;
	case APIC_ICR:	/* the x2APIC ICR is one 64-bit MSR, see below */
		l->icr_lo = val & ICR_LO_WMASK;
		send_icr(l, l->icr_lo, l->icr_hi >> 24, false);
		return 0;
	case APIC_ICR2:
		if (x2)
			return -1;
		l->icr_hi = val & 0xff000000u;
		return 0;
	case APIC_ID: case APIC_LVR: case APIC_APR: case APIC_PPR:
	case APIC_RRD: case APIC_TMCCT:
	case APIC_EOI: case APIC_ESR: case APIC_SELF_IPI:
		return reg_write_x2only(l, off, val, x2);
	}
	if (off >= APIC_ISR && off < APIC_ESR)
		return x2 ? -1 : 0;
	return -1;
}

bool vlapic_mmio_base(const struct vlapic *l, uint64_t *base)
{
	uint64_t b = LD(l->apic_base);

	*base = b & APIC_BASE_ADDR_MASK;
	return (b & APIC_BASE_EN) && !(b & APIC_BASE_EXTD);
}

bool vlapic_hw_enabled(const struct vlapic *l)
{
	return hw_enabled(l);
}

int vlapic_mmio(struct vlapic *l, struct io_access *io)
{
	uint64_t base, off;
	bool live = vlapic_mmio_base(l, &base);
	uint32_t val;

	off = io->addr - base;
	if (io->addr < base || off >= VLAPIC_MMIO_SIZE)
		return -1;
	/* Not decoded (disabled, x2APIC): reads float to all-ones. */
	if (!io->write)
		io->val = live || !io->size ? 0 :
			  ~0ull >> (64 - 8 * (io->size > 8 ? 8 : io->size));
	/* Only aligned 32-bit accesses to the first dword of a register. */
	if (!live || io->size != 4 || (off & 0xf))
		return 0;
	if (io->write) {
		if (reg_write(l, off, (uint32_t)io->val, false))
			set_error(l, ESR_ILLEGAL_REG);
		return 0;
	}
	if (reg_read(l, off, &val, false))
		set_error(l, ESR_ILLEGAL_REG);
	io->val = val;
	return 0;
}

static int apic_base_write(struct vlapic *l, uint64_t val)
{
	uint64_t old = l->apic_base;
	bool en = val & APIC_BASE_EN, extd = val & APIC_BASE_EXTD;

	if (val & ~(APIC_BASE_ADDR_MASK | APIC_BASE_BSP | APIC_BASE_EXTD |
		    APIC_BASE_EN))
		return -1;
	if (extd && (!en || !l->x2apic_ok))
		return -1;
	/* x2APIC -> xAPIC and disabled -> x2APIC are invalid transitions. */
	if ((old & APIC_BASE_EXTD) && en && !extd)
		return -1;
	if (!(old & APIC_BASE_EN) && extd)
		return -1;
	val = (val & ~APIC_BASE_BSP) | (old & APIC_BASE_BSP);
	ST(l->apic_base, val);
	if ((old & APIC_BASE_EN) && !en)
		reset_state(l);
	if (!(old & APIC_BASE_EXTD) && extd)
		ST(l->ldr, x2apic_ldr(l->id));
	return 0;
}

int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *val)
{
	uint32_t v;
	unsigned int off = (msr - MSR_X2APIC_FIRST) << 4;

	*val = 0;
	if (msr == MSR_IA32_APIC_BASE) {
		*val = l->apic_base;
		return 0;
	}
	if (msr == MSR_IA32_TSC_DEADLINE) {
		if (!l->tsc_deadline_ok)
			return -1;
		*val = timer_deadline_mode(l) ? l->tsc_deadline : 0;
		return 0;
	}
	if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST || !x2apic_mode(l))
		return -1;
	if (off == APIC_ICR) {
		*val = (uint64_t)l->icr_hi << 32 | l->icr_lo;
		return 0;
	}
	if (reg_read(l, off, &v, true))
		return -1;
	*val = v;
	return 0;
}

int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t val)
{
	unsigned int off = (msr - MSR_X2APIC_FIRST) << 4;

	if (msr == MSR_IA32_APIC_BASE)
		return apic_base_write(l, val);
	if (msr == MSR_IA32_TSC_DEADLINE)
		return vlapic_tsc_deadline_write(l, val);
	if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST || !x2apic_mode(l))
		return -1;
	if (off == APIC_ICR) {
		l->icr_lo = (uint32_t)val & ICR_LO_WMASK;
		l->icr_hi = val >> 32;
		send_icr(l, l->icr_lo, l->icr_hi, true);
		return 0;
	}
	if (val >> 32)
		return -1;
	return reg_write(l, off, (uint32_t)val, true);
}

bool vlapic_take_init(struct vlapic *l)
{
	if (!(LD(l->pending) & VLAPIC_PEND_INIT))
		return false;
	clear_pending(l, VLAPIC_PEND_INIT);
	reset_state(l);
	l->wait_sipi = true;
	return true;
}

bool vlapic_take_sipi(struct vlapic *l, uint8_t *vector)
{
	if (!(LD(l->pending) & VLAPIC_PEND_SIPI))
		return false;
	clear_pending(l, VLAPIC_PEND_SIPI);
	if (!l->wait_sipi)
		return false;
	l->wait_sipi = false;
	*vector = LD(l->sipi_vector);
	return true;
}

bool vlapic_waiting_for_sipi(const struct vlapic *l)
{
	return l->wait_sipi;
}
