// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated disk on the PC platform (see hv/pc_ide.h).  The model
 * runs in the guest's exits; a storage request that completes later
 * (virtio-blk storage) is finished by a work item on the pCPU of the
 * domain's vCPU 0, under the same device lock.
 */
#include <lib/compiler.h>
#include <lib/printf.h>
#include <pvkit/errno.h>
#include <pvkit/io/device.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/emul/ide_piix.h>
#include <hv/emul_bus.h>
#include <hv/mm.h>
#include <hv/pc_ide.h>
#include <hv/pc_platform.h>
#include <hv/printk.h>
#include <hv/pv.h>
#include <hv/storage.h>
#include <hv/time.h>
#include <hv/work.h>

/* A storage request finished after its access: its pCPU's work ends it. */
static bool ide_work(struct work *w)
{
	struct pc_platform *pf = container_of(w, struct pc_platform, ide_work);

	emul_bus_lock_dev(pf->dom, &pf->ide->dev);
	/* Unplugged: the unplug finished the command itself. */
	if (!pf->ide_gone)
		ide_piix_complete(pf->ide);
	emul_bus_unlock_dev(pf->dom, &pf->ide->dev);
	return false;
}

/*
 * From the storage's completion, any pCPU.  One request is in flight
 * at a time, so the item is never queued twice at once; vCPU 0's pCPU
 * is known by the time the guest issues a command.
 */
static void ide_kick(void *arg)
{
	struct pc_platform *pf = arg;

	if (!pf->ide_work.pc)
		pf->ide_work.pc = pf->dom->vcpus[0]->pcpu;
	work_queue(&pf->ide_work);
}

static const struct dev_cfg *emulated_disk(const struct domain_cfg *cfg)
{
	for (unsigned int i = 0; i < cfg->nr_devs; i++)
		if (cfg->devs[i].type == DEV_TYPE_DISK &&
		    cfg->devs[i].mode == DEV_MODE_EMULATED)
			return &cfg->devs[i];
	return NULL;
}

/*
 * The storage of a disk PV takes over (unplug=pv) is its replacement's,
 * which pv_domain_init() made: one storage, two fronts, never both at
 * once.
 */
static struct storage *replacement_storage(struct domain *d,
					   const struct dev_cfg *dev)
{
	struct pvdev *pv = pvdev_find(d, PVKIT_DEV_CLASS_BLOCK, dev->id);

	return pv && pv->index >= d->nr_pvdevs_plain ? pv_block_storage(pv) :
						       NULL;
}

/* The disk's storage, as a PV disk's (see block_back.c). */
int pc_ide_create(struct domain *d, struct pc_platform *pf,
		  const struct domain_cfg *cfg)
{
	const struct dev_cfg *dev = emulated_disk(cfg);
	char who[40];

	if (!dev)
		return 0;
	snprintf(who, sizeof(who), "d%u emulated disk %u", d->id, dev->id);
	pf->ide_id = dev->id;
	pf->ide_unplug = dev->unplug;
	if (dev->unplug)
		pf->ide_storage = replacement_storage(d, dev);
	else if (dev->storage == DEV_STORAGE_RAM)
		pf->ide_storage = storage_ram_create(dev->size,
			dev->image_len ? phys_to_virt(dev->image_pa) : NULL,
			dev->image_len);
	else
		pf->ide_storage = storage_virtio_get(dev->storage_index, who);
	pf->ide = kzalloc(sizeof(*pf->ide));
	if (!pf->ide_storage || !pf->ide) {
		pr_err("%s: no storage for it", who);
		return -PVKIT_ENOMEM;
	}
	work_init(&pf->ide_work, NULL, ide_work);
	return 0;
}

int pc_ide_init(struct domain *d, struct pc_platform *pf)
{
	if (!pf->ide)
		return 0;
	pf->ide_gone = false;	/* a reset plugs it back */
	ide_piix_init(pf->ide, &d->bus.env, pf->ide_storage,
		      PLATFORM_IDE_BM_PORT);
	pf->ide->kick = ide_kick;
	pf->ide->kick_arg = pf;
	return pci_host_add_function(&pf->pci,
				     PCI_DEVFN(PLATFORM_IDE_PCI_SLOT, 0),
				     &ide_piix_cfg_ops, pf->ide);
}

int pc_ide_attach(struct domain *d, struct pc_platform *pf)
{
	struct emul_device *dev;

	if (!pf->ide)
		return 0;
	dev = &pf->ide->dev;
	if (emul_bus_attach(d, dev) ||
	    emul_bus_map(d, dev, false, IDE_PIIX_CMD_PORT, 8) ||
	    emul_bus_map(d, dev, false, IDE_PIIX_CTL_PORT, 1) ||
	    emul_bus_map(d, dev, false, PLATFORM_IDE_BM_PORT,
			 IDE_PIIX_BM_PORTS))
		return -PVKIT_ENOSPC;
	return 0;
}

void pc_ide_drain(struct pc_platform *pf)
{
	if (pf->ide)
		storage_drain(pf->ide_storage);
}

uint32_t pc_ide_unplug_slots(const struct pc_platform *pf)
{
	return pf->ide && pf->ide_unplug ? 1u << PLATFORM_IDE_PCI_SLOT : 0;
}

static void flush_done(struct storage_req *r, int status)
{
	(void)r;
	(void)status;
}

/*
 * The guest's last command lands (its storage request completes and
 * the command is finished, interrupt and all), then the device is gone
 * from the bus, and what it wrote is flushed before PV can see the
 * disk.  The caller takes the function off the PCI bus.
 */
void pc_ide_unplug(struct domain *d, struct pc_platform *pf)
{
	struct storage_req flush = { .op = STORAGE_FLUSH, .done = flush_done };
	uint64_t t0 = now_ns();

	if (!pc_ide_unplug_slots(pf))
		return;
	storage_drain(pf->ide_storage);
	emul_bus_lock_dev(d, &pf->ide->dev);
	ide_piix_complete(pf->ide);
	pf->ide_gone = true;
	emul_bus_set_gone(d, &pf->ide->dev, true);
	emul_bus_unlock_dev(d, &pf->ide->dev);
	/*
	 * Another vCPU may have issued a command between the first drain
	 * and the lock: this drain lands it too (its data is in guest RAM
	 * or on the storage; the model, gone, never finishes it).
	 */
	storage_submit(pf->ide_storage, &flush);
	storage_drain(pf->ide_storage);
	pr_info("d%u %s: unplugged the emulated disk %u (00:%02x.0, %llu commands), drained and flushed in %llu us: PV disk %u has its storage",
		d->id, d->name, pf->ide_id, PLATFORM_IDE_PCI_SLOT,
		(unsigned long long)pf->ide->stats.cmds,
		(unsigned long long)((now_ns() - t0) / 1000), pf->ide_id);
}

void pc_ide_log(const struct domain *d)
{
	const struct pc_platform *pf = d->platform;
	const struct ide_piix_stats *s;

	if (!pf->ide)
		return;
	s = &pf->ide->stats;
	pr_info("d%u %s: IDE disk: %llu commands, %llu DMA requests, %llu PIO sectors, %llu flushes, %llu late completions, %llu errors (%llu bad PRD tables, the last command %#x feature %#x)",
		d->id, d->name, (unsigned long long)s->cmds,
		(unsigned long long)s->dma_reqs,
		(unsigned long long)s->pio_sectors,
		(unsigned long long)s->flushes, (unsigned long long)s->late,
		(unsigned long long)s->errors,
		(unsigned long long)s->bad_prd, s->last_error_cmd,
		s->last_error_feature);
	storage_log(pf->ide_storage);
}
