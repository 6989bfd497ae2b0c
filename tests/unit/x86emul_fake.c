// SPDX-License-Identifier: GPL-2.0
/*
 * The fake vCPU of the x86 emulator tests.  Pages listed in fk.pages
 * have fewer rights than the default; everything else maps 1:1.
 */
#include <stdint.h>
#include <string.h>
#include "x86emul_fake.h"

/* Initial registers of every table row. */
const uint64_t init_gpr[16] = {
	0x1122334455667788ull, 0x4, 0x99aabbccddeeff11ull, 0xfee00000,
	0x8000, 0xfec00000, 0x10, 0xfed00000,
	0xfee00300, 0x0123456789abcdefull, 0xfedcba9876543210ull, 0x80,
	0xfee00020, 0xfec00010, 0x8000000000000001ull, 0xff,
};

struct fake fk;

static const struct fake_page *fake_page(uint64_t la)
{
	for (unsigned int i = 0; i < fk.npages; i++)
		if (fk.pages[i].la == (la & ~0xfffull))
			return &fk.pages[i];
	return NULL;
}

/* The rights check of the caller's page walk, in brief. */
static int fake_rights(uint64_t la, unsigned int len, unsigned int access,
		       struct x86_pf *pf)
{
	uint64_t first = la & ~0xfffull, last = (la + len - 1) & ~0xfffull;

	fk.kinds |= access;
	for (uint64_t p = first;; p = last) {
		const struct fake_page *fp = fake_page(p);
		bool user = access & X86_PF_USER;

		if (fp && ((user && fp->supervisor) ||
		    ((access & X86_PF_WRITE) && fp->read_only) ||
		    ((access & X86_PF_INSTR) && fp->nx))) {
			pf->addr = p < la ? la : p;
			pf->error_code = X86_PF_PRESENT | access;
			return X86EMUL_MEM_PF;
		}
		if (p == last)
			return 0;
	}
}

static int fake_translate(void *opaque, uint64_t la, unsigned int access,
			  uint64_t *gpa, struct x86_pf *pf)
{
	const struct fake_page *fp = fake_page(la);

	(void)opaque;
	if (fake_rights(la, 1, access, pf))
		return X86EMUL_MEM_PF;
	*gpa = fp && fp->gpa ? fp->gpa | (la & 0xfff) : la;
	return 0;
}

static int fake_fetch(void *opaque, uint64_t gva, uint8_t *buf,
		      unsigned int len, unsigned int access, struct x86_pf *pf)
{
	(void)opaque;
	if (!(access & X86_PF_INSTR) || (access & X86_PF_WRITE))
		fk.bad_calls++;
	if (fake_rights(gva, len, access, pf))
		return X86EMUL_MEM_PF;
	if (!len || len > X86_MAX_INSN_LEN ||
	    (gva & 0xfff) + len > 0x1000)
		fk.bad_calls++;
	if (gva < fk.code_la || gva - fk.code_la + len > fk.code_len)
		return -1;
	memcpy(buf, fk.code + (gva - fk.code_la), len);
	return 0;
}

static int fake_mmio(bool write, uint64_t gpa, uint64_t *val,
		     unsigned int size)
{
	struct access *a;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		fk.bad_calls++;
	if (fk.n >= ARRAY_SIZE(fk.log) || fk.mmio_fail)
		return -1;
	a = &fk.log[fk.n++];
	a->write = write;
	a->gpa = gpa;
	a->size = size;
	if (write)
		a->val = *val;
	else
		*val = fk.mval;		/* junk above size: must be masked */
	return 0;
}

static int fake_mmio_read(void *opaque, uint64_t gpa, uint64_t *val,
			  unsigned int size)
{
	(void)opaque;
	return fake_mmio(false, gpa, val, size);
}

static int fake_mmio_write(void *opaque, uint64_t gpa, uint64_t val,
			   unsigned int size)
{
	(void)opaque;
	return fake_mmio(true, gpa, &val, size);
}

static bool in_ram(uint64_t gva, unsigned int len)
{
	if (len > 8)
		fk.bad_calls++;
	return gva >= RAM_BASE && gva - RAM_BASE + len <= RAM_SIZE;
}

static int fake_mem_read(void *opaque, uint64_t gva, void *buf,
			 unsigned int len, unsigned int access,
			 struct x86_pf *pf)
{
	(void)opaque;
	if (access & (X86_PF_WRITE | X86_PF_INSTR))
		fk.bad_calls++;
	if (fake_rights(gva, len, access, pf))
		return X86EMUL_MEM_PF;
	if (!in_ram(gva, len))
		return -1;
	memcpy(buf, fk.ram + (gva - RAM_BASE), len);
	return 0;
}

static int fake_mem_write(void *opaque, uint64_t gva, const void *buf,
			  unsigned int len, unsigned int access,
			  struct x86_pf *pf)
{
	(void)opaque;
	if (!(access & X86_PF_WRITE) || (access & X86_PF_INSTR))
		fk.bad_calls++;
	if (fake_rights(gva, len, access, pf))
		return X86EMUL_MEM_PF;
	if (!in_ram(gva, len))
		return -1;
	memcpy(fk.ram + (gva - RAM_BASE), buf, len);
	return 0;
}

uint8_t ram_pattern(uint64_t gva)
{
	return (uint8_t)(gva * 7 + 3);
}

uint64_t rip_for(int mode)
{
	return mode == 64 ? 0xffffffff81000000ull :
	       mode == 32 ? 0x00100000 : 0x7c00;
}

/* A fresh vCPU in the given mode with the code at RIP. */
void fake_setup(struct x86_emul_ctx *ctx, struct x86_regs *regs,
		int mode, const uint8_t *code, unsigned int len)
{
	unsigned int i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = mode;
	ctx->translate = fake_translate;
	ctx->fetch = fake_fetch;
	ctx->mmio_read = fake_mmio_read;
	ctx->mmio_write = fake_mmio_write;
	ctx->mem_read = fake_mem_read;
	ctx->mem_write = fake_mem_write;
	memset(regs, 0, sizeof(*regs));
	memcpy(regs->gpr, init_gpr, sizeof(init_gpr));
	regs->rip = rip_for(mode);
	regs->rflags = RFLAGS_INIT;
	memset(fk.code, 0xcc, sizeof(fk.code));
	memcpy(fk.code, code, len);
	fk.code_len = X86_MAX_INSN_LEN;
	fk.code_la = regs->rip;
	for (i = 0; i < RAM_SIZE; i++)
		fk.ram[i] = ram_pattern(RAM_BASE + i);
	fk.mval = MV;
	fk.mmio_fail = false;
	fk.bad_calls = 0;
	fk.npages = 0;
	fk.kinds = 0;
	fk.n = 0;
}

int run_bytes(struct x86_emul_ctx *ctx, struct x86_regs *regs,
	      uint64_t gpa, struct x86_emul_result *res)
{
	return x86_emulate_mmio(ctx, regs, gpa, res);
}
