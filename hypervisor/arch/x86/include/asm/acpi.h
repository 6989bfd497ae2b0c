/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <stdint.h>

#define ACPI_MAX_CPUS	64

/* The usable local APIC IDs from the MADT, boot CPU not necessarily first. */
int acpi_find_cpus(uint32_t *apic_ids, unsigned int max);
/* Segment 0's ECAM window from the MCFG; -1 when there is none. */
int acpi_find_ecam(uint64_t *base, uint8_t *bus_start, uint8_t *bus_end);
/*
 * The table with signature sig (4 bytes), its signature, length (at most
 * 1 MiB, in *len) and checksum checked; NULL when there is none.
 */
const void *acpi_find_table(const char *sig, uint32_t *len);

#endif
