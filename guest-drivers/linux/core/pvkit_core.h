/* SPDX-License-Identifier: GPL-2.0 */
/* pvkit.ko internals, shared by its files. */
#ifndef PVKIT_CORE_H
#define PVKIT_CORE_H

#include <linux/irqdomain.h>
#include <linux/pci.h>
#include <pvkit/shared_info.h>
#include <pvkit_bus.h>

/* One MSI-X entry: entry v carries vCPU v's upcall. */
struct pvkit_upcall {
	struct pvkit_platform *plat;
	unsigned int vcpu;
	unsigned int irq;
	atomic64_t count;
	char name[24];
	/*
	 * The ports this vCPU's upcall dispatches: those bound to it, and
	 * for the length of a move, the port moving to it (events.c).
	 */
	DECLARE_BITMAP(ports, PVKIT_EVTCHN_PORTS);
};

/* The one pvkit platform device of this domain. */
struct pvkit_platform {
	struct pci_dev *pdev;
	struct pvkit_shared_info *shared;
	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	unsigned int nr_upcalls;
	struct pvkit_upcall upcall[PVKIT_PCI_MSIX_VECTORS];
	/* EVTCHN_BIND_VCPU is there; each port's vCPU, under its irq_desc. */
	bool can_move;
	u8 port_vcpu[PVKIT_EVTCHN_PORTS];
	/* shared->dev_config_changed is there (ABI 1.5). */
	bool config_bits;
	/* The pvkit clocksource is registered (clock.c). */
	bool clock;
	/* Queued by an upcall that finds dev_config_changed set. */
	struct work_struct config_work;
	struct mutex devs_lock;		/* nr_devs, devs[] */
	unsigned int nr_devs;
	struct pvkit_device *devs[PVKIT_DEV_MAX];
};

extern struct pvkit_platform *pvkit_plat;

/* The module's own accounting, shown under /sys/bus/pvkit/. */
extern atomic_t pvkit_ports_open;
extern atomic_long_t pvkit_ring_pages;
extern atomic64_t pvkit_stray_events;

/* events.c */
int pvkit_events_init(struct pvkit_platform *plat);
void pvkit_events_exit(struct pvkit_platform *plat);
int pvkit_port_open(struct pvkit_queue *q);
void pvkit_port_close(struct pvkit_queue *q);
int pvkit_ports_in_use(void);

/* bus.c */
int pvkit_bus_init(void);
void pvkit_bus_exit(void);
/*
 * Hands the emulated devices with PV replacements over (unplug.c).  0
 * when they were unplugged or stay (in use: logged), else an error.
 */
int pvkit_unplug(struct pvkit_platform *plat);
int pvkit_devices_add(struct pvkit_platform *plat);
void pvkit_devices_remove(struct pvkit_platform *plat);
void pvkit_config_work(struct work_struct *work);

/* clock.c */
int pvkit_clock_init(struct pvkit_platform *plat);
void pvkit_clock_exit(struct pvkit_platform *plat);

/* device.c */
long pvkit_dev_info(u32 index, struct pvkit_dev_info *out);
void pvkit_dev_fail_work(struct work_struct *work);

#endif /* PVKIT_CORE_H */
