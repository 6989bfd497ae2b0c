/* SPDX-License-Identifier: MIT */
/*
 * The test frames of test=pvnet and test=pvnethostile: an Ethernet
 * header with the local experimental type 0x88b5, then a kind, a
 * sequence number and the frame's length, then bytes of a fixed
 * pseudo-random pattern starting at an offset the sequence number
 * picks, so either end can check a frame byte for byte.
 */
#ifndef MINIOS_TESTS_PVNET_H
#define MINIOS_TESTS_PVNET_H

#include <minios/pvnet.h>

#define PVT_TYPE		0x88b5
#define PVT_HDR			24	/* eth header, kind, pad, seq, len */
#define PVT_MIN			60	/* the smallest frame sent */
#define PVT_MAX			(PVKIT_NET_MAX_MTU + PVKIT_NET_HDR_LEN)

enum pvt_kind {
	PVT_ECHO_REQ = 1,	/* echo: check it, send it back as ECHO_RSP */
	PVT_ECHO_RSP,
	PVT_GO,			/* bystander to hostile: baseline measured */
	PVT_GO_ACK,
	PVT_BYE,		/* hostile to bystander: the attack is over */
	PVT_DONE,		/* to the echo: one peer has finished */
	PVT_FLOOD,		/* broadcast junk */
};

/* Sequence numbers with this bit are malformed requests' frames. */
#define PVT_SEQ_BAD		0x80000000u

extern const uint8_t pvt_broadcast[6];

/* "xx:xx:xx:xx:xx:xx" into mac: 0, or -EINVAL. */
int pvt_parse_mac(const char *s, uint8_t mac[6]);
/* Builds a frame of len bytes (PVT_HDR .. PVT_MAX) into buf. */
void pvt_build(uint8_t *buf, const uint8_t *dst, const uint8_t *src,
	       uint8_t kind, uint32_t seq, uint32_t len);
/* The frame's kind if it is one of ours, whole and intact, else 0. */
uint8_t pvt_check(const uint8_t *buf, uint32_t len, uint32_t *seq);
/* Its kind byte alone if it is of our type, else 0. */
uint8_t pvt_kind(const uint8_t *buf, uint32_t len);
/* Sends a small control frame; 0 or the error of pvnet_send(). */
int pvt_send_ctl(struct pvnet *n, const uint8_t *dst, uint8_t kind,
		 uint32_t seq);

#endif /* MINIOS_TESTS_PVNET_H */
