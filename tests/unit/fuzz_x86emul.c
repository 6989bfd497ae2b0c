// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: arbitrary instruction bytes, CPU mode, CPL, fault
 * direction, registers, segment bases, faulting address, MMIO values and
 * page walks that refuse.  The emulator must return one of its four
 * results (a retry having done nothing), read no instruction byte it was not
 * given (the bytes sit in an exact-size heap copy), only touch MMIO in
 * the faulting page with a legal size, leave the registers alone when it
 * refuses a non-string instruction, and decode the same bytes the same
 * way every time.
 *
 * flags: bits 0-1 mode, 2 MMIO fails, 3 RAM and walks fail, 4 short
 * registers, 5 write fault, 6-7 CPL.
 *
 * Input: [flags] [15 instruction bytes] [gpa: 8] [MMIO value: 8]
 *        [rip, rflags, 16 GPRs, 6 segment bases: 8 each]; missing
 *        bytes read as zero.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/x86_emulate.h>

#define RAM_BASE	0x10000ull
#define RAM_SIZE	0x3000u

struct fz {
	const uint8_t *code;	/* exact-size copy */
	unsigned int code_len;
	uint64_t code_la;
	uint64_t gpa;
	uint64_t mval;
	bool mmio_fail, ram_fail;
	unsigned int calls;
	uint8_t ram[RAM_SIZE];
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* ram_fail also makes the page walk refuse, half the time as a #PF. */
static int fz_walk(struct fz *f, uint64_t la, struct x86_pf *pf)
{
	if (!f->ram_fail || la < RAM_BASE || la - RAM_BASE >= RAM_SIZE)
		return 0;
	if (la & 1)
		return -1;
	pf->addr = la;
	pf->error_code = X86_PF_PRESENT;
	return X86EMUL_MEM_PF;
}

static int fz_translate(void *opaque, uint64_t la, unsigned int access,
			uint64_t *gpa, struct x86_pf *pf)
{
	struct fz *f = opaque;

	(void)access;
	*gpa = la;
	return fz_walk(f, la, pf);
}

static int fz_fetch(void *opaque, uint64_t gva, uint8_t *buf,
		    unsigned int len, unsigned int access, struct x86_pf *pf)
{
	struct fz *f = opaque;

	(void)access;
	(void)pf;

	check(len && len <= X86_MAX_INSN_LEN && (gva & 0xfff) + len <= 0x1000);
	if (gva < f->code_la || gva - f->code_la >= f->code_len ||
	    len > f->code_len - (gva - f->code_la))
		return -1;
	memcpy(buf, f->code + (gva - f->code_la), len);
	return 0;
}

static int fz_mmio(struct fz *f, uint64_t gpa, unsigned int size)
{
	check(size == 1 || size == 2 || size == 4 || size == 8);
	check((gpa & ~0xfffull) == (f->gpa & ~0xfffull));
	check((gpa & 0xfff) + size <= 0x1000);
	check(++f->calls <= 2 * 4096);
	return f->mmio_fail ? -1 : 0;
}

static int fz_mmio_read(void *opaque, uint64_t gpa, uint64_t *val,
			unsigned int size)
{
	struct fz *f = opaque;

	*val = f->mval;
	return fz_mmio(f, gpa, size);
}

static int fz_mmio_write(void *opaque, uint64_t gpa, uint64_t val,
			 unsigned int size)
{
	struct fz *f = opaque;

	check(size == 8 || !(val >> (8 * size)));
	return fz_mmio(f, gpa, size);
}

static uint8_t *fz_ram(struct fz *f, uint64_t gva, unsigned int len)
{
	check(len >= 1 && len <= 8);
	if (f->ram_fail || gva < RAM_BASE || gva - RAM_BASE >= RAM_SIZE ||
	    len > RAM_SIZE - (gva - RAM_BASE))
		return NULL;
	return f->ram + (gva - RAM_BASE);
}

static int fz_mem_read(void *opaque, uint64_t gva, void *buf, unsigned int len,
		       unsigned int access, struct x86_pf *pf)
{
	uint8_t *p = fz_ram(opaque, gva, len);

	(void)access;
	if (fz_walk(opaque, gva, pf))
		return fz_walk(opaque, gva, pf);
	if (!p)
		return -1;
	memcpy(buf, p, len);
	return 0;
}

static int fz_mem_write(void *opaque, uint64_t gva, const void *buf,
			unsigned int len, unsigned int access, struct x86_pf *pf)
{
	uint8_t *p = fz_ram(opaque, gva, len);

	(void)access;
	if (fz_walk(opaque, gva, pf))
		return fz_walk(opaque, gva, pf);
	if (!p)
		return -1;
	memcpy(p, buf, len);
	return 0;
}

/* The next 8 bytes of input as a number, zero past the end. */
static uint64_t take64(const uint8_t **p, size_t *left)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < 8 && *left; i++, (*p)++, (*left)--)
		v |= (uint64_t)**p << (8 * i);
	return v;
}

static void check_decode(const uint8_t *code, unsigned int n, int mode)
{
	struct x86_insn a, b;
	int st;

	st = x86_decode(code, n, mode, &a);
	check(st >= X86_DECODE_OK && st <= X86_DECODE_UNSUPPORTED);
	check((int)x86_decode(code, n, mode, &b) == st);
	check(!memcmp(&a, &b, sizeof(a)));
	if (st != X86_DECODE_OK)
		return;
	check(a.len >= 1 && a.len <= n && a.len <= X86_MAX_INSN_LEN);
	check(a.opsize == 1 || a.opsize == 2 || a.opsize == 4 || a.opsize == 8);
	check(a.addrsize == 2 || a.addrsize == 4 || a.addrsize == 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int modes[4] = { 64, 32, 16, 64 };
	static struct fz f;
	struct x86_regs regs, before;
	struct x86_emul_result res;
	struct x86_emul_ctx ctx = { 0 };
	struct x86_insn insn;
	const uint8_t *p = data;
	size_t left = size;
	unsigned int n, i;
	uint8_t flags, *code;
	uint64_t mask;
	char msg[24];
	int rc, st;

	if (!size)
		return 0;
	flags = *p++;
	left--;
	n = left < X86_MAX_INSN_LEN ? left : X86_MAX_INSN_LEN;
	code = malloc(n ? n : 1);
	memcpy(code, p, n);
	p += n;
	left -= n;

	ctx.mode = modes[flags & 3];
	ctx.fault_write = flags & 0x20;
	ctx.cpl = flags >> 6;
	check_decode(code, n, ctx.mode);

	f.code = code;
	f.code_len = n;
	f.gpa = take64(&p, &left);
	f.mval = take64(&p, &left);
	f.mmio_fail = flags & 4;
	f.ram_fail = flags & 8;
	f.calls = 0;
	memset(f.ram, 0x5a, sizeof(f.ram));
	regs.rip = take64(&p, &left);
	regs.rflags = take64(&p, &left);
	for (i = 0; i < 16; i++)
		regs.gpr[i] = take64(&p, &left);
	for (i = 0; i < 6; i++)
		ctx.seg_base[i] = take64(&p, &left);
	/* Registers cut to 16 bits make valid addresses likelier. */
	if (flags & 0x10) {
		for (i = 0; i < 16; i++)
			regs.gpr[i] &= 0xffff;
	}
	mask = ctx.mode == 64 ? ~0ull : ctx.mode == 32 ? 0xffffffffull : 0xffff;
	f.code_la = regs.rip & mask;
	if (ctx.mode != 64)
		f.code_la = (f.code_la + ctx.seg_base[X86_SEG_CS]) & 0xffffffffull;
	ctx.opaque = &f;
	ctx.translate = fz_translate;
	ctx.fetch = fz_fetch;
	ctx.mmio_read = fz_mmio_read;
	ctx.mmio_write = fz_mmio_write;
	ctx.mem_read = fz_mem_read;
	ctx.mem_write = fz_mem_write;
	before = regs;

	rc = x86_emulate_mmio(&ctx, &regs, f.gpa, &res);
	check(rc == X86EMUL_OK || rc == X86EMUL_UNHANDLEABLE ||
	      rc == X86EMUL_EXCEPTION || rc == X86EMUL_RETRY);
	check(res.nbytes <= X86_MAX_INSN_LEN);
	x86_emul_format(&res, msg, sizeof(msg));
	check(strlen(msg) < sizeof(msg));

	/*
	 * The fetch may have stopped at a page end before n bytes: decode
	 * what it got, as the emulator did.
	 */
	st = x86_decode(res.bytes, res.nbytes, ctx.mode, &insn);
	if (rc == X86EMUL_EXCEPTION) {
		check(res.vector == X86_EXC_UD || res.vector == X86_EXC_GP ||
		      res.vector == X86_EXC_SS || res.vector == X86_EXC_PF);
		check(res.reason);
	}
	if (rc == X86EMUL_UNHANDLEABLE || rc == X86EMUL_RETRY)
		check(res.reason);
	/* A retry is decided before anything is done. */
	if (rc == X86EMUL_RETRY)
		check(!f.calls && !memcmp(&regs, &before, sizeof(regs)));
	if (st == X86_DECODE_OK && insn.op != X86_OP_STOS &&
	    insn.op != X86_OP_MOVS) {
		if (rc == X86EMUL_OK)
			check(regs.rip == ((before.rip + insn.len) & mask));
		else
			check(!memcmp(&regs, &before, sizeof(regs)));
	} else if (rc != X86EMUL_OK && st != X86_DECODE_OK) {
		check(!memcmp(&regs, &before, sizeof(regs)));
	}
	free(code);
	return 0;
}
