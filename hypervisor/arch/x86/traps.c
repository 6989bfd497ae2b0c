// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor tables and trap handling for the hypervisor itself.  An
 * exception in hypervisor code is a hypervisor bug: dump and stop.  Guest
 * exceptions never come here; they are SVM exits.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <asm/apic.h>
#include <asm/layout.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/printk.h>

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __packed;

extern char trap_entries[];
extern const uint64_t boot_gdt[];

static struct idt_entry idt[256] __aligned(16);
static irq_handler_t irq_handlers[256];

#define IST_CRITICAL	1	/* #DF, NMI, #MC: a known-good stack */

static const char *const exc_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE", "#CP control protection",
};

static void set_gate(unsigned int vec, unsigned int ist)
{
	uint64_t addr = (uint64_t)(uintptr_t)(trap_entries + 16 * vec);
	struct idt_entry *e = &idt[vec];

	e->off_lo = addr & 0xffff;
	e->sel = GDT_CS64;
	e->ist = ist;
	e->type = 0x8e;		/* present, DPL 0, 64-bit interrupt gate */
	e->off_mid = (addr >> 16) & 0xffff;
	e->off_hi = addr >> 32;
	e->zero = 0;
}

void traps_init(void)
{
	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(2, IST_CRITICAL);
	set_gate(8, IST_CRITICAL);
	set_gate(18, IST_CRITICAL);
}

void irq_register(uint8_t vector, irq_handler_t fn)
{
	irq_handlers[vector] = fn;
}

static void load_tss_descriptor(struct arch_pcpu *ap)
{
	uint64_t base = (uint64_t)(uintptr_t)&ap->tss;
	uint64_t limit = sizeof(ap->tss) - 1;

	ap->gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			       (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
			       (((base >> 24) & 0xff) << 56);
	ap->gdt[GDT_TSS / 8 + 1] = base >> 32;
}

void cpu_tables_init(struct pcpu *pc)
{
	struct arch_pcpu *ap = &pc->arch;
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed desc;
	/*
	 * Laid out as a pCPU stack is, pcpu pointer at its base: the
	 * handlers that run on it (a #DF's dump, above all) find this_cpu()
	 * there as on the pCPU's own stack.
	 */
	uint64_t ist_pa = pages_alloc_zeroed(HV_STACK_SIZE / PAGE_SIZE,
					     HV_STACK_SIZE);
	void *ist = phys_to_virt(ist_pa);

	BUG_ON(!ist_pa);
	*(struct pcpu **)ist = pc;
	memcpy(ap->gdt, boot_gdt, 4 * sizeof(uint64_t));
	memset(&ap->tss, 0, sizeof(ap->tss));
	ap->tss.ist[IST_CRITICAL - 1] = (uint64_t)(uintptr_t)ist +
					HV_STACK_SIZE;
	ap->tss.iomap_base = sizeof(ap->tss);
	load_tss_descriptor(ap);

	desc.limit = sizeof(ap->gdt) - 1;
	desc.base = (uint64_t)(uintptr_t)ap->gdt;
	asm volatile("lgdt %0" :: "m"(desc));
	/* Reload CS through a far return, then the data segments. */
	asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
		     :: "i"(GDT_CS64) : "rax", "memory");
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss"
		     :: "r"((uint16_t)GDT_DS));
	asm volatile("ltr %w0" :: "r"((uint16_t)GDT_TSS));

	desc.limit = sizeof(idt) - 1;
	desc.base = (uint64_t)(uintptr_t)idt;
	asm volatile("lidt %0" :: "m"(desc));
}

static void dump_regs(const struct cpu_regs *r)
{
	pr_err("RIP %016llx  CS %04llx  RFLAGS %016llx",
	       (unsigned long long)r->rip, (unsigned long long)r->cs,
	       (unsigned long long)r->rflags);
	pr_err("RSP %016llx  SS %04llx  CR2 %016llx  err %llx",
	       (unsigned long long)r->rsp, (unsigned long long)r->ss,
	       (unsigned long long)read_cr2(),
	       (unsigned long long)r->error_code);
	pr_err("RAX %016llx  RBX %016llx  RCX %016llx",
	       (unsigned long long)r->rax, (unsigned long long)r->rbx,
	       (unsigned long long)r->rcx);
	pr_err("RDX %016llx  RSI %016llx  RDI %016llx",
	       (unsigned long long)r->rdx, (unsigned long long)r->rsi,
	       (unsigned long long)r->rdi);
	pr_err("RBP %016llx  R8  %016llx  R9  %016llx",
	       (unsigned long long)r->rbp, (unsigned long long)r->r8,
	       (unsigned long long)r->r9);
	pr_err("R10 %016llx  R11 %016llx  R12 %016llx",
	       (unsigned long long)r->r10, (unsigned long long)r->r11,
	       (unsigned long long)r->r12);
	pr_err("R13 %016llx  R14 %016llx  R15 %016llx",
	       (unsigned long long)r->r13, (unsigned long long)r->r14,
	       (unsigned long long)r->r15);
}

static void backtrace(uint64_t rbp)
{
	for (int depth = 0; depth < 16 && rbp; depth++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;

		if (rbp & 7 || rbp >= HV_MAPPED_LIMIT)
			break;
		pr_err("  called from %016llx", (unsigned long long)frame[1]);
		rbp = frame[0];
	}
}

/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code. */
#define EXC_ERROR_CODES	0x60227d00u

/*
 * An interrupt on a vector nothing registered: a device aimed at a
 * vector it was never given.  It is acknowledged, or its in-service bit
 * would hold back every vector of its priority class and below for
 * good; the first few are logged.
 */
static void stray_irq(unsigned int vec)
{
	static unsigned int logged;

	if (__atomic_fetch_add(&logged, 1, __ATOMIC_RELAXED) < 8)
		pr_warn("stray interrupt on vector %#x, pCPU %u: acknowledged and dropped",
			vec, this_cpu()->id);
	lapic_eoi();
}

void trap_dispatch(struct cpu_regs *regs)
{
	unsigned int vec = regs->vector;

	if (vec >= 32) {
		if (irq_handlers[vec])
			irq_handlers[vec](regs);
		else if (vec != VEC_SPURIOUS)
			stray_irq(vec);
		return;
	}
	if (vec == 2) {
		pr_warn("NMI on pCPU %u ignored", this_cpu()->id);
		return;
	}
	/*
	 * A device's message naming an exception vector: with no error
	 * code pushed, it can be acknowledged like any stray; with one
	 * expected, the frame is not what the entry code took it for.
	 */
	if (lapic_in_service((uint8_t)vec)) {
		if (!(EXC_ERROR_CODES & (1u << vec))) {
			stray_irq(vec);
			return;
		}
		panic("interrupt on exception vector %u, which takes an error code",
		      vec);
	}
	pr_err("exception %s (vector %u) in the hypervisor on pCPU %u",
	       exc_names[vec] ? exc_names[vec] : "reserved", vec,
	       this_cpu()->id);
	dump_regs(regs);
	backtrace(regs->rbp);
	panic("unexpected exception in hypervisor code");
}
