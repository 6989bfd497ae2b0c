/* SPDX-License-Identifier: MIT */
/*
 * State and helpers of test=pvblkhostile, shared by the malformed
 * request cases (pvblkhostile.c) and the protocol violation and load
 * cases (pvblkhostile_proto.c).
 */
#ifndef MINIOS_TESTS_PVBLKHOSTILE_H
#define MINIOS_TESTS_PVBLKHOSTILE_H

#include <minios/pvblk.h>

#define CANARY		16u		/* sectors 0..15: a known pattern */
#define WORK_SECTOR	64u		/* where works() writes */
#define BUF_PAGES	4u
#define FLOOD_MS	2000
#define WAIT_MS		5000
#define FEATURES	(PVKIT_BLK_F_FLUSH | PVKIT_BLK_F_FUA | \
			 PVKIT_BLK_F_INDIRECT | PVKIT_BLK_F_DISCARD | \
			 PVKIT_BLK_F_WRITE_ZEROES)

extern struct pvblk blk;
extern bool found;
extern uint8_t *wbuf, *rbuf, *cbuf, *ind;
extern uint64_t next_id;
extern unsigned int breaks;
extern uint8_t gen;

uint64_t gpa(const void *p);
void fill(uint8_t *p, uint64_t sector, uint32_t n, uint8_t g);
bool holds(const uint8_t *p, uint64_t sector, uint32_t n, uint8_t g);
uint32_t dev_state(void);
bool wait_state(uint32_t want, uint64_t ms);
struct pvkit_ring_hdr *req_hdr(void);
struct pvkit_ring_hdr *rsp_hdr(void);
bool push(const struct pvkit_blk_req *req, uint32_t n);
int run_req(struct pvkit_blk_req *req);
bool canary_ok(void);
bool works(void);
bool reconnect(uint64_t features);
bool need_device(void);

/* Cases in pvblkhostile_proto.c. */
void case_segs_without_indirect(void);
void case_segs_above_max(void);
void case_id_twice_one_batch(void);
void case_id_twice_across_batches(void);
void case_ring_index_jumps(void);
void case_rewritten_after_notify(void);
void case_event_index_garbage(void);
void case_notify_flood(void);
void case_ring_full_unread(void);
void case_frontend_after(void);

#endif /* MINIOS_TESTS_PVBLKHOSTILE_H */
