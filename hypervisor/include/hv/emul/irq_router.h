/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's interrupt fabric: the 8259 pair, the IOAPIC and the APIC bus
 * to the LAPICs.  Devices drive lines with irq_router_set_irq(); LAPICs
 * send IPIs and EOIs and acknowledge ExtINT through the irq_router_*
 * calls their struct vlapic_env points at.
 *
 * Locking.  The PIC and the IOAPIC sit behind one spinlock inside the
 * router.  IPIs do not take it: the LAPIC table is fixed before any vCPU
 * runs and a LAPIC takes messages lock-free (see vlapic.h).  The vlapic
 * env's kick callback may be called with the router lock held and must
 * not call back into the router.
 */
#ifndef HV_EMUL_IRQ_ROUTER_H
#define HV_EMUL_IRQ_ROUTER_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>
#include <hv/emul/vioapic.h>
#include <hv/emul/vlapic.h>
#include <hv/emul/vpic8259.h>

#define IRQ_ROUTER_MAX_LAPICS	255
/* Lines 0-15 are ISA IRQs, 16-23 the IOAPIC's PCI pins. */
#define IRQ_ROUTER_NR_LINES	VIOAPIC_PINS

struct irq_router {
	struct vpic pic;
	struct vioapic ioapic;
	struct vioapic_env ioapic_env;
	struct vlapic *lapic[IRQ_ROUTER_MAX_LAPICS];
	uint32_t nr_lapics;
	uint32_t lock;
	uint32_t lowest_rr;	/* round robin among equal priorities */
	bool pic_out;		/* the 8259's INTR, last seen */
};

void irq_router_init(struct irq_router *r, uint32_t ioapic_id,
		     uint64_t ioapic_base);
/* Before any vCPU runs.  0, or -1 when the table is full. */
int irq_router_add_lapic(struct irq_router *r, struct vlapic *l);

/*
 * Drive a line (true = asserted).  ISA IRQ n (n < 16) goes to 8259 input
 * n and IOAPIC pin n, except IRQ0 which goes to pin 2 (the interrupt
 * source override the MADT must describe) and IRQ2, the cascade, which
 * nothing drives.  Lines 16-23 go to IOAPIC pins 16-23.  The 8259's INTR
 * is wired to IOAPIC pin 0 and to every LAPIC's LINT0.  A line shared by
 * several devices must be OR-ed by the caller.
 */
void irq_router_set_irq(struct irq_router *r, unsigned int line, bool level);

/* For struct vlapic_env: send_ipi, eoi and extint_ack. */
void irq_router_send(struct irq_router *r, const struct apic_msg *msg);
void irq_router_eoi(struct irq_router *r, uint8_t vector);
int irq_router_extint_ack(struct irq_router *r);

/* Guest accesses: 8259 and ELCR ports, the IOAPIC page. */
int irq_router_pio(struct irq_router *r, struct io_access *io);
int irq_router_mmio(struct irq_router *r, struct io_access *io);

/* Device ops for the bus, with emul_device.priv = the router. */
extern const struct emul_device_ops irq_router_pic_ops;
extern const struct emul_device_ops irq_router_ioapic_ops;

#endif /* HV_EMUL_IRQ_ROUTER_H */
