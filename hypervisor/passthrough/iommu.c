// SPDX-License-Identifier: GPL-2.0
/* Picks the machine's IOMMU driver: see hv/iommu.h. */
#include <pvkit/errno.h>
#include <asm/iommu.h>
#include <hv/iommu.h>
#include <hv/printk.h>

const struct iommu_ops *iommu;

int iommu_init(void)
{
#ifdef CONFIG_AMD_IOMMU
	iommu = amd_vi_probe();
#endif
	if (!iommu) {
		pr_info("iommu: none found, so no PCI passthrough");
		return -PVKIT_ENOENT;
	}
	pr_info("iommu: %s, interrupt remapping %s", iommu->name,
		iommu->intremap ? "on" : "off");
	return 0;
}
