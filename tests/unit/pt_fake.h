// SPDX-License-Identifier: GPL-2.0
/*
 * The fake machine function, domain and hypervisor of the passthrough
 * tests (pt_fake.c), shared by test_pt_pci.c (the header, BARs and a
 * hostile guest's config writes) and test_pt_msi.c (MSI, MSI-X and the
 * guest's reset).
 */
#ifndef TESTS_UNIT_PT_FAKE_H
#define TESTS_UNIT_PT_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/msi.h>
#include <hv/domain.h>
#include <hv/emul/pci_host.h>
#include <hv/emul_bus.h>
#include <hv/iommu.h>
#include <hv/percpu.h>
#include <hv/platform.h>
#include <hv/printk.h>
#include <hv/vcpu_ops.h>
#include "pt.h"
#include "ktap.h"

#define CFG_SIZE	PCI_CFG_EXP_SIZE
#define RID		0x0310
#define APIC_ID		7
#define PAGE		0x1000ull
#define NO_MAP		(~0ull)

/* What the fake IOMMU's remapping gives entry index: easy to recognise. */
#define HW_ADDR(i)	(0x100000000ull | 0xfee00000u | (uint64_t)(i) << 4)
#define HW_DATA(i)	(0x5a00u | (i))
#define MSI_IRTE	(IOMMU_IRQS_MAX - 1)

/* ---- the machine function ---- */

enum variant { EDU, NVME, NVME_BAD_BIR };

struct fake_fn {
	struct pci_dev dev;
	uint8_t cfg[CFG_SIZE];
	uint8_t *bar[PCI_NR_BARS];	/* a memory BAR's registers */
	/* Where the capabilities sit, for the checks. */
	unsigned int pm, msi, vndr, vndr_len, msix, exp;
	unsigned int table_off, nr_entries, pba_off;
};

extern struct fake_fn fn;

struct cfg_write {
	unsigned int reg, size;
	uint32_t val;
};

#define WLOG_MAX	256
extern struct cfg_write wlog[WLOG_MAX];
extern unsigned int nr_wlog;

/* The real function's config space, as the filter left it. */
uint32_t real32(unsigned int reg);
uint16_t real16(unsigned int reg);

/* ---- the domain and the hypervisor around it ---- */

struct mapping {
	uint64_t gpa, hpa, len;
};

#define MAPS_MAX	16
extern struct mapping maps[MAPS_MAX];
extern unsigned int nr_maps, map_calls;
extern bool maps_may_overlap;

uint64_t mapped_at(uint64_t gpa);

struct irq_map_call {
	uint16_t rid;
	unsigned int index;
	uint8_t vector;
	uint32_t apic_id;
};

#define IRQ_CALLS_MAX	256
extern struct irq_map_call irq_calls[IRQ_CALLS_MAX];
extern unsigned int nr_irq_calls;

/* Runs the handler behind vector v, as the pCPU's IDT would. */
void fire(uint8_t v);

/* The MSI-X trap, as pt_msix.c attached it to the bus. */
extern struct emul_device *trap_dev;
extern uint64_t trap_base, trap_len;

struct sent {
	uint64_t addr;
	uint32_t data;
};

extern struct sent sent[64];
extern unsigned int nr_sent;

extern unsigned int warn_lines;

/* ---- the function, assigned as assign.c does it ---- */

extern struct pt_dev pt;
extern uint16_t real_cmd0;	/* Command as assign.c leaves it */

void teardown(void);
int setup_variant(enum variant v);
void setup(enum variant v);

/* ---- the guest's accesses ---- */

uint32_t gr(unsigned int reg, unsigned int size);
void gw(unsigned int reg, unsigned int size, uint32_t v);
uint64_t trap_rw(uint64_t off, unsigned int size, bool write, uint64_t v);
uint64_t entry_off(unsigned int i, unsigned int reg);
void entry_write(unsigned int i, unsigned int reg, uint32_t v);
uint32_t entry_read(unsigned int i, unsigned int reg);
uint32_t hw_entry(unsigned int i, unsigned int reg);
unsigned int msi_data_reg(void);

void check_table_bar(uint64_t gpa, uint64_t hpa, uint64_t size,
		     uint64_t hole, uint64_t hole_len);

/* ---- the cases in test_pt_msi.c ---- */

void test_msi_edu(void);
void test_msi_nvme_maskable(void);
void test_msix(void);
void test_msix_straddle(void);
void test_msix_bad_bir(void);
void test_reset(void);

#endif
