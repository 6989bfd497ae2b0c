/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device registers: accesses the compiler neither merges, splits nor
 * reorders, and the mapping that makes the CPU do the same.
 */
#ifndef ASM_MMIO_H
#define ASM_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_read8(const volatile void *p)
{
	return *(const volatile uint8_t *)p;
}

static inline uint16_t mmio_read16(const volatile void *p)
{
	return *(const volatile uint16_t *)p;
}

static inline uint32_t mmio_read32(const volatile void *p)
{
	return *(const volatile uint32_t *)p;
}

static inline void mmio_write8(volatile void *p, uint8_t v)
{
	*(volatile uint8_t *)p = v;
}

static inline void mmio_write16(volatile void *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

static inline void mmio_write32(volatile void *p, uint32_t v)
{
	*(volatile uint32_t *)p = v;
}

/* A 64-bit register as two dwords, low first (virtio allows it). */
static inline void mmio_write64(volatile void *p, uint64_t v)
{
	mmio_write32(p, (uint32_t)v);
	mmio_write32((volatile uint8_t *)p + 4, (uint32_t)(v >> 32));
}

/*
 * Makes [pa, pa + len) of the boot identity map uncached (whole 2 MiB
 * pages): device windows must not be cached whatever the firmware's
 * MTRRs say.  Below 4 GiB only; -1 past it.  Boot CPU, before the APs
 * start (they load the same tables afterwards, so no shootdown).
 */
int arch_mmio_uncached(uint64_t pa, uint64_t len);

#endif
