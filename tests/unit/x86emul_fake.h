// SPDX-License-Identifier: GPL-2.0
/*
 * The fake vCPU of the x86 emulator tests: code, RAM and an MMIO bus
 * that logs, shared by the files of test-x86emul.
 */
#ifndef TESTS_UNIT_X86EMUL_FAKE_H
#define TESTS_UNIT_X86EMUL_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/x86_emulate.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Initial registers of every table row. */
extern const uint64_t init_gpr[16];
#define MV		0xa5b4c3d2e1f00918ull	/* what MMIO reads return */
#define RAM_BASE	0x200000ull		/* guest RAM for MOVS */
#define RAM_SIZE	0x2000u
#define RFLAGS_INIT	0x2ull

struct access {
	bool write;
	uint64_t gpa, val;
	unsigned int size;
};

/* A linear page with fewer rights than the default (user, writable). */
struct fake_page {
	uint64_t la;
	bool supervisor, read_only, nx;
	uint64_t gpa;			/* where it maps, if not 1:1 */
};

struct fake {
	uint8_t code[32];
	unsigned int code_len;		/* fetchable bytes at code_la */
	uint64_t code_la;
	uint8_t ram[RAM_SIZE];
	uint64_t mval;
	bool mmio_fail;
	unsigned int bad_calls;		/* callbacks asked something illegal */
	struct fake_page pages[4];
	unsigned int npages;
	unsigned int kinds;		/* every access kind asked for, ORed */
	unsigned int n;
	struct access log[8192];
};

extern struct fake fk;

uint8_t ram_pattern(uint64_t gva);
uint64_t rip_for(int mode);
void fake_setup(struct x86_emul_ctx *ctx, struct x86_regs *regs,
		int mode, const uint8_t *code, unsigned int len);
int run_bytes(struct x86_emul_ctx *ctx, struct x86_regs *regs,
	      uint64_t gpa, struct x86_emul_result *res);

/* Cases in test_x86emul_perm.c. */
void test_user_movs(void);
void test_user_mmio_and_fetch(void);
void test_direction(void);
void test_other_page(void);

#endif /* TESTS_UNIT_X86EMUL_FAKE_H */
