/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The switch's uplink (hypervisor/net/uplink_virtio.c): the machine's
 * first virtio-net device, driven by the hypervisor itself and attached
 * to the default switch as one more port, so that frames for MACs the
 * switch has not learned (and broadcasts) also reach the network QEMU
 * puts behind that device.  Enabled by the hypervisor's "uplink" option.
 */
#ifndef HV_UPLINK_H
#define HV_UPLINK_H

#include <hv/printk.h>

#ifdef CONFIG_NET_UPLINK
/* Finds, sets up and attaches the device; a warning if there is none. */
void uplink_virtio_probe(void);
/*
 * Once the domains are built: the device's work and interrupts to
 * sched_spare_pcpu(), when there is one, as the PV backends'.
 */
void uplink_place(void);
/* One line of counters (at the end of the run). */
void uplink_log(void);
#else
static inline void uplink_place(void)
{
}

static inline void uplink_virtio_probe(void)
{
	pr_warn("uplink: not in this build (CONFIG_NET_UPLINK)");
}

static inline void uplink_log(void)
{
}
#endif

#endif
