// SPDX-License-Identifier: GPL-2.0
/*
 * pvkit_fault: a Linux guest that misbehaves on purpose, so that tests
 * can check the hypervisor stops this domain alone.  Loading the module
 * does the bad thing named by mode=:
 *
 *   triple       load an empty IDT and raise #UD: no handler for the
 *                fault, nor for the #GP and #DF that follow, so the CPU
 *                shuts down (a triple fault)
 *   unbacked     read guest-physical memory that is neither RAM nor a
 *                device (a hole in the PCI MMIO window)
 *   undecodable  read the IOAPIC's page, which the hypervisor emulates,
 *                with LODSB, an instruction its MMIO emulator refuses
 *
 * If the load ever returns, the hypervisor let the domain go on: init
 * fails with -EIO so that insmod reports it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/desc_defs.h>

/*
 * Inside the 32-bit PCI MMIO window (0xc0000000-0xfebfffff on pvkit's
 * platform) where no BAR is placed: the PCI bus has no devices with
 * memory BARs, so nothing claims this page.
 */
#define FAULT_UNBACKED_GPA	0xd0000000UL
/* The IOAPIC: emulated by the hypervisor, so an access exits to it. */
#define FAULT_IOAPIC_GPA	0xfec00000UL

static char *mode = "";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "what to do when loaded: triple, unbacked or undecodable");

static int fault_triple(void)
{
	/* Limit 0: every vector lies beyond it, #GP and #DF included. */
	struct desc_ptr empty = { .size = 0, .address = 0 };

	/* An interrupt would triple-fault too, but less predictably. */
	local_irq_disable();
	asm volatile("lidt %0\n\t"
		     "ud2"
		     : : "m" (empty) : "memory");
	return -EIO;
}

static int fault_unbacked(void)
{
	void __iomem *p = ioremap(FAULT_UNBACKED_GPA, PAGE_SIZE);
	u32 val;

	if (!p)
		return -ENOMEM;
	val = readl(p);
	iounmap(p);
	pr_err("read %#x from unbacked %#lx and went on\n",
	       val, FAULT_UNBACKED_GPA);
	return -EIO;
}

static int fault_undecodable(void)
{
	void __iomem *p = ioremap(FAULT_IOAPIC_GPA, PAGE_SIZE);
	unsigned long src = (unsigned long)p;
	u8 val;

	if (!p)
		return -ENOMEM;
	/*
	 * IOREGSEL at offset 0: reading it has no side effect.  The kernel
	 * runs with DF clear, so no CLD.
	 */
	asm volatile("lodsb"
		     : "=a" (val), "+S" (src) : : "memory");
	iounmap(p);
	pr_err("LODSB of the IOAPIC read %#x and went on\n",
	       val);
	return -EIO;
}

static int __init pvkit_fault_init(void)
{
	if (!strcmp(mode, "triple"))
		return fault_triple();
	if (!strcmp(mode, "unbacked"))
		return fault_unbacked();
	if (!strcmp(mode, "undecodable"))
		return fault_undecodable();
	pr_err("mode=%s: expected triple, unbacked or undecodable\n",
	       mode);
	return -EINVAL;
}
module_init(pvkit_fault_init);

MODULE_DESCRIPTION("pvkit test: a guest that faults in ways the hypervisor must contain");
MODULE_LICENSE("GPL");
