// SPDX-License-Identifier: GPL-2.0
/*
 * Internet checksums in software (hv/net_csum.h), for a NIC model that
 * offers checksum offload to its guest and must then do the work.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <hv/net_csum.h>

#define ETH_HLEN	14
#define ETH_P_IPV4	0x0800
#define ETH_P_IPV6	0x86dd
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPV6_HLEN	40

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
		const unaligned_u64 *w = (const unaligned_u64 *)(p + i);

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

/* The L4 header's length at least, and whether its checksum is there. */
static bool l4_ok(uint8_t proto, const uint8_t *l4, uint32_t l4_len)
{
	if (proto == IPPROTO_TCP)
		return l4_len >= 20;
	/* UDP: a zero checksum (IPv4 only) means none was sent. */
	return proto == IPPROTO_UDP && l4_len >= 8 && net_get_be16(l4 + 6);
}

static bool ipv4_csum_ok(const uint8_t *ip, uint32_t len)
{
	uint32_t ihl, tot, sum;

	if (len < 20 || ip[0] >> 4 != 4)
		return false;
	ihl = (ip[0] & 0xfu) * 4u;
	tot = net_get_be16(ip + 2);
	/* More fragments or an offset: the sum covers the whole datagram. */
	if (ihl < 20 || tot < ihl || tot > len ||
	    (net_get_be16(ip + 6) & 0x3fff) ||
	    !l4_ok(ip[9], ip + ihl, tot - ihl))
		return false;
	sum = net_sum16(ip + 12, 8, ip[9] + (tot - ihl));
	return net_fold(net_sum16(ip + ihl, tot - ihl, sum)) == 0xffff;
}

static bool ipv6_csum_ok(const uint8_t *ip, uint32_t len)
{
	uint32_t plen, sum;

	if (len < IPV6_HLEN || ip[0] >> 4 != 6)
		return false;
	plen = net_get_be16(ip + 4);
	if (plen > len - IPV6_HLEN || !l4_ok(ip[6], ip + IPV6_HLEN, plen))
		return false;
	sum = net_sum16(ip + 8, 32, ip[6] + plen);
	return net_fold(net_sum16(ip + IPV6_HLEN, plen, sum)) == 0xffff;
}

bool net_l4_csum_ok(const uint8_t *f, uint32_t len)
{
	if (len < ETH_HLEN)
		return false;
	switch (net_get_be16(f + 12)) {
	case ETH_P_IPV4:
		return ipv4_csum_ok(f + ETH_HLEN, len - ETH_HLEN);
	case ETH_P_IPV6:
		return ipv6_csum_ok(f + ETH_HLEN, len - ETH_HLEN);
	default:
		return false;
	}
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
