/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <stdbool.h>
#include <stdint.h>

void lapic_init_cpu(void);		/* enable; timer one-shot, idle */
/* Interrupt with VEC_TIMER after delta_ns (capped at one second). */
void lapic_timer_oneshot(uint64_t delta_ns);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Whether vector is in service: an interrupt, not an exception. */
bool lapic_in_service(uint8_t vector);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t page);
void lapic_calibrate(void);		/* boot CPU, after tsc_calibrate() */

#endif
