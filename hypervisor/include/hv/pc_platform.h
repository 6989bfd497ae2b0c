/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated PC of a hardware-virtualized domain: interrupt controllers
 * (one local APIC per vCPU, the IOAPIC and the 8259s behind the IRQ
 * router) and the legacy devices, wired to the domain's device bus at the
 * addresses hv/platform.h fixes.
 */
#ifndef HV_PC_PLATFORM_H
#define HV_PC_PLATFORM_H

#include <hv/emul/acpi_pm.h>
#include <hv/emul/debug_exit.h>
#include <hv/emul/fw_cfg.h>
#include <hv/emul/hpet.h>
#include <hv/emul/irq_router.h>
#include <hv/emul/pci_host.h>
#include <hv/emul/pit8254.h>
#include <hv/emul/pvkit_pci.h>
#include <hv/emul/rtc_cmos.h>
#ifdef CONFIG_EMUL_UART
#include <hv/emul/uart16550.h>
#endif
#include <hv/emul/vlapic.h>
#include <hv/platform.h>
#include <hv/work.h>

struct domain;
struct domain_cfg;
struct vcpu;
struct ide_piix;
struct pc_nic;
struct storage;
struct pt_dev;

struct pc_platform {
	struct irq_router router;
	struct emul_device pic_dev;
	struct emul_device ioapic_dev;
	struct vlapic lapic[CONFIG_MAX_VCPUS];
	struct vlapic_env lapic_env[CONFIG_MAX_VCPUS];
#ifdef CONFIG_EMUL_UART
	struct uart16550 com1;
#endif
	struct pit8254 pit;
	struct hpet hpet;
	struct emul_env hpet_env;	/* its IRQs bypass the legacy gate */
	struct rtc_cmos rtc;
	struct acpi_pm pm;
	struct pci_host pci;
	struct pvkit_pci pvpci;		/* carries event upcalls as MSI-X */
	struct debug_exit dbg_exit;	/* QEMU's isa-debug-exit, per domain */
	struct fw_cfg fw_cfg;
	unsigned int nr_nics;
	struct pc_nic *nics[PLATFORM_E1000_MAX];	/* emulated e1000s */
	/* The emulated disk, if the domain has one, and its storage. */
	struct ide_piix *ide;
	struct storage *ide_storage;
	struct work ide_work;		/* finishes late storage completions */
	uint16_t ide_id;		/* its disk=ID */
	bool ide_unplug;		/* unplug=pv: PV may take it over */
	bool ide_gone;			/* unplugged, until a reset */
	/* PVKIT_HC_UNPLUG: 0 plugged, 1 unplugging, 2 done (until a reset) */
	uint32_t unplug_state;
	/* Passed-through functions (pci=), slots PLATFORM_PT_SLOT(i). */
	unsigned int nr_pt;
	struct pt_dev *pt[PLATFORM_PT_MAX];
	struct domain *dom;
};

/*
 * After the vCPUs exist; cfg's emulated disk, if any, becomes the IDE
 * master.  0, or a negative error (logged).
 */
int pc_platform_create(struct domain *d, const struct domain_cfg *cfg);
/* Every device back to its power-on state, for a reboot (no vCPU runs). */
void pc_platform_reset(struct domain *d);
/* The emulated devices' counters, when the domain ends. */
void pc_platform_log(const struct domain *d);
/* Event upcall for v: its MSI-X entry of the pvkit platform device. */
void pc_platform_upcall(struct vcpu *v);

#endif
