// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual switch: MAC learning, flooding and a bounded queue per
 * port (see hv/vswitch.h).  Everything is done under the switch's one
 * lock, held only for table look-ups and queue updates: frame data is
 * copied by the ports outside it.  A port is told of new frames through
 * its kick() after the lock is released.
 */
#include <stdint.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/mm.h>
#include <hv/vswitch.h>

static struct vswitch default_switch = { .lock = SPINLOCK_INIT };

struct vswitch *vswitch_default(void)
{
	return &default_switch;
}

void vswitch_init(struct vswitch *sw)
{
	memset(sw, 0, sizeof(*sw));
	spin_lock_init(&sw->lock);
}

int vswitch_attach(struct vswitch *sw, struct vswitch_port *p)
{
	int ret = -PVKIT_ENOSPC;

	spin_lock(&sw->lock);
	for (unsigned int i = 0; i < VSWITCH_PORTS; i++) {
		if (sw->ports[i])
			continue;
		sw->ports[i] = p;
		p->sw = sw;
		p->slot = i;
		p->head = p->count = 0;
		memset(p->held, 0, sizeof(p->held));
		ret = 0;
		break;
	}
	spin_unlock(&sw->lock);
	return ret;
}

void vswitch_detach(struct vswitch_port *p)
{
	struct vswitch *sw = p->sw;

	if (!sw)
		return;
	spin_lock(&sw->lock);
	for (unsigned int i = 0; i < VSWITCH_PORTS; i++)
		if (sw->ports[i] == p)
			sw->ports[i] = NULL;
	for (unsigned int i = 0; i < VSWITCH_MACS; i++)
		if (sw->macs[i].port == p)
			sw->macs[i].port = NULL;
	while (p->count) {
		vswitch_frame_put(p->q[p->head]);
		p->head = (p->head + 1) % VSWITCH_QUEUE_LEN;
		p->count--;
	}
	memset(p->held, 0, sizeof(p->held));
	p->sw = NULL;
	spin_unlock(&sw->lock);
}

struct vswitch_frame *vswitch_frame_alloc(uint32_t len)
{
	struct vswitch_frame *f = kmalloc(sizeof(*f) + len);

	if (!f)
		return NULL;
	f->refs = 1;
	f->len = len;
	f->flags = 0;
	return f;
}

void vswitch_frame_put(struct vswitch_frame *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(f);
}

static bool mac_is_group(const uint8_t *mac)
{
	return mac[0] & 1;	/* broadcast is a group address too */
}

static struct vswitch_mac *mac_find(struct vswitch *sw, const uint8_t *mac)
{
	for (unsigned int i = 0; i < VSWITCH_MACS; i++)
		if (sw->macs[i].port && !memcmp(sw->macs[i].mac, mac, 6))
			return &sw->macs[i];
	return NULL;
}

/* Remembers that mac is behind p, replacing the stalest entry if full. */
static void mac_learn(struct vswitch *sw, struct vswitch_port *p,
		      const uint8_t *mac)
{
	struct vswitch_mac *e = mac_find(sw, mac), *old = &sw->macs[0];

	if (mac_is_group(mac))
		return;
	if (!e) {
		for (unsigned int i = 0; i < VSWITCH_MACS && !e; i++) {
			if (!sw->macs[i].port)
				e = &sw->macs[i];
			else if (sw->macs[i].stamp < old->stamp)
				old = &sw->macs[i];
		}
		e = e ? e : old;
		memcpy(e->mac, mac, 6);
	}
	e->port = p;
	e->stamp = sw->clock;
}

/* Removes the k-th queued frame of p (0: the oldest), closing the gap. */
static void port_remove(struct vswitch_port *p, unsigned int k)
{
	unsigned int at = (p->head + k) % VSWITCH_QUEUE_LEN;

	p->held[p->q_src[at]]--;
	vswitch_frame_put(p->q[at]);
	for (; k + 1 < p->count; k++) {
		unsigned int next = (p->head + k + 1) % VSWITCH_QUEUE_LEN;

		p->q[at] = p->q[next];
		p->q_src[at] = p->q_src[next];
		at = next;
	}
	p->count--;
}

/*
 * p's queue is full and src has a frame for it: pushes out the newest
 * frame of the source that holds more than half of the queue, unless
 * that is src itself.  False when nothing was pushed out.
 */
static bool port_make_room(struct vswitch_port *p, unsigned int src)
{
	unsigned int hog = 0;

	for (unsigned int i = 1; i < VSWITCH_PORTS; i++)
		if (p->held[i] > p->held[hog])
			hog = i;
	if (hog == src || p->held[hog] <= VSWITCH_QUEUE_LEN / 2)
		return false;
	for (unsigned int k = p->count; k-- > 0;) {
		if (p->q_src[(p->head + k) % VSWITCH_QUEUE_LEN] == hog) {
			port_remove(p, k);
			p->stats.rx_drops++;
			return true;
		}
	}
	return false;
}

/* Queues f from slot src for p; false when p's queue is full (counted). */
static bool port_enqueue(struct vswitch_port *p, struct vswitch_frame *f,
			 unsigned int src)
{
	unsigned int at;

	if (p->count == VSWITCH_QUEUE_LEN && !port_make_room(p, src)) {
		p->stats.rx_drops++;
		return false;
	}
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
	at = (p->head + p->count) % VSWITCH_QUEUE_LEN;
	p->q[at] = f;
	p->q_src[at] = (uint8_t)src;
	p->held[src]++;
	p->count++;
	p->stats.rx_frames++;
	p->stats.rx_bytes += f->len;
	return true;
}

void vswitch_send(struct vswitch_port *from, struct vswitch_frame *f)
{
	struct vswitch *sw = from->sw;
	struct vswitch_port *kick[VSWITCH_PORTS];
	struct vswitch_mac *dst;
	unsigned int nkick = 0;

	if (!sw || f->len < 14) {
		vswitch_frame_put(f);
		return;
	}
	spin_lock(&sw->lock);
	sw->clock++;
	from->stats.tx_frames++;
	from->stats.tx_bytes += f->len;
	mac_learn(sw, from, f->data + 6);
	dst = mac_is_group(f->data) ? NULL : mac_find(sw, f->data);
	if (dst) {
		if (dst->port != from &&
		    port_enqueue(dst->port, f, from->slot))
			kick[nkick++] = dst->port;
	} else {
		for (unsigned int i = 0; i < VSWITCH_PORTS; i++) {
			struct vswitch_port *p = sw->ports[i];

			if (p && p != from && port_enqueue(p, f, from->slot))
				kick[nkick++] = p;
		}
	}
	if (!nkick)
		from->stats.tx_dropped++;
	spin_unlock(&sw->lock);
	vswitch_frame_put(f);
	/*
	 * A port kicked here may detach before kick() runs; kick() only
	 * queues work, which finds the port's queue empty.
	 */
	for (unsigned int i = 0; i < nkick; i++)
		kick[i]->kick(kick[i]);
}

struct vswitch_frame *vswitch_peek(struct vswitch_port *p)
{
	struct vswitch *sw = p->sw;
	struct vswitch_frame *f = NULL;

	if (!sw)
		return NULL;
	spin_lock(&sw->lock);
	if (p->count)
		f = p->q[p->head];
	spin_unlock(&sw->lock);
	return f;
}

struct vswitch_frame *vswitch_pop(struct vswitch_port *p)
{
	struct vswitch *sw = p->sw;
	struct vswitch_frame *f = NULL;

	if (!sw)
		return NULL;
	spin_lock(&sw->lock);
	if (p->count) {
		f = p->q[p->head];
		p->held[p->q_src[p->head]]--;
		p->head = (p->head + 1) % VSWITCH_QUEUE_LEN;
		p->count--;
	}
	spin_unlock(&sw->lock);
	return f;
}

struct vswitch_port_stats vswitch_stats(struct vswitch_port *p)
{
	struct vswitch_port_stats s = p->stats;

	if (p->sw) {
		spin_lock(&p->sw->lock);
		s = p->stats;
		spin_unlock(&p->sw->lock);
	}
	return s;
}
