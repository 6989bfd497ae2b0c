// SPDX-License-Identifier: GPL-2.0
/*
 * The domain builder: reads every Multiboot module's command line, checks
 * them all, then builds one domain per guest module.  A kind=data module
 * right after a kind=linux module is that kernel's initramfs; the
 * kind=data modules after a kind=multiboot module are its modules.  The
 * kind=disk modules after those are images, each the first contents of
 * one of that domain's disks, PV or emulated.
 */
#include <stdint.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/boot.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/domain_build.h>
#include <hv/guest_boot.h>
#include <hv/printk.h>
#include <hv/sched.h>

/* The guest module a data or disk module at i belongs to, or n for none. */
static unsigned int data_owner(const struct domain_cfg *cfgs, unsigned int i,
			       unsigned int n)
{
	unsigned int j = i;

	/* Images come last, after the guest's own data modules. */
	if (cfgs[i].kind == DOMAIN_KIND_DISK) {
		while (j > 0 && cfgs[j - 1].kind == DOMAIN_KIND_DISK)
			j--;
		if (j == 0)
			return n;
		if (cfgs[j - 1].kind == DOMAIN_KIND_DATA)
			return data_owner(cfgs, j - 1, n);
		return j - 1;
	}
	while (j > 0 && cfgs[j - 1].kind == DOMAIN_KIND_DATA)
		j--;
	if (j == 0)
		return n;
	if (cfgs[j - 1].kind == DOMAIN_KIND_MULTIBOOT)
		return j - 1;
	/* A Linux kernel takes one initramfs. */
	if (cfgs[j - 1].kind == DOMAIN_KIND_LINUX && j == i)
		return j - 1;
	return n;
}

static int check_kinds(const struct domain_cfg *cfgs, unsigned int n)
{
	struct shown p;

	for (unsigned int i = 0; i < n; i++) {
		if (cfgs[i].kind != DOMAIN_KIND_DATA)
			continue;
		if (data_owner(cfgs, i, n) == n) {
			pr_err("module %u (%s): a kind=data module must follow the kind=linux module whose initramfs it is, or a kind=multiboot module (or its other modules)",
			       i + 1, shown(&p, cfgs[i].path));
			return -PVKIT_EINVAL;
		}
	}
	return 0;
}

static bool is_guest(const struct domain_cfg *c)
{
	return c->kind != DOMAIN_KIND_DATA && c->kind != DOMAIN_KIND_DISK;
}

/* after=NAME names exactly one guest module before it. */
static int check_after(const struct domain_cfg *cfgs, unsigned int n)
{
	struct shown p;

	for (unsigned int i = 0; i < n; i++) {
		unsigned int found = 0;

		if (!cfgs[i].after[0])
			continue;
		for (unsigned int j = 0; j < i; j++)
			found += is_guest(&cfgs[j]) &&
				 !strcmp(cfgs[j].name, cfgs[i].after);
		if (is_guest(&cfgs[i]) && found == 1)
			continue;
		pr_err("module %u (%s): after=%s: %s", i + 1,
		       shown(&p, cfgs[i].path), cfgs[i].after,
		       !is_guest(&cfgs[i]) ? "only a domain can wait for another" :
		       found ? "more than one earlier domain has that name" :
		       "no earlier domain has that name");
		return -PVKIT_EINVAL;
	}
	return 0;
}

/* The disk (PV or emulated: both have storage) of cfg with id, or NULL. */
static struct dev_cfg *disk_of(struct domain_cfg *cfg, int id)
{
	for (unsigned int k = 0; k < cfg->nr_devs; k++) {
		struct dev_cfg *dev = &cfg->devs[k];

		if (dev->type == DEV_TYPE_DISK &&
		    dev->mode != DEV_MODE_PASSTHROUGH && dev->id == id)
			return dev;
	}
	return NULL;
}

/*
 * Each kind=disk module becomes the first contents of its domain's
 * disk: the disk must exist, hold the whole image and take one image.
 */
static int attach_image(struct domain_cfg *cfgs, unsigned int i,
			unsigned int n)
{
	const struct boot_module *m = &boot_info.modules[i];
	unsigned int o = data_owner(cfgs, i, n);
	uint64_t len = m->end - m->start;
	struct shown p, q;
	struct dev_cfg *dev;

	if (o == n) {
		pr_err("module %u (%s): a kind=disk module must follow the modules of the domain whose disk it fills",
		       i + 1, shown(&p, cfgs[i].path));
		return -PVKIT_EINVAL;
	}
	dev = disk_of(&cfgs[o], cfgs[i].image_disk);
	if (!dev) {
		pr_err("module %u (%s): disk=%d: module %u (%s) has no PV disk %d",
		       i + 1, shown(&p, cfgs[i].path), cfgs[i].image_disk,
		       o + 1, shown(&q, cfgs[o].path), cfgs[i].image_disk);
		return -PVKIT_EINVAL;
	}
	if (dev->storage != DEV_STORAGE_RAM) {
		pr_err("module %u (%s): disk %d of module %u is on virtio-blk storage: an image fills RAM storage only",
		       i + 1, shown(&p, cfgs[i].path), cfgs[i].image_disk,
		       o + 1);
		return -PVKIT_EINVAL;
	}
	if (dev->image_len) {
		pr_err("module %u (%s): disk %d of module %u already has an image",
		       i + 1, shown(&p, cfgs[i].path), cfgs[i].image_disk,
		       o + 1);
		return -PVKIT_EINVAL;
	}
	if (!len || len > dev->size) {
		pr_err("module %u (%s): an image of %llu bytes for disk %d of %llu bytes (size=): it must fit, and not be empty",
		       i + 1, shown(&p, cfgs[i].path), (unsigned long long)len,
		       cfgs[i].image_disk, (unsigned long long)dev->size);
		return -PVKIT_EINVAL;
	}
	dev->image_pa = m->start;
	dev->image_len = len;
	return 0;
}

static int attach_images(struct domain_cfg *cfgs, unsigned int n)
{
	int ret;

	for (unsigned int i = 0; i < n; i++) {
		if (cfgs[i].kind != DOMAIN_KIND_DISK)
			continue;
		ret = attach_image(cfgs, i, n);
		if (ret)
			return ret;
	}
	return 0;
}

static unsigned int nr_data_after(const struct domain_cfg *cfgs,
				  unsigned int i)
{
	unsigned int k = 0;

	while (i + 1 + k < boot_info.nr_modules &&
	       cfgs[i + 1 + k].kind == DOMAIN_KIND_DATA)
		k++;
	return k;
}

static int parse_all(struct domain_cfg *cfgs)
{
	char err[160];

	if (!boot_info.nr_modules) {
		pr_err("no domain to run: give each guest as a Multiboot module");
		return -PVKIT_EINVAL;
	}
	if (boot_info.nr_modules > CONFIG_MAX_DOMAINS) {
		pr_err("%u modules given, CONFIG_MAX_DOMAINS is %d",
		       boot_info.nr_modules, CONFIG_MAX_DOMAINS);
		return -PVKIT_E2BIG;
	}
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		if (bootcfg_parse_module(boot_info.modules[i].cmdline, i,
					 CONFIG_MAX_VCPUS, &cfgs[i], err,
					 sizeof(err))) {
			pr_err("%s", err);
			return -PVKIT_EINVAL;
		}
	}
	if (check_kinds(cfgs, boot_info.nr_modules) ||
	    check_after(cfgs, boot_info.nr_modules))
		return -PVKIT_EINVAL;
	return attach_images(cfgs, boot_info.nr_modules);
}

static int build_one(const struct domain_cfg *cfgs, unsigned int i)
{
	const struct boot_module *m = &boot_info.modules[i];
	const struct boot_module *initrd = NULL;

	switch (cfgs[i].kind) {
	case DOMAIN_KIND_MINIOS:
		return minios_build(m, i, &cfgs[i]);
	case DOMAIN_KIND_LINUX:
		if (i + 1 < boot_info.nr_modules &&
		    cfgs[i + 1].kind == DOMAIN_KIND_DATA)
			initrd = &boot_info.modules[i + 1];
		return linux_build(m, i, &cfgs[i], initrd);
	case DOMAIN_KIND_MULTIBOOT:
		return multiboot_build(m, i, &cfgs[i], m + 1, &cfgs[i + 1],
				       nr_data_after(cfgs, i));
	default:
		return 0;	/* data and disk: taken by the domain before */
	}
}

int domains_build_from_modules(void)
{
	static struct domain_cfg cfgs[BOOT_MAX_MODULES];
	int ret;

	/* Every line is checked before the first domain is built. */
	ret = parse_all(cfgs);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		ret = build_one(cfgs, i);
		if (ret)
			return ret;
		if (cfgs[i].kind != DOMAIN_KIND_DATA &&
		    cfgs[i].kind != DOMAIN_KIND_DISK)
			boot_phase("d%u %s built", nr_domains,
				   domains[nr_domains - 1]->name);
	}
	/* Only now may any pCPU see a runnable vCPU. */
	for (unsigned int i = 0; i < nr_domains; i++) {
		struct domain *d = domains[i];

		for (unsigned int j = 0; j < d->nr_vcpus; j++)
			sched_add_vcpu(d->vcpus[j]);
		if (d->state == DOMAIN_RUNNING)	/* not WAITING */
			d->vcpus[0]->state = VCPU_RUNNABLE;
	}
	return 0;
}
