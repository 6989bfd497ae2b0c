/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated NICs of an HVM domain's PC (hypervisor/common/pc_nic.c):
 * an e1000 per net=ID,mode=emulated, a port of the default switch, with
 * deferred work on its vCPU 0's pCPU for frames that arrive between the
 * guest's exits.  Called by pc_platform.c at the matching points.
 */
#ifndef HV_PC_NIC_H
#define HV_PC_NIC_H

#include <stdint.h>

struct domain;
struct pc_platform;

#ifdef CONFIG_EMUL_E1000
/* Allocates the NICs the module line asked for.  0 or -PVKIT_ENOMEM. */
int pc_nics_create(struct domain *d, struct pc_platform *pf);
/* Power-on state, on the PCI bus and the switch (create and reset). */
int pc_nics_init(struct domain *d, struct pc_platform *pf);
/* Onto the device bus, once.  0 or -PVKIT_ENOSPC. */
int pc_nics_attach(struct domain *d, struct pc_platform *pf);
/* BARs the guest moved go back where firmware puts them (reset). */
void pc_nics_unmove(struct domain *d, struct pc_platform *pf);
/* The end-of-domain line of each NIC, with exits per packet. */
void pc_nics_log(struct domain *d);
/* Bit N for slot N of each unplug=pv NIC (hypercall UNPLUG). */
uint32_t pc_nics_unplug_slots(const struct pc_platform *pf);
/* Those NICs off the device bus and the switch; a log line each. */
void pc_nics_unplug(struct domain *d, struct pc_platform *pf);
#else
static inline int pc_nics_create(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
	return 0;
}
static inline int pc_nics_init(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
	return 0;
}
static inline int pc_nics_attach(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
	return 0;
}
static inline void pc_nics_unmove(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
}
static inline void pc_nics_log(struct domain *d)
{
	(void)d;
}
static inline uint32_t pc_nics_unplug_slots(const struct pc_platform *pf)
{
	(void)pf;
	return 0;
}
static inline void pc_nics_unplug(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
}
#endif

#endif
