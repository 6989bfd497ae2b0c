/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message-signalled interrupts to the hypervisor itself: a vector in its
 * IDT for a driver's handler, and the message a device writes to raise
 * it on a CPU.
 */
#ifndef ASM_MSI_H
#define ASM_MSI_H

#include <stdint.h>

typedef void (*msi_handler_t)(void *arg);

/* A free vector calling fn(arg) with interrupts off; 0 when none left. */
uint8_t msi_vector_alloc(msi_handler_t fn, void *arg);
/* What a device writes where, to raise vector on the CPU of apic_id. */
void msi_message(uint8_t vector, uint32_t apic_id, uint64_t *addr,
		 uint32_t *data);

#endif
