# SPDX-License-Identifier: MIT
#
# Compiler flags shared by all freestanding pvkit code (the hypervisor,
# Mini-OS and lib/).  The including Makefile sets ROOT first; AUTOCONF_H
# is force-included when the top-level Makefile exports it.
#
# -nostdinc keeps the host's libc headers out; the compiler's own include
# directory still provides <stdint.h>, <stddef.h>, <stdarg.h>, <stdbool.h>.

FREESTANDING_CC_INCLUDE := $(shell $(CC) -print-file-name=include)

FREESTANDING_CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -nostdinc \
	-isystem $(FREESTANDING_CC_INCLUDE) \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
	-mgeneral-regs-only -mcmodel=small -m64 -ffunction-sections \
	$(if $(AUTOCONF_H),-include $(AUTOCONF_H)) \
	-I$(ROOT)/lib/include -I$(ROOT)/hypercall-abi/include
