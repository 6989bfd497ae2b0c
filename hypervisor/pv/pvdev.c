// SPDX-License-Identifier: GPL-2.0
/*
 * The PV device table and its hypercalls.  A connect request is copied
 * in once, checked in full without side effects (every ring inside RAM,
 * page aligned, overlapping nothing; every port unbound for the
 * hypervisor), and only then are the ports bound and the rings attached.
 * The rings are attached with start index 0: nothing is ever taken from
 * the headers the guest wrote.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_mem.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/printk.h>
#include <hv/pv.h>

/* A PV device, or an emulated one's PV replacement (unplug=pv). */
static const struct pv_backend *backend_for(const struct dev_cfg *c)
{
	bool pv = c->mode == DEV_MODE_PV || c->unplug;

	if (c->type == DEV_TYPE_CONSOLE && c->mode == DEV_MODE_PV)
		return &pv_console_backend;
	if (c->type == DEV_TYPE_DISK && pv)
		return &pv_block_backend;
#ifdef CONFIG_PV_NET
	if (c->type == DEV_TYPE_NET && pv)
		return &pv_net_backend;
#endif
	return NULL;
}

static bool pvdev_run(struct work *w);

/* "pv-block-0": the class and instance, as the guest's driver sees them. */
static int exit_source_pv(struct domain *d, const struct pv_backend *be,
			  unsigned int instance)
{
	char name[EXIT_SOURCE_NAME];

	snprintf(name, sizeof(name), "pv-%s-%u", be->name, instance);
	return exit_source(d, name);
}

static int pvdev_add(struct domain *d, const struct dev_cfg *c)
{
	const struct pv_backend *be = backend_for(c);
	struct pvdev *dev;

	if (d->nr_pvdevs == PVKIT_DEV_MAX)
		return -PVKIT_ENOSPC;
	dev = kzalloc(sizeof(*dev));
	if (!dev)
		return -PVKIT_ENOMEM;
	dev->dom = d;
	dev->be = be;
	dev->index = d->nr_pvdevs;
	dev->instance = c->id;
	dev->exit_src = exit_source_pv(d, be, dev->instance);
	dev->disk_bytes = c->size;
	dev->disk_storage = c->storage;
	dev->disk_vblk = c->storage_index;
	dev->backend = c->backend;
	dev->disk_read_only = c->read_only;
	dev->offered = be->features;
	if (c->image_len)
		dev->disk_image = phys_to_virt(c->image_pa);
	dev->disk_image_len = c->image_len;
	memcpy(dev->net_mac, c->mac, sizeof(dev->net_mac));
	dev->net_mtu = c->mtu;
	spin_lock_init(&dev->lock);
	/* Its pCPU is chosen at connect, once the vCPUs are placed. */
	work_init(&dev->work, NULL, pvdev_run);
	dev->priv = be->create(dev);
	if (!dev->priv) {
		kfree(dev);
		return -PVKIT_ENOMEM;
	}
	d->pvdevs[d->nr_pvdevs++] = dev;
	return 0;
}

/*
 * The PV replacements of emulated devices (unplug=pv) come after every
 * other PV device: DEV_INFO ends before them until the unplug, and a
 * frontend enumerates up to the first -ENOENT.
 */
int pv_domain_init(struct domain *d, const struct dev_cfg *devs,
		   unsigned int nr)
{
	int ret;

	spin_lock_init(&d->pv_lock);
	for (unsigned int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < nr; i++) {
			/* Emulated and passthrough devices are not here. */
			if (!backend_for(&devs[i]) || devs[i].unplug != pass)
				continue;
			ret = pvdev_add(d, &devs[i]);
			if (ret)
				return ret;
		}
		if (!pass)
			d->nr_pvdevs_plain = d->nr_pvdevs;
	}
	d->nr_pvdevs_shown = d->nr_pvdevs_plain;
	return 0;
}

void pv_show_replacements(struct domain *d)
{
	__atomic_store_n(&d->nr_pvdevs_shown, d->nr_pvdevs, __ATOMIC_SEQ_CST);
}

/* Only the devices the guest can see: no replacement before its unplug. */
static struct pvdev *dev_by_index(struct domain *d, uint64_t index)
{
	unsigned int shown = __atomic_load_n(&d->nr_pvdevs_shown,
					     __ATOMIC_ACQUIRE);

	return index < shown ? d->pvdevs[index] : NULL;
}

struct pvdev *pvdev_find(struct domain *d, uint16_t dev_class,
			 uint16_t instance)
{
	for (unsigned int i = 0; i < d->nr_pvdevs; i++) {
		struct pvdev *dev = d->pvdevs[i];

		if (dev->be->dev_class == dev_class &&
		    dev->instance == instance)
			return dev;
	}
	return NULL;
}

/* ---- the backend's context ---- */

/*
 * A pCPU no vCPU runs on, when there is one: the backend then runs
 * beside the guest, as a device would, and may poll its rings (see
 * pvdev_may_poll()); otherwise, or with backend=vcpu, vCPU 0's, where
 * it runs between guest entries.
 */
static struct pcpu *backend_pcpu(struct domain *d, const struct pvdev *dev)
{
	struct pcpu *spare = sched_spare_pcpu();

	if (dev->backend == DEV_BACKEND_VCPU || !spare)
		return d->vcpus[0]->pcpu;
	return spare;
}

bool pvdev_may_poll(const struct pvdev *dev)
{
	return !READ_ONCE(dev->work.pc->nr_vcpus);
}

static bool pvdev_run(struct work *w)
{
	struct pvdev *dev = container_of(w, struct pvdev, work);
	bool more = false;

	spin_lock(&dev->lock);
	if (dev->state == PVKIT_DEV_STATE_CONNECTED &&
	    domain_alive(dev->dom)) {
		dev->stats.works++;
		more = dev->be->work(dev);
	}
	spin_unlock(&dev->lock);
	return more;
}

void pvdev_notify(struct domain *d, uint32_t index)
{
	struct pvdev *dev = dev_by_index(d, index);

	/* A port is bound to a device only once it has connected. */
	if (!dev || !READ_ONCE(dev->work.pc))
		return;
	__atomic_fetch_add(&dev->stats.notifies, 1, __ATOMIC_RELAXED);
	exit_attribute(d, dev->exit_src);
	work_queue(&dev->work);
}

void pvdev_raise(struct pvdev *dev, unsigned int q)
{
	dev->stats.events++;
	evtchn_raise(dev->dom, dev->q[q].port);
}

/*
 * Under dev->lock, so the bit is set after the new configuration (read
 * under the same lock by DEV_CONFIG) is in place and the ports are the
 * connected ones.  The page is the guest's: only ever OR-ed into.
 */
void pvdev_config_changed(struct pvdev *dev)
{
	struct domain *d = dev->dom;

	spin_lock(&dev->lock);
	if (d->shared && domain_alive(d))
		__atomic_fetch_or(&d->shared->dev_config_changed,
				  1ull << dev->index, __ATOMIC_SEQ_CST);
	if (dev->state == PVKIT_DEV_STATE_CONNECTED && domain_alive(d))
		for (unsigned int q = 0; q < dev->nr_queues; q++)
			pvdev_raise(dev, q);
	spin_unlock(&dev->lock);
}

void pvdev_broken(struct pvdev *dev, const char *why)
{
	dev->stats.errors++;
	pr_warn("d%u %s: PV %s %u: %s: device stopped until the guest disconnects it",
		dev->dom->id, dev->dom->name, dev->be->name, dev->instance,
		why);
	dev->be->disconnect(dev);
	dev->state = PVKIT_DEV_STATE_BROKEN;
	for (unsigned int q = 0; q < dev->nr_queues; q++)
		pvdev_raise(dev, q);
}

/* ---- DEV_INFO, DEV_CONFIG ---- */

int64_t hc_dev_info(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_dev_info info;
	struct domain *d = v->dom;
	struct pvdev *dev;

	if (copy_from_guest(d, &info, a[0], sizeof(info)))
		return -PVKIT_EFAULT;
	if (info.pad)
		return -PVKIT_EINVAL;
	dev = dev_by_index(d, info.index);
	if (!dev)
		return -PVKIT_ENOENT;
	info.dev_class = dev->be->dev_class;
	info.instance = dev->instance;
	info.max_queues = dev->be->max_queues;
	info.min_order = dev->be->min_order;
	info.max_order = dev->be->max_order;
	info.features = dev->offered;
	info.config_len = dev->be->config_len;
	spin_lock(&dev->lock);
	info.state = dev->state;
	info.accepted = dev->state == PVKIT_DEV_STATE_CONNECTED ?
			dev->accepted : 0;
	spin_unlock(&dev->lock);
	return copy_to_guest(d, a[0], &info, sizeof(info));
}

/* ---- DEV_STATS ---- */

/* Read without the lock: each counter once, as it stands (x86 loads). */
int64_t hc_dev_stats(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_dev_stats st;
	struct domain *d = v->dom;
	struct pvdev *dev = dev_by_index(d, a[0]);

	if (!dev)
		return -PVKIT_ENOENT;
	if (!guest_range_ok(d, a[1], sizeof(st)))
		return -PVKIT_EFAULT;
	st.notifies = READ_ONCE(dev->stats.notifies);
	st.events = READ_ONCE(dev->stats.events);
	st.errors = READ_ONCE(dev->stats.errors);
	st.staged = READ_ONCE(dev->stats.staged);
	for (unsigned int i = 0; i < PVKIT_DEV_STAGES; i++)
		st.stage_ns[i] = READ_ONCE(dev->stats.stage_ns[i]);
	return copy_to_guest(d, a[1], &st, sizeof(st));
}

#define CONFIG_MAX	256

int64_t hc_dev_config(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom;
	struct pvdev *dev = dev_by_index(d, a[0]);
	uint8_t buf[CONFIG_MAX];
	uint64_t n;
	int ret;

	if (!dev)
		return -PVKIT_ENOENT;
	n = MIN(a[2], (uint64_t)dev->be->config_len);
	if (!guest_range_ok(d, a[1], n))
		return -PVKIT_EFAULT;
	memset(buf, 0, sizeof(buf));
	spin_lock(&dev->lock);
	dev->be->config(dev, buf);
	spin_unlock(&dev->lock);
	ret = copy_to_guest(d, a[1], buf, n);
	return ret ? ret : (int64_t)n;
}

/* ---- DEV_CONNECT ---- */

struct span {
	uint64_t start, end;	/* guest-physical [start, end) */
};

static bool spans_overlap(const struct span *x, const struct span *y)
{
	return x->start < y->end && y->start < x->end;
}

static uint64_t ring_bytes(uint32_t order, uint32_t slot)
{
	uint64_t b = PVKIT_RING_BYTES(1ull << order, slot);

	return (b + PVKIT_PAGE_SIZE - 1) & ~(uint64_t)(PVKIT_PAGE_SIZE - 1);
}

/* The pages a ring would take, if it fits in the domain's RAM. */
static int ring_span(const struct domain *d, uint64_t gpa, uint64_t bytes,
		     struct span *s)
{
	if (gpa & (PVKIT_PAGE_SIZE - 1))
		return -PVKIT_EINVAL;
	if (!guest_range_ok(d, gpa, bytes))
		return -PVKIT_EFAULT;
	s->start = gpa;
	s->end = gpa + bytes;
	return 0;
}

/* Every span the hypervisor itself keeps in d's RAM, plus connected rings. */
static bool span_taken(struct domain *d, const struct span *s)
{
	if (d->shared) {
		uint64_t gpa = (uint64_t)((uint8_t *)d->shared - d->mem);
		struct span si = { gpa, gpa + PVKIT_PAGE_SIZE };

		if (spans_overlap(s, &si))
			return true;
	}
	for (unsigned int i = 0; i < d->nr_pvdevs; i++) {
		struct pvdev *o = d->pvdevs[i];

		/* Under d->pv_lock, so no device connects meanwhile. */
		if (o->state == PVKIT_DEV_STATE_CLOSED)
			continue;
		for (unsigned int q = 0; q < o->nr_queues; q++) {
			struct span r = {
				o->q[q].req_gpa,
				o->q[q].req_gpa +
				ring_bytes(o->q[q].order, o->be->req_slot),
			};
			struct span p = {
				o->q[q].rsp_gpa,
				o->q[q].rsp_gpa +
				ring_bytes(o->q[q].order, o->be->rsp_slot),
			};

			if (spans_overlap(s, &r) || spans_overlap(s, &p))
				return true;
		}
	}
	return false;
}

static int check_queues(struct domain *d, const struct pvdev *dev,
			const struct pvkit_dev_connect *c)
{
	struct span sp[2 * PVKIT_DEV_MAX_QUEUES];
	unsigned int n = 0;
	int ret;

	for (unsigned int q = 0; q < c->nr_queues; q++) {
		const struct pvkit_dev_queue *dq = &c->queue[q];

		if (dq->order < dev->be->min_order ||
		    dq->order > dev->be->max_order)
			return -PVKIT_EINVAL;
		ret = ring_span(d, dq->req_gpa,
				ring_bytes(dq->order, dev->be->req_slot),
				&sp[n++]);
		if (!ret)
			ret = ring_span(d, dq->rsp_gpa,
					ring_bytes(dq->order, dev->be->rsp_slot),
					&sp[n++]);
		if (ret)
			return ret;
	}
	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int j = i + 1; j < n; j++)
			if (spans_overlap(&sp[i], &sp[j]))
				return -PVKIT_EBUSY;
		if (span_taken(d, &sp[i]))
			return -PVKIT_EBUSY;
	}
	return 0;
}

static int check_connect(struct domain *d, const struct pvdev *dev,
			 const struct pvkit_dev_connect *c)
{
	if (c->nr_queues == 0 || c->nr_queues > dev->be->max_queues)
		return -PVKIT_EINVAL;
	if (c->features & ~dev->offered)
		return -PVKIT_EINVAL;
	for (unsigned int q = c->nr_queues; q < PVKIT_DEV_MAX_QUEUES; q++) {
		const struct pvkit_dev_queue *dq = &c->queue[q];

		if (dq->req_gpa || dq->rsp_gpa || dq->order || dq->port)
			return -PVKIT_EINVAL;
	}
	return check_queues(d, dev, c);
}

static void attach_queue(struct pvdev *dev, unsigned int q,
			 const struct pvkit_dev_queue *dq)
{
	struct pvdev_queue *pq = &dev->q[q];
	struct domain *d = dev->dom;
	uint64_t req = ring_bytes(dq->order, dev->be->req_slot);
	uint64_t rsp = ring_bytes(dq->order, dev->be->rsp_slot);

	pq->req_gpa = dq->req_gpa;
	pq->rsp_gpa = dq->rsp_gpa;
	pq->order = dq->order;
	pq->port = dq->port;
	/* Checked in check_queues(): these cannot fail. */
	pvkit_ring_attach(&pq->req, d->mem + dq->req_gpa, req, dq->order,
			  dev->be->req_slot, 0);
	pvkit_ring_attach(&pq->rsp, d->mem + dq->rsp_gpa, rsp, dq->order,
			  dev->be->rsp_slot, 0);
}

static int connect_locked(struct domain *d, struct pvdev *dev,
			  const struct pvkit_dev_connect *c)
{
	uint32_t ports[PVKIT_DEV_MAX_QUEUES];
	int ret;

	if (dev->state != PVKIT_DEV_STATE_CLOSED)
		return -PVKIT_EBUSY;
	ret = check_connect(d, dev, c);
	if (ret)
		return ret;
	for (unsigned int q = 0; q < c->nr_queues; q++)
		ports[q] = c->queue[q].port;
	/* The last check, and the first change: all ports or none. */
	ret = evtchn_bind_backend(d, ports, c->nr_queues, dev->index);
	if (ret)
		return ret;
	spin_lock(&dev->lock);
	/*
	 * Chosen once: a work item that is running when the device is
	 * disconnected requeues itself on the pCPU it was taken from.
	 */
	if (!dev->work.pc)
		dev->work.pc = backend_pcpu(d, dev);
	for (unsigned int q = 0; q < c->nr_queues; q++)
		attach_queue(dev, q, &c->queue[q]);
	dev->nr_queues = c->nr_queues;
	dev->accepted = c->features;
	dev->state = PVKIT_DEV_STATE_CONNECTED;
	dev->stats.connects++;
	dev->be->connect(dev);
	spin_unlock(&dev->lock);
	/* Whatever the guest queued before connecting is served now. */
	work_queue(&dev->work);
	return 0;
}

int64_t hc_dev_connect(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_dev_connect c;
	struct domain *d = v->dom;
	struct pvdev *dev;
	int ret;

	if (copy_from_guest(d, &c, a[0], sizeof(c)))
		return -PVKIT_EFAULT;
	dev = dev_by_index(d, c.index);
	if (!dev)
		return -PVKIT_ENOENT;
	spin_lock(&d->pv_lock);
	ret = connect_locked(d, dev, &c);
	spin_unlock(&d->pv_lock);
	return ret;
}

/* ---- DEV_DISCONNECT ---- */

/* d->pv_lock held. */
static void disconnect_locked(struct pvdev *dev)
{
	struct domain *d = dev->dom;
	unsigned int nr;
	uint32_t ports[PVKIT_DEV_MAX_QUEUES];

	spin_lock(&dev->lock);
	if (dev->state == PVKIT_DEV_STATE_CONNECTED)
		dev->be->disconnect(dev);
	nr = dev->state == PVKIT_DEV_STATE_CLOSED ? 0 : dev->nr_queues;
	for (unsigned int q = 0; q < nr; q++)
		ports[q] = dev->q[q].port;
	memset(dev->q, 0, sizeof(dev->q));
	dev->nr_queues = 0;
	dev->accepted = 0;
	dev->state = PVKIT_DEV_STATE_CLOSED;
	spin_unlock(&dev->lock);
	if (dev->work.pc)
		work_cancel(&dev->work);
	for (unsigned int q = 0; q < nr; q++)
		evtchn_unbind_backend(d, ports[q], dev->index);
}

int64_t hc_dev_disconnect(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom;
	struct pvdev *dev = dev_by_index(d, a[0]);

	if (!dev)
		return -PVKIT_ENOENT;
	spin_lock(&d->pv_lock);
	disconnect_locked(dev);
	spin_unlock(&d->pv_lock);
	return 0;
}

void pvdev_port_closed(struct domain *d, uint32_t index, uint32_t port)
{
	struct pvdev *dev = dev_by_index(d, index);
	bool ours = false;

	if (!dev)
		return;
	spin_lock(&d->pv_lock);
	for (unsigned int q = 0; q < dev->nr_queues; q++)
		ours |= dev->q[q].port == port;
	if (ours)
		disconnect_locked(dev);
	spin_unlock(&d->pv_lock);
}

/* A new boot starts with its emulated devices plugged, as at power-on. */
void pv_domain_reset(struct domain *d)
{
	spin_lock(&d->pv_lock);
	for (unsigned int i = 0; i < d->nr_pvdevs; i++)
		disconnect_locked(d->pvdevs[i]);
	__atomic_store_n(&d->nr_pvdevs_shown, d->nr_pvdevs_plain,
			 __ATOMIC_SEQ_CST);
	spin_unlock(&d->pv_lock);
}

void pv_domain_log(struct domain *d)
{
	for (unsigned int i = 0; i < d->nr_pvdevs; i++) {
		const struct pvdev *dev = d->pvdevs[i];
		const struct pvdev_stats *st = &dev->stats;

		if (!st->connects)
			continue;
		pr_info("d%u %s: PV %s %u: %llu notifications in, %llu events out, %llu backend runs, %llu connects, %llu protocol errors",
			d->id, d->name, dev->be->name, dev->instance,
			(unsigned long long)st->notifies,
			(unsigned long long)st->events,
			(unsigned long long)st->works,
			(unsigned long long)st->connects,
			(unsigned long long)st->errors);
		if (dev->be->log)
			dev->be->log(d->pvdevs[i]);
	}
}
