/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pvkit bus: what a Linux PV driver sees of the core module
 * (guest-drivers/linux/core, pvkit.ko).
 *
 * The core binds to the pvkit platform PCI device, enumerates the
 * domain's PV devices (PVKIT_HC_DEV_INFO) and registers each as a
 * struct pvkit_device on the bus "pvkit", with the modalias
 * "pvkit:<class>" ("pvkit:console"; "pvkit:class<N>" for a class this
 * core has no name for).  A driver names the class it drives in its
 * struct pvkit_driver and MODULE_ALIAS("pvkit:<class>") so that it loads
 * by modalias.
 *
 * A driver's probe typically reads the configuration, connects
 * (pvkit_dev_connect: the core allocates and sets up both rings of every
 * queue, allocates one port per queue for PVKIT_DOMID_HYPERVISOR, maps it
 * to a Linux interrupt and calls PVKIT_HC_DEV_CONNECT), requests the
 * queues' interrupts, and starts its I/O.  Its remove frees the
 * interrupts and disconnects.  The rings are the ring library's
 * (pvkit/ring_core.h): q->req is the producer side of the request ring,
 * q->rsp the consumer side of the response ring; the driver serialises
 * each side itself.
 */
#ifndef PVKIT_BUS_H
#define PVKIT_BUS_H

#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/atomic.h>
#include <linux/workqueue.h>
#include <pvkit/io/device.h>
#include <pvkit/ring_core.h>

struct pvkit_device;

struct pvkit_queue {
	struct pvkit_device *dev;
	unsigned int index;
	u32 port;		/* event channel, bound to the backend */
	unsigned int irq;	/* the port's Linux interrupt */
	struct pvkit_ring req;	/* frontend produces */
	struct pvkit_ring rsp;	/* frontend consumes */
	void *req_mem;
	void *rsp_mem;
	size_t req_bytes;	/* whole pages */
	size_t rsp_bytes;
};

struct pvkit_device {
	struct device dev;
	/* From PVKIT_HC_DEV_INFO at enumeration; fixed for the domain's life. */
	u32 index;
	u16 dev_class;
	u16 instance;
	u16 max_queues;
	u8 min_order;
	u8 max_order;
	u64 features;		/* offered */
	u32 config_len;

	struct mutex lock;	/* connect, disconnect */
	bool connected;
	u64 accepted;
	unsigned int nr_queues;
	struct pvkit_queue *queues;

	atomic64_t notifications;	/* EVTCHN_SEND on its ports */
	atomic64_t interrupts;		/* events taken on its ports */
	struct work_struct fail_work;
	atomic_t failing;
};

#define to_pvkit_device(d)	container_of(d, struct pvkit_device, dev)

struct pvkit_driver {
	struct device_driver driver;
	u16 dev_class;		/* PVKIT_DEV_CLASS_* it drives */
	int (*probe)(struct pvkit_device *dev);
	void (*remove)(struct pvkit_device *dev);
	/*
	 * Optional: the device's configuration changed (ABI 1.5,
	 * pvkit/io/device.h); read it again with pvkit_dev_config().
	 * Process context, under the device lock: never during probe or
	 * remove, only while the driver is bound.
	 */
	void (*config_changed)(struct pvkit_device *dev);
};

#define to_pvkit_driver(d)	container_of(d, struct pvkit_driver, driver)

int __pvkit_driver_register(struct pvkit_driver *drv, struct module *owner);
void pvkit_driver_unregister(struct pvkit_driver *drv);
#define pvkit_driver_register(drv) __pvkit_driver_register(drv, THIS_MODULE)
#define module_pvkit_driver(drv) \
	module_driver(drv, pvkit_driver_register, pvkit_driver_unregister)

/* What a driver asks of pvkit_dev_connect(). */
struct pvkit_connect_params {
	unsigned int nr_queues;	/* 1 .. dev->max_queues */
	u32 order;		/* dev->min_order .. dev->max_order */
	u32 req_slot;		/* slot sizes of the device protocol */
	u32 rsp_slot;
	u64 features;		/* accepted: a subset of dev->features */
};

/* Copies up to len bytes of the class configuration; bytes or -errno. */
int pvkit_dev_config(struct pvkit_device *dev, void *buf, size_t len);
/*
 * Sets up the rings and ports of every queue and connects; on error
 * nothing is left allocated.  Ports start masked: requesting the queue's
 * interrupt unmasks it.  The driver's own interrupt handlers must be
 * freed before pvkit_dev_disconnect().
 */
int pvkit_dev_connect(struct pvkit_device *dev,
		      const struct pvkit_connect_params *p);
/* Disconnects, closes the ports, frees the rings.  Idempotent. */
void pvkit_dev_disconnect(struct pvkit_device *dev);
/* PVKIT_DEV_STATE_* as the hypervisor reports it now, or -errno. */
int pvkit_dev_state(struct pvkit_device *dev);
/*
 * The backend broke the protocol: logs why once and unbinds the driver
 * from process context (its remove disconnects).  Any context.
 */
void pvkit_dev_fail(struct pvkit_device *dev, const char *why);

/* Notifies the backend (EVTCHN_SEND on the queue's port).  Any context. */
int pvkit_queue_notify(struct pvkit_queue *q);

#endif /* PVKIT_BUS_H */
