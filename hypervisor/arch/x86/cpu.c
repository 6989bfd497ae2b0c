// SPDX-License-Identifier: GPL-2.0
/* Per-pCPU bring-up shared by the boot CPU and the APs. */
#include <asm/apic.h>
#include <asm/fpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/system.h>
#include <hv/vcpu_ops.h>

static void timer_irq(struct cpu_regs *regs)
{
	(void)regs;
	sched_tick();
	lapic_eoi();
}

static void kick_irq(struct cpu_regs *regs)
{
	/* Its only job was to end a VMRUN or an HLT. */
	(void)regs;
	lapic_eoi();
}

static void spurious_irq(struct cpu_regs *regs)
{
	(void)regs;
}

void irqs_init(void)
{
	irq_register(VEC_TIMER, timer_irq);
	irq_register(VEC_KICK, kick_irq);
	irq_register(VEC_SPURIOUS, spurious_irq);
}

void cpu_init_common(struct pcpu *pc)
{
	cpu_tables_init(pc);
	fpu_cpu_init();
	lapic_init_cpu();
	/* cpu_init() has said why, in the one line a bad machine gets. */
	if (vcpu_ops->cpu_init())
		system_exit(HV_EXIT_BAD_CONFIG);
}
