// SPDX-License-Identifier: MIT
/*
 * test=pvhostile, protocol errors on a connected console: ring indices
 * that jump or go backwards, malformed chunks, event index garbage, the
 * port closed under the device, a flood of output, and what a clean
 * frontend sees afterwards.  Each error must put the device in BROKEN
 * and raise its port; DISCONNECT brings it back to CLOSED.  The refused
 * connects and the helpers are in pvhostile.c.
 */
#include <lib/printf.h>
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvcon.h>
#include <minios/pvdev.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include "abi.h"
#include "pvhostile.h"

static struct pvkit_ring_hdr *req_hdr(void)
{
	return ph_rings[0][0];
}

static struct pvkit_console_chunk *req_slot(uint32_t i)
{
	struct pvkit_console_chunk *slots = (void *)((char *)ph_rings[0][0] +
						     PVKIT_RING_SLOTS_OFFSET);

	return &slots[i & ((1u << ph_order) - 1)];
}

static void bad_chunk(uint16_t len, uint16_t pad, uint32_t pad2)
{
	struct pvkit_console_chunk *ch = req_slot(0);

	memset(ch, 0, sizeof(*ch));
	memcpy(ch->data, "bad chunk\n", 10);
	ch->len = len;
	ch->pad = pad;
	ch->pad2 = pad2;
	pvkit_ring_store_release(&req_hdr()->prod, 1);
}

/*
 * Connects properly, lets 'how' break the protocol, notifies, and
 * expects BROKEN, the port raised, CONNECT refused while BROKEN, and
 * DISCONNECT to bring the device back.
 */
static void expect_broken(void (*how)(void), const char *what)
{
	struct pvkit_dev_connect req;
	uint64_t seen;

	ph_build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	seen = ph_events0;
	how();
	EXPECT_EQ(evtchn_send(ph_ports[0]), 0);
	if (!ph_wait_state(PVKIT_DEV_STATE_BROKEN, 2000))
		ktap_fail("%s: device state %u, not BROKEN", what,
			  ph_dev_state());
	else
		ph_breaks++;
	if (!wait_event_until(&ph_events0, seen, monotonic_ns() + NSEC_PER_SEC))
		ktap_fail("%s: port %u not raised", what, ph_ports[0]);
	EXPECT_EQ(hc_dev_connect(&req), -PVKIT_EBUSY);
	EXPECT_TRUE(ph_port_is(ph_ports[0], PVKIT_EVTCHN_STATE_INTERDOMAIN,
			    PVKIT_DOMID_HYPERVISOR));
	EXPECT_EQ(hc_dev_disconnect(ph_dev.index), 0);
	EXPECT_EQ(ph_dev_state(), PVKIT_DEV_STATE_CLOSED);
	EXPECT_TRUE(ph_port0_unbound());
	EXPECT_TRUE(ph_usable());
}

static void prod_jump(void)
{
	pvkit_ring_store_release(&req_hdr()->prod, (1u << ph_order) + 1);
}

static void prod_far_jump(void)
{
	pvkit_ring_store_release(&req_hdr()->prod, 0x80000000u);
}

/* One good chunk consumed, then prod moved back behind cons. */
static void prod_backwards(void)
{
	struct pvkit_ring r = { 0 };

	pvkit_ring_attach(&r, ph_rings[0][0], PAGE_SIZE, ph_order, SLOT, 0);
	if (!ph_put_text(&r, "pvhostile: one good chunk first\n") ||
	    !ph_wait_consumed(req_hdr(), 1))
		ktap_fail("the good chunk was not consumed");
	pvkit_ring_store_release(&req_hdr()->prod, 0);
}

static void chunk_len0(void)
{
	bad_chunk(0, 0, 0);
}

static void chunk_len57(void)
{
	bad_chunk(PVKIT_CONSOLE_CHUNK_DATA + 1, 0, 0);
}

static void chunk_pad(void)
{
	bad_chunk(10, 1, 0);
}

static void chunk_pad2(void)
{
	bad_chunk(10, 0, 0x80000000u);
}

void ph_case_prod_jump(void)
{
	if (!ph_need_device())
		return;
	expect_broken(prod_jump, "prod n+1 ahead");
	expect_broken(prod_far_jump, "prod 2^31 ahead");
	expect_broken(prod_backwards, "prod behind cons");
}

void ph_case_malformed_chunks(void)
{
	if (!ph_need_device())
		return;
	expect_broken(chunk_len0, "chunk len 0");
	expect_broken(chunk_len57, "chunk len 57");
	expect_broken(chunk_pad, "chunk pad");
	expect_broken(chunk_pad2, "chunk pad2");
}

/* Event indices are hints: garbage costs wake-ups, never the device. */
void ph_case_event_index_garbage(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	req_hdr()->prod_event = 0xdeadbeef;
	req_hdr()->cons_event = 0x7fffffff;
	((struct pvkit_ring_hdr *)ph_rings[0][1])->prod_event = 12345;
	((struct pvkit_ring_hdr *)ph_rings[0][1])->cons_event = 0xffffffff;
	pvkit_ring_attach(&r, ph_rings[0][0], PAGE_SIZE, ph_order, SLOT, 0);
	EXPECT_TRUE(ph_put_text(&r, "pvhostile: garbage event indices\n"));
	EXPECT_TRUE(ph_wait_consumed(req_hdr(), 1));
	EXPECT_EQ(ph_dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_EQ(hc_dev_disconnect(ph_dev.index), 0);
	EXPECT_TRUE(ph_usable());
}

void ph_case_close_port_disconnects(void)
{
	struct pvkit_dev_connect req;

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	EXPECT_EQ(evtchn_close(ph_ports[0]), 0);
	EXPECT_TRUE(ph_wait_state(PVKIT_DEV_STATE_CLOSED, 1000));
	EXPECT_TRUE(ph_port_is(ph_ports[0], PVKIT_EVTCHN_STATE_FREE, 0));
	EXPECT_EQ(hc_dev_disconnect(ph_dev.index), 0);
	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0,
					    &ph_ports[0]), 0))
		return;
	evtchn_set_handler(ph_ports[0], ph_on_port0, NULL);
	EXPECT_TRUE(ph_usable());
}

/* Fills every free slot with 112-byte lines, two chunks each. */
static uint32_t flood_fill(struct pvkit_ring *r, uint32_t *seq)
{
	struct pvkit_console_chunk *ch;
	int space = pvkit_ring_prod_space(r, 2);
	uint32_t k;

	if (space < 2)
		return 0;
	space &= ~1;
	for (k = 0; k < (uint32_t)space; k++) {
		ch = pvkit_ring_prod_slot(r, k);
		memset(ch, 0, sizeof(*ch));
		memset(ch->data, 'f', sizeof(ch->data));
		if (k % 2 == 0)
			snprintf((char *)ch->data, 12, "F %08x", (*seq)++);
		else
			ch->data[sizeof(ch->data) - 1] = '\n';
		ch->data[10] = k % 2 ? 'f' : ' ';
		ch->len = sizeof(ch->data);
	}
	pvkit_ring_prod_advance(r, k);
	return k;
}

/* As fast as possible for FLOOD_MS: fill, publish, notify, never wait. */
void ph_case_flood(void)
{
	uint64_t end, sends = 0, chunks = 0;
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };
	uint32_t seq = 0;

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	pvkit_ring_attach(&r, ph_rings[0][0], PAGE_SIZE, ph_order, SLOT, 0);
	end = monotonic_ns() + FLOOD_MS * NSEC_PER_MSEC;
	while (monotonic_ns() < end) {
		chunks += flood_fill(&r, &seq);
		pvkit_ring_prod_publish(&r);
		evtchn_send(ph_ports[0]);
		sends++;
	}
	ktap_diag("pvhostile: flood of %llu chunks (%llu lines) and %llu "
		  "notifications in %u ms",
		  (unsigned long long)chunks, (unsigned long long)seq,
		  (unsigned long long)sends, FLOOD_MS);
	EXPECT_TRUE(ph_wait_consumed(req_hdr(), r.idx));
	EXPECT_EQ(ph_dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_EQ(hc_dev_disconnect(ph_dev.index), 0);
	EXPECT_TRUE(ph_usable());
}

/* The frontend of kernel/pvcon.c, after all of the above. */
void ph_case_frontend_after(void)
{
	static struct pvcon con;
	static const char msg[] = "pvhostile: the frontend works after all\n";

	if (!ph_need_device() || !EXPECT_EQ(pvcon_find(&con), 0))
		return;
	EXPECT_EQ(con.info.state, PVKIT_DEV_STATE_CLOSED);
	if (!EXPECT_EQ(pvcon_connect(&con, pvcon_default_order(&con),
				     PVKIT_CONSOLE_F_INPUT), 0))
		return;
	EXPECT_EQ(pvcon_write(&con, msg, sizeof(msg) - 1), 0);
	EXPECT_EQ(pvcon_flush(&con), 0);
	EXPECT_EQ(pvcon_disconnect(&con), 0);
	ktap_diag("pvhostile: broke the device %u times", ph_breaks);
}

/*
 * Powers off with the device CONNECTED and output still in the ring:
 * the hypervisor must tear the device down with the domain.
 */
void ph_case_left_connected(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };
	uint32_t seq = 0;

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	pvkit_ring_attach(&r, ph_rings[0][0], PAGE_SIZE, ph_order, SLOT, 0);
	flood_fill(&r, &seq);
	pvkit_ring_prod_publish(&r);
	EXPECT_EQ(evtchn_send(ph_ports[0]), 0);
	EXPECT_EQ(ph_dev_state(), PVKIT_DEV_STATE_CONNECTED);
}
