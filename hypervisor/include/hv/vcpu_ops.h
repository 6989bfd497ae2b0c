/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU virtualization backend behind one table.  Generic code (domains,
 * scheduler, hypercalls) calls only these; SVM implements them today and
 * VMX or a shadow-paging mode would plug in beside it.
 */
#ifndef HV_VCPU_OPS_H
#define HV_VCPU_OPS_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

/* Architectural state a vCPU starts in (the ABI's entry state). */
struct vcpu_boot_state {
	uint64_t rip;
	uint64_t rsi;
	uint64_t cr3;
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint16_t cs;		/* flat 64-bit code selector */
	uint16_t ds;		/* flat data selector */
};

struct vcpu_ops {
	const char *name;
	/* Per pCPU: check and enable the extension. */
	int (*cpu_init)(void);
	/* Guest-physical address space over the domain's RAM. */
	int (*domain_init)(struct domain *d);
	/*
	 * A device's registers at guest-physical [gpa, gpa + len), 4 KiB
	 * aligned, reached without exits (a passed-through BAR); hpa 0
	 * with map false takes them away again.  0 or a negative errno.
	 */
	int (*domain_map_mmio)(struct domain *d, uint64_t gpa, uint64_t hpa,
			       uint64_t len, bool map);
	int (*vcpu_init)(struct vcpu *v, const struct vcpu_boot_state *bs);
	/* Power-on state again (bs for vCPU 0, NULL for the others). */
	void (*vcpu_reset)(struct vcpu *v, const struct vcpu_boot_state *bs);
	/* Runs v until it blocks, yields, is preempted or its domain ends. */
	void (*vcpu_run)(struct vcpu *v);
	/* Register dump for a log. */
	void (*vcpu_dump)(struct vcpu *v);
	/* Whether a blocked (halted) v must run: an event, an interrupt. */
	bool (*vcpu_has_work)(struct vcpu *v);
};

extern const struct vcpu_ops *vcpu_ops;
extern const struct vcpu_ops svm_vcpu_ops;

#endif
