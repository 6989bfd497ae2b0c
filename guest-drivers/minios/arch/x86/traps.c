// SPDX-License-Identifier: MIT
/*
 * Mini-OS: GDT, TSS and IDT, and the C side of every trap.  An exception
 * in ring 0 is fatal: the registers go to the console and the domain ends
 * with a CRASH shutdown, so the hypervisor log shows why.
 */
#include <lib/string.h>
#include <minios/traps.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/sched.h>

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __packed;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

#define GATE_INTERRUPT		0x8e	/* present, DPL 0, 64-bit int gate */
#define GATE_INTERRUPT_USER	0xee	/* the same with DPL 3 */
#define IST_DOUBLE_FAULT	1

extern const uint64_t trap_entry_table[32];
extern const char trap_entry_0xf0[], user_exit_entry[];
void user_abort(int64_t result) __noreturn;

static uint64_t gdt[7] __aligned(16) = {
	0,
	0x00af9a000000ffffull,	/* 0x08: 64-bit code, DPL 0 */
	0x00cf92000000ffffull,	/* 0x10: data, DPL 0 */
	0x00cff2000000ffffull,	/* 0x18: data, DPL 3 */
	0x00affa000000ffffull,	/* 0x20: 64-bit code, DPL 3 */
	0, 0,			/* 0x28: TSS, filled in by gdt_set_tss() */
};
static struct tss64 tss __aligned(16);
static struct idt_gate idt[256] __aligned(16);
static uint8_t trap_stack[8192] __aligned(16);
static uint8_t double_fault_stack[4096] __aligned(16);

static trap_handler_t handlers[32];

/* Set while user_run() executes ring-3 code: ring-3 faults return there. */
static volatile bool in_user_test;

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static void gdt_set_tss(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

static void gdt_load(void)
{
	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };

	/* A far return reloads CS; the data selectors follow. */
	asm volatile("lgdt %0\n\t"
		     "pushq %1\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "movl %2, %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     "xorl %%eax, %%eax\n\t"
		     "movl %%eax, %%fs\n\t"
		     "movl %%eax, %%gs\n\t"
		     :
		     : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS)
		     : "rax", "memory");
	asm volatile("ltr %w0" :: "r"(TSS_SEL) : "memory");
}

static void idt_set(unsigned int vec, const void *handler, uint8_t type,
		    uint8_t ist)
{
	uint64_t addr = (uint64_t)(uintptr_t)handler;
	struct idt_gate *g = &idt[vec];

	g->offset_lo = addr & 0xffff;
	g->selector = KERNEL_CS;
	g->ist = ist;
	g->type_attr = type;
	g->offset_mid = (addr >> 16) & 0xffff;
	g->offset_hi = addr >> 32;
	g->reserved = 0;
}

static void idt_load(uint16_t limit)
{
	struct desc_ptr idtr = { limit, (uint64_t)(uintptr_t)idt };

	asm volatile("lidt %0" :: "m"(idtr) : "memory");
}

void traps_init(void)
{
	unsigned int i;

	tss.rsp[0] = (uint64_t)(uintptr_t)(trap_stack + sizeof(trap_stack));
	tss.ist[IST_DOUBLE_FAULT - 1] =
		(uint64_t)(uintptr_t)(double_fault_stack +
				      sizeof(double_fault_stack));
	tss.iomap_base = sizeof(tss);
	gdt_set_tss();
	gdt_load();

	for (i = 0; i < 32; i++)
		idt_set(i, (const void *)(uintptr_t)trap_entry_table[i],
			GATE_INTERRUPT, i == 8 ? IST_DOUBLE_FAULT : 0);
	idt_set(UPCALL_VECTOR, trap_entry_0xf0, GATE_INTERRUPT, 0);
	idt_set(USER_EXIT_VECTOR, user_exit_entry, GATE_INTERRUPT_USER, 0);
	idt_load(sizeof(idt) - 1);
}

void load_empty_idt(void)
{
	idt_load(0);
}

void dump_registers(const struct trap_frame *f)
{
	printk("RIP: %04llx:%016llx RFLAGS: %016llx\n",
	       (unsigned long long)f->cs, (unsigned long long)f->rip,
	       (unsigned long long)f->rflags);
	printk("RSP: %04llx:%016llx CR2: %016llx CR3: %016llx\n",
	       (unsigned long long)f->ss, (unsigned long long)f->rsp,
	       (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3());
	printk("RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx);
	printk("RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)f->rdx, (unsigned long long)f->rsi,
	       (unsigned long long)f->rdi);
	printk("RBP: %016llx R8:  %016llx R9:  %016llx\n",
	       (unsigned long long)f->rbp, (unsigned long long)f->r8,
	       (unsigned long long)f->r9);
	printk("R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)f->r10, (unsigned long long)f->r11,
	       (unsigned long long)f->r12);
	printk("R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)f->r13, (unsigned long long)f->r14,
	       (unsigned long long)f->r15);
}

static void __noreturn fatal_exception(struct trap_frame *f)
{
	const char *name = NULL;

	if (f->vector < 32)
		name = exception_names[f->vector];
	printk("minios: fatal exception %llu (%s), error code %#llx\n",
	       (unsigned long long)f->vector, name ? name : "reserved",
	       (unsigned long long)f->error_code);
	dump_registers(f);
	crash((uint32_t)f->vector);
}

void trap_set_handler(unsigned int vec, trap_handler_t h)
{
	if (vec < 32)
		handlers[vec] = h;
}

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector == UPCALL_VECTOR) {
		upcall_irq_count++;
		evtchn_do_upcall();
		return;
	}
	if (f->vector < 32 && handlers[f->vector] && handlers[f->vector](f))
		return;
	if ((f->cs & 3) == 3 && in_user_test) {
		in_user_test = false;
		user_abort(USER_FAULT_BASE + (int64_t)f->vector);
	}
	fatal_exception(f);
}

int64_t user_run_raw(uint64_t rip, uint64_t rsp);

int64_t user_run(uint64_t rip, uint64_t rsp)
{
	int64_t ret;

	in_user_test = true;
	ret = user_run_raw(rip, rsp);
	in_user_test = false;
	return ret;
}
