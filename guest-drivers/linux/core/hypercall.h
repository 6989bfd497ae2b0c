/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvkit hypercalls from a Linux guest: VMMCALL with the number in RAX,
 * arguments in RDI, RSI, RDX, R10, R8, the result in RAX; every other
 * register is preserved (pvkit/hypercall.h).
 *
 * A pointer argument is a guest-physical address, which in an HVM
 * domain is the Linux physical address.  The memory must be physically
 * contiguous: kmalloc'ed, never on the stack (stacks are vmalloc'ed) nor
 * in vmalloc or module memory.
 */
#ifndef PVKIT_LINUX_HYPERCALL_H
#define PVKIT_LINUX_HYPERCALL_H

#include <linux/types.h>
#include <asm/io.h>
#include <pvkit/hypercall.h>

static inline long pvkit_hc3(unsigned long nr, unsigned long a1,
			     unsigned long a2, unsigned long a3)
{
	long ret;

	asm volatile("vmmcall"
		     : "=a"(ret)
		     : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
		     : "memory");
	return ret;
}

static inline long pvkit_hc1(unsigned long nr, unsigned long a1)
{
	return pvkit_hc3(nr, a1, 0, 0);
}

static inline long pvkit_hc0(unsigned long nr)
{
	return pvkit_hc3(nr, 0, 0, 0);
}

/* A call whose one argument is a structure in kmalloc'ed memory. */
static inline long pvkit_hc_ptr(unsigned long nr, void *arg)
{
	return pvkit_hc1(nr, virt_to_phys(arg));
}

#endif /* PVKIT_LINUX_HYPERCALL_H */
