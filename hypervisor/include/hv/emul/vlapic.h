/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual local APIC: the xAPIC MMIO page, x2APIC MSRs, the timer
 * (one-shot, periodic and TSC-deadline), IPIs, INIT/SIPI, NMI and
 * ExtINT, level-triggered interrupts with TMR and EOI broadcast.
 *
 * Concurrency.  One LAPIC belongs to one vCPU.  Every function here is
 * called from that vCPU's own context (its run loop, also while it is
 * halted), except vlapic_match(), vlapic_accept(), vlapic_deliver(),
 * vlapic_set_lint0() and vlapic_priority(), which any pCPU may call at
 * any time without a lock: they touch only the fields that are updated
 * with atomic operations (IRR, TMR, the error accumulator and the pending
 * NMI/INIT/SIPI/ExtINT flags) and read the published addressing state
 * (ID, LDR, DFR, SVR, APIC_BASE) with single loads.  So an IPI never
 * takes the target's lock and two vCPUs sending to each other cannot
 * deadlock; vlapic_accept() may even be reached from inside an env
 * callback of the same LAPIC (a self-IPI, a level re-delivery on EOI).
 */
#ifndef HV_EMUL_VLAPIC_H
#define HV_EMUL_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#define VLAPIC_DEFAULT_BASE	0xfee00000ull
#define VLAPIC_MMIO_SIZE	0x1000u

#define MSR_IA32_APIC_BASE	0x1bu
#define MSR_IA32_TSC_DEADLINE	0x6e0u
#define MSR_X2APIC_FIRST	0x800u
#define MSR_X2APIC_LAST		0x8ffu

/* IA32_APIC_BASE bits. */
#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_EXTD		(1ull << 10)
#define APIC_BASE_EN		(1ull << 11)

/*
 * The timer counts at this rate before the divider: 1 GHz, one count per
 * nanosecond at divide-by-1.  The lead may report it to the guest (CPUID
 * leaf 0x15/0x16 or its own leaf); Linux also calibrates it against the PIT.
 */
#define VLAPIC_BUS_HZ		1000000000ull
/* Shortest periodic period honoured; shorter ones are stretched to it. */
#define VLAPIC_MIN_PERIOD_NS	100000ull

/* Delivery modes (ICR, LVT, IOAPIC redirection entry bits 10:8). */
enum apic_delivery_mode {
	APIC_DM_FIXED = 0,
	APIC_DM_LOWEST = 1,
	APIC_DM_SMI = 2,
	APIC_DM_NMI = 4,
	APIC_DM_INIT = 5,
	APIC_DM_SIPI = 6,
	APIC_DM_EXTINT = 7,
};

enum apic_shorthand {
	APIC_SH_NONE = 0,
	APIC_SH_SELF = 1,
	APIC_SH_ALL = 2,
	APIC_SH_OTHERS = 3,
};

/*
 * One interrupt message on the (virtual) APIC bus: an IPI from a LAPIC or
 * a redirection from the IOAPIC.  A message is data, never a pointer into
 * a sender's state, so the router may fan it out after the sender moved on.
 */
struct apic_msg {
	uint32_t dest;		/* APIC ID, logical MDA or 0xff / ~0 broadcast */
	uint32_t src_id;	/* sender's APIC ID, for the SELF/OTHERS shorthands */
	uint8_t vector;
	uint8_t delivery_mode;	/* enum apic_delivery_mode */
	uint8_t dest_mode;	/* 0 physical, 1 logical */
	uint8_t shorthand;	/* enum apic_shorthand */
	uint8_t level;		/* 0 only for an INIT level de-assert */
	uint8_t trigger;	/* 0 edge, 1 level */
	bool x2apic;		/* dest is 32-bit x2APIC format (else 8-bit) */
};

struct vlapic_env {
	void *ctx;
	/* Guest time, nanoseconds, monotonic. */
	uint64_t (*now_ns)(void *ctx);
	/*
	 * The guest time at which the guest's TSC reads tsc (0 for a TSC
	 * before time 0, saturating far ahead): the TSC-deadline timer.
	 */
	uint64_t (*tsc_to_ns)(void *ctx, uint64_t tsc);
	/*
	 * A message for LAPICs on the bus, possibly this one too (the
	 * router's irq_router_send()).  Self-only IPIs never come here.
	 */
	void (*send_ipi)(void *ctx, const struct apic_msg *msg);
	/*
	 * Something became pending: wake or interrupt the owning vCPU.  May
	 * be called from any pCPU (see the concurrency note above).
	 */
	void (*kick)(void *ctx);
	/* EOI of a level-triggered vector: broadcast to the IOAPIC. */
	void (*eoi)(void *ctx, uint8_t vector);
	/*
	 * Interrupt acknowledge cycle towards the 8259 (the router's
	 * irq_router_extint_ack()): returns the vector it supplies.
	 */
	int (*extint_ack)(void *ctx);
};

enum vlapic_intr_kind {
	VLAPIC_INTR_NONE,
	VLAPIC_INTR_FIXED,	/* vector from the IRR, above the PPR */
	VLAPIC_INTR_EXTINT,	/* 8259 through LINT0 or an ExtINT message */
	VLAPIC_INTR_NMI,
};

/* Registers 0x000..0x3f0 of the xAPIC page, by offset >> 4. */
#define VLAPIC_NR_LVT	6	/* timer, thermal, perf, LINT0, LINT1, error */

struct vlapic {
	const struct vlapic_env *env;

	/* Published: written by the owner, read by any pCPU. */
	uint32_t id;
	uint64_t apic_base;
	uint32_t ldr;
	uint32_t dfr;
	uint32_t svr;
	uint32_t tpr;
	uint32_t lvt[VLAPIC_NR_LVT];

	/* Atomic: set by any pCPU, cleared by the owner. */
	uint32_t irr[8];
	uint32_t tmr[8];
	uint32_t esr_acc;	/* errors since the last ESR write */
	uint32_t pending;	/* VLAPIC_PEND_* */
	uint32_t nmis;		/* NMIs pending: 0 .. 2, see nmi_raise() */
	uint32_t sipi_vector;
	uint32_t lint0_level;

	/* Owner only. */
	uint32_t isr[8];
	uint32_t esr;		/* latched by the last ESR write */
	uint32_t icr_lo, icr_hi;
	uint32_t tmict, tdcr;
	uint64_t t_start;	/* guest ns when the count was tmict */
	uint64_t t_next;	/* next expiry, UINT64_MAX when stopped */
	uint64_t tsc_deadline;	/* IA32_TSC_DEADLINE, 0 when disarmed */
	bool wait_sipi;
	bool x2apic_ok;
	bool tsc_deadline_ok;
};

/* vlapic_init() flags. */
#define VLAPIC_F_BSP		(1u << 0)	/* the boot processor */
#define VLAPIC_F_X2APIC		(1u << 1)	/* CPUID advertises x2APIC */
#define VLAPIC_F_TSC_DEADLINE	(1u << 2)	/* ... and the TSC-deadline timer */

/*
 * Power-on state.  For the BSP also what firmware leaves behind: the
 * software-enabled APIC in virtual-wire mode (LINT0 ExtINT, LINT1 NMI),
 * since Linux keeps LINT0 as it finds it.  APs start waiting for SIPI.
 */
void vlapic_init(struct vlapic *l, uint32_t apic_id, unsigned int flags,
		 const struct vlapic_env *env);

/* The xAPIC page.  0 = handled, -1 = outside the page. */
int vlapic_mmio(struct vlapic *l, struct io_access *io);
/* Where the xAPIC page is now; false when not decoded (disabled/x2APIC). */
bool vlapic_mmio_base(const struct vlapic *l, uint64_t *base);
/* IA32_APIC_BASE.EN: CPUID.1:EDX.APIC follows it, as on the CPU. */
bool vlapic_hw_enabled(const struct vlapic *l);

/*
 * IA32_APIC_BASE, IA32_TSC_DEADLINE and 0x800-0x8ff.  0 = done, -1 =
 * inject #GP.
 */
int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *val);
int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t val);

/* Does msg target this LAPIC (destination, shorthand, enable state)? */
bool vlapic_match(const struct vlapic *l, const struct apic_msg *msg);
/* Take msg without looking at its destination. */
void vlapic_deliver(struct vlapic *l, const struct apic_msg *msg);
/* vlapic_match() then vlapic_deliver(); true if taken. */
bool vlapic_accept(struct vlapic *l, const struct apic_msg *msg);
/* Task priority (for lowest-priority arbitration). */
uint8_t vlapic_priority(const struct vlapic *l);

/* The 8259's INTR output, wired to LINT0 of every LAPIC. */
void vlapic_set_lint0(struct vlapic *l, bool level);

/*
 * Injection.  vlapic_pending_intr() says what the vCPU should get next
 * (for FIXED also the vector); once the guest can take it, the lead calls
 * vlapic_ack_intr() with the same kind and vector and injects the vector
 * it returns (NMI: 2).  -1: nothing after all (the 8259 request went
 * away); inject nothing.  Only the owner clears IRR bits, so the vector
 * seen by vlapic_pending_intr() is still there at vlapic_ack_intr().
 * nmi_blocked: the vCPU runs an NMI handler (NMI blocking is the CPU's,
 * not the APIC's): a pending NMI waits, latched, and interrupts come.
 */
enum vlapic_intr_kind vlapic_pending_intr(struct vlapic *l, bool nmi_blocked,
					  int *vector);
int vlapic_ack_intr(struct vlapic *l, enum vlapic_intr_kind kind,
		    uint8_t vector);
/* While the vCPU's NMIs are blocked: at most one more stays latched. */
void vlapic_nmi_blocked(struct vlapic *l);
/* The FIXED-only shorthands. */
int vlapic_pending_vector(struct vlapic *l);
void vlapic_ack(struct vlapic *l, uint8_t vector);

/* CR8 is TPR[7:4] in 64-bit mode. */
uint64_t vlapic_get_cr8(const struct vlapic *l);
void vlapic_set_cr8(struct vlapic *l, uint64_t cr8);

/*
 * INIT: true once per INIT received; the LAPIC is reset (ID and
 * APIC_BASE kept) and waits for SIPI; the lead puts the vCPU into the
 * wait-for-SIPI state.  SIPI: true with the vector when a SIPI arrives
 * while waiting; the lead starts the vCPU at CS = vector << 8, IP = 0.
 * SIPIs at any other time are dropped, as on hardware.
 */
/*
 * What ends a HLT: an interrupt (if the guest takes them), an NMI (if
 * not blocked), INIT, SIPI.
 */
bool vlapic_has_work(struct vlapic *l, bool irqs_enabled, bool nmi_blocked);
bool vlapic_take_init(struct vlapic *l);
bool vlapic_take_sipi(struct vlapic *l, uint8_t *vector);
bool vlapic_waiting_for_sipi(const struct vlapic *l);

/* The timer: earliest guest time poll must run (UINT64_MAX: never). */
uint64_t vlapic_next_deadline(const struct vlapic *l);
void vlapic_poll(struct vlapic *l, uint64_t now_ns);

#endif /* HV_EMUL_VLAPIC_H */
