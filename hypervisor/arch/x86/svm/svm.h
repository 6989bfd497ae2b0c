/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SVM_SVM_H
#define SVM_SVM_H

#include <stdint.h>
#include "vmcb.h"

struct vcpu;
struct guest_regs;

void svm_vmrun(uint64_t vmcb_pa, struct guest_regs *regs,
	       uint64_t host_save_pa);
void svm_handle_exit(struct vcpu *v);
void svm_inject_exception(struct vcpu *v, uint8_t vector, int has_err,
			  uint32_t err);

#endif
