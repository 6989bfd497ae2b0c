/* SPDX-License-Identifier: MIT */
/*
 * State and helpers of test=pvnethostile, shared by the malformed
 * request cases (pvnethostile.c) and the protocol violation and flood
 * cases (pvnethostile_proto.c).
 */
#ifndef MINIOS_TESTS_PVNETHOSTILE_H
#define MINIOS_TESTS_PVNETHOSTILE_H

#include <minios/pvnet.h>

#define RX_OURS		16u	/* the frontend's RX ids; raw ones above */
#define RAW_RX_ID	20u
#define WAIT_MS		2000
#define FLOOD_MS	2000

extern struct pvnet nh_nic;
extern bool nh_found;
extern uint8_t *nh_txf, *nh_rxf, *nh_area;
extern uint8_t nh_echo_mac[6], nh_client_mac[6];
extern uint32_t nh_next_seq;
extern unsigned int nh_breaks;
extern uint64_t nh_tx_err, nh_rx_err;
extern uint64_t nh_attack_ns;		/* when GO came */

uint32_t nh_dev_state(void);
bool nh_reconnect(void);
bool nh_need_nic(void);
/* Waits until every frame the frontend sent was answered. */
bool nh_tx_drain(void);
/* Waits for the echo of seq, intact; fails on a malformed frame's. */
bool nh_expect_echo(uint32_t seq);
/* An echo request of len bytes from us to the echo, into buf. */
void nh_echo_req(uint8_t *buf, uint32_t seq, uint32_t len);
/* A good exchange with the echo on the connected NIC. */
bool nh_works(void);

/* Cases in pvnethostile_proto.c. */
void nh_case_tx_same_id_twice(void);
void nh_case_tx_bad_seg_count(void);
void nh_case_rx_bad_ids(void);
void nh_case_ring_index_jumps(void);
void nh_case_flood(void);
void nh_case_frontend_after(void);

#endif /* MINIOS_TESTS_PVNETHOSTILE_H */
