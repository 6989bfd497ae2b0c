// SPDX-License-Identifier: GPL-2.0
/*
 * What CPUID tells a guest: the host's answers, less what pvkit does not
 * virtualise (SVM/VMX, MONITOR/MWAIT, XSAVE and so AVX, performance
 * counters, protection keys, memory encryption, scalable MCA), with the
 * hypervisor bit, pvkit's own leaves and a topology of the domain's
 * vCPUs: one socket, one thread per core, APIC ID = vCPU id.  MCE and
 * MCA are always offered: msr.c has the registers they promise.  x2APIC
 * and the TSC-deadline timer are the emulated local APIC's (vlapic.c),
 * so only a domain that has one sees them, and only those its
 * configuration left on (x2apic=off, tsc_deadline=off), whatever the host
 * has.  Shadow paging keeps no PCIDs and walks four levels: a domain
 * on it sees neither PCID, INVPCID nor LA57.
 */
#include <stdint.h>
#include <pvkit/hypercall.h>
#include <asm/cpuid.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <hv/domain.h>
#include <hv/emul/vlapic.h>
#include <hv/hypercall.h>

#define L1_ECX_MONITOR		(1u << 3)
#define L1_ECX_PCID		(1u << 17)
#define L1_ECX_VMX		(1u << 5)
#define L1_ECX_X2APIC		(1u << 21)
#define L1_ECX_TSC_DEADLINE	(1u << 24)
#define L1_ECX_XSAVE		(1u << 26)
#define L1_ECX_OSXSAVE		(1u << 27)
#define L1_ECX_AVX		(1u << 28)
#define L1_ECX_HYPERVISOR	(1u << 31)
#define L1_EDX_MCE		(1u << 7)
#define L1_EDX_APIC		(1u << 9)
#define L1_EDX_MCA		(1u << 14)
#define L1_EDX_HTT		(1u << 28)
#define L7_EBX_AVX2		(1u << 5)
#define L7_EBX_INVPCID		(1u << 10)
#define L7_ECX_LA57		(1u << 16)
#define L7_ECX_PKU		(1u << 3)
#define L7_ECX_OSPKE		(1u << 4)
#define L81_ECX_SVM		(1u << 2)
#define L81_ECX_OSVW		(1u << 9)
#define L81_ECX_IBS		(1u << 10)
#define L81_ECX_SKINIT		(1u << 12)
#define L81_ECX_WDT		(1u << 13)
#define L81_ECX_TOPOEXT		(1u << 22)
#define L81_ECX_PERFCTR_CORE	(1u << 23)
#define L81_ECX_PERFCTR_NB	(1u << 24)
#define L81_ECX_PERFCTR_LLC	(1u << 28)
#define L87_EBX_MCA_OVERFLOW	(1u << 0)
#define L87_EBX_SUCCOR		(1u << 1)
#define L87_EBX_SMCA		(1u << 3)

static void pvkit_leaves(struct vcpu *v, uint32_t leaf, uint32_t *r)
{
	if (leaf == PVKIT_CPUID_BASE) {
		r[0] = PVKIT_CPUID_MAX;
		r[1] = PVKIT_CPUID_SIG_EBX;
		r[2] = PVKIT_CPUID_SIG_ECX;
		r[3] = PVKIT_CPUID_SIG_EDX;
	} else if (leaf == PVKIT_CPUID_VERSION) {
		r[0] = PVKIT_ABI_VERSION;
		r[1] = (uint32_t)hypercall_features();
	} else if (leaf == PVKIT_CPUID_TIMING) {
		r[0] = (uint32_t)(tsc_hz() / 1000);
		r[1] = v->dom->lapic_khz;
	}
}

/* Leaf 1 ECX bits that come from the local APIC model, not the host. */
static uint32_t lapic_features(const struct vcpu *v)
{
	unsigned int f = v->lapic ? v->dom->lapic_flags : 0;
	uint32_t ecx = 0;

	if (f & VLAPIC_F_X2APIC)
		ecx |= L1_ECX_X2APIC;
	if (f & VLAPIC_F_TSC_DEADLINE)
		ecx |= L1_ECX_TSC_DEADLINE;
	return ecx;
}

static unsigned int order_of(unsigned int n)
{
	unsigned int bits = 0;

	while ((1u << bits) < n)
		bits++;
	return bits;
}

/* Leaf 0xB: thread level, then core level, then nothing. */
static void topology_leaf(struct vcpu *v, uint32_t sub, uint32_t *r)
{
	unsigned int n = v->dom->nr_vcpus;

	r[0] = r[1] = 0;
	r[2] = sub & 0xff;
	r[3] = v->id;
	if (sub == 0) {
		r[1] = 1;
		r[2] |= 1u << 8;
	} else if (sub == 1) {
		r[0] = order_of(n);
		r[1] = n;
		r[2] |= 2u << 8;
	}
}

void guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t *r)
{
	unsigned int n = v->dom->nr_vcpus;

	r[0] = r[1] = r[2] = r[3] = 0;
	if ((leaf & 0xffff0000u) == PVKIT_CPUID_BASE) {
		pvkit_leaves(v, leaf, r);
		return;
	}
	cpuid_count(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
	switch (leaf) {
	case 1:
		r[2] &= ~(L1_ECX_MONITOR | L1_ECX_VMX | L1_ECX_X2APIC |
			  L1_ECX_TSC_DEADLINE | L1_ECX_XSAVE |
			  L1_ECX_OSXSAVE | L1_ECX_AVX);
		r[2] |= L1_ECX_HYPERVISOR | lapic_features(v);
		if (v->dom->shadow_paging)
			r[2] &= ~L1_ECX_PCID;
		r[1] = (r[1] & 0x0000ffffu) | (v->id << 24) |
		       ((n & 0xff) << 16);
		/* Without MCE/MCA, Linux fails to set up its MCE device. */
		r[3] |= L1_EDX_MCE | L1_EDX_MCA | L1_EDX_HTT;
		if (v->lapic && !vlapic_hw_enabled(v->lapic))
			r[3] &= ~L1_EDX_APIC;
		break;
	case 7:
		if (sub != 0)
			break;
		r[1] &= ~L7_EBX_AVX2;
		/* PKRU is switched (svm_isolation.c) but not offered. */
		r[2] &= ~(L7_ECX_PKU | L7_ECX_OSPKE);
		if (v->dom->shadow_paging) {
			r[1] &= ~L7_EBX_INVPCID;
			r[2] &= ~L7_ECX_LA57;
		}
		break;
	case 0xb:
		topology_leaf(v, sub, r);
		break;
	case 0xa:	/* architectural performance monitoring */
	case 0xd:	/* XSAVE state */
	case 0x8000000a:	/* SVM */
	case 0x8000001f:	/* memory encryption */
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	case 0x80000001:
		r[2] &= ~(L81_ECX_SVM | L81_ECX_OSVW | L81_ECX_IBS |
			  L81_ECX_SKINIT | L81_ECX_WDT | L81_ECX_TOPOEXT |
			  L81_ECX_PERFCTR_CORE | L81_ECX_PERFCTR_NB |
			  L81_ECX_PERFCTR_LLC);
		r[3] |= L1_EDX_MCE | L1_EDX_MCA;	/* mirrors leaf 1 */
		if (v->lapic && !vlapic_hw_enabled(v->lapic))
			r[3] &= ~L1_EDX_APIC;
		break;
	case 0x80000007:	/* MCA extensions, whose MSRs are not there */
		r[1] &= ~(L87_EBX_MCA_OVERFLOW | L87_EBX_SUCCOR | L87_EBX_SMCA);
		break;
	case 0x80000008:
		r[2] = (r[2] & ~0xf0ffu) | ((n - 1) & 0xff) |
		       (order_of(n) << 12);
		break;
	case 0x8000001e:	/* hidden with TOPOEXT */
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	}
}
