/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: paravirtual devices (ABI 1.3, PVKIT_FEAT_DEVICES;
 * configuration changes 1.5).
 *
 * A domain's PV devices are declared on its boot command line and served
 * by backends inside the hypervisor.  The guest finds them, reads their
 * configuration, accepts features and connects its frontend through the
 * hypercalls below; each device class then speaks its own protocol over
 * shared-memory rings (pvkit/ring.h), defined in pvkit/io/<class>.h.
 *
 * Devices are numbered 0 .. n-1 per domain, in the order of the command
 * line; the numbering never changes while the domain runs.  A device is
 * identified to drivers by its class and its instance (the id given on
 * the command line for disks and NICs, 0 for the console).
 *
 * Queues.  A device has 1 .. max_queues queues.  A queue is two rings and
 * one event channel:
 *   req  ring   the frontend produces, the backend consumes;
 *   rsp  ring   the backend produces, the frontend consumes;
 *   port        an event channel of the guest, allocated with
 *               PVKIT_HC_EVTCHN_ALLOC_UNBOUND for PVKIT_DOMID_HYPERVISOR.
 * Both rings of a queue have 2^order slots; the slot sizes are fixed by
 * the device protocol.  Each ring starts at a page-aligned guest-physical
 * address and occupies PVKIT_RING_BYTES(2^order, slot size) bytes rounded
 * up to whole pages, all of them in the domain's RAM.  The frontend
 * initialises both ring headers (pvkit_ring_setup(), start index 0)
 * before it connects; the backend takes no index from them.
 *
 * Notifications.  The frontend notifies the backend with EVTCHN_SEND on
 * the queue's port; the backend notifies the frontend by raising that
 * port, which the guest sees as any event (an upcall in Mini-OS, an MSI-X
 * interrupt of the pvkit platform device in Linux).  Both sides use the
 * rings' event indices, so a busy device rarely notifies.
 *
 * Lifetime.
 *   CLOSED     offered, not connected (the state at boot and after
 *              DISCONNECT);
 *   CONNECTED  the backend serves the rings;
 *   BROKEN     the backend found the frontend breaking the protocol (a
 *              ring index out of bounds, a malformed request), logged one
 *              line, stopped serving and raised each queue's port.  Only
 *              DISCONNECT is accepted until the device is CLOSED again.
 * DISCONNECT releases the ports (they become ordinary UNBOUND ports of the
 * guest again, for PVKIT_DOMID_HYPERVISOR) and forgets the rings; the
 * guest may free their pages once it returns.  A frontend that is
 * unloaded and loaded again disconnects first.
 *
 * Features.  Each device offers a 64-bit feature set (bits defined per
 * class); the frontend accepts a subset in CONNECT.  Features apply for
 * the life of the connection.
 *
 * Events in an HVM domain (a Linux guest on the emulated PC).  Such a
 * domain has a shared info page too (PVKIT_HC_SHARED_INFO_GPA) and the
 * same event channels, but no upcall vector: its events arrive as MSI-X
 * interrupts of the pvkit platform device, a PCI function on bus 0 with
 * the IDs below.  Its BAR 0 (32-bit memory, 4 KiB) holds the MSI-X table
 * at offset 0 and the pending bit array at PVKIT_PCI_PBA_OFFSET; it has
 * PVKIT_PCI_MSIX_VECTORS entries and no INTx.  Entry v is vCPU v's
 * upcall: the hypervisor sends it when vcpu_info[v].upcall_pending goes
 * from 0 to 1, and the guest then handles the pending ports exactly as
 * pvkit/event_channel.h describes (clear upcall_pending, swap
 * pending_sel, scan).  A masked entry (or MSI-X disabled) keeps the
 * message pending in the PBA and sends it once unmasked.  Events raised
 * before the guest set MSI-X up are still pending in evtchn_pending[].
 * The device has no registers of its own: everything else goes through
 * hypercalls.
 */
#ifndef PVKIT_IO_DEVICE_H
#define PVKIT_IO_DEVICE_H

#include "../types.h"

/* The pvkit platform PCI device of HVM domains. */
#define PVKIT_PCI_VENDOR		0x1af4
#define PVKIT_PCI_DEVICE		0x10f1
#define PVKIT_PCI_CLASS			0xff0000	/* unassigned class */
#define PVKIT_PCI_BAR_SIZE		0x1000
#define PVKIT_PCI_PBA_OFFSET		0x800
#define PVKIT_PCI_MSIX_VECTORS		16		/* PVKIT_MAX_VCPUS */

/* Device classes. */
#define PVKIT_DEV_CLASS_CONSOLE		1
#define PVKIT_DEV_CLASS_BLOCK		2	/* pvkit/io/block.h */
#define PVKIT_DEV_CLASS_NET		3	/* pvkit/io/net.h */

/* Device states (pvkit_dev_info.state). */
#define PVKIT_DEV_STATE_CLOSED		0
#define PVKIT_DEV_STATE_CONNECTED	1
#define PVKIT_DEV_STATE_BROKEN		2

/* Most devices per domain, and most queues per device. */
#define PVKIT_DEV_MAX			16
#define PVKIT_DEV_MAX_QUEUES		8

/* Largest ring order any device offers (2^12 slots). */
#define PVKIT_DEV_MAX_ORDER		12

/*
 * PVKIT_HC_DEV_INFO (gpa struct pvkit_dev_info) -> 0.
 * Describes device 'index' of the calling domain.
 * Errors: -ENOENT index >= the number of devices (a frontend enumerates
 * by counting up from 0 until -ENOENT), -EINVAL nonzero padding.
 */
struct pvkit_dev_info {
	uint32_t index;		/* IN */
	uint16_t dev_class;	/* OUT: PVKIT_DEV_CLASS_* */
	uint16_t instance;	/* OUT: id within the class */
	uint32_t state;		/* OUT: PVKIT_DEV_STATE_* */
	uint16_t max_queues;	/* OUT: 1 .. PVKIT_DEV_MAX_QUEUES */
	uint8_t min_order;	/* OUT: smallest ring order accepted */
	uint8_t max_order;	/* OUT: largest, <= PVKIT_DEV_MAX_ORDER */
	uint64_t features;	/* OUT: offered */
	uint64_t accepted;	/* OUT: accepted; 0 unless CONNECTED */
	uint32_t config_len;	/* OUT: bytes of class configuration */
	uint32_t pad;		/* IN: zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_dev_info, 40);

/*
 * PVKIT_HC_DEV_CONFIG (uint32 index, gpa buf, uint64 len) -> bytes copied.
 * Copies min(len, config_len) bytes of the device's class configuration
 * (a struct in pvkit/io/<class>.h) to buf, all of it as of one moment.
 * Errors: -ENOENT no such device, -EFAULT buf outside guest RAM.
 *
 * Configuration changes.  A class may change its configuration at run
 * time (a disk's capacity, when its storage was resized; the class
 * header says which fields may change).  The hypervisor then, after the
 * new configuration is in place, sets bit 'index' of
 * shared_info.dev_config_changed (ABI 1.5, PVKIT_FEAT_DEV_CONFIG_CHANGED)
 * and raises the ports of the device if it is connected.  A frontend
 * that cares takes the bits with an atomic exchange (to 0) when it
 * handles an event, and reads the configuration of each device named
 * again; a change made after its read sets the bit again, so none is
 * lost.  The bit is a hint, set also while the device is not connected
 * (a frontend reads the configuration when it connects anyway): a
 * configuration read for a bit finds the same values as before or new
 * ones, and is checked as any configuration is.  Before 1.5 there is
 * no bit: a frontend that finds no PVKIT_FEAT_DEV_CONFIG_CHANGED sees
 * no change before it reads the configuration again.
 */

/* One queue of a connect request. */
struct pvkit_dev_queue {
	uint64_t req_gpa;	/* IN: page aligned */
	uint64_t rsp_gpa;	/* IN: page aligned */
	uint32_t order;		/* IN: min_order .. max_order */
	uint32_t port;		/* IN: unbound for PVKIT_DOMID_HYPERVISOR */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_dev_queue, 24);

/*
 * PVKIT_HC_DEV_CONNECT (gpa struct pvkit_dev_connect) -> 0.
 * Connects the frontend of a CLOSED device.  Every value is checked
 * before anything changes; on error the device stays CLOSED and every
 * port stays as it was.
 * Errors:
 *   -ENOENT  no such device;
 *   -EBUSY   the device is CONNECTED or BROKEN (connecting twice);
 *   -EINVAL  nonzero padding or unused queue entries, nr_queues 0 or
 *            above max_queues, features not a subset of the offered
 *            ones, an order out of range, a ring address not page
 *            aligned, a port that is not UNBOUND for
 *            PVKIT_DOMID_HYPERVISOR or named twice;
 *   -EFAULT  a ring not wholly inside the domain's RAM (in MMIO, past
 *            the end, wrapping around);
 *   -EBUSY   a ring overlapping another ring of this request, a ring of
 *            another connected device, or the shared info page.
 */
struct pvkit_dev_connect {
	uint32_t index;		/* IN */
	uint32_t nr_queues;	/* IN */
	uint64_t features;	/* IN: accepted */
	struct pvkit_dev_queue queue[PVKIT_DEV_MAX_QUEUES];	/* IN */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_dev_connect, 16 + 24 * 8);

/*
 * PVKIT_HC_DEV_DISCONNECT (uint32 index) -> 0.
 * Stops the backend, forgets the rings and gives the ports back (see
 * Lifetime).  Requests in flight are completed or failed before it
 * returns.  A CLOSED device is left as it is (0).
 * Errors: -ENOENT no such device.
 */

/*
 * DEV_STATS (index, gpa): the device's counters as its backend keeps
 * them, for benchmarks to take before and after their work.  Counts only
 * grow, across connects.  Where the class times its requests (block:
 * PVKIT_BLK_STAGE_*), staged requests have added the system-time
 * nanoseconds each spent in each stage of the backend to stage_ns[]:
 * divided by staged, the mean time per request in that stage, taken from
 * the hypervisor's own clock.  Unused stages stay 0.  -ENOENT for no
 * such device, -EFAULT as usual.
 */
#define PVKIT_DEV_STAGES		4

struct pvkit_dev_stats {
	uint64_t notifies;	/* OUT: the guest's sends the backend took */
	uint64_t events;	/* OUT: events the backend raised */
	uint64_t errors;	/* OUT: protocol errors (the device broke) */
	uint64_t staged;	/* OUT: requests timed into stage_ns[] */
	uint64_t stage_ns[PVKIT_DEV_STAGES];	/* OUT */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_dev_stats, 64);

#endif /* PVKIT_IO_DEVICE_H */
