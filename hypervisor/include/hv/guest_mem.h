/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only way the hypervisor reads or writes memory a guest names: a
 * guest-physical range is checked against the domain's RAM as a whole
 * (overflow included) before a single byte moves.
 */
#ifndef HV_GUEST_MEM_H
#define HV_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;

bool guest_range_ok(const struct domain *d, uint64_t gpa, uint64_t len);
/* 0 or -PVKIT_EFAULT; nothing is copied on failure. */
int copy_from_guest(const struct domain *d, void *dst, uint64_t gpa,
		    size_t len);
int copy_to_guest(struct domain *d, uint64_t gpa, const void *src,
		  size_t len);
/* Atomic OR into an aligned 4- or 8-byte word; 0 or -PVKIT_EFAULT. */
int guest_set_bits(struct domain *d, uint64_t gpa, unsigned int size,
		   uint64_t bits);

#endif
