/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_DOMAIN_BUILD_H
#define HV_DOMAIN_BUILD_H

/*
 * Creates one domain per Multiboot module as the module command lines
 * say.  Returns 0, or a negative error after one clear log line; nothing
 * has been started in that case.
 */
int domains_build_from_modules(void);

#endif
