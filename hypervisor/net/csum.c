// SPDX-License-Identifier: GPL-2.0
/*
 * Internet checksums in software (hv/net_csum.h), for a NIC model that
 * offers checksum offload to its guest and must then do the work.
 */
#include <stdint.h>
#include <hv/net_csum.h>

typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) csum_word_t;

/*
 * The ones' complement sum does not depend on byte order (RFC 1071): the
 * words are added as they lie in memory, 32 bits at a time into 64, and
 * the folded sum is swapped into network order once at the end.
 */
uint32_t net_sum16(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint64_t acc = 0;
	uint32_t i = 0;

	for (; i + 32 <= len; i += 32) {
		const csum_word_t *w = (const csum_word_t *)(p + i);

		acc += (w[0] & 0xffffffffu) + (w[0] >> 32) +
		       (w[1] & 0xffffffffu) + (w[1] >> 32) +
		       (w[2] & 0xffffffffu) + (w[2] >> 32) +
		       (w[3] & 0xffffffffu) + (w[3] >> 32);
	}
	for (; i + 2 <= len; i += 2)
		acc += (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
	if (i < len)
		acc += p[i];
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return sum + (uint32_t)((acc & 0xff) << 8 | acc >> 8);
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
