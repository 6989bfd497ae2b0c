/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC's register layout and the calls between vlapic.c (the
 * registers, interrupt acceptance and delivery, INIT/SIPI) and
 * vlapic_timer.c (the one-shot, periodic and TSC-deadline timer).  For
 * those two files only; everything else goes through hv/emul/vlapic.h.
 */
#ifndef HV_EMUL_VLAPIC_INTERNAL_H
#define HV_EMUL_VLAPIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul/vlapic.h>

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + off / 16. */
#define APIC_ID		0x020
#define APIC_LVR	0x030
#define APIC_TPR	0x080
#define APIC_APR	0x090
#define APIC_PPR	0x0a0
#define APIC_EOI	0x0b0
#define APIC_RRD	0x0c0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVTT	0x320
#define APIC_LVTERR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF_IPI	0x3f0

enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR };

/* LVT timer bits 18:17; 3 is reserved and counts as one-shot here. */
enum { TIMER_ONESHOT, TIMER_PERIODIC, TIMER_TSC_DEADLINE };

/* Integrated APIC, six LVT entries (max LVT 5), no EOI suppression. */
#define APIC_VERSION	0x00050014u

#define LVT_MASKED	(1u << 16)
#define LVT_MODE_SHIFT	17
#define LVT_MODE_MASK	(3u << LVT_MODE_SHIFT)
#define LVT_DM(v)	(((v) >> 8) & 7)
#define SVR_ENABLE	(1u << 8)
#define SVR_WMASK	0x3ffu		/* vector, enable, focus check */
#define ICR_LO_WMASK	0x000ccfffu	/* status (bit 12) reads 0 */
#define DFR_FLAT	0xffffffffu

#define ESR_SEND_ILLEGAL	(1u << 5)
#define ESR_RECV_ILLEGAL	(1u << 6)
#define ESR_ILLEGAL_REG		(1u << 7)

#define VLAPIC_PEND_NMI		(1u << 0)
#define VLAPIC_PEND_INIT	(1u << 1)
#define VLAPIC_PEND_SIPI	(1u << 2)
#define VLAPIC_PEND_EXTINT	(1u << 3)

#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull

#define LD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define ST(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

static inline uint64_t now(struct vlapic *l)
{
	return l->env && l->env->now_ns ? l->env->now_ns(l->env->ctx) : 0;
}

static inline unsigned int timer_mode_of(uint32_t lvt)
{
	unsigned int mode = (lvt & LVT_MODE_MASK) >> LVT_MODE_SHIFT;

	return mode == TIMER_PERIODIC || mode == TIMER_TSC_DEADLINE ?
	       mode : TIMER_ONESHOT;
}

static inline bool timer_deadline_mode(const struct vlapic *l)
{
	return timer_mode_of(l->lvt[LVT_TIMER]) == TIMER_TSC_DEADLINE;
}

/* vlapic.c: a vector arriving at this LAPIC, from the timer too. */
void vlapic_accept_vector(struct vlapic *l, uint8_t vec, bool level);

/* vlapic_timer.c: the timer's registers, LVT entry and MSR. */
uint32_t vlapic_timer_current(struct vlapic *l, uint64_t t);
void vlapic_write_tmict(struct vlapic *l, uint32_t val);
void vlapic_write_tdcr(struct vlapic *l, uint32_t val);
void vlapic_write_lvt_timer(struct vlapic *l, uint32_t old, uint32_t val);
int vlapic_tsc_deadline_write(struct vlapic *l, uint64_t tsc);

#endif
