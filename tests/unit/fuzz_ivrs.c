// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as an ACPI IVRS.  ivrs_parse() must never
 * read outside the input (an exact-size copy, so ASan sees any overread)
 * and what it accepts must be consistent.  The checksum byte is fixed
 * up here first, or nearly every input would stop at the checksum.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/ivrs.h>
#include <hv/printk.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void printk(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

static void fix_checksum(uint8_t *t, size_t size)
{
	uint32_t len;
	uint8_t s = 0;

	if (size < 10)
		return;
	len = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 |
	      (uint32_t)t[7] << 24;
	if (len > size)
		len = (uint32_t)size;
	t[9] = 0;
	for (uint32_t i = 0; i < len; i++)
		s += t[i];
	t[9] = (uint8_t)-s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ivrs_info info;
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	fix_checksum(copy, size);
	if (!ivrs_parse(copy, size, &info)) {
		if (info.nr_covered && !ivrs_covers(&info, info.max_rid))
			abort();
		if (info.nr_special > IVRS_SPECIAL_MAX ||
		    info.nr_alias > IVRS_ALIAS_MAX || !info.base ||
		    (info.base & 0x3fff))
			abort();
		(void)ivrs_alias_of(&info, 0x0100);
	}
	free(copy);
	return 0;
}
