/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

struct pcpu;

/* Starts every CPU the MADT lists (up to CONFIG_NR_CPUS); returns count. */
unsigned int smp_boot_aps(void);
/* Per-pCPU set-up shared by the boot CPU and the APs. */
void cpu_init_common(struct pcpu *pc);
/* Makes pc re-check its run queue (it may be idle or in a guest). */
void cpu_kick(struct pcpu *pc);
/* Interrupt handlers for the tick, kicks and spurious interrupts. */
void irqs_init(void);

#endif
