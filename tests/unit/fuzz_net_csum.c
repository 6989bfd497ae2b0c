// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any bytes as an Ethernet frame for the checksum
 * code that reads frames the hypervisor did not write: net_l4_csum_ok()
 * (the PV net backend's RX verification of frames from the uplink or a
 * guest) and net_csum_insert() with offsets taken from the input, as a
 * guest's TX request gives them after the backend's checks.  Both must
 * stay inside the frame (an exact-size copy, so ASan sees any overread
 * or overwrite).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/net_csum.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t start, off;
	uint8_t *f;

	if (size < 4 || size > 65535 + 4)
		return 0;
	start = (uint32_t)data[0] << 8 | data[1];
	off = (uint32_t)data[2] << 8 | data[3];
	data += 4;
	size -= 4;
	f = malloc(size ? size : 1);
	if (!f)
		return 0;
	memcpy(f, data, size);
	(void)net_l4_csum_ok(f, (uint32_t)size);
	/* As net_back gives them: start after the header, the field inside. */
	if (start >= 14 && start + off + 2 <= size)
		net_csum_insert(f, (uint32_t)size, start, start + off, 0);
	free(f);
	return 0;
}
