// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual I/O APIC (82093AA-style, version 0x20 with the EOI register).
 * Edge pins fire on a rising edge while unmasked; level pins fire while
 * asserted, unmasked and without remote IRR, which the EOI of their vector
 * (from a LAPIC broadcast or the EOI register) clears.
 */
#include <stdbool.h>
#include <stdint.h>
#include <hv/emul/vioapic.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOEOI		0x40

#define REG_ID		0x00
#define REG_VER		0x01
#define REG_ARB		0x02
#define REG_RTE0	0x10

#define RTE_VECTOR(r)	((uint8_t)(r))
#define RTE_DM(r)	(((r) >> 8) & 7)
#define RTE_DESTMODE	(1ull << 11)
#define RTE_REMOTE_IRR	(1ull << 14)
#define RTE_LEVEL	(1ull << 15)
#define RTE_MASKED	(1ull << 16)
/* vector, delivery mode, dest mode, polarity, trigger, mask; dest 63:56 */
#define RTE_LO_WMASK	0x0001af00ull
#define RTE_HI_WMASK	0xff000000ull

static bool uses_remote_irr(uint64_t rte)
{
	return (rte & RTE_LEVEL) &&
	       (RTE_DM(rte) == APIC_DM_FIXED || RTE_DM(rte) == APIC_DM_LOWEST);
}

static void fire(struct vioapic *io, unsigned int pin)
{
	uint64_t rte = io->rte[pin];
	struct apic_msg m = {
		.dest = rte >> 56,
		.vector = RTE_VECTOR(rte),
		.delivery_mode = RTE_DM(rte),
		.dest_mode = !!(rte & RTE_DESTMODE),
		.level = 1,
		.trigger = uses_remote_irr(rte),
	};

	if (RTE_DM(rte) == APIC_DM_SIPI || RTE_DM(rte) == 3)
		return;		/* reserved delivery modes */
	if (m.trigger)
		io->rte[pin] |= RTE_REMOTE_IRR;
	if (io->env && io->env->deliver)
		io->env->deliver(io->env->ctx, &m);
}

/* A level pin fires again while its condition holds. */
static void service_level(struct vioapic *io, unsigned int pin)
{
	uint64_t rte = io->rte[pin];

	if (!(rte & RTE_LEVEL) || (rte & (RTE_MASKED | RTE_REMOTE_IRR)))
		return;
	if (io->lines & (1u << pin))
		fire(io, pin);
}

void vioapic_set_irq(struct vioapic *io, unsigned int pin, bool level)
{
	uint32_t bit;
	bool was;
	uint64_t rte;

	if (pin >= VIOAPIC_PINS)
		return;
	bit = 1u << pin;
	was = io->lines & bit;
	if (level)
		io->lines |= bit;
	else
		io->lines &= ~bit;
	rte = io->rte[pin];
	if (rte & RTE_LEVEL) {
		service_level(io, pin);
		return;
	}
	/* An edge while masked is lost, as on hardware. */
	if (level && !was && !(rte & RTE_MASKED))
		fire(io, pin);
}

void vioapic_eoi(struct vioapic *io, uint8_t vector)
{
	unsigned int pin;

	for (pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t rte = io->rte[pin];

		if (!(rte & RTE_REMOTE_IRR) || RTE_VECTOR(rte) != vector)
			continue;
		io->rte[pin] = rte & ~RTE_REMOTE_IRR;
		service_level(io, pin);
	}
}

void vioapic_init(struct vioapic *io, uint32_t id, uint64_t base,
		  const struct vioapic_env *env)
{
	unsigned int pin;

	*io = (struct vioapic){ .env = env, .base = base, .id = id & 0xf };
	for (pin = 0; pin < VIOAPIC_PINS; pin++)
		io->rte[pin] = RTE_MASKED;
}

static uint32_t read_reg(struct vioapic *io, uint32_t idx)
{
	unsigned int pin = (idx - REG_RTE0) >> 1;

	switch (idx) {
	case REG_ID:
	case REG_ARB:
		return io->id << 24;
	case REG_VER:
		return (VIOAPIC_PINS - 1) << 16 | VIOAPIC_VERSION;
	}
	if (idx < REG_RTE0 || pin >= VIOAPIC_PINS)
		return 0;
	return idx & 1 ? io->rte[pin] >> 32 : (uint32_t)io->rte[pin];
}

static void write_rte(struct vioapic *io, unsigned int pin, bool hi,
		      uint32_t val)
{
	uint64_t rte = io->rte[pin];

	if (hi) {
		rte &= ~(RTE_HI_WMASK << 32);
		rte |= (uint64_t)(val & RTE_HI_WMASK) << 32;
	} else {
		rte &= ~(RTE_LO_WMASK | 0xffull);
		rte |= val & (RTE_LO_WMASK | 0xffull);
		/* Linux clears a stuck remote IRR by going edge and back. */
		if (!(rte & RTE_LEVEL))
			rte &= ~RTE_REMOTE_IRR;
	}
	io->rte[pin] = rte;
	service_level(io, pin);
}

static void write_reg(struct vioapic *io, uint32_t idx, uint32_t val)
{
	unsigned int pin = (idx - REG_RTE0) >> 1;

	if (idx == REG_ID) {
		io->id = (val >> 24) & 0xf;
		return;
	}
	if (idx < REG_RTE0 || pin >= VIOAPIC_PINS)
		return;		/* version, arbitration, beyond the table */
	write_rte(io, pin, idx & 1, val);
}

int vioapic_mmio(struct vioapic *io, struct io_access *a)
{
	uint64_t off = a->addr - io->base;

	if (a->addr < io->base || off >= VIOAPIC_MMIO_SIZE)
		return -1;
	if (!a->write)
		a->val = 0;
	/* Registers are aligned dwords; anything else reads 0, is dropped. */
	if (a->size != 4 || (off != IOREGSEL && off != IOWIN && off != IOEOI))
		return 0;
	switch (off) {
	case IOREGSEL:
		if (a->write)
			io->index = a->val & 0xff;
		else
			a->val = io->index;
		break;
	case IOWIN:
		if (a->write)
			write_reg(io, io->index, a->val);
		else
			a->val = read_reg(io, io->index);
		break;
	case IOEOI:
		if (a->write)
			vioapic_eoi(io, a->val & 0xff);
		break;
	}
	return 0;
}
