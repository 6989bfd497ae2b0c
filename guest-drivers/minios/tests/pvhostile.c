// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=pvhostile [peer=D]: a frontend that breaks every rule of
 * pvkit/io/device.h and pvkit/io/console.h.  Each case expects the
 * documented error, the device left as it was (CLOSED, its port still
 * unbound for the hypervisor), and a clean connect that carries output
 * afterwards.  The protocol errors (ring indices, malformed chunks) must
 * put the device in BROKEN, raise its port, and come back to CLOSED with
 * DISCONNECT.  peer= names another domain for the port cases.  The
 * program ends with the device still CONNECTED and output in its ring.
 * This file holds the shared helpers, the refused connects and the case
 * list; the protocol errors on a connected device are in
 * pvhostile_proto.c.
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

struct pvkit_dev_info ph_dev;
static unsigned int nr_devs;
static bool found;
uint32_t ph_order;			/* a one-page ring */
void *ph_rings[NQ][2];			/* one page each, req and rsp */
uint32_t ph_ports[NQ];			/* unbound for the hypervisor */
static void *big;			/* room for two max_order rings */
static unsigned int big_pages;		/* pages of one max_order ring */
volatile uint64_t ph_events0;		/* raised on ph_ports[0] */
unsigned int ph_breaks;			/* times the device went BROKEN */

void ph_on_port0(uint32_t port __unused, void *data __unused)
{
	ph_events0++;
}

static uint64_t gpa(const void *p)
{
	return virt_to_gpa(p);
}

/* A valid request over rings[0..nq-1] and ports[0..nq-1], headers fresh. */
void ph_build_req(struct pvkit_dev_connect *req, uint32_t nq)
{
	uint32_t q;

	memset(req, 0, sizeof(*req));
	req->index = ph_dev.index;
	req->nr_queues = nq;
	for (q = 0; q < nq; q++) {
		pvkit_ring_setup(ph_rings[q][0], PAGE_SIZE, ph_order, SLOT, 0);
		pvkit_ring_setup(ph_rings[q][1], PAGE_SIZE, ph_order, SLOT, 0);
		req->queue[q].req_gpa = gpa(ph_rings[q][0]);
		req->queue[q].rsp_gpa = gpa(ph_rings[q][1]);
		req->queue[q].order = ph_order;
		req->queue[q].port = ph_ports[q];
	}
}

uint32_t ph_dev_state(void)
{
	struct pvkit_dev_info info;

	if (pvdev_info(ph_dev.index, &info))
		return ~0u;
	return info.state;
}

bool ph_port_is(uint32_t port, uint32_t state, uint16_t remote)
{
	struct pvkit_evtchn_status st;

	if (evtchn_status(port, &st))
		return false;
	return st.state == state &&
	       (state == PVKIT_EVTCHN_STATE_FREE ||
		state == PVKIT_EVTCHN_STATE_VIRQ || st.remote_dom == remote);
}

bool ph_port0_unbound(void)
{
	return ph_port_is(ph_ports[0], PVKIT_EVTCHN_STATE_UNBOUND,
		       PVKIT_DOMID_HYPERVISOR);
}

/* CONNECT must fail with want and leave the device and port as they were. */
void ph_refused(struct pvkit_dev_connect *req, int64_t want,
		const char *what, uint64_t arg)
{
	int64_t rc = hc_dev_connect(req);

	if (rc != want)
		ktap_fail("%s %#llx: %lld, want %lld", what,
			  (unsigned long long)arg, (long long)rc,
			  (long long)want);
	if (!rc)
		hc_dev_disconnect(ph_dev.index);
	if (ph_dev_state() != PVKIT_DEV_STATE_CLOSED)
		ktap_fail("%s %#llx: device not CLOSED after the refusal", what,
			  (unsigned long long)arg);
	if (!ph_port0_unbound())
		ktap_fail("%s %#llx: port %u changed", what,
			  (unsigned long long)arg, ph_ports[0]);
}

bool ph_wait_state(uint32_t want, uint64_t ms)
{
	uint64_t end = monotonic_ns() + ms * NSEC_PER_MSEC;

	while (ph_dev_state() != want) {
		if (monotonic_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

/* Waits until the backend has consumed up to index want of ring r. */
bool ph_wait_consumed(struct pvkit_ring_hdr *hdr, uint32_t want)
{
	uint64_t end = monotonic_ns() + 5 * NSEC_PER_SEC;

	while (pvkit_ring_load_acquire(&hdr->cons) != want) {
		if (monotonic_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

/* One chunk through ring r, published and notified; false if refused. */
bool ph_put_text(struct pvkit_ring *r, const char *text)
{
	struct pvkit_console_chunk ch;
	size_t n = strlen(text);

	memset(&ch, 0, sizeof(ch));
	ch.len = (uint16_t)(n < sizeof(ch.data) ? n : sizeof(ch.data));
	memcpy(ch.data, text, ch.len);
	if (pvkit_ring_prod_put(r, &ch, 1) != 1)
		return false;
	pvkit_ring_prod_publish(r);
	return !evtchn_send(ph_ports[0]);
}

/*
 * The device still works: a clean connect, one line of output that the
 * backend takes, a disconnect back to CLOSED with the port unbound.
 */
bool ph_usable(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };
	char line[64];
	bool ok;

	ph_build_req(&req, 1);
	if (hc_dev_connect(&req)) {
		ktap_fail("no clean connect after %s", ktap_case_name());
		return false;
	}
	pvkit_ring_attach(&r, ph_rings[0][0], PAGE_SIZE, ph_order, SLOT, 0);
	snprintf(line, sizeof(line), "pvhostile: works after %s\n",
		 ktap_case_name());
	ok = ph_put_text(&r, line) && ph_wait_consumed(ph_rings[0][0], 1);
	ok &= ph_dev_state() == PVKIT_DEV_STATE_CONNECTED;
	ok &= !hc_dev_disconnect(ph_dev.index);
	ok &= ph_dev_state() == PVKIT_DEV_STATE_CLOSED && ph_port0_unbound();
	if (!ok)
		ktap_fail("the device does not work after %s", ktap_case_name());
	return ok;
}

bool ph_need_device(void)
{
	if (!found)
		ktap_fail("no PV console");
	return found;
}

static void case_find_console(void)
{
	struct pvkit_dev_info info;
	unsigned int q;

	if (!EXPECT_EQ(pvdev_find(PVKIT_DEV_CLASS_CONSOLE, &ph_dev), 0))
		return;
	while (nr_devs <= PVKIT_DEV_MAX && !pvdev_info(nr_devs, &info))
		nr_devs++;
	ph_order = PVKIT_DEV_MAX_ORDER;
	while (ph_order > ph_dev.min_order &&
	       pvdev_ring_pages(ph_order, SLOT) > 1)
		ph_order--;
	big_pages = pvdev_ring_pages(ph_dev.max_order, SLOT);
	big = alloc_pages(2 * big_pages);
	for (q = 0; q < NQ; q++) {
		ph_rings[q][0] = alloc_page();
		ph_rings[q][1] = alloc_page();
		if (!ph_rings[q][0] || !ph_rings[q][1] ||
		    evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0,
					 &ph_ports[q]))
			return (void)ktap_fail("out of pages or ports");
	}
	if (!EXPECT_TRUE(big) ||
	    !EXPECT_TRUE(pvdev_ring_pages(ph_order, SLOT) == 1))
		return;
	evtchn_set_handler(ph_ports[0], ph_on_port0, NULL);
	ktap_diag("pvhostile: %u device(s), console %u, queues %u, order "
		  "%u..%u, features %#llx", nr_devs, ph_dev.index,
		  ph_dev.max_queues, ph_dev.min_order, ph_dev.max_order,
		  (unsigned long long)ph_dev.features);
	found = true;
	EXPECT_TRUE(ph_usable());
}

static void case_info_errors(void)
{
	const uint32_t bad[] = { nr_devs, PVKIT_DEV_MAX, 0xffffffffu };
	struct pvkit_dev_info info;
	uint64_t gpas[4];
	unsigned int i, n;

	if (!ph_need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(pvdev_info(bad[i], &info), -PVKIT_ENOENT);
	memset(&info, 0, sizeof(info));
	info.index = ph_dev.index;
	info.pad = 1;
	EXPECT_EQ(hc_dev_info(&info), -PVKIT_EINVAL);
	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas));
	for (i = 0; i < n; i++)
		EXPECT_EQ(hypercall1(PVKIT_HC_DEV_INFO, gpas[i]),
			  -PVKIT_EFAULT);
	EXPECT_EQ(hypercall1(PVKIT_HC_DEV_INFO,
			     abi_straddling_gpa(sizeof(info))), -PVKIT_EFAULT);
	EXPECT_TRUE(ph_usable());
}

static void case_config_errors(void)
{
	uint64_t gpas[4], mem = start_info->mem_bytes;
	struct pvkit_console_config cfg;
	unsigned int i, n;

	if (!ph_need_device())
		return;
	EXPECT_EQ(hc_dev_config(nr_devs, &cfg, sizeof(cfg)), -PVKIT_ENOENT);
	EXPECT_EQ(hc_dev_config(0xffffffffu, &cfg, sizeof(cfg)),
		  -PVKIT_ENOENT);
	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas));
	for (i = 0; i < n; i++)
		EXPECT_EQ(hypercall3(PVKIT_HC_DEV_CONFIG, ph_dev.index, gpas[i],
				     sizeof(cfg)), -PVKIT_EFAULT);
	EXPECT_EQ(hypercall3(PVKIT_HC_DEV_CONFIG, ph_dev.index, mem - 4,
			     sizeof(cfg)), -PVKIT_EFAULT);
	/* Only min(len, config_len) bytes are copied. */
	EXPECT_EQ(hc_dev_config(ph_dev.index, &cfg, 0), 0);
	EXPECT_EQ(hc_dev_config(ph_dev.index, &cfg, 2), 2);
	EXPECT_EQ(hc_dev_config(ph_dev.index, &cfg, ~0ull), ph_dev.config_len);
	EXPECT_TRUE(ph_usable());
}

/* Both rings of queue 0 moved to gpa in turn, or both with 'both'. */
static void refuse_at(uint64_t at, uint32_t ord, int64_t want,
		      const char *what)
{
	struct pvkit_dev_connect req;
	unsigned int which;

	for (which = 0; which < 2; which++) {
		ph_build_req(&req, 1);
		req.queue[0].order = ord;
		/* The other ring of a big order needs room of its own. */
		if (ord != ph_order) {
			req.queue[0].req_gpa = gpa(big);
			req.queue[0].rsp_gpa = gpa(big) +
					       big_pages * PAGE_SIZE;
		}
		if (which)
			req.queue[0].rsp_gpa = at;
		else
			req.queue[0].req_gpa = at;
		ph_refused(&req, want, what, at);
	}
}

static void case_ring_outside_ram(void)
{
	uint64_t mem = start_info->mem_bytes;
	const uint64_t at[] = {
		mem, mem + PAGE_SIZE, 1ull << 40, 0x8000000000ull,
	};
	unsigned int i;

	if (!ph_need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(at); i++)
		refuse_at(at[i], ph_order, -PVKIT_EFAULT, "ring at");
	/* Starts in RAM, ends past it. */
	if (big_pages > 1)
		refuse_at(mem - PAGE_SIZE, ph_dev.max_order, -PVKIT_EFAULT,
			  "big ring over the end at");
	EXPECT_TRUE(ph_usable());
}

static void case_ring_wraps(void)
{
	if (!ph_need_device())
		return;
	refuse_at(0ull - PAGE_SIZE, ph_order, -PVKIT_EFAULT, "ring at");
	refuse_at(0ull - 2 * PAGE_SIZE, ph_dev.max_order, -PVKIT_EFAULT,
		  "big ring at");
	EXPECT_TRUE(ph_usable());
}

static void case_ring_in_mmio(void)
{
	const uint64_t at[] = {
		0xfee00000ull, 0xfec00000ull, 0xfed00000ull, 0xe0000000ull,
		0xc0000000ull, 0xfffff000ull,
	};
	unsigned int i;

	if (!ph_need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(at); i++)
		if (at[i] >= start_info->mem_bytes)
			refuse_at(at[i], ph_order, -PVKIT_EFAULT, "ring at");
	EXPECT_TRUE(ph_usable());
}

static void case_ring_unaligned(void)
{
	const uint64_t off[] = { 8, 64, 0x800, 0xfff };
	unsigned int i;

	if (!ph_need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(off); i++)
		refuse_at(gpa(ph_rings[1][0]) + off[i], ph_order, -PVKIT_EINVAL,
			  "ring at");
	EXPECT_TRUE(ph_usable());
}

static void case_rings_overlap(void)
{
	struct pvkit_dev_connect req;

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	req.queue[0].rsp_gpa = req.queue[0].req_gpa;
	ph_refused(&req, -PVKIT_EBUSY, "rsp on req", req.queue[0].req_gpa);
	if (big_pages > 1) {
		/* Big rings one page apart, and sharing only a last page. */
		req.queue[0].order = ph_dev.max_order;
		req.queue[0].req_gpa = gpa(big);
		req.queue[0].rsp_gpa = gpa(big) + PAGE_SIZE;
		ph_refused(&req, -PVKIT_EBUSY, "big rsp at req +", PAGE_SIZE);
		req.queue[0].rsp_gpa = gpa(big) + (big_pages - 1) * PAGE_SIZE;
		ph_refused(&req, -PVKIT_EBUSY, "big rsp on req's last page",
			req.queue[0].rsp_gpa);
	}
	EXPECT_TRUE(ph_usable());
}

static void case_ring_on_shared_info(void)
{
	uint64_t si = start_info->shared_info_gpa;

	if (!ph_need_device())
		return;
	refuse_at(si, ph_order, -PVKIT_EBUSY, "ring on shared info");
	/* A big ring whose last page is the shared info page. */
	if (big_pages > 1 && si >= (big_pages - 1) * PAGE_SIZE)
		refuse_at(si - (big_pages - 1) * PAGE_SIZE, ph_dev.max_order,
			  -PVKIT_EBUSY, "big ring ending on shared info at");
	EXPECT_TRUE(ph_usable());
}

static void case_ring_on_other_queue(void)
{
	struct pvkit_dev_connect req;

	if (!ph_need_device())
		return;
	if (ph_dev.max_queues < 2)
		return ktap_skip("the console has one queue");
	ph_build_req(&req, 2);
	req.queue[1].rsp_gpa = req.queue[0].req_gpa;
	ph_refused(&req, -PVKIT_EBUSY, "queue 1 on queue 0", 0);
	EXPECT_TRUE(ph_usable());
}

static void case_order_out_of_range(void)
{
	const uint32_t bad[] = {
		ph_dev.max_order + 1u, PVKIT_DEV_MAX_ORDER + 1,
		PVKIT_RING_MAX_ORDER + 1, 31, 32, 63, 64, 0xffffffffu,
	};
	struct pvkit_dev_connect req;
	unsigned int i;

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		req.queue[0].order = bad[i];
		ph_refused(&req, -PVKIT_EINVAL, "order", bad[i]);
	}
	if (ph_dev.min_order) {
		req.queue[0].order = 0;
		ph_refused(&req, -PVKIT_EINVAL, "order", 0);
		req.queue[0].order = ph_dev.min_order - 1u;
		ph_refused(&req, -PVKIT_EINVAL, "order", ph_dev.min_order - 1u);
	}
	EXPECT_TRUE(ph_usable());
}

static void case_nr_queues(void)
{
	const uint32_t bad[] = { 0, NQ + 1, 0x80000000u, 0xffffffffu };
	struct pvkit_dev_connect req;
	unsigned int i;

	if (!ph_need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ph_build_req(&req, 1);
		req.nr_queues = bad[i];
		ph_refused(&req, -PVKIT_EINVAL, "nr_queues", bad[i]);
	}
	/* One more than offered, every queue valid on its own. */
	if (ph_dev.max_queues < NQ) {
		ph_build_req(&req, ph_dev.max_queues + 1u);
		ph_refused(&req, -PVKIT_EINVAL, "nr_queues", req.nr_queues);
	}
	EXPECT_TRUE(ph_usable());
}

static void case_features_not_offered(void)
{
	struct pvkit_dev_connect req;
	unsigned int bit;

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	for (bit = 0; bit < 64; bit++) {
		if (ph_dev.features & (1ull << bit))
			continue;
		req.features = ph_dev.features | (1ull << bit);
		ph_refused(&req, -PVKIT_EINVAL, "features", req.features);
	}
	EXPECT_TRUE(ph_usable());
}

/* The unused queue entries are the request's padding. */
static void case_unused_queue_nonzero(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_dev_queue *dq;
	unsigned int q, field;

	if (!ph_need_device())
		return;
	for (q = 1; q < NQ; q++) {
		for (field = 0; field < 4; field++) {
			ph_build_req(&req, 1);
			dq = &req.queue[q];
			if (field == 0)
				dq->req_gpa = gpa(ph_rings[q][0]);
			else if (field == 1)
				dq->rsp_gpa = gpa(ph_rings[q][1]);
			else if (field == 2)
				dq->order = ph_order;
			else
				dq->port = ph_ports[q];
			ph_refused(&req, -PVKIT_EINVAL, "unused queue.field",
				q * 16 + field);
		}
	}
	EXPECT_TRUE(ph_usable());
}

static void refuse_port(uint32_t port, const char *what)
{
	struct pvkit_dev_connect req;

	ph_build_req(&req, 1);
	req.queue[0].port = port;
	ph_refused(&req, -PVKIT_EINVAL, what, port);
}

static void case_port_not_for_hypervisor(void)
{
	const uint32_t bad[] = { 0, PVKIT_EVTCHN_PORTS, 0xffffffffu };
	uint32_t self, a, b, freed;
	unsigned int i;

	if (!ph_need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		refuse_port(bad[i], "port");
	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &self), 0))
		return;
	refuse_port(self, "port unbound for self");
	EXPECT_TRUE(ph_port_is(self, PVKIT_EVTCHN_STATE_UNBOUND,
			    start_info->domid));
	refuse_port(timer_port, "VIRQ port");
	EXPECT_TRUE(ph_port_is(timer_port, PVKIT_EVTCHN_STATE_VIRQ, 0));
	if (EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, self, &b), 0)) {
		a = self;
		refuse_port(a, "loopback port");
		refuse_port(b, "loopback port");
		EXPECT_TRUE(ph_port_is(b, PVKIT_EVTCHN_STATE_INTERDOMAIN,
				    start_info->domid));
		evtchn_close(b);
	}
	evtchn_close(self);
	if (EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0,
					   &freed), 0)) {
		evtchn_close(freed);
		refuse_port(freed, "closed port");
		EXPECT_TRUE(ph_port_is(freed, PVKIT_EVTCHN_STATE_FREE, 0));
	}
	EXPECT_TRUE(ph_usable());
}

static void case_other_domain_port(void)
{
	uint64_t peer = cmdline_get_u64("peer", 0);
	uint32_t port, high = PVKIT_EVTCHN_PORTS - 1;

	if (!ph_need_device())
		return;
	/* A number that is FREE here, whatever it is elsewhere. */
	if (EXPECT_TRUE(ph_port_is(high, PVKIT_EVTCHN_STATE_FREE, 0)))
		refuse_port(high, "port free here");
	if (!peer || peer == start_info->domid) {
		ktap_skip("no peer= domain on the command line");
		return;
	}
	if (!EXPECT_EQ(evtchn_alloc_unbound((uint16_t)peer, 0, &port), 0))
		return;
	refuse_port(port, "port unbound for the peer");
	EXPECT_TRUE(ph_port_is(port, PVKIT_EVTCHN_STATE_UNBOUND,
			    (uint16_t)peer));
	evtchn_close(port);
	EXPECT_TRUE(ph_usable());
}

static void case_same_port_twice(void)
{
	struct pvkit_dev_connect req;

	if (!ph_need_device())
		return;
	if (ph_dev.max_queues < 2)
		return ktap_skip("the console has one queue");
	ph_build_req(&req, 2);
	req.queue[1].port = req.queue[0].port;
	ph_refused(&req, -PVKIT_EINVAL, "port twice", req.queue[0].port);
	EXPECT_TRUE(ph_usable());
}

static void case_connect_twice(void)
{
	struct pvkit_dev_connect req, other;
	struct pvkit_dev_info info;

	if (!ph_need_device())
		return;
	ph_build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	EXPECT_EQ(hc_dev_connect(&req), -PVKIT_EBUSY);
	/* Wholly different rings and port: still busy. */
	memset(&other, 0, sizeof(other));
	other.index = ph_dev.index;
	other.nr_queues = 1;
	other.queue[0].req_gpa = gpa(ph_rings[1][0]);
	other.queue[0].rsp_gpa = gpa(ph_rings[1][1]);
	other.queue[0].order = ph_order;
	other.queue[0].port = ph_ports[1];
	EXPECT_EQ(hc_dev_connect(&other), -PVKIT_EBUSY);
	EXPECT_EQ(pvdev_info(ph_dev.index, &info), 0);
	EXPECT_EQ(info.state, PVKIT_DEV_STATE_CONNECTED);
	EXPECT_TRUE(ph_port_is(ph_ports[0], PVKIT_EVTCHN_STATE_INTERDOMAIN,
			    PVKIT_DOMID_HYPERVISOR));
	EXPECT_TRUE(ph_port_is(ph_ports[1], PVKIT_EVTCHN_STATE_UNBOUND,
			    PVKIT_DOMID_HYPERVISOR));
	EXPECT_EQ(hc_dev_disconnect(ph_dev.index), 0);
	EXPECT_EQ(ph_dev_state(), PVKIT_DEV_STATE_CLOSED);
	EXPECT_TRUE(ph_port0_unbound());
	EXPECT_TRUE(ph_usable());
}

static void case_disconnect_errors(void)
{
	if (!ph_need_device())
		return;
	EXPECT_EQ(hc_dev_disconnect(nr_devs), -PVKIT_ENOENT);
	EXPECT_EQ(hc_dev_disconnect(0xffffffffu), -PVKIT_ENOENT);
	EXPECT_EQ(hc_dev_disconnect(ph_dev.index), 0);
	EXPECT_EQ(ph_dev_state(), PVKIT_DEV_STATE_CLOSED);
	EXPECT_TRUE(ph_usable());
}

#define CASE(name)	{ #name, case_##name }
#define PH_CASE(name)	{ #name, ph_case_##name }

static const struct ktap_case cases[] = {
	CASE(find_console),
	CASE(info_errors),
	CASE(config_errors),
	CASE(ring_outside_ram),
	CASE(ring_wraps),
	CASE(ring_in_mmio),
	CASE(ring_unaligned),
	CASE(rings_overlap),
	CASE(ring_on_shared_info),
	CASE(ring_on_other_queue),
	CASE(order_out_of_range),
	CASE(nr_queues),
	CASE(features_not_offered),
	CASE(unused_queue_nonzero),
	CASE(port_not_for_hypervisor),
	CASE(other_domain_port),
	CASE(same_port_twice),
	CASE(connect_twice),
	CASE(disconnect_errors),
	PH_CASE(prod_jump),
	PH_CASE(malformed_chunks),
	PH_CASE(event_index_garbage),
	PH_CASE(close_port_disconnects),
	PH_CASE(flood),
	PH_CASE(frontend_after),
	PH_CASE(left_connected),
};

void __noreturn test_pvhostile(void)
{
	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}
