// SPDX-License-Identifier: GPL-2.0
/*
 * The AML reader and _CRS resource parser of the ACPI tests
 * (acpi_aml.c), and the little-endian read both they and test_acpi.c
 * use on table bytes.
 */
#ifndef TESTS_UNIT_ACPI_AML_H
#define TESTS_UNIT_ACPI_AML_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static inline uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

#define MAX_OBJS	1024

struct aml_obj {
	char path[64];
	uint8_t kind;		/* 'd' device, 'i' int, 's' string, 'b' buffer,
				 * 'p' package */
	uint64_t ival;
	const uint8_t *data;	/* buffer bytes, package elements */
	size_t len;
	unsigned int count;	/* package elements */
};

/* Objects found since the count was last reset to 0. */
extern unsigned int nobjs;

/* One data object at *p, which moves past it; -1 if malformed. */
int aml_data(const uint8_t **p, const uint8_t *end, struct aml_obj *o);
/* Every term in [p, end) under scope; -1 at the first malformed one. */
int aml_terms(const uint8_t *p, const uint8_t *end, const char *scope);
const struct aml_obj *aml_find(const char *path);

uint32_t eisaid(const char *id);

/* Resource descriptors of a _CRS: every one well-formed, end tag last. */
struct res_seen {
	unsigned int bus_min, bus_max, io_windows, mem_windows, io_fixed;
	uint32_t mem_min, mem_max;
	uint16_t io_min[4], io_max[4];
	uint32_t fixed_mem_base, fixed_mem_len;
	uint16_t io_base[4];
	uint8_t io_len[4];
	uint16_t irq_mask;
};

int parse_res(const uint8_t *p, size_t len, struct res_seen *s);

#endif
