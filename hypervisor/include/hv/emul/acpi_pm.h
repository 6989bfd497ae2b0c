/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI power-management block of the emulated PC (hv/platform.h,
 * PLATFORM_PM_BASE, 16 ports): PM1a status and enable, PM1a control,
 * the 32-bit PM timer at 3.579545 MHz and the FADT's reset register.
 *
 *	0x0 PM1a_STS  (16 bits, write 1 to clear)
 *	0x2 PM1a_EN   (16 bits)
 *	0x4 PM1a_CNT  (16 bits: SCI_EN reads 1; SLP_EN with SLP_TYP = S5
 *		       powers the domain off)
 *	0x8 PM_TMR    (32 bits, read-only, from env->now_ns())
 *	0xc RESET     (8 bits: PLATFORM_RESET_VALUE reboots the domain)
 *
 * Accesses of any width at any offset inside the block work byte lane by
 * byte lane, as on the ISA bus; bytes that hold no register read 0 and
 * ignore writes.  The SCI (PLATFORM_SCI_IRQ, level) is raised while an
 * enabled status bit is set: the timer's bit 31 toggling (TMR_STS) and
 * the power button (PWRBTN_STS).
 *
 * Set up and register with the device bus as
 *	acpi_pm_init(&pm, env);
 *	emul_bus_attach(d, &pm.dev);
 *	emul_bus_map(d, &pm.dev, false, PLATFORM_PM_BASE, PLATFORM_PM_PORTS);
 */
#ifndef HV_EMUL_ACPI_PM_H
#define HV_EMUL_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

/* PM1 status and enable bits. */
#define ACPI_PM1_TMR		(1u << 0)
#define ACPI_PM1_BM		(1u << 4)	/* status only */
#define ACPI_PM1_GBL		(1u << 5)
#define ACPI_PM1_PWRBTN		(1u << 8)
#define ACPI_PM1_SLPBTN		(1u << 9)
#define ACPI_PM1_RTC		(1u << 10)
#define ACPI_PM1_PCIEXP_WAKE	(1u << 14)
#define ACPI_PM1_WAK		(1u << 15)	/* status only */

/* PM1 control bits. */
#define ACPI_PM1_CNT_SCI_EN	(1u << 0)
#define ACPI_PM1_CNT_BM_RLD	(1u << 1)
#define ACPI_PM1_CNT_GBL_RLS	(1u << 2)
#define ACPI_PM1_CNT_SLP_TYP_SHIFT 10
#define ACPI_PM1_CNT_SLP_TYP	(7u << ACPI_PM1_CNT_SLP_TYP_SHIFT)
#define ACPI_PM1_CNT_SLP_EN	(1u << 13)

struct acpi_pm {
	struct emul_device dev;	/* dev.priv points back here */
	uint16_t sts;		/* latched status bits (not TMR_STS) */
	uint16_t en;
	uint16_t cnt;		/* BM_RLD and SLP_TYP as last written */
	bool sci;		/* level last driven on the SCI line */
	/* Timer ticks >> 31 when TMR_STS was last cleared. */
	uint64_t tmr_epoch;
};

extern const struct emul_device_ops acpi_pm_ops;

void acpi_pm_init(struct acpi_pm *pm, const struct emul_env *env);
/*
 * The power button was pressed (a request from the host side): sets
 * PWRBTN_STS and raises the SCI if the guest enabled it.  Call it with
 * the device serialised like any other entry point.
 */
void acpi_pm_power_button(struct acpi_pm *pm);
/* The PM timer's value at guest time now_ns (32 bits, wraps). */
uint32_t acpi_pm_timer_at(uint64_t now_ns);

#endif /* HV_EMUL_ACPI_PM_H */
