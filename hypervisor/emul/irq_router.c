// SPDX-License-Identifier: GPL-2.0
/*
 * The IRQ router: device lines into the 8259 and the IOAPIC, the 8259's
 * INTR into LINT0 and IOAPIC pin 0, and messages out to the LAPICs.
 */
#include <stdbool.h>
#include <stdint.h>
#include <hv/emul/irq_router.h>

#define PIC_INTR_PIN	0
#define ISA_TIMER_IRQ	0
#define ISA_TIMER_PIN	2
#define ISA_CASCADE_IRQ	2

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void router_lock(struct irq_router *r)
{
	while (__atomic_exchange_n(&r->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&r->lock, __ATOMIC_RELAXED))
			cpu_relax();
}

static void router_unlock(struct irq_router *r)
{
	__atomic_store_n(&r->lock, 0, __ATOMIC_RELEASE);
}

/*
 * Lowest priority: the matching LAPIC with the lowest task priority; ties
 * rotate so one vCPU does not take every interrupt.
 */
static void send_lowest(struct irq_router *r, const struct apic_msg *msg)
{
	uint32_t n = r->nr_lapics, start, i;
	struct vlapic *best = NULL;
	unsigned int best_prio = 256;

	if (!n)
		return;
	start = __atomic_fetch_add(&r->lowest_rr, 1, __ATOMIC_RELAXED) % n;
	for (i = 0; i < n; i++) {
		struct vlapic *l = r->lapic[(start + i) % n];
		unsigned int prio;

		if (!vlapic_match(l, msg))
			continue;
		prio = vlapic_priority(l) >> 4;
		if (prio < best_prio) {
			best = l;
			best_prio = prio;
		}
	}
	if (best)
		vlapic_deliver(best, msg);
}

/* Each LAPIC is visited once per message: a storm costs O(n) per IPI. */
void irq_router_send(struct irq_router *r, const struct apic_msg *msg)
{
	uint32_t i;

	if (msg->delivery_mode == APIC_DM_LOWEST) {
		send_lowest(r, msg);
		return;
	}
	for (i = 0; i < r->nr_lapics; i++)
		vlapic_accept(r->lapic[i], msg);
}

static void ioapic_deliver(void *ctx, const struct apic_msg *msg)
{
	irq_router_send(ctx, msg);
}

/* Called with the lock held after anything that may move the 8259's INTR. */
static void pic_sync(struct irq_router *r)
{
	bool out = vpic_output(&r->pic);
	uint32_t i;

	if (out == r->pic_out)
		return;
	r->pic_out = out;
	for (i = 0; i < r->nr_lapics; i++)
		vlapic_set_lint0(r->lapic[i], out);
	vioapic_set_irq(&r->ioapic, PIC_INTR_PIN, out);
}

void irq_router_init(struct irq_router *r, uint32_t ioapic_id,
		     uint64_t ioapic_base)
{
	*r = (struct irq_router){ .nr_lapics = 0 };
	r->ioapic_env.ctx = r;
	r->ioapic_env.deliver = ioapic_deliver;
	vpic_init(&r->pic);
	vioapic_init(&r->ioapic, ioapic_id, ioapic_base, &r->ioapic_env);
}

int irq_router_add_lapic(struct irq_router *r, struct vlapic *l)
{
	if (r->nr_lapics >= IRQ_ROUTER_MAX_LAPICS)
		return -1;
	r->lapic[r->nr_lapics++] = l;
	vlapic_set_lint0(l, r->pic_out);
	return 0;
}

void irq_router_set_irq(struct irq_router *r, unsigned int line, bool level)
{
	if (line >= IRQ_ROUTER_NR_LINES || line == ISA_CASCADE_IRQ)
		return;
	router_lock(r);
	if (line < 16) {
		vpic_set_irq(&r->pic, line, level);
		pic_sync(r);
	}
	vioapic_set_irq(&r->ioapic,
			line == ISA_TIMER_IRQ ? ISA_TIMER_PIN : line, level);
	router_unlock(r);
}

void irq_router_eoi(struct irq_router *r, uint8_t vector)
{
	router_lock(r);
	vioapic_eoi(&r->ioapic, vector);
	router_unlock(r);
}

int irq_router_extint_ack(struct irq_router *r)
{
	int vec;

	router_lock(r);
	vec = vpic_ack(&r->pic);
	pic_sync(r);
	router_unlock(r);
	return vec;
}

int irq_router_pio(struct irq_router *r, struct io_access *io)
{
	int ret;

	router_lock(r);
	ret = vpic_pio(&r->pic, io);
	pic_sync(r);
	router_unlock(r);
	return ret;
}

int irq_router_mmio(struct irq_router *r, struct io_access *io)
{
	int ret;

	router_lock(r);
	ret = vioapic_mmio(&r->ioapic, io);
	router_unlock(r);
	return ret;
}

static int pic_dev_pio(struct emul_device *dev, struct io_access *io)
{
	return irq_router_pio(dev->priv, io);
}

static int ioapic_dev_mmio(struct emul_device *dev, struct io_access *io)
{
	return irq_router_mmio(dev->priv, io);
}

const struct emul_device_ops irq_router_pic_ops = {
	.name = "i8259",
	.pio = pic_dev_pio,
};

const struct emul_device_ops irq_router_ioapic_ops = {
	.name = "ioapic",
	.mmio = ioapic_dev_mmio,
};
