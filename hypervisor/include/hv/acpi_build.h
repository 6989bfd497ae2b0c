/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables of one hardware-virtualized domain: RSDP (revision 2),
 * RSDT and XSDT, FADT (revision 6) with its FACS, MADT, MCFG, HPET and
 * a DSDT in AML built here byte by byte.  Every address and port in them comes
 * from hv/platform.h, the same header the device models use.
 */
#ifndef HV_ACPI_BUILD_H
#define HV_ACPI_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What differs between domains. */
struct acpi_build_cfg {
	unsigned int vcpus;	/* 1..PLATFORM_MAX_VCPUS; LAPIC IDs 0..n-1 */
	bool com1;		/* describe the COM1 UART in the DSDT */
};

/* Room that acpi_build() needs at most, whatever the configuration. */
#define ACPI_BUILD_MAX_SIZE	0x4000u

/*
 * Writes the tables into buf, the host mapping of guest-physical
 * [buf_gpa, buf_gpa + buf_len), RSDP first, and sets *rsdp_gpa.  buf_gpa
 * must be 64-byte aligned (the FACS needs it, a firmware scan needs 16)
 * and the whole buffer below 4 GiB (the RSDT and FADT hold 32-bit
 * pointers).  Bytes of buf past the returned length are left alone.
 *
 * Returns the number of bytes written, -PVKIT_EINVAL for a bad
 * configuration or placement, or -PVKIT_ENOSPC when buf_len is too small
 * (nothing is written then).
 */
int acpi_build(void *buf, uint64_t buf_gpa, size_t buf_len,
	       const struct acpi_build_cfg *cfg, uint64_t *rsdp_gpa);

#endif /* HV_ACPI_BUILD_H */
