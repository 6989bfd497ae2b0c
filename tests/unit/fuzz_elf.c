// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as a guest image.  elf_check() must never
 * read outside the input, must explain every refusal, and whatever it
 * accepts must load inside guest RAM (ASan checks the bounds: the guest
 * buffer is exactly mem_size bytes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/elf.h>

#define GUEST_MEM	(1ul << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *guest;
	struct elf_image ei;
	const char *why = NULL;
	uint8_t *copy;

	if (!guest)
		guest = malloc(GUEST_MEM);
	/* An exact-size copy, so that any overread trips ASan. */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	if (elf_check(copy, size, GUEST_MEM, &ei, &why)) {
		if (!why)
			abort();
	} else {
		if (ei.lowest >= ei.highest || ei.highest > GUEST_MEM)
			abort();
		elf_load(copy, size, guest, GUEST_MEM);
	}
	free(copy);
	return 0;
}
