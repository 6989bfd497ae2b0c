/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI passthrough: a function of the machine (pci=BB:DD.F on a module
 * line) on a domain's emulated PCI bus, driven by the guest's own
 * driver.  Its BARs are mapped into the guest by nested paging, its
 * config space is filtered (hypervisor/passthrough/pt_pci.c), its DMA
 * and MSI go through the IOMMU (hv/iommu.h).  Without
 * CONFIG_PASSTHROUGH the boot configuration refuses pci=, so these
 * have nothing to do.
 */
#ifndef HV_PASSTHROUGH_H
#define HV_PASSTHROUGH_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct domain_cfg;

#ifdef CONFIG_PASSTHROUGH
/*
 * Claims, resets and attaches cfg's PCI functions and puts them on d's
 * bus.  0, or a negative errno after one log line saying why.
 */
int pt_domain_create(struct domain *d, const struct domain_cfg *cfg);
/*
 * A domain with after=: whether the functions it takes over are free
 * yet (their last owner's quarantine has settled), and taking them;
 * pt_domain_start() returns 0, or a negative errno after one log line.
 */
bool pt_domain_ready(struct domain *d, uint64_t now);
int pt_domain_start(struct domain *d);
/* A reboot: every function reset, back where pt_domain_create() left it. */
void pt_domain_reset(struct domain *d);
/* d ended: its functions quarantined (no DMA, no interrupt). */
void pt_domain_end(struct domain *d);
#else
static inline int pt_domain_create(struct domain *d,
				   const struct domain_cfg *cfg)
{
	(void)d;
	(void)cfg;
	return 0;
}

static inline bool pt_domain_ready(struct domain *d, uint64_t now)
{
	(void)d;
	(void)now;
	return true;
}

static inline int pt_domain_start(struct domain *d)
{
	(void)d;
	return 0;
}

static inline void pt_domain_reset(struct domain *d)
{
	(void)d;
}

static inline void pt_domain_end(struct domain *d)
{
	(void)d;
}
#endif

#endif /* HV_PASSTHROUGH_H */
