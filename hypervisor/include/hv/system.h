/* SPDX-License-Identifier: GPL-2.0 */
/* How the hypervisor as a whole ends. */
#ifndef HV_SYSTEM_H
#define HV_SYSTEM_H

#include <hv/bootcfg.h>

/* Exit statuses, as QEMU's isa-debug-exit and the launcher report them. */
#define HV_EXIT_OK		0	/* every domain powered off with 0 */
#define HV_EXIT_GUEST_FAIL	1	/* a domain powered off with code != 0 */
#define HV_EXIT_BAD_CONFIG	2	/* bad boot configuration */
#define HV_EXIT_DOMAIN_STOPPED	3	/* a domain crashed or was stopped */
#define HV_EXIT_PANIC		4	/* hypervisor bug */

/*
 * Checksums the hypervisor's code and read-only data; system_exit()
 * checks them again (HV_EXIT_PANIC if they changed).
 */
void system_seal(void);
void __attribute__((noreturn)) system_exit(int status);

/* The hypervisor command line (hv/bootcfg.h). */
extern struct hv_cfg hv_cfg;

#endif
