// SPDX-License-Identifier: GPL-2.0
/* Bringing up the application processors with INIT-SIPI-SIPI. */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/sched.h>

extern const char ap_trampoline_start[], ap_trampoline_end[];
extern const char ap_tramp_cr3[], ap_tramp_stack[], ap_tramp_arg[];
extern const char ap_tramp_entry[];

struct pcpu *pcpus[CONFIG_NR_CPUS];
unsigned int nr_pcpus;

static void *tramp_field(const char *sym)
{
	return phys_to_virt(AP_TRAMPOLINE_ADDR + (sym - ap_trampoline_start));
}

static void __attribute__((noreturn)) ap_main(struct pcpu *pc)
{
	cpu_init_common(pc);
	__atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
	sched_wait_start();
	sched_loop();
}

static struct pcpu *pcpu_alloc(unsigned int id, uint32_t apic_id)
{
	struct pcpu *pc = kzalloc(sizeof(*pc));
	uint64_t stack;

	if (!pc)
		return NULL;
	stack = pages_alloc(HV_STACK_SIZE / PAGE_SIZE, HV_STACK_SIZE);
	if (!stack) {
		kfree(pc);
		return NULL;
	}
	pc->id = id;
	pc->apic_id = apic_id;
	spin_lock_init(&pc->sched_lock);
	spin_lock_init(&pc->work_lock);
	pcpu_bind_stack(pc, phys_to_virt(stack));
	return pc;
}

static int start_ap(struct pcpu *pc)
{
	uint64_t deadline;

	*(uint64_t *)tramp_field(ap_tramp_cr3) = read_cr3();
	*(uint64_t *)tramp_field(ap_tramp_stack) =
		(uint64_t)(uintptr_t)pc->stack + HV_STACK_SIZE;
	*(uint64_t *)tramp_field(ap_tramp_arg) = (uint64_t)(uintptr_t)pc;
	*(uint64_t *)tramp_field(ap_tramp_entry) = (uint64_t)(uintptr_t)ap_main;

	/*
	 * The MP specification's 10 ms after INIT and 200 us after each SIPI
	 * are for external APICs; SVM-capable (AMD family 0Fh and later)
	 * CPUs need none of it, as Linux also found (init_udelay = 0):
	 * 10 us each.
	 */
	lapic_send_init(pc->apic_id);
	udelay(10);
	for (int i = 0; i < 2; i++) {
		lapic_send_sipi(pc->apic_id, AP_TRAMPOLINE_ADDR >> 12);
		udelay(10);
	}
	deadline = rdtsc() + tsc_hz();	/* one second */
	while (!__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE)) {
		if (rdtsc() > deadline)
			return -1;
		cpu_relax();
	}
	return 0;
}

unsigned int smp_boot_aps(void)
{
	uint32_t ids[ACPI_MAX_CPUS];
	int n = acpi_find_cpus(ids, ACPI_MAX_CPUS);
	uint32_t self = lapic_id();

	memcpy(phys_to_virt(AP_TRAMPOLINE_ADDR), ap_trampoline_start,
	       ap_trampoline_end - ap_trampoline_start);
	for (int i = 0; i < n; i++) {
		struct pcpu *pc;

		if (ids[i] == self)
			continue;
		if (nr_pcpus == CONFIG_NR_CPUS) {
			pr_warn("smp: CONFIG_NR_CPUS=%d reached, APIC %u parked",
				CONFIG_NR_CPUS, ids[i]);
			continue;
		}
		pc = pcpu_alloc(nr_pcpus, ids[i]);
		if (!pc) {
			pr_err("smp: out of memory for pCPU %u", nr_pcpus);
			break;
		}
		pcpus[nr_pcpus] = pc;
		if (start_ap(pc)) {
			pr_err("smp: CPU with APIC ID %u did not come up",
			       ids[i]);
			pcpus[nr_pcpus] = NULL;
			continue;
		}
		nr_pcpus++;
	}
	pr_info("smp: %u pCPU%s online", nr_pcpus, nr_pcpus > 1 ? "s" : "");
	return nr_pcpus;
}

void cpu_kick(struct pcpu *pc)
{
	if (pc != this_cpu())
		lapic_send_ipi(pc->apic_id, VEC_KICK);
}
