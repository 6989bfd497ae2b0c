// SPDX-License-Identifier: GPL-2.0
/*
 * pvkit.ko: the core of pvkit's Linux guest support.  A PCI driver for
 * the pvkit platform device (PVKIT_PCI_VENDOR:PVKIT_PCI_DEVICE), which
 * loads by its modalias.  On probe it checks that it runs on pvkit,
 * maps the shared info page, takes the upcalls as MSI-X interrupts
 * (events.c), hands the emulated disk and NIC that have PV replacements
 * over to PV (unplug.c) and registers the domain's PV devices on the
 * pvkit bus (bus.c) for the class drivers (pvkit_bus.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <asm/processor.h>
#include "hypercall.h"
#include "pvkit_core.h"

struct pvkit_platform *pvkit_plat;
atomic_t pvkit_ports_open = ATOMIC_INIT(0);
atomic_long_t pvkit_ring_pages = ATOMIC_LONG_INIT(0);
atomic64_t pvkit_stray_events = ATOMIC64_INIT(0);

/*
 * CPUID is asked before anything else: VMMCALL outside pvkit raises #UD,
 * and the Debian kernel also runs on hypervisors that would take it for
 * one of their own calls.
 */
static int pvkit_check_cpuid(struct device *dev)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return -ENODEV;
	cpuid(PVKIT_CPUID_BASE, &eax, &ebx, &ecx, &edx);
	if (ebx != PVKIT_CPUID_SIG_EBX || ecx != PVKIT_CPUID_SIG_ECX ||
	    edx != PVKIT_CPUID_SIG_EDX || eax < PVKIT_CPUID_VERSION) {
		dev_err(dev, "not running on pvkit\n");
		return -ENODEV;
	}
	cpuid(PVKIT_CPUID_VERSION, &eax, &ebx, &ecx, &edx);
	if (eax >> 16 != PVKIT_ABI_VERSION_MAJOR ||
	    !(ebx & PVKIT_FEAT_DEVICES)) {
		dev_err(dev, "pvkit ABI %u.%u, features %#x: need %u.x with PV devices\n",
			eax >> 16, eax & 0xffff, ebx, PVKIT_ABI_VERSION_MAJOR);
		return -ENODEV;
	}
	dev_info(dev, "pvkit ABI %u.%u\n", eax >> 16, eax & 0xffff);
	return 0;
}

static int pvkit_map_shared_info(struct pvkit_platform *plat)
{
	long gpa = pvkit_hc0(PVKIT_HC_SHARED_INFO_GPA);

	if (gpa < 0 || !gpa || gpa & ~PAGE_MASK) {
		dev_err(&plat->pdev->dev, "shared info at %#lx\n", gpa);
		return gpa < 0 ? gpa : -EIO;
	}
	plat->shared = memremap(gpa, PAGE_SIZE, MEMREMAP_WB);
	return plat->shared ? 0 : -ENOMEM;
}

static int pvkit_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pvkit_platform *plat;
	int rc;

	rc = pvkit_check_cpuid(&pdev->dev);
	if (rc)
		return rc;
	if (pvkit_plat)
		return -EBUSY;
	rc = pci_enable_device_mem(pdev);
	if (rc)
		return rc;
	pci_set_master(pdev);
	rc = -ENOMEM;
	plat = kzalloc(sizeof(*plat), GFP_KERNEL);
	if (!plat)
		goto disable;
	plat->pdev = pdev;
	mutex_init(&plat->devs_lock);
	INIT_WORK(&plat->config_work, pvkit_config_work);
	rc = pvkit_map_shared_info(plat);
	if (rc)
		goto free;
	rc = pvkit_clock_init(plat);
	if (rc)
		goto unmap;
	rc = pvkit_events_init(plat);
	if (rc)
		goto clock;
	pci_set_drvdata(pdev, plat);
	pvkit_plat = plat;
	rc = pvkit_unplug(plat);
	if (rc)
		dev_warn(&pdev->dev, "unplug: %d: emulated devices kept\n", rc);
	rc = pvkit_devices_add(plat);
	if (rc)
		goto remove_devices;
	dev_info(&pdev->dev, "%u PV devices, %u upcall vectors\n",
		 plat->nr_devs, plat->nr_upcalls);
	return 0;

remove_devices:
	pvkit_devices_remove(plat);
	pvkit_plat = NULL;
	pvkit_events_exit(plat);
clock:
	pvkit_clock_exit(plat);
unmap:
	memunmap(plat->shared);
free:
	kfree(plat);
disable:
	pci_disable_device(pdev);
	return rc;
}

static void pvkit_pci_remove(struct pci_dev *pdev)
{
	struct pvkit_platform *plat = pci_get_drvdata(pdev);

	pvkit_devices_remove(plat);
	pvkit_plat = NULL;
	pvkit_events_exit(plat);
	pvkit_clock_exit(plat);
	memunmap(plat->shared);
	kfree(plat);
	pci_disable_device(pdev);
}

static const struct pci_device_id pvkit_pci_ids[] = {
	{ PCI_DEVICE(PVKIT_PCI_VENDOR, PVKIT_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pvkit_pci_ids);

static struct pci_driver pvkit_pci_driver = {
	.name = "pvkit",
	.id_table = pvkit_pci_ids,
	.probe = pvkit_pci_probe,
	.remove = pvkit_pci_remove,
};

static int __init pvkit_init(void)
{
	int rc = pvkit_bus_init();

	if (rc)
		return rc;
	rc = pci_register_driver(&pvkit_pci_driver);
	if (rc)
		pvkit_bus_exit();
	return rc;
}
module_init(pvkit_init);

static void __exit pvkit_exit(void)
{
	pci_unregister_driver(&pvkit_pci_driver);
	pvkit_bus_exit();
	/* What the unload test looks for in dmesg. */
	if (atomic_read(&pvkit_ports_open) ||
	    atomic_long_read(&pvkit_ring_pages))
		pr_err("leak: %d ports open, %ld ring pages at unload\n",
		       atomic_read(&pvkit_ports_open),
		       atomic_long_read(&pvkit_ring_pages));
}
module_exit(pvkit_exit);

MODULE_DESCRIPTION("pvkit platform device, event channels and the pvkit bus");
MODULE_LICENSE("GPL");
