/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI IVRS table (AMD I/O Virtualization Reporting Structure),
 * parsed into what the AMD-Vi driver needs of one IOMMU: where its
 * registers are, its own requester id, what it can do and which
 * requester ids sit behind it.  Pure: no hardware access, so the host
 * unit tests and the fuzzer run it on any bytes.
 */
#ifndef ASM_IVRS_H
#define ASM_IVRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IVRS_SPECIAL_MAX	8
#define IVRS_ALIAS_MAX		16

/* IVHD special device entry (type 0x48) varieties. */
#define IVRS_SPECIAL_IOAPIC	1
#define IVRS_SPECIAL_HPET	2

struct ivrs_special {
	uint8_t variety;	/* IVRS_SPECIAL_* */
	uint8_t handle;		/* IOAPIC id or HPET number */
	uint16_t rid;		/* the requester id its messages carry */
};

/* Requests of rids [first, last] reach the IOMMU as rid "as". */
struct ivrs_alias {
	uint16_t first, last, as;
};

struct ivrs_info {
	uint8_t type;		/* the IVHD block used: 0x10, 0x11 or 0x40 */
	uint8_t flags;		/* its IVHD flags */
	uint16_t iommu_rid;	/* the IOMMU's own PCI function */
	uint16_t cap_off;	/* its IOMMU capability in config space */
	uint16_t segment;
	uint16_t iommu_info;
	uint32_t ivinfo;	/* the table's IVinfo word */
	uint32_t attrs;		/* feature reporting (0x10) or attributes */
	uint64_t base;		/* register window, physical */
	uint64_t efr;		/* the EFR image (0x11 and 0x40 only) */
	bool has_efr;
	uint16_t max_rid;	/* highest covered requester id */
	unsigned int nr_covered;
	unsigned int nr_special, nr_alias;
	struct ivrs_special special[IVRS_SPECIAL_MAX];
	struct ivrs_alias alias[IVRS_ALIAS_MAX];
	uint8_t covered[65536 / 8];	/* one bit per requester id */
};

/*
 * Parses the IVRS at table, len bytes (the whole table: header,
 * checksum and every length are checked against len).  Uses the first
 * IVHD block of the highest type this parser knows (0x40 > 0x11 >
 * 0x10), the one with the most complete description, as Linux does;
 * the other blocks, IVMD blocks included, are only checked for their
 * length.  0, or -PVKIT_EINVAL with one log line saying why.
 */
int ivrs_parse(const void *table, size_t len, struct ivrs_info *info);

static inline bool ivrs_covers(const struct ivrs_info *info, uint16_t rid)
{
	return info->covered[rid >> 3] & (1u << (rid & 7));
}

/* The requester id the IOMMU sees for rid's requests (rid itself mostly). */
uint16_t ivrs_alias_of(const struct ivrs_info *info, uint16_t rid);

/* Whether an IOAPIC is listed: see amd_vi.c on interrupt remapping. */
bool ivrs_has_ioapic(const struct ivrs_info *info);

#endif
