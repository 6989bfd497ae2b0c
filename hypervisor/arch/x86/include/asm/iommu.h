/* SPDX-License-Identifier: GPL-2.0 */
/* The x86 IOMMU drivers behind hv/iommu.h. */
#ifndef ASM_IOMMU_H
#define ASM_IOMMU_H

#include <hv/iommu.h>

/*
 * AMD-Vi: finds the IOMMU in the ACPI IVRS, sets up its device table,
 * command buffer, event log (with its interrupt) and, where the IOMMU
 * has it, interrupt remapping, and turns it on with every function's
 * DMA untranslated.  Its ops, or NULL: quietly when the ACPI tables
 * list none (iommu_init() says so), with a line saying why when the
 * IVRS or the IOMMU cannot be used.
 */
const struct iommu_ops *amd_vi_probe(void);

#endif
