/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual switch (hypervisor/net/switch.c): Ethernet frames between
 * the ports attached to it (the guests' PV NICs, and the uplink of
 * hv/uplink.h).  It learns which port each source MAC lives behind,
 * sends a unicast frame to the port that owns its destination and
 * floods broadcast, multicast and unknown destinations to every other
 * port.
 *
 * A frame is copied once into hypervisor memory by the sender and shared
 * by reference between the ports it goes to.  Each port has a bounded
 * queue: a frame for a full queue is dropped and counted at that port,
 * so a receiver that stops taking frames costs only its own traffic.
 * No one sender may crowd the others out of a receiver's queue: when it
 * is full and one source holds more than half of it, a frame from any
 * other source pushes out that source's newest frame instead of being
 * dropped, so a flooding guest slows its peers' traffic to a port
 * without cutting it off.
 * The switch never calls into a port under its lock; it calls kick()
 * after queueing, from the sender's context.
 *
 * Locks: the caller's (a device's dev->lock) -> sw->lock.
 */
#ifndef HV_VSWITCH_H
#define HV_VSWITCH_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/spinlock.h>

#define VSWITCH_PORTS		16
#define VSWITCH_QUEUE_LEN	128	/* frames waiting per port */
#define VSWITCH_MACS		64

struct vswitch_port;

/* vswitch_frame.flags */
#define VSWITCH_F_CSUM_VALID	(1u << 0)	/* L4 checksum computed here */

struct vswitch_frame {
	uint32_t refs;
	uint32_t len;
	uint32_t flags;			/* VSWITCH_F_*, 0 from alloc */
	uint32_t pad;
	uint8_t data[];
};

struct vswitch_port_stats {
	uint64_t tx_frames, tx_bytes;	/* sent into the switch */
	uint64_t rx_frames, rx_bytes;	/* queued for this port */
	uint64_t rx_drops;		/* lost: refused or pushed out of a
					 * full queue */
	uint64_t tx_dropped;		/* sent, no port to take it */
};

struct vswitch_port {
	struct vswitch *sw;		/* NULL while detached */
	uint8_t mac[6];			/* what the NIC owns (informative) */
	/* Frames are waiting for the port: called without sw->lock. */
	void (*kick)(struct vswitch_port *p);
	void *priv;
	/* The rest under sw->lock. */
	unsigned int slot;		/* its index in sw->ports */
	struct vswitch_frame *q[VSWITCH_QUEUE_LEN];
	uint8_t q_src[VSWITCH_QUEUE_LEN];	/* the slot each came from */
	uint16_t held[VSWITCH_PORTS];	/* frames queued, by source slot */
	unsigned int head, count;
	struct vswitch_port_stats stats;
};

struct vswitch_mac {
	uint8_t mac[6];
	struct vswitch_port *port;	/* NULL: a free entry */
	uint64_t stamp;			/* when last seen, for replacement */
};

struct vswitch {
	spinlock_t lock;
	struct vswitch_port *ports[VSWITCH_PORTS];
	struct vswitch_mac macs[VSWITCH_MACS];
	uint64_t clock;			/* counts frames, ages MAC entries */
};

/* The switch every PV NIC is attached to (one today). */
struct vswitch *vswitch_default(void);
void vswitch_init(struct vswitch *sw);
/* 0, or -PVKIT_ENOSPC when every port is taken. */
int vswitch_attach(struct vswitch *sw, struct vswitch_port *p);
/* Drops p's queue and what it learned; p can be attached again. */
void vswitch_detach(struct vswitch_port *p);

/* A frame of len bytes with one reference, or NULL. */
struct vswitch_frame *vswitch_frame_alloc(uint32_t len);
void vswitch_frame_put(struct vswitch_frame *f);
/* Switches f (the caller's reference is taken over) from port from. */
void vswitch_send(struct vswitch_port *from, struct vswitch_frame *f);
/* The oldest frame queued for p, without taking it, or NULL. */
struct vswitch_frame *vswitch_peek(struct vswitch_port *p);
/* Takes the oldest frame off p's queue; the caller puts its reference. */
struct vswitch_frame *vswitch_pop(struct vswitch_port *p);
/* A copy of p's counters. */
struct vswitch_port_stats vswitch_stats(struct vswitch_port *p);

#endif
