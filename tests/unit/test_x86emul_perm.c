// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 emulator's page rights, CPL checks and fault matching: an
 * access the guest may not make faults before the device sees it, and
 * an instruction that does not make the faulting access is retried.
 */
#include <stdint.h>
#include <string.h>
#include "ktap.h"
#include "x86emul_fake.h"

static void add_page(uint64_t la, bool supervisor, bool read_only, bool nx)
{
	fk.pages[fk.npages++] = (struct fake_page){
		.la = la, .supervisor = supervisor, .read_only = read_only,
		.nx = nx,
	};
}

static void expect_pf(int rc, const struct x86_emul_result *res,
		      uint32_t ec, uint64_t cr2)
{
	EXPECT_EQ(rc, X86EMUL_EXCEPTION);
	EXPECT_EQ(res->vector, X86_EXC_PF);
	EXPECT(res->has_error_code);
	EXPECT_EQ(res->error_code, ec);
	EXPECT_EQ(res->cr2, cr2);
}

/* A user movsb from MMIO into kernel or read-only memory writes nothing. */
void test_user_movs(void)
{
	static const uint8_t movsb[] = { 0xa4 };
	static const uint8_t rep_movsb[] = { 0xf3, 0xa4 };
	const uint32_t wup = X86_PF_WRITE | X86_PF_USER | X86_PF_PRESENT;
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs, before;
	uint8_t ram[RAM_SIZE];

	for (int ro = 0; ro < 2; ro++) {
		fake_setup(&ctx, &regs, 64, movsb, sizeof(movsb));
		ctx.cpl = 3;
		regs.gpr[X86_RSI] = 0xfee00010;
		regs.gpr[X86_RDI] = RAM_BASE + 0x1010;
		add_page(RAM_BASE + 0x1000, !ro, ro, false);
		memcpy(ram, fk.ram, sizeof(ram));
		before = regs;
		expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00010, &res),
			  &res, wup, RAM_BASE + 0x1010);
		EXPECT_EQ(fk.n, 0);		/* the device was not read */
		EXPECT_MEMEQ(fk.ram, ram, sizeof(ram));
		EXPECT_MEMEQ(&regs, &before, sizeof(regs));
		/* The kernel may write its own page. */
		ctx.cpl = 0;
		if (!ro)
			EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00010,
						   &res), X86EMUL_OK);
	}

	/* REP: the iterations before the forbidden page stay done. */
	fake_setup(&ctx, &regs, 64, rep_movsb, sizeof(rep_movsb));
	ctx.cpl = 3;
	regs.gpr[X86_RSI] = 0xfee00010;
	regs.gpr[X86_RDI] = RAM_BASE + 0xffe;
	regs.gpr[X86_RCX] = 4;
	add_page(RAM_BASE + 0x1000, true, false, false);
	expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00010, &res), &res, wup,
		  RAM_BASE + 0x1000);
	EXPECT_EQ(fk.n, 2);
	EXPECT_EQ(regs.gpr[X86_RCX], 2);
	EXPECT_EQ(regs.gpr[X86_RDI], RAM_BASE + 0x1000);
	EXPECT_EQ(regs.rip, rip_for(64));
	EXPECT_EQ(fk.ram[0x1000], ram_pattern(RAM_BASE + 0x1000));

	/* RAM to MMIO: a user may not read a kernel source either. */
	fake_setup(&ctx, &regs, 64, movsb, sizeof(movsb));
	ctx.cpl = 3;
	ctx.fault_write = true;
	regs.gpr[X86_RSI] = RAM_BASE + 0x1010;
	regs.gpr[X86_RDI] = 0xfee00010;
	add_page(RAM_BASE + 0x1000, true, false, false);
	expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00010, &res), &res,
		  X86_PF_USER | X86_PF_PRESENT, RAM_BASE + 0x1010);
	EXPECT_EQ(fk.n, 0);
}

/* The MMIO operand and the fetch are checked at the CPL as well. */
void test_user_mmio_and_fetch(void)
{
	static const uint8_t ld[] = { 0x8b, 0x03 };	/* mov (%rbx),%eax */
	static const uint8_t st[] = { 0x89, 0x0b };	/* mov %ecx,(%rbx) */
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;

	/* A user read through a supervisor mapping of the MMIO page. */
	fake_setup(&ctx, &regs, 64, ld, sizeof(ld));
	ctx.cpl = 3;
	add_page(0xfee00000, true, false, false);
	expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res), &res,
		  X86_PF_USER | X86_PF_PRESENT, 0xfee00000);
	EXPECT_EQ(fk.n, 0);
	EXPECT_EQ(regs.gpr[X86_RAX], init_gpr[X86_RAX]);
	ctx.cpl = 0;
	fk.kinds = 0;
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res), X86EMUL_OK);
	EXPECT_EQ(fk.kinds & X86_PF_USER, 0);

	/* A store through a read-only mapping. */
	fake_setup(&ctx, &regs, 64, st, sizeof(st));
	ctx.fault_write = true;
	add_page(0xfee00000, false, true, false);
	expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res), &res,
		  X86_PF_WRITE | X86_PF_PRESENT, 0xfee00000);
	EXPECT_EQ(fk.n, 0);

	/* User code fetched from a supervisor page; kernel code from NX. */
	fake_setup(&ctx, &regs, 64, ld, sizeof(ld));
	ctx.cpl = 3;
	add_page(rip_for(64), true, false, false);
	expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res), &res,
		  X86_PF_INSTR | X86_PF_USER | X86_PF_PRESENT, rip_for(64));
	EXPECT_EQ(fk.n, 0);
	fake_setup(&ctx, &regs, 64, ld, sizeof(ld));
	add_page(rip_for(64), false, false, true);
	expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res), &res,
		  X86_PF_INSTR | X86_PF_PRESENT, rip_for(64));

	/* Only the page the instruction needs counts: 2 bytes fit. */
	fake_setup(&ctx, &regs, 64, ld, sizeof(ld));
	regs.rip = 0x400ffe;
	fk.code_la = regs.rip;
	add_page(0x401000, false, false, true);
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res), X86EMUL_OK);
	regs.rip = 0x400fff;
	fk.code_la = regs.rip;
	expect_pf(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res), &res,
		  X86_PF_INSTR | X86_PF_PRESENT, 0x401000);
}

/* An instruction that does not make the faulting access is not emulated. */
void test_direction(void)
{
	static const uint8_t ld[] = { 0x8b, 0x03 };	/* mov (%rbx),%eax */
	static const uint8_t st[] = { 0x89, 0x0b };	/* mov %ecx,(%rbx) */
	static const uint8_t add[] = { 0x01, 0x0b };	/* add %ecx,(%rbx) */
	static const uint8_t cmp[] = { 0x39, 0x0b };	/* cmp %ecx,(%rbx) */
	static const uint8_t stos[] = { 0xaa };
	static const uint8_t movsb[] = { 0xa4 };
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs, before;

	/* A read fault, and now a store: another vCPU rewrote the code. */
	fake_setup(&ctx, &regs, 64, st, sizeof(st));
	before = regs;
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_RETRY);
	EXPECT_EQ(fk.n, 0);
	EXPECT_MEMEQ(&regs, &before, sizeof(regs));
	fake_setup(&ctx, &regs, 64, stos, sizeof(stos));
	regs.gpr[X86_RDI] = 0xfee00000;
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_RETRY);
	EXPECT_EQ(fk.n, 0);
	/* MMIO to RAM reads the device: a write fault does not match. */
	fake_setup(&ctx, &regs, 64, movsb, sizeof(movsb));
	ctx.fault_write = true;
	regs.gpr[X86_RSI] = 0xfee00000;
	regs.gpr[X86_RDI] = RAM_BASE;
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_RETRY);
	EXPECT_EQ(fk.n, 0);
	/* A write fault, and now a load or a compare. */
	fake_setup(&ctx, &regs, 64, ld, sizeof(ld));
	ctx.fault_write = true;
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_RETRY);
	EXPECT_EQ(regs.gpr[X86_RAX], init_gpr[X86_RAX]);
	fake_setup(&ctx, &regs, 64, cmp, sizeof(cmp));
	ctx.fault_write = true;
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_RETRY);
	EXPECT_EQ(fk.n, 0);
	/* A read-modify-write matches either. */
	for (int w = 0; w < 2; w++) {
		fake_setup(&ctx, &regs, 64, add, sizeof(add));
		ctx.fault_write = w;
		EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res),
			  X86EMUL_OK);
		EXPECT_EQ(fk.n, 2);
	}
}

/* The operand must map to the faulting address, not just share its offset. */
void test_other_page(void)
{
	static const uint8_t st[] = { 0x89, 0x0b };	/* mov %ecx,(%rbx) */
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;

	fake_setup(&ctx, &regs, 64, st, sizeof(st));
	ctx.fault_write = true;
	regs.gpr[X86_RBX] = 0x7f0000001040ull;
	add_page(0x7f0000001000ull, false, false, false);
	fk.pages[0].gpa = 0xfed00000;
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfee00040, &res),
		  X86EMUL_RETRY);
	EXPECT_EQ(fk.n, 0);
	EXPECT_EQ(x86_emulate_mmio(&ctx, &regs, 0xfed00040, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 1);
	EXPECT_EQ(fk.log[0].gpa, 0xfed00040);
}
