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

#define SLOT		((uint32_t)sizeof(struct pvkit_console_chunk))
#define NQ		PVKIT_DEV_MAX_QUEUES
#define FLOOD_MS	2000

static struct pvkit_dev_info dev;
static unsigned int nr_devs;
static bool found;
static uint32_t order;			/* a one-page ring */
static void *rings[NQ][2];		/* one page each, req and rsp */
static uint32_t ports[NQ];		/* unbound for the hypervisor */
static void *big;			/* room for two max_order rings */
static unsigned int big_pages;		/* pages of one max_order ring */
static volatile uint64_t events0;	/* raised on ports[0] */
static unsigned int breaks;		/* times the device went BROKEN */

static void on_port0(uint32_t port __unused, void *data __unused)
{
	events0++;
}

static uint64_t gpa(const void *p)
{
	return virt_to_gpa(p);
}

/* A valid request over rings[0..nq-1] and ports[0..nq-1], headers fresh. */
static void build_req(struct pvkit_dev_connect *req, uint32_t nq)
{
	uint32_t q;

	memset(req, 0, sizeof(*req));
	req->index = dev.index;
	req->nr_queues = nq;
	for (q = 0; q < nq; q++) {
		pvkit_ring_setup(rings[q][0], PAGE_SIZE, order, SLOT, 0);
		pvkit_ring_setup(rings[q][1], PAGE_SIZE, order, SLOT, 0);
		req->queue[q].req_gpa = gpa(rings[q][0]);
		req->queue[q].rsp_gpa = gpa(rings[q][1]);
		req->queue[q].order = order;
		req->queue[q].port = ports[q];
	}
}

static uint32_t dev_state(void)
{
	struct pvkit_dev_info info;

	if (pvdev_info(dev.index, &info))
		return ~0u;
	return info.state;
}

static bool port_is(uint32_t port, uint32_t state, uint16_t remote)
{
	struct pvkit_evtchn_status st;

	if (evtchn_status(port, &st))
		return false;
	return st.state == state &&
	       (state == PVKIT_EVTCHN_STATE_FREE ||
		state == PVKIT_EVTCHN_STATE_VIRQ || st.remote_dom == remote);
}

static bool port0_unbound(void)
{
	return port_is(ports[0], PVKIT_EVTCHN_STATE_UNBOUND,
		       PVKIT_DOMID_HYPERVISOR);
}

/* CONNECT must fail with want and leave the device and port as they were. */
static void refused(struct pvkit_dev_connect *req, int64_t want,
		    const char *what, uint64_t arg)
{
	int64_t rc = hc_dev_connect(req);

	if (rc != want)
		ktap_fail("%s %#llx: %lld, want %lld", what,
			  (unsigned long long)arg, (long long)rc,
			  (long long)want);
	if (!rc)
		hc_dev_disconnect(dev.index);
	if (dev_state() != PVKIT_DEV_STATE_CLOSED)
		ktap_fail("%s %#llx: device not CLOSED after the refusal", what,
			  (unsigned long long)arg);
	if (!port0_unbound())
		ktap_fail("%s %#llx: port %u changed", what,
			  (unsigned long long)arg, ports[0]);
}

static bool wait_state(uint32_t want, uint64_t ms)
{
	uint64_t end = monotonic_ns() + ms * NSEC_PER_MSEC;

	while (dev_state() != want) {
		if (monotonic_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

/* Waits until the backend has consumed up to index want of ring r. */
static bool wait_consumed(struct pvkit_ring_hdr *hdr, uint32_t want)
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
static bool put_text(struct pvkit_ring *r, const char *text)
{
	struct pvkit_console_chunk ch;
	size_t n = strlen(text);

	memset(&ch, 0, sizeof(ch));
	ch.len = (uint16_t)(n < sizeof(ch.data) ? n : sizeof(ch.data));
	memcpy(ch.data, text, ch.len);
	if (pvkit_ring_prod_put(r, &ch, 1) != 1)
		return false;
	pvkit_ring_prod_publish(r);
	return !evtchn_send(ports[0]);
}

/*
 * The device still works: a clean connect, one line of output that the
 * backend takes, a disconnect back to CLOSED with the port unbound.
 */
static bool usable(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };
	char line[64];
	bool ok;

	build_req(&req, 1);
	if (hc_dev_connect(&req)) {
		ktap_fail("no clean connect after %s", ktap_case_name());
		return false;
	}
	pvkit_ring_attach(&r, rings[0][0], PAGE_SIZE, order, SLOT, 0);
	snprintf(line, sizeof(line), "pvhostile: works after %s\n",
		 ktap_case_name());
	ok = put_text(&r, line) && wait_consumed(rings[0][0], 1);
	ok &= dev_state() == PVKIT_DEV_STATE_CONNECTED;
	ok &= !hc_dev_disconnect(dev.index);
	ok &= dev_state() == PVKIT_DEV_STATE_CLOSED && port0_unbound();
	if (!ok)
		ktap_fail("the device does not work after %s", ktap_case_name());
	return ok;
}

static bool need_device(void)
{
	if (!found)
		ktap_fail("no PV console");
	return found;
}

static void case_find_console(void)
{
	struct pvkit_dev_info info;
	unsigned int q;

	if (!EXPECT_EQ(pvdev_find(PVKIT_DEV_CLASS_CONSOLE, &dev), 0))
		return;
	while (nr_devs <= PVKIT_DEV_MAX && !pvdev_info(nr_devs, &info))
		nr_devs++;
	order = PVKIT_DEV_MAX_ORDER;
	while (order > dev.min_order && pvdev_ring_pages(order, SLOT) > 1)
		order--;
	big_pages = pvdev_ring_pages(dev.max_order, SLOT);
	big = alloc_pages(2 * big_pages);
	for (q = 0; q < NQ; q++) {
		rings[q][0] = alloc_page();
		rings[q][1] = alloc_page();
		if (!rings[q][0] || !rings[q][1] ||
		    evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0, &ports[q]))
			return (void)ktap_fail("out of pages or ports");
	}
	if (!EXPECT_TRUE(big) ||
	    !EXPECT_TRUE(pvdev_ring_pages(order, SLOT) == 1))
		return;
	evtchn_set_handler(ports[0], on_port0, NULL);
	ktap_diag("pvhostile: %u device(s), console %u, queues %u, order "
		  "%u..%u, features %#llx", nr_devs, dev.index, dev.max_queues,
		  dev.min_order, dev.max_order,
		  (unsigned long long)dev.features);
	found = true;
	EXPECT_TRUE(usable());
}

static void case_info_errors(void)
{
	const uint32_t bad[] = { nr_devs, PVKIT_DEV_MAX, 0xffffffffu };
	struct pvkit_dev_info info;
	uint64_t gpas[4];
	unsigned int i, n;

	if (!need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(pvdev_info(bad[i], &info), -PVKIT_ENOENT);
	memset(&info, 0, sizeof(info));
	info.index = dev.index;
	info.pad = 1;
	EXPECT_EQ(hc_dev_info(&info), -PVKIT_EINVAL);
	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas));
	for (i = 0; i < n; i++)
		EXPECT_EQ(hypercall1(PVKIT_HC_DEV_INFO, gpas[i]),
			  -PVKIT_EFAULT);
	EXPECT_EQ(hypercall1(PVKIT_HC_DEV_INFO,
			     abi_straddling_gpa(sizeof(info))), -PVKIT_EFAULT);
	EXPECT_TRUE(usable());
}

static void case_config_errors(void)
{
	uint64_t gpas[4], mem = start_info->mem_bytes;
	struct pvkit_console_config cfg;
	unsigned int i, n;

	if (!need_device())
		return;
	EXPECT_EQ(hc_dev_config(nr_devs, &cfg, sizeof(cfg)), -PVKIT_ENOENT);
	EXPECT_EQ(hc_dev_config(0xffffffffu, &cfg, sizeof(cfg)),
		  -PVKIT_ENOENT);
	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas));
	for (i = 0; i < n; i++)
		EXPECT_EQ(hypercall3(PVKIT_HC_DEV_CONFIG, dev.index, gpas[i],
				     sizeof(cfg)), -PVKIT_EFAULT);
	EXPECT_EQ(hypercall3(PVKIT_HC_DEV_CONFIG, dev.index, mem - 4,
			     sizeof(cfg)), -PVKIT_EFAULT);
	/* Only min(len, config_len) bytes are copied. */
	EXPECT_EQ(hc_dev_config(dev.index, &cfg, 0), 0);
	EXPECT_EQ(hc_dev_config(dev.index, &cfg, 2), 2);
	EXPECT_EQ(hc_dev_config(dev.index, &cfg, ~0ull), dev.config_len);
	EXPECT_TRUE(usable());
}

/* Both rings of queue 0 moved to gpa in turn, or both with 'both'. */
static void refuse_at(uint64_t at, uint32_t ord, int64_t want,
		      const char *what)
{
	struct pvkit_dev_connect req;
	unsigned int which;

	for (which = 0; which < 2; which++) {
		build_req(&req, 1);
		req.queue[0].order = ord;
		/* The other ring of a big order needs room of its own. */
		if (ord != order) {
			req.queue[0].req_gpa = gpa(big);
			req.queue[0].rsp_gpa = gpa(big) +
					       big_pages * PAGE_SIZE;
		}
		if (which)
			req.queue[0].rsp_gpa = at;
		else
			req.queue[0].req_gpa = at;
		refused(&req, want, what, at);
	}
}

static void case_ring_outside_ram(void)
{
	uint64_t mem = start_info->mem_bytes;
	const uint64_t at[] = {
		mem, mem + PAGE_SIZE, 1ull << 40, 0x8000000000ull,
	};
	unsigned int i;

	if (!need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(at); i++)
		refuse_at(at[i], order, -PVKIT_EFAULT, "ring at");
	/* Starts in RAM, ends past it. */
	if (big_pages > 1)
		refuse_at(mem - PAGE_SIZE, dev.max_order, -PVKIT_EFAULT,
			  "big ring over the end at");
	EXPECT_TRUE(usable());
}

static void case_ring_wraps(void)
{
	if (!need_device())
		return;
	refuse_at(0ull - PAGE_SIZE, order, -PVKIT_EFAULT, "ring at");
	refuse_at(0ull - 2 * PAGE_SIZE, dev.max_order, -PVKIT_EFAULT,
		  "big ring at");
	EXPECT_TRUE(usable());
}

static void case_ring_in_mmio(void)
{
	const uint64_t at[] = {
		0xfee00000ull, 0xfec00000ull, 0xfed00000ull, 0xe0000000ull,
		0xc0000000ull, 0xfffff000ull,
	};
	unsigned int i;

	if (!need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(at); i++)
		if (at[i] >= start_info->mem_bytes)
			refuse_at(at[i], order, -PVKIT_EFAULT, "ring at");
	EXPECT_TRUE(usable());
}

static void case_ring_unaligned(void)
{
	const uint64_t off[] = { 8, 64, 0x800, 0xfff };
	unsigned int i;

	if (!need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(off); i++)
		refuse_at(gpa(rings[1][0]) + off[i], order, -PVKIT_EINVAL,
			  "ring at");
	EXPECT_TRUE(usable());
}

static void case_rings_overlap(void)
{
	struct pvkit_dev_connect req;

	if (!need_device())
		return;
	build_req(&req, 1);
	req.queue[0].rsp_gpa = req.queue[0].req_gpa;
	refused(&req, -PVKIT_EBUSY, "rsp on req", req.queue[0].req_gpa);
	if (big_pages > 1) {
		/* Big rings one page apart, and sharing only a last page. */
		req.queue[0].order = dev.max_order;
		req.queue[0].req_gpa = gpa(big);
		req.queue[0].rsp_gpa = gpa(big) + PAGE_SIZE;
		refused(&req, -PVKIT_EBUSY, "big rsp at req +", PAGE_SIZE);
		req.queue[0].rsp_gpa = gpa(big) + (big_pages - 1) * PAGE_SIZE;
		refused(&req, -PVKIT_EBUSY, "big rsp on req's last page",
			req.queue[0].rsp_gpa);
	}
	EXPECT_TRUE(usable());
}

static void case_ring_on_shared_info(void)
{
	uint64_t si = start_info->shared_info_gpa;

	if (!need_device())
		return;
	refuse_at(si, order, -PVKIT_EBUSY, "ring on shared info");
	/* A big ring whose last page is the shared info page. */
	if (big_pages > 1 && si >= (big_pages - 1) * PAGE_SIZE)
		refuse_at(si - (big_pages - 1) * PAGE_SIZE, dev.max_order,
			  -PVKIT_EBUSY, "big ring ending on shared info at");
	EXPECT_TRUE(usable());
}

static void case_ring_on_other_queue(void)
{
	struct pvkit_dev_connect req;

	if (!need_device())
		return;
	if (dev.max_queues < 2)
		return ktap_skip("the console has one queue");
	build_req(&req, 2);
	req.queue[1].rsp_gpa = req.queue[0].req_gpa;
	refused(&req, -PVKIT_EBUSY, "queue 1 on queue 0", 0);
	EXPECT_TRUE(usable());
}

static void case_order_out_of_range(void)
{
	const uint32_t bad[] = {
		dev.max_order + 1u, PVKIT_DEV_MAX_ORDER + 1,
		PVKIT_RING_MAX_ORDER + 1, 31, 32, 63, 64, 0xffffffffu,
	};
	struct pvkit_dev_connect req;
	unsigned int i;

	if (!need_device())
		return;
	build_req(&req, 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		req.queue[0].order = bad[i];
		refused(&req, -PVKIT_EINVAL, "order", bad[i]);
	}
	if (dev.min_order) {
		req.queue[0].order = 0;
		refused(&req, -PVKIT_EINVAL, "order", 0);
		req.queue[0].order = dev.min_order - 1u;
		refused(&req, -PVKIT_EINVAL, "order", dev.min_order - 1u);
	}
	EXPECT_TRUE(usable());
}

static void case_nr_queues(void)
{
	const uint32_t bad[] = { 0, NQ + 1, 0x80000000u, 0xffffffffu };
	struct pvkit_dev_connect req;
	unsigned int i;

	if (!need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		build_req(&req, 1);
		req.nr_queues = bad[i];
		refused(&req, -PVKIT_EINVAL, "nr_queues", bad[i]);
	}
	/* One more than offered, every queue valid on its own. */
	if (dev.max_queues < NQ) {
		build_req(&req, dev.max_queues + 1u);
		refused(&req, -PVKIT_EINVAL, "nr_queues", req.nr_queues);
	}
	EXPECT_TRUE(usable());
}

static void case_features_not_offered(void)
{
	struct pvkit_dev_connect req;
	unsigned int bit;

	if (!need_device())
		return;
	build_req(&req, 1);
	for (bit = 0; bit < 64; bit++) {
		if (dev.features & (1ull << bit))
			continue;
		req.features = dev.features | (1ull << bit);
		refused(&req, -PVKIT_EINVAL, "features", req.features);
	}
	EXPECT_TRUE(usable());
}

/* The unused queue entries are the request's padding. */
static void case_unused_queue_nonzero(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_dev_queue *dq;
	unsigned int q, field;

	if (!need_device())
		return;
	for (q = 1; q < NQ; q++) {
		for (field = 0; field < 4; field++) {
			build_req(&req, 1);
			dq = &req.queue[q];
			if (field == 0)
				dq->req_gpa = gpa(rings[q][0]);
			else if (field == 1)
				dq->rsp_gpa = gpa(rings[q][1]);
			else if (field == 2)
				dq->order = order;
			else
				dq->port = ports[q];
			refused(&req, -PVKIT_EINVAL, "unused queue.field",
				q * 16 + field);
		}
	}
	EXPECT_TRUE(usable());
}

static void refuse_port(uint32_t port, const char *what)
{
	struct pvkit_dev_connect req;

	build_req(&req, 1);
	req.queue[0].port = port;
	refused(&req, -PVKIT_EINVAL, what, port);
}

static void case_port_not_for_hypervisor(void)
{
	const uint32_t bad[] = { 0, PVKIT_EVTCHN_PORTS, 0xffffffffu };
	uint32_t self, a, b, freed;
	unsigned int i;

	if (!need_device())
		return;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		refuse_port(bad[i], "port");
	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &self), 0))
		return;
	refuse_port(self, "port unbound for self");
	EXPECT_TRUE(port_is(self, PVKIT_EVTCHN_STATE_UNBOUND,
			    start_info->domid));
	refuse_port(timer_port, "VIRQ port");
	EXPECT_TRUE(port_is(timer_port, PVKIT_EVTCHN_STATE_VIRQ, 0));
	if (EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, self, &b), 0)) {
		a = self;
		refuse_port(a, "loopback port");
		refuse_port(b, "loopback port");
		EXPECT_TRUE(port_is(b, PVKIT_EVTCHN_STATE_INTERDOMAIN,
				    start_info->domid));
		evtchn_close(b);
	}
	evtchn_close(self);
	if (EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0,
					   &freed), 0)) {
		evtchn_close(freed);
		refuse_port(freed, "closed port");
		EXPECT_TRUE(port_is(freed, PVKIT_EVTCHN_STATE_FREE, 0));
	}
	EXPECT_TRUE(usable());
}

static void case_other_domain_port(void)
{
	uint64_t peer = cmdline_get_u64("peer", 0);
	uint32_t port, high = PVKIT_EVTCHN_PORTS - 1;

	if (!need_device())
		return;
	/* A number that is FREE here, whatever it is elsewhere. */
	if (EXPECT_TRUE(port_is(high, PVKIT_EVTCHN_STATE_FREE, 0)))
		refuse_port(high, "port free here");
	if (!peer || peer == start_info->domid) {
		ktap_skip("no peer= domain on the command line");
		return;
	}
	if (!EXPECT_EQ(evtchn_alloc_unbound((uint16_t)peer, 0, &port), 0))
		return;
	refuse_port(port, "port unbound for the peer");
	EXPECT_TRUE(port_is(port, PVKIT_EVTCHN_STATE_UNBOUND,
			    (uint16_t)peer));
	evtchn_close(port);
	EXPECT_TRUE(usable());
}

static void case_same_port_twice(void)
{
	struct pvkit_dev_connect req;

	if (!need_device())
		return;
	if (dev.max_queues < 2)
		return ktap_skip("the console has one queue");
	build_req(&req, 2);
	req.queue[1].port = req.queue[0].port;
	refused(&req, -PVKIT_EINVAL, "port twice", req.queue[0].port);
	EXPECT_TRUE(usable());
}

static void case_connect_twice(void)
{
	struct pvkit_dev_connect req, other;
	struct pvkit_dev_info info;

	if (!need_device())
		return;
	build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	EXPECT_EQ(hc_dev_connect(&req), -PVKIT_EBUSY);
	/* Wholly different rings and port: still busy. */
	memset(&other, 0, sizeof(other));
	other.index = dev.index;
	other.nr_queues = 1;
	other.queue[0].req_gpa = gpa(rings[1][0]);
	other.queue[0].rsp_gpa = gpa(rings[1][1]);
	other.queue[0].order = order;
	other.queue[0].port = ports[1];
	EXPECT_EQ(hc_dev_connect(&other), -PVKIT_EBUSY);
	EXPECT_EQ(pvdev_info(dev.index, &info), 0);
	EXPECT_EQ(info.state, PVKIT_DEV_STATE_CONNECTED);
	EXPECT_TRUE(port_is(ports[0], PVKIT_EVTCHN_STATE_INTERDOMAIN,
			    PVKIT_DOMID_HYPERVISOR));
	EXPECT_TRUE(port_is(ports[1], PVKIT_EVTCHN_STATE_UNBOUND,
			    PVKIT_DOMID_HYPERVISOR));
	EXPECT_EQ(hc_dev_disconnect(dev.index), 0);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CLOSED);
	EXPECT_TRUE(port0_unbound());
	EXPECT_TRUE(usable());
}

static void case_disconnect_errors(void)
{
	if (!need_device())
		return;
	EXPECT_EQ(hc_dev_disconnect(nr_devs), -PVKIT_ENOENT);
	EXPECT_EQ(hc_dev_disconnect(0xffffffffu), -PVKIT_ENOENT);
	EXPECT_EQ(hc_dev_disconnect(dev.index), 0);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CLOSED);
	EXPECT_TRUE(usable());
}

/* ---- protocol errors on a connected device ---- */

static struct pvkit_ring_hdr *req_hdr(void)
{
	return rings[0][0];
}

static struct pvkit_console_chunk *req_slot(uint32_t i)
{
	struct pvkit_console_chunk *slots = (void *)((char *)rings[0][0] +
						     PVKIT_RING_SLOTS_OFFSET);

	return &slots[i & ((1u << order) - 1)];
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

	build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	seen = events0;
	how();
	EXPECT_EQ(evtchn_send(ports[0]), 0);
	if (!wait_state(PVKIT_DEV_STATE_BROKEN, 2000))
		ktap_fail("%s: device state %u, not BROKEN", what, dev_state());
	else
		breaks++;
	if (!wait_event_until(&events0, seen, monotonic_ns() + NSEC_PER_SEC))
		ktap_fail("%s: port %u not raised", what, ports[0]);
	EXPECT_EQ(hc_dev_connect(&req), -PVKIT_EBUSY);
	EXPECT_TRUE(port_is(ports[0], PVKIT_EVTCHN_STATE_INTERDOMAIN,
			    PVKIT_DOMID_HYPERVISOR));
	EXPECT_EQ(hc_dev_disconnect(dev.index), 0);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CLOSED);
	EXPECT_TRUE(port0_unbound());
	EXPECT_TRUE(usable());
}

static void prod_jump(void)
{
	pvkit_ring_store_release(&req_hdr()->prod, (1u << order) + 1);
}

static void prod_far_jump(void)
{
	pvkit_ring_store_release(&req_hdr()->prod, 0x80000000u);
}

/* One good chunk consumed, then prod moved back behind cons. */
static void prod_backwards(void)
{
	struct pvkit_ring r = { 0 };

	pvkit_ring_attach(&r, rings[0][0], PAGE_SIZE, order, SLOT, 0);
	if (!put_text(&r, "pvhostile: one good chunk first\n") ||
	    !wait_consumed(req_hdr(), 1))
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

static void case_prod_jump(void)
{
	if (!need_device())
		return;
	expect_broken(prod_jump, "prod n+1 ahead");
	expect_broken(prod_far_jump, "prod 2^31 ahead");
	expect_broken(prod_backwards, "prod behind cons");
}

static void case_malformed_chunks(void)
{
	if (!need_device())
		return;
	expect_broken(chunk_len0, "chunk len 0");
	expect_broken(chunk_len57, "chunk len 57");
	expect_broken(chunk_pad, "chunk pad");
	expect_broken(chunk_pad2, "chunk pad2");
}

/* Event indices are hints: garbage costs wake-ups, never the device. */
static void case_event_index_garbage(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };

	if (!need_device())
		return;
	build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	req_hdr()->prod_event = 0xdeadbeef;
	req_hdr()->cons_event = 0x7fffffff;
	((struct pvkit_ring_hdr *)rings[0][1])->prod_event = 12345;
	((struct pvkit_ring_hdr *)rings[0][1])->cons_event = 0xffffffff;
	pvkit_ring_attach(&r, rings[0][0], PAGE_SIZE, order, SLOT, 0);
	EXPECT_TRUE(put_text(&r, "pvhostile: garbage event indices\n"));
	EXPECT_TRUE(wait_consumed(req_hdr(), 1));
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_EQ(hc_dev_disconnect(dev.index), 0);
	EXPECT_TRUE(usable());
}

static void case_close_port_disconnects(void)
{
	struct pvkit_dev_connect req;

	if (!need_device())
		return;
	build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	EXPECT_EQ(evtchn_close(ports[0]), 0);
	EXPECT_TRUE(wait_state(PVKIT_DEV_STATE_CLOSED, 1000));
	EXPECT_TRUE(port_is(ports[0], PVKIT_EVTCHN_STATE_FREE, 0));
	EXPECT_EQ(hc_dev_disconnect(dev.index), 0);
	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0,
					    &ports[0]), 0))
		return;
	evtchn_set_handler(ports[0], on_port0, NULL);
	EXPECT_TRUE(usable());
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
static void case_flood(void)
{
	uint64_t end, sends = 0, chunks = 0;
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };
	uint32_t seq = 0;

	if (!need_device())
		return;
	build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	pvkit_ring_attach(&r, rings[0][0], PAGE_SIZE, order, SLOT, 0);
	end = monotonic_ns() + FLOOD_MS * NSEC_PER_MSEC;
	while (monotonic_ns() < end) {
		chunks += flood_fill(&r, &seq);
		pvkit_ring_prod_publish(&r);
		evtchn_send(ports[0]);
		sends++;
	}
	ktap_diag("pvhostile: flood of %llu chunks (%llu lines) and %llu "
		  "notifications in %u ms",
		  (unsigned long long)chunks, (unsigned long long)seq,
		  (unsigned long long)sends, FLOOD_MS);
	EXPECT_TRUE(wait_consumed(req_hdr(), r.idx));
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_EQ(hc_dev_disconnect(dev.index), 0);
	EXPECT_TRUE(usable());
}

/* The frontend of kernel/pvcon.c, after all of the above. */
static void case_frontend_after(void)
{
	static struct pvcon con;
	static const char msg[] = "pvhostile: the frontend works after all\n";

	if (!need_device() || !EXPECT_EQ(pvcon_find(&con), 0))
		return;
	EXPECT_EQ(con.info.state, PVKIT_DEV_STATE_CLOSED);
	if (!EXPECT_EQ(pvcon_connect(&con, pvcon_default_order(&con),
				     PVKIT_CONSOLE_F_INPUT), 0))
		return;
	EXPECT_EQ(pvcon_write(&con, msg, sizeof(msg) - 1), 0);
	EXPECT_EQ(pvcon_flush(&con), 0);
	EXPECT_EQ(pvcon_disconnect(&con), 0);
	ktap_diag("pvhostile: broke the device %u times", breaks);
}

/*
 * Powers off with the device CONNECTED and output still in the ring:
 * the hypervisor must tear the device down with the domain.
 */
static void case_left_connected(void)
{
	struct pvkit_dev_connect req;
	struct pvkit_ring r = { 0 };
	uint32_t seq = 0;

	if (!need_device())
		return;
	build_req(&req, 1);
	if (!EXPECT_EQ(hc_dev_connect(&req), 0))
		return;
	pvkit_ring_attach(&r, rings[0][0], PAGE_SIZE, order, SLOT, 0);
	flood_fill(&r, &seq);
	pvkit_ring_prod_publish(&r);
	EXPECT_EQ(evtchn_send(ports[0]), 0);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CONNECTED);
}

#define CASE(name)	{ #name, case_##name }

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
	CASE(prod_jump),
	CASE(malformed_chunks),
	CASE(event_index_garbage),
	CASE(close_port_disconnects),
	CASE(flood),
	CASE(frontend_after),
	CASE(left_connected),
};

void __noreturn test_pvhostile(void)
{
	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}
