/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SVM_NPT_H
#define SVM_NPT_H

#include <stdbool.h>
#include <stdint.h>

int npt_create(uint64_t *root_pa);
int npt_map_range(uint64_t root_pa, uint64_t gpa, uint64_t hpa,
		  uint64_t len);
int npt_map_mmio(uint64_t root_pa, uint64_t gpa, uint64_t hpa, uint64_t len);
void npt_unmap_mmio(uint64_t root_pa, uint64_t gpa, uint64_t len);
/* Where gpa is on the host, if the tables map it. */
bool npt_lookup(uint64_t root_pa, uint64_t gpa, uint64_t *hpa);
unsigned long npt_check(uint64_t root_pa, uint64_t hpa, uint64_t len,
			uint64_t *first);

#endif
