/* SPDX-License-Identifier: GPL-2.0 */
/* Pieces every domain builder uses. */
#ifndef HV_GUEST_BOOT_H
#define HV_GUEST_BOOT_H

#include <stdint.h>
#include <hv/boot.h>
#include <hv/bootcfg.h>
#include <hv/vcpu_ops.h>

struct domain;
struct e820_entry;

#define BOOT_PT_PAGES	7	/* PML4, PDPT, 4 PDs, GDT */
#define BOOT_GDT_PAGE	6

/*
 * Identity map of [0, 4 GiB) with 2 MiB pages at pt, then a GDT whose
 * flat 64-bit code and data descriptors sit at the selectors cs and ds.
 * Fills bs's cr3, gdt and selector fields.
 */
void guest_boot_tables(struct domain *d, uint64_t pt, uint16_t cs,
		       uint16_t ds, struct vcpu_boot_state *bs);
/* The domain for module idx, or NULL after one clear log line. */
struct domain *guest_create_domain(const struct domain_cfg *cfg,
				   unsigned int idx);
/* vCPU 0 starts in bs; the others wait (for a SIPI, where there is one). */
int guest_create_vcpus(struct domain *d, unsigned int nr,
		       const struct vcpu_boot_state *bs);
/*
 * An HVM domain's vCPUs (cfg->vcpus, vCPU 0 in bs, the others waiting
 * for a SIPI) and its emulated PC.  0 or a negative errno, logged.
 */
int guest_create_pc(struct domain *d, const struct domain_cfg *cfg,
		    const struct vcpu_boot_state *bs, unsigned int idx);

/*
 * The emulated PC's firmware view, the same for every HVM guest: its
 * memory map (GUEST_PC_E820_MAX entries, returns how many) and its ACPI
 * tables written into d's RAM (0, or a negative error).
 */
#define GUEST_PC_E820_MAX	5
unsigned int guest_pc_e820(uint64_t mem, struct e820_entry *e);
int guest_pc_acpi(struct domain *d, unsigned int vcpus, uint64_t *rsdp);
/*
 * A reboot of a domain on the emulated PC: RAM cleared, the builder's
 * load() run again from what it saved in d->builder_data, every vCPU and
 * device back in its power-on state.  No vCPU runs meanwhile.
 */
int guest_pc_rebuild(struct domain *d,
		     int (*load)(struct domain *d, struct vcpu_boot_state *bs));

/* The builders: 0, or a negative error after one clear log line. */
int minios_build(const struct boot_module *m, unsigned int idx,
		 const struct domain_cfg *cfg);
int linux_build(const struct boot_module *m, unsigned int idx,
		const struct domain_cfg *cfg, const struct boot_module *initrd);
/* mods: the nr_mods kind=data modules that follow, with their lines. */
int multiboot_build(const struct boot_module *m, unsigned int idx,
		    const struct domain_cfg *cfg,
		    const struct boot_module *mods,
		    const struct domain_cfg *mod_cfgs, unsigned int nr_mods);

#endif
