/* SPDX-License-Identifier: GPL-2.0 */
/* Internet checksums in software (net/csum.c). */
#ifndef HV_NET_CSUM_H
#define HV_NET_CSUM_H

#include <stdbool.h>
#include <stdint.h>

/* sum plus the big-endian 16-bit words of p, odd length padded. */
uint32_t net_sum16(const uint8_t *p, uint32_t len, uint32_t sum);
/* The carries folded back into 16 bits. */
uint16_t net_fold(uint32_t sum);
void net_put_be16(uint8_t *p, uint16_t v);
uint16_t net_get_be16(const uint8_t *p);
/*
 * The ones' complement of bytes [start, end] (end 0: to the frame's
 * end) stored at off, which holds the pseudo-header sum if any.
 * Offsets outside the frame insert nothing.
 */
void net_csum_insert(uint8_t *f, uint32_t len, uint32_t start,
		     uint32_t off, uint32_t end);
/*
 * Whether Ethernet frame f is TCP or UDP over IPv4 or IPv6 (no IPv4
 * fragment, no IPv6 extension header) whose checksum verifies; false
 * for anything else, a UDP datagram without a checksum included.
 */
bool net_l4_csum_ok(const uint8_t *f, uint32_t len);

#endif
