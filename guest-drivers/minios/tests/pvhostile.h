/* SPDX-License-Identifier: MIT */
/*
 * State and helpers of test=pvhostile, shared by the refused connect
 * cases (pvhostile.c) and the protocol error cases on a connected
 * console (pvhostile_proto.c).
 */
#ifndef MINIOS_TESTS_PVHOSTILE_H
#define MINIOS_TESTS_PVHOSTILE_H

#include <minios/pvdev.h>
#include "abi.h"

#define SLOT		((uint32_t)sizeof(struct pvkit_console_chunk))
#define NQ		PVKIT_DEV_MAX_QUEUES
#define FLOOD_MS	2000

extern struct pvkit_dev_info ph_dev;
extern uint32_t ph_order;		/* a one-page ring */
extern void *ph_rings[NQ][2];		/* one page each, req and rsp */
extern uint32_t ph_ports[NQ];		/* unbound for the hypervisor */
extern volatile uint64_t ph_events0;	/* raised on ph_ports[0] */
extern unsigned int ph_breaks;		/* times the device went BROKEN */

void ph_on_port0(uint32_t port, void *data);
void ph_build_req(struct pvkit_dev_connect *req, uint32_t nq);
uint32_t ph_dev_state(void);
bool ph_port_is(uint32_t port, uint32_t state, uint16_t remote);
bool ph_port0_unbound(void);
void ph_refused(struct pvkit_dev_connect *req, int64_t want,
		const char *what, uint64_t arg);
bool ph_wait_state(uint32_t want, uint64_t ms);
bool ph_wait_consumed(struct pvkit_ring_hdr *hdr, uint32_t want);
bool ph_put_text(struct pvkit_ring *r, const char *text);
bool ph_usable(void);
bool ph_need_device(void);

/* Cases in pvhostile_proto.c. */
void ph_case_prod_jump(void);
void ph_case_malformed_chunks(void);
void ph_case_event_index_garbage(void);
void ph_case_close_port_disconnects(void);
void ph_case_flood(void);
void ph_case_frontend_after(void);
void ph_case_left_connected(void);

#endif /* MINIOS_TESTS_PVHOSTILE_H */
