// SPDX-License-Identifier: MIT
/*
 * Test frames (pvnet.h).  The pattern is made once; a frame's payload
 * is a window on it, so building is a copy and checking a compare.
 */
#include <lib/string.h>
#include <minios/pvnet.h>
#include "pvnet.h"

#define PAT_PERIOD	251	/* prime: neighbouring seqs never line up */

const uint8_t pvt_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static uint8_t pattern[PAT_PERIOD + PVT_MAX];
static bool pattern_made;

static void make_pattern(void)
{
	uint32_t x = 0x2545f491;

	for (unsigned int i = 0; i < sizeof(pattern); i++) {
		x = x * 1103515245u + 12345u;
		pattern[i] = (uint8_t)(x >> 16);
	}
	pattern_made = true;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pvt_parse_mac(const char *s, uint8_t mac[6])
{
	for (unsigned int i = 0; i < 6; i++, s += 3) {
		int hi = hex(s[0]), lo = hi < 0 ? -1 : hex(s[1]);

		if (lo < 0 || s[2] != (i == 5 ? '\0' : ':'))
			return -PVKIT_EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

void pvt_build(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
	       uint8_t kind, uint32_t seq, uint32_t len)
{
	if (!pattern_made)
		make_pattern();
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = PVT_TYPE >> 8;
	buf[13] = PVT_TYPE & 0xff;
	buf[14] = kind;
	buf[15] = 0;
	put32(buf + 16, seq);
	put32(buf + 20, len);
	memcpy(buf + PVT_HDR, pattern + seq % PAT_PERIOD, len - PVT_HDR);
}

uint8_t pvt_kind(const uint8_t *buf, uint32_t len)
{
	if (len < PVT_HDR || buf[12] != PVT_TYPE >> 8 ||
	    buf[13] != (PVT_TYPE & 0xff))
		return 0;
	return buf[14];
}

uint8_t pvt_check(const uint8_t *buf, uint32_t len, uint32_t *seq)
{
	uint8_t kind = pvt_kind(buf, len);

	if (!kind || len > PVT_MAX || buf[15] || get32(buf + 20) != len)
		return 0;
	if (!pattern_made)
		make_pattern();
	*seq = get32(buf + 16);
	if (memcmp(buf + PVT_HDR, pattern + *seq % PAT_PERIOD, len - PVT_HDR))
		return 0;
	return kind;
}

int pvt_send_ctl(struct pvnet *n, const uint8_t *dst, uint8_t kind,
		 uint32_t seq)
{
	uint8_t buf[PVT_MIN];

	pvt_build(buf, dst, n->config.mac, kind, seq, sizeof(buf));
	return pvnet_send(n, buf, sizeof(buf), 1000);
}
