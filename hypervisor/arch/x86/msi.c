// SPDX-License-Identifier: GPL-2.0
/*
 * Vectors for devices, 0x40 .. 0xef: the hypervisor's own and the
 * passed-through functions' remapped MSI and MSI-X entries, one vector
 * each (below the timer and kick vectors, above anything a legacy PIC
 * could send; guests' vectors are virtual and never use these).  The
 * handler runs in one of the hypervisor's interrupt windows, where no
 * lock is held, so it may queue deferred work.
 */
#include <asm/apic.h>
#include <asm/msi.h>
#include <asm/traps.h>

#define MSI_VEC_FIRST	0x40
#define MSI_VEC_COUNT	0xb0
#define MSI_ADDR_BASE	0xfee00000ull

static struct {
	msi_handler_t fn;
	void *arg;
} msi_slots[MSI_VEC_COUNT];
static unsigned int msi_used;

static void msi_irq(struct cpu_regs *regs)
{
	unsigned int i = (unsigned int)regs->vector - MSI_VEC_FIRST;

	if (i < msi_used)
		msi_slots[i].fn(msi_slots[i].arg);
	lapic_eoi();
}

uint8_t msi_vector_alloc(msi_handler_t fn, void *arg)
{
	uint8_t vec;

	if (msi_used == MSI_VEC_COUNT)
		return 0;
	msi_slots[msi_used].fn = fn;
	msi_slots[msi_used].arg = arg;
	vec = (uint8_t)(MSI_VEC_FIRST + msi_used++);
	irq_register(vec, msi_irq);
	return vec;
}

void msi_message(uint8_t vector, uint32_t apic_id, uint64_t *addr,
		 uint32_t *data)
{
	/* Physical destination, fixed delivery, edge. */
	*addr = MSI_ADDR_BASE | ((uint64_t)(apic_id & 0xff) << 12);
	*data = vector;
}
