// SPDX-License-Identifier: GPL-2.0
/*
 * Internet checksums in software (hv/net_csum.h), for a NIC model that
 * offers checksum offload to its guest and must then do the work.
 */
#include <stdint.h>
#include <hv/net_csum.h>

uint32_t net_sum16(const uint8_t *p, uint32_t len, uint32_t sum)
{
	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t net_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

void net_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t net_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void net_csum_insert(uint8_t *f, uint32_t len, uint32_t start,
		     uint32_t off, uint32_t end)
{
	uint32_t stop_at = end ? end + 1 : len;

	if (start >= len || off + 2 > len || stop_at > len || stop_at <= start)
		return;
	net_put_be16(f + off,
		     (uint16_t)~net_fold(net_sum16(f + start, stop_at - start, 0)));
}
