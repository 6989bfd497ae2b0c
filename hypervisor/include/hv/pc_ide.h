/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated disk of an HVM domain's PC (hypervisor/common/pc_ide.c):
 * the PIIX IDE function, whose primary master is the module line's
 * disk=ID,mode=emulated on that disk's storage.  Called by
 * pc_platform.c at the matching points.  Without CONFIG_EMUL_IDE the
 * boot configuration refuses such a disk, so these have nothing to do.
 */
#ifndef HV_PC_IDE_H
#define HV_PC_IDE_H

#include <stdint.h>

struct domain;
struct domain_cfg;
struct pc_platform;

#ifdef CONFIG_EMUL_IDE
/* The model and its storage, if cfg has such a disk.  0 or -PVKIT_ENOMEM. */
int pc_ide_create(struct domain *d, struct pc_platform *pf,
		  const struct domain_cfg *cfg);
/* Power-on state, on the PCI bus; a request in flight was drained. */
int pc_ide_init(struct domain *d, struct pc_platform *pf);
/* Onto the device bus, once.  0 or -PVKIT_ENOSPC. */
int pc_ide_attach(struct domain *d, struct pc_platform *pf);
/* The last request lands before the model starts afresh (reset). */
void pc_ide_drain(struct pc_platform *pf);
/* The end-of-domain line of the disk's counters. */
void pc_ide_log(const struct domain *d);
/* Bit N for slot N if the disk is unplug=pv (hypercall UNPLUG). */
uint32_t pc_ide_unplug_slots(const struct pc_platform *pf);
/* Drains, takes it off the device bus, flushes; one log line. */
void pc_ide_unplug(struct domain *d, struct pc_platform *pf);
#else
static inline int pc_ide_create(struct domain *d, struct pc_platform *pf,
				const struct domain_cfg *cfg)
{
	(void)d; (void)pf; (void)cfg;
	return 0;
}
static inline int pc_ide_init(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
	return 0;
}
static inline int pc_ide_attach(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
	return 0;
}
static inline void pc_ide_drain(struct pc_platform *pf)
{
	(void)pf;
}
static inline void pc_ide_log(const struct domain *d)
{
	(void)d;
}
static inline uint32_t pc_ide_unplug_slots(const struct pc_platform *pf)
{
	(void)pf;
	return 0;
}
static inline void pc_ide_unplug(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
}
#endif

#endif
