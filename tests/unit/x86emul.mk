# SPDX-License-Identifier: GPL-2.0
# The x86 MMIO instruction decoder/emulator (hypervisor/arch/x86/emulate/).

X86EMUL_SRCS := hypervisor/arch/x86/emulate/decode.c \
	hypervisor/arch/x86/emulate/emulate.c

TESTS += test-x86emul
FUZZERS += fuzz-x86emul

$(B)/test-x86emul: $(B)/host/tests/unit/test_x86emul.o \
	$(B)/host/tests/unit/test_x86emul_perm.o \
	$(B)/host/tests/unit/x86emul_fake.o \
	$(call host-obj,$(X86EMUL_SRCS)) $(LIB_HOST)
$(B)/fuzz-x86emul: $(B)/fuzz/tests/unit/fuzz_x86emul.o \
	$(call fuzz-obj,$(X86EMUL_SRCS)) $(LIB_FUZZ)
