// SPDX-License-Identifier: GPL-2.0
/* The fake domain of the local APIC tests. */
#include <stdint.h>
#include <string.h>
#include "vlapic_fake.h"

uint64_t fake_now;
struct irq_router router;
struct fake_cpu cpu[NCPU];

static uint64_t f_now(void *ctx)
{
	(void)ctx;
	return fake_now;
}

/* The guest's TSC runs at 2 GHz and read 0 at time 0. */
static uint64_t f_tsc_to_ns(void *ctx, uint64_t tsc)
{
	(void)ctx;
	return tsc / 2;
}

static void f_send(void *ctx, const struct apic_msg *m)
{
	(void)ctx;
	irq_router_send(&router, m);
}

static void f_kick(void *ctx)
{
	__atomic_fetch_add(&((struct fake_cpu *)ctx)->kicks, 1,
			   __ATOMIC_RELAXED);
}

static void f_eoi(void *ctx, uint8_t v)
{
	struct fake_cpu *c = ctx;

	c->eois++;
	c->last_eoi = v;
	irq_router_eoi(&router, v);
}

static int f_extint(void *ctx)
{
	(void)ctx;
	return irq_router_extint_ack(&router);
}

void domain(unsigned int flags)
{
	unsigned int i;

	fake_now = 1000;
	irq_router_init(&router, 0, VIOAPIC_DEFAULT_BASE);
	for (i = 0; i < NCPU; i++) {
		struct fake_cpu *c = &cpu[i];

		memset(c, 0, sizeof(*c));
		c->env = (struct vlapic_env){
			.ctx = c, .now_ns = f_now, .tsc_to_ns = f_tsc_to_ns,
			.send_ipi = f_send,
			.kick = f_kick, .eoi = f_eoi, .extint_ack = f_extint,
		};
		vlapic_init(&c->l, i, flags | (i ? 0 : VLAPIC_F_BSP), &c->env);
		irq_router_add_lapic(&router, &c->l);
	}
}
