# SPDX-License-Identifier: GPL-2.0
# hypervisor/arch/x86: everything that knows the x86 architecture.

obj-y += arch/x86/boot/head.o arch/x86/boot/trampoline.o
obj-y += arch/x86/entry.o arch/x86/traps.o arch/x86/pic.o arch/x86/cpu.o
obj-y += arch/x86/apic.o arch/x86/time.o arch/x86/acpi.o arch/x86/smp.o
obj-y += arch/x86/cpuid.o arch/x86/msr.o arch/x86/fpu.o arch/x86/mmio.o
obj-y += arch/x86/msi.o
# HVM guests: page walks, the instruction emulator, what VMX would share.
obj-y += arch/x86/guest_walk.o arch/x86/hvm.o arch/x86/mb_trampoline.o
obj-y += arch/x86/emulate/decode.o arch/x86/emulate/emulate.o
# AMD SVM with nested paging: the vcpu_ops backend.
obj-$(CONFIG_SVM) += arch/x86/svm/svm.o arch/x86/svm/svm_entry.o
obj-$(CONFIG_SVM) += arch/x86/svm/svm_exit.o arch/x86/svm/svm_hvm.o
obj-$(CONFIG_SVM) += arch/x86/svm/svm_isolation.o arch/x86/svm/npt.o
obj-$(CONFIG_SVM) += arch/x86/svm/svm_pio_string.o arch/x86/svm/svm_cr.o
# Shadow paging, for vCPUs without nested paging.
obj-$(CONFIG_SHADOW_PAGING) += arch/x86/svm/svm_shadow.o
obj-$(CONFIG_SHADOW_PAGING) += arch/x86/shadow/vtlb.o arch/x86/shadow/shadow.o
# The AMD IOMMU (AMD-Vi), behind hv/iommu.h.
obj-$(CONFIG_AMD_IOMMU) += arch/x86/iommu/ivrs.o arch/x86/iommu/amd_vi.o
obj-$(CONFIG_AMD_IOMMU) += arch/x86/iommu/amd_vi_evt.o
