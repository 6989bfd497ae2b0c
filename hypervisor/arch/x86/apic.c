// SPDX-License-Identifier: GPL-2.0
/* The hypervisor's own local APIC (xAPIC MMIO): tick, IPIs, EOI. */
#include <stdint.h>
#include <lib/compiler.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hv/printk.h>

#define APIC_ID		0x020
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0
#define APIC_TPR	0x080
#define APIC_ISR	0x100	/* 8 registers, 16 bytes apart */

#define ICR_PENDING	(1u << 12)
#define ICR_ASSERT	(1u << 14)
#define ICR_LEVEL	(1u << 15)
#define ICR_INIT	(5u << 8)
#define ICR_STARTUP	(6u << 8)
#define LVT_MASKED	(1u << 16)
#define TIMER_DIV_16	0x3

static volatile uint32_t *lapic;
static uint64_t timer_hz;	/* after the divide-by-16 */

static inline uint32_t lapic_read(unsigned int reg)
{
	return lapic[reg / 4];
}

static inline void lapic_write(unsigned int reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

uint32_t lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

bool lapic_in_service(uint8_t vector)
{
	if (!lapic)	/* before lapic_map(): an exception */
		return false;
	return lapic_read(APIC_ISR + 0x10 * (vector / 32)) & (1u << (vector % 32));
}

static void lapic_wait_icr(void)
{
	for (int i = 0; i < 1000000 && (lapic_read(APIC_ICR_LO) & ICR_PENDING);
	     i++)
		cpu_relax();
}

static void lapic_icr(uint32_t apic_id, uint32_t lo)
{
	lapic_wait_icr();
	lapic_write(APIC_ICR_HI, apic_id << 24);
	lapic_write(APIC_ICR_LO, lo);
	lapic_wait_icr();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	lapic_icr(apic_id, vector | ICR_ASSERT);
}

void lapic_send_init(uint32_t apic_id)
{
	lapic_icr(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
	udelay(200);
	lapic_icr(apic_id, ICR_INIT | ICR_LEVEL);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t page)
{
	lapic_icr(apic_id, ICR_STARTUP | page);
}

static void lapic_map(void)
{
	lapic = (volatile uint32_t *)(uintptr_t)(rdmsr(MSR_APIC_BASE) &
						 ~0xfffull);
}

static void timer_start_oneshot_max(void)
{
	lapic_write(APIC_TIMER_INIT, 0xffffffff);
}

void lapic_calibrate(void)
{
	uint32_t elapsed;

	lapic_map();
	lapic_write(APIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	/* 2 ms, as for the TSC (time.c): the slice timer needs no more. */
	pit_wait_ms(2, timer_start_oneshot_max);
	elapsed = 0xffffffff - lapic_read(APIC_TIMER_CUR);
	lapic_write(APIC_TIMER_INIT, 0);
	timer_hz = (uint64_t)elapsed * 500;
	pr_info("apic: timer runs at %llu kHz, slice %u ms",
		(unsigned long long)(timer_hz * 16 / 1000), 1000 / CONFIG_HZ);
}

void lapic_init_cpu(void)
{
	lapic_map();
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(APIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(APIC_LVT_TIMER, VEC_TIMER);	/* one-shot */
	lapic_write(APIC_TIMER_INIT, 0);
}

void lapic_timer_oneshot(uint64_t delta_ns)
{
	uint64_t count;

	delta_ns = delta_ns > 1000000000ull ? 1000000000ull : delta_ns;
	count = delta_ns * timer_hz / 1000000000ull;
	lapic_write(APIC_TIMER_INIT, count ? (uint32_t)count : 1);
}
