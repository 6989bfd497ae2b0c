// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI PM block: PM1a event and control, the PM timer, the reset
 * register.  See hv/emul/acpi_pm.h for the register map.
 *
 * An access is handled against a snapshot of the block taken once (so a
 * 32-bit timer read is one sample, not four), split into byte lanes and
 * applied register by register: whatever width or offset a guest uses,
 * every byte lands in the register that owns it or nowhere.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <hv/emul.h>
#include <hv/emul/acpi_pm.h>
#include <hv/platform.h>

#define OFF_STS		0x0
#define OFF_EN		0x2
#define OFF_CNT		0x4
#define OFF_TMR		0x8
#define OFF_RESET	0xc

#define NS_PER_SEC	1000000000ull

/* Enable bits that stick; the rest of PM1_EN reads 0. */
#define EN_MASK		(ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | \
			 ACPI_PM1_SLPBTN | ACPI_PM1_RTC | ACPI_PM1_PCIEXP_WAKE)
/* Enable bits that can raise the SCI here. */
#define SCI_SOURCES	(ACPI_PM1_TMR | ACPI_PM1_PWRBTN)
#define CNT_MASK	(ACPI_PM1_CNT_BM_RLD | ACPI_PM1_CNT_SLP_TYP)

/* ticks = now * HZ / 1e9, split so no product can overflow. */
static uint64_t pm_ticks(uint64_t now_ns)
{
	return now_ns / NS_PER_SEC * PLATFORM_PM_TMR_HZ +
	       now_ns % NS_PER_SEC * PLATFORM_PM_TMR_HZ / NS_PER_SEC;
}

/* The first time at which the timer reads at least ticks. */
static uint64_t pm_ticks_to_ns(uint64_t ticks)
{
	uint64_t rem = ticks % PLATFORM_PM_TMR_HZ;

	return ticks / PLATFORM_PM_TMR_HZ * NS_PER_SEC +
	       (rem * NS_PER_SEC + PLATFORM_PM_TMR_HZ - 1) / PLATFORM_PM_TMR_HZ;
}

uint32_t acpi_pm_timer_at(uint64_t now_ns)
{
	return (uint32_t)pm_ticks(now_ns);
}

static uint64_t env_now(const struct emul_device *dev)
{
	const struct emul_env *env = dev->env;

	return env && env->now_ns ? env->now_ns(env->ctx) : 0;
}

static uint16_t pm_status(const struct acpi_pm *pm, uint64_t now_ns)
{
	uint16_t sts = pm->sts;

	/* TMR_STS: bit 31 of the timer has toggled since the last clear. */
	if (pm_ticks(now_ns) >> 31 != pm->tmr_epoch)
		sts |= ACPI_PM1_TMR;
	return sts;
}

static void pm_update_sci(struct emul_device *dev, uint64_t now_ns)
{
	struct acpi_pm *pm = dev->priv;
	const struct emul_env *env = dev->env;
	bool level = pm_status(pm, now_ns) & pm->en & SCI_SOURCES;

	if (level == pm->sci)
		return;
	pm->sci = level;
	if (env && env->set_irq)
		env->set_irq(env->ctx, PLATFORM_SCI_IRQ, level);
}

static void pm_shutdown(struct emul_device *dev, uint32_t reason)
{
	const struct emul_env *env = dev->env;

	if (env && env->shutdown)
		env->shutdown(env->ctx, reason);
}

/* The block as the guest would read it at now_ns, little-endian. */
static void pm_snapshot(const struct acpi_pm *pm, uint64_t now_ns,
			uint8_t img[PLATFORM_PM_PORTS])
{
	uint16_t sts = pm_status(pm, now_ns);
	uint16_t cnt = pm->cnt | ACPI_PM1_CNT_SCI_EN;
	uint32_t tmr = acpi_pm_timer_at(now_ns);

	for (unsigned int i = 0; i < PLATFORM_PM_PORTS; i++)
		img[i] = 0;
	img[OFF_STS] = (uint8_t)sts;
	img[OFF_STS + 1] = (uint8_t)(sts >> 8);
	img[OFF_EN] = (uint8_t)pm->en;
	img[OFF_EN + 1] = (uint8_t)(pm->en >> 8);
	img[OFF_CNT] = (uint8_t)cnt;
	img[OFF_CNT + 1] = (uint8_t)(cnt >> 8);
	for (unsigned int i = 0; i < 4; i++)
		img[OFF_TMR + i] = (uint8_t)(tmr >> (8 * i));
	/* RESET reads 0. */
}

/*
 * The bytes of a write that fall into register [reg, reg + len): value
 * and byte-lane mask, both aligned to the register.
 */
static uint32_t pm_lanes(const struct io_access *io, unsigned int off,
			 unsigned int reg, unsigned int len, uint32_t *mask)
{
	uint32_t val = 0;

	*mask = 0;
	for (unsigned int i = 0; i < io->size; i++) {
		unsigned int at = off + i;

		if (at < reg || at >= reg + len)
			continue;
		val |= (uint32_t)(uint8_t)(io->val >> (8 * i)) << (8 * (at - reg));
		*mask |= 0xffu << (8 * (at - reg));
	}
	return val;
}

static void pm_write(struct emul_device *dev, const struct io_access *io,
		     unsigned int off, uint64_t now_ns)
{
	struct acpi_pm *pm = dev->priv;
	uint32_t val, mask;

	val = pm_lanes(io, off, OFF_STS, 2, &mask);
	if (val & mask & ACPI_PM1_TMR)
		pm->tmr_epoch = pm_ticks(now_ns) >> 31;
	pm->sts &= (uint16_t)~(val & mask);

	val = pm_lanes(io, off, OFF_EN, 2, &mask);
	pm->en = (uint16_t)((pm->en & ~mask) | (val & mask & EN_MASK));

	val = pm_lanes(io, off, OFF_CNT, 2, &mask);
	pm->cnt = (uint16_t)((pm->cnt & ~mask) | (val & mask & CNT_MASK));
	pm_update_sci(dev, now_ns);
	if (val & mask & ACPI_PM1_CNT_SLP_EN &&
	    (pm->cnt & ACPI_PM1_CNT_SLP_TYP) >> ACPI_PM1_CNT_SLP_TYP_SHIFT ==
	    PLATFORM_SLP_TYP_S5)
		pm_shutdown(dev, PVKIT_SHUTDOWN_POWEROFF);

	val = pm_lanes(io, off, OFF_RESET, 1, &mask);
	if (mask && val == PLATFORM_RESET_VALUE)
		pm_shutdown(dev, PVKIT_SHUTDOWN_REBOOT);
}

static int acpi_pm_pio(struct emul_device *dev, struct io_access *io)
{
	uint8_t img[PLATFORM_PM_PORTS];
	uint64_t off = io->addr - PLATFORM_PM_BASE;
	uint64_t now_ns;

	if (io->addr < PLATFORM_PM_BASE || off >= PLATFORM_PM_PORTS)
		return -PVKIT_EINVAL;	/* the bus sent someone else's port */
	if (io->size != 1 && io->size != 2 && io->size != 4) {
		if (!io->write)
			io->val = ~0ull;
		return 0;
	}

	now_ns = env_now(dev);
	if (io->write) {
		pm_write(dev, io, (unsigned int)off, now_ns);
		return 0;
	}
	pm_snapshot(dev->priv, now_ns, img);
	io->val = 0;
	for (unsigned int i = 0; i < io->size; i++) {
		/* Past the block's end the bus floats. */
		uint8_t b = off + i < PLATFORM_PM_PORTS ? img[off + i] : 0xff;

		io->val |= (uint64_t)b << (8 * i);
	}
	return 0;
}

static void acpi_pm_poll(struct emul_device *dev, uint64_t now_ns)
{
	pm_update_sci(dev, now_ns);
}

/* When TMR_STS will next become set, if that would raise the SCI. */
static uint64_t acpi_pm_next_deadline(struct emul_device *dev)
{
	const struct acpi_pm *pm = dev->priv;
	uint64_t now_ns = env_now(dev);

	if (!(pm->en & ACPI_PM1_TMR) || pm_status(pm, now_ns) & ACPI_PM1_TMR)
		return UINT64_MAX;
	return pm_ticks_to_ns((pm->tmr_epoch + 1) << 31);
}

void acpi_pm_power_button(struct acpi_pm *pm)
{
	pm->sts |= ACPI_PM1_PWRBTN;
	pm_update_sci(&pm->dev, env_now(&pm->dev));
}

void acpi_pm_init(struct acpi_pm *pm, const struct emul_env *env)
{
	pm->dev.ops = &acpi_pm_ops;
	pm->dev.env = env;
	pm->dev.priv = pm;
	pm->sts = 0;
	pm->en = 0;
	pm->cnt = 0;
	pm->sci = false;
	pm->tmr_epoch = 0;
}

const struct emul_device_ops acpi_pm_ops = {
	.name = "acpi-pm",
	.pio = acpi_pm_pio,
	.poll = acpi_pm_poll,
	.next_deadline = acpi_pm_next_deadline,
};
