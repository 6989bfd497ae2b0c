/* SPDX-License-Identifier: MIT */
/* Mini-OS test=abi: helpers shared by the case files. */
#ifndef MINIOS_TESTS_ABI_H
#define MINIOS_TESTS_ABI_H

#include <minios/os.h>

/* GPAs that are never guest RAM for the calling domain; ends with 0. */
unsigned int abi_bad_gpas(uint64_t *out, unsigned int max);
/* A GPA whose first bytes are RAM and whose last are not. */
uint64_t abi_straddling_gpa(uint64_t size);
/*
 * Waits, with interrupts on and yielding so the hypervisor can inject,
 * until *counter moves past seen or about ms milliseconds of TSC pass.
 */
bool abi_wait_irq(volatile uint64_t *counter, uint64_t seen, uint64_t ms);
/* Busy-waits ms milliseconds of TSC time, yielding. */
void abi_spin_ms(uint64_t ms);

void abi_evtchn_bad_gpa(void);
void abi_evtchn_padding(void);
void abi_evtchn_bad_ports(void);
void abi_evtchn_free_port(void);
void abi_evtchn_bind_virq_errors(void);
void abi_evtchn_bad_remote_domain(void);
void abi_evtchn_bind_not_unbound(void);
void abi_evtchn_status_virq(void);
void abi_evtchn_loopback(void);
void abi_evtchn_mask_unmask(void);
void abi_evtchn_send_errors(void);
void abi_evtchn_close(void);
void abi_evtchn_exhaust(void);
void abi_upcall_vector_zero(void);
void abi_evtchn_bind_vcpu_errors(void);
void abi_evtchn_bind_vcpu_moves(void);
/* Used by the final "still works" case. */
bool abi_loopback_once(void);

#endif /* MINIOS_TESTS_ABI_H */
