// SPDX-License-Identifier: GPL-2.0
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/acpi_build.h>
#include <hv/domain.h>
#include <hv/guest_boot.h>
#include <hv/linux_loader.h>
#include <hv/mm.h>
#include <hv/platform.h>
#include <hv/pc_platform.h>
#include <hv/pc_uart.h>
#include <hv/printk.h>

#define GDT_CODE64	0x00af9a000000ffffull
#define GDT_DATA	0x00cf92000000ffffull

void guest_boot_tables(struct domain *d, uint64_t pt, uint16_t cs,
		       uint16_t ds, struct vcpu_boot_state *bs)
{
	uint64_t *pml4 = (uint64_t *)(d->mem + pt);
	uint64_t *pdpt = pml4 + 512;
	uint64_t *pd = pdpt + 512;
	uint64_t gdt_gpa = pt + BOOT_GDT_PAGE * PAGE_SIZE;
	uint64_t *gdt = (uint64_t *)(d->mem + gdt_gpa);

	pml4[0] = (pt + PAGE_SIZE) | 0x7;
	for (int i = 0; i < 4; i++)
		pdpt[i] = (pt + (2 + i) * PAGE_SIZE) | 0x7;
	for (uint64_t i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | 0x83;
	memset(gdt, 0, PAGE_SIZE);
	gdt[cs / 8] = GDT_CODE64;
	gdt[ds / 8] = GDT_DATA;

	bs->cr3 = pt;
	bs->gdt_base = gdt_gpa;
	bs->gdt_limit = MAX(cs, ds) + 7;
	bs->cs = cs;
	bs->ds = ds;
}

struct domain *guest_create_domain(const struct domain_cfg *cfg,
				   unsigned int idx)
{
	struct shown p;
	int err;
	struct domain *d = domain_create(cfg, &err);

	/* Any other error was logged where it was found. */
	if (!d && err == -PVKIT_ENOMEM)
		pr_err("module %u (%s): cannot give it mem=%lluM: %llu MiB free",
		       idx + 1, shown(&p, cfg->path),
		       (unsigned long long)(cfg->mem_bytes >> 20),
		       (unsigned long long)(pages_free_count() >> 8));
	return d;
}

int guest_create_vcpus(struct domain *d, unsigned int nr,
		       const struct vcpu_boot_state *bs)
{
	for (unsigned int i = 0; i < nr; i++) {
		struct vcpu *v = kzalloc(sizeof(*v));

		if (!v)
			return -PVKIT_ENOMEM;
		v->dom = d;
		v->id = i;
		v->state = VCPU_DOWN;
		if (vcpu_ops->vcpu_init(v, i == 0 ? bs : NULL)) {
			kfree(v);
			return -PVKIT_ENOMEM;
		}
		d->vcpus[d->nr_vcpus++] = v;
	}
	return 0;
}

int guest_create_pc(struct domain *d, const struct domain_cfg *cfg,
		    const struct vcpu_boot_state *bs, unsigned int idx)
{
	struct shown p;
	int ret = guest_create_vcpus(d, cfg->vcpus, bs);

	if (!ret)
		ret = pc_platform_create(d, cfg);
	/* -PVKIT_EINVAL: a device refused, which said why. */
	if (ret && ret != -PVKIT_EINVAL)
		pr_err("module %u (%s): out of hypervisor memory for its vCPUs and devices",
		       idx + 1, shown(&p, cfg->path));
	if (ret)
		return ret;
	/* The APs sleep until the BSP's INIT-SIPI-SIPI wakes them. */
	for (unsigned int i = 1; i < d->nr_vcpus; i++)
		d->vcpus[i]->state = VCPU_BLOCKED;
	return 0;
}

unsigned int guest_pc_e820(uint64_t mem, struct e820_entry *e)
{
	const uint64_t low_end = PLATFORM_SHARED_INFO_GPA;
	const uint64_t high = PLATFORM_HIGHMEM_START;

	e[0] = (struct e820_entry){ 0, low_end, E820_RAM };
	e[1] = (struct e820_entry){ low_end, PLATFORM_LOWMEM_END - low_end,
				    E820_RESERVED };
	e[2] = (struct e820_entry){ PLATFORM_ACPI_BASE, PLATFORM_ACPI_SIZE,
				    E820_ACPI };
	e[3] = (struct e820_entry){ high, mem - high, E820_RAM };
	e[4] = (struct e820_entry){ PLATFORM_ECAM_BASE, PLATFORM_ECAM_SIZE,
				    E820_RESERVED };
	return GUEST_PC_E820_MAX;
}

int guest_pc_acpi(struct domain *d, unsigned int vcpus, uint64_t *rsdp)
{
	struct acpi_build_cfg cfg = {
		.vcpus = vcpus, .com1 = pc_uart_present(),
	};
	int ret = acpi_build(d->mem + PLATFORM_ACPI_BASE, PLATFORM_ACPI_BASE,
			     PLATFORM_ACPI_SIZE, &cfg, rsdp);

	return ret < 0 ? ret : 0;
}

int guest_pc_rebuild(struct domain *d,
		     int (*load)(struct domain *d, struct vcpu_boot_state *bs))
{
	struct vcpu_boot_state bs;
	int ret;

	memset(d->mem, 0, d->mem_bytes);
	ret = load(d, &bs);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		vcpu_ops->vcpu_reset(d->vcpus[i], i == 0 ? &bs : NULL);
	pc_platform_reset(d);
	return 0;
}
