/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PV devices: a domain's table of devices served by backends in the
 * hypervisor (pvkit/io/device.h is the guest's side of it).
 *
 * pv/pvdev.c owns everything the classes share: the table, the four
 * hypercalls, checking a connect request (rings inside the domain's RAM,
 * no overlaps, ports unbound for the hypervisor), binding the ports,
 * attaching the rings, the CLOSED/CONNECTED/BROKEN states and the work
 * item that runs the backend outside the guest's exits.  A class
 * (pv/console_back.c, ...) supplies a struct pv_backend and touches only
 * its own rings, through the ring library.
 *
 * Locks: d->pv_lock (connect, disconnect) -> dev->lock (state, rings;
 * held by the backend's work) -> d->evtchn_lock.
 */
#ifndef HV_PV_H
#define HV_PV_H

#include <stdbool.h>
#include <stdint.h>
#include <pvkit/io/device.h>
#include <pvkit/ring_core.h>
#include <asm/spinlock.h>
#include <hv/work.h>

struct domain;
struct dev_cfg;
struct pvdev;

struct pv_backend {
	const char *name;		/* in log lines: "console" */
	uint16_t dev_class;		/* PVKIT_DEV_CLASS_* */
	uint16_t max_queues;
	uint8_t min_order, max_order;
	uint32_t req_slot, rsp_slot;	/* the protocol's message sizes */
	uint32_t config_len;
	uint64_t features;		/* offered */
	/*
	 * Backend state for a new device; NULL when out of memory.  May
	 * add to dev->offered (features this device alone has).
	 */
	void *(*create)(struct pvdev *dev);
	/* Fills config_len bytes of configuration. */
	void (*config)(struct pvdev *dev, void *buf);
	/* The rings are attached: start serving.  dev->lock held. */
	void (*connect)(struct pvdev *dev);
	/* Stop serving; the rings go away after this.  dev->lock held. */
	void (*disconnect)(struct pvdev *dev);
	/*
	 * Serve the rings: one bounded batch.  True when more is left.
	 * dev->lock held; called only while CONNECTED.
	 */
	bool (*work)(struct pvdev *dev);
	/* Optional: more counters, after the device's line at the end. */
	void (*log)(struct pvdev *dev);
};

struct pvdev_queue {
	uint64_t req_gpa, rsp_gpa;
	uint32_t order;
	uint32_t port;
	struct pvkit_ring req;		/* the backend consumes */
	struct pvkit_ring rsp;		/* the backend produces */
};

struct pvdev_stats {
	uint64_t notifies;		/* sends from the guest */
	uint64_t events;		/* events raised to the guest */
	uint64_t works;			/* backend work calls */
	uint64_t connects;
	uint64_t errors;		/* protocol errors (BROKEN) */
	/* Under the device's lock: the class's request stages. */
	uint64_t staged;
	uint64_t stage_ns[PVKIT_DEV_STAGES];
};

struct pvdev {
	struct domain *dom;
	const struct pv_backend *be;
	unsigned int index;
	uint16_t instance;
	spinlock_t lock;
	uint32_t state;			/* PVKIT_DEV_STATE_*, under lock */
	uint64_t offered;		/* the backend's features, per device */
	uint64_t accepted;
	unsigned int nr_queues;
	struct pvdev_queue q[PVKIT_DEV_MAX_QUEUES];
	struct work work;
	struct pvdev_stats stats;
	int exit_src;			/* the guest's kicks, exit_profile.h */
	void *priv;			/* the backend's */
	uint64_t disk_bytes;		/* a disk's RAM storage */
	uint8_t disk_storage;		/* DEV_STORAGE_* */
	uint8_t disk_vblk;		/* its N, for storage=vblkN */
	uint8_t backend;		/* DEV_BACKEND_*: where its work runs */
	bool disk_read_only;		/* access=ro */
	const void *disk_image;		/* its first disk_image_len bytes, or NULL */
	uint64_t disk_image_len;
	uint8_t net_mac[6];		/* a NIC's address and MTU */
	uint16_t net_mtu;
};

/* Creates the domain's PV devices from its configuration. */
int pv_domain_init(struct domain *d, const struct dev_cfg *devs,
		   unsigned int nr);
/* One line of counters per device that was ever connected. */
void pv_domain_log(struct domain *d);
/*
 * Disconnects every device (the domain ends or is rebuilt) and hides
 * the replacements of emulated devices again.
 */
void pv_domain_reset(struct domain *d);
/* The replacements of emulated devices become visible (the unplug). */
void pv_show_replacements(struct domain *d);
/* A PV disk's storage, which its emulated twin (unplug=pv) shares. */
struct storage *pv_block_storage(struct pvdev *dev);

/* The guest sent on port, bound to device index: run its backend. */
void pvdev_notify(struct domain *d, uint32_t index);
/* The guest closed port of device index: disconnect that device. */
void pvdev_port_closed(struct domain *d, uint32_t index, uint32_t port);
/* Raises queue q's port to the guest.  dev->lock held. */
void pvdev_raise(struct pvdev *dev, unsigned int q);
/*
 * The backend's configuration changed (pvkit/io/device.h): the domain's
 * dev_config_changed bit for it, and every port if connected.  Any
 * context where dev->lock is not held.
 */
void pvdev_config_changed(struct pvdev *dev);
/*
 * True when the device's work has a pCPU of its own (no vCPU there):
 * it may then keep polling its rings for a bounded while instead of
 * asking the guest for a notification at once.
 */
bool pvdev_may_poll(const struct pvdev *dev);
/*
 * The frontend broke the protocol: one log line, BROKEN, every port
 * raised.  dev->lock held; the backend returns from its work after it.
 */
void pvdev_broken(struct pvdev *dev, const char *why);
/* The device of class and instance in d, or NULL. */
struct pvdev *pvdev_find(struct domain *d, uint16_t dev_class,
			 uint16_t instance);

extern const struct pv_backend pv_console_backend;
extern const struct pv_backend pv_block_backend;
extern const struct pv_backend pv_net_backend;
/*
 * Input is waiting for d: true when its PV console takes it (connected,
 * input accepted), which is then told to fetch it.
 */
bool pv_console_input(struct domain *d);

#endif
