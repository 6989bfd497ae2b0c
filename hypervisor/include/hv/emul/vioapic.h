/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual I/O APIC, version 0x20 with 24 pins: IOREGSEL at +0x00, IOWIN at
 * +0x10, the EOI register at +0x40.  A pin that fires becomes a struct
 * apic_msg handed to env->deliver (the IRQ router).  Pin levels are
 * logical (true = asserted); the polarity bit is stored for the guest to
 * read back but the model does not invert lines with it.
 *
 * Not thread-safe: the IRQ router serialises every call.
 */
#ifndef HV_EMUL_VIOAPIC_H
#define HV_EMUL_VIOAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>
#include <hv/emul/vlapic.h>

#define VIOAPIC_DEFAULT_BASE	0xfec00000ull
#define VIOAPIC_MMIO_SIZE	0x1000u
#define VIOAPIC_PINS		24
#define VIOAPIC_VERSION		0x20

struct vioapic_env {
	void *ctx;
	void (*deliver)(void *ctx, const struct apic_msg *msg);
};

struct vioapic {
	const struct vioapic_env *env;
	uint64_t base;
	uint32_t id;
	uint32_t index;		/* IOREGSEL */
	uint32_t lines;		/* asserted pins */
	uint64_t rte[VIOAPIC_PINS];
};

void vioapic_init(struct vioapic *io, uint32_t id, uint64_t base,
		  const struct vioapic_env *env);
/* 0 = handled, -1 = outside the page. */
int vioapic_mmio(struct vioapic *io, struct io_access *a);
void vioapic_set_irq(struct vioapic *io, unsigned int pin, bool level);
/* A LAPIC's EOI broadcast for a level-triggered vector. */
void vioapic_eoi(struct vioapic *io, uint8_t vector);

#endif /* HV_EMUL_VIOAPIC_H */
