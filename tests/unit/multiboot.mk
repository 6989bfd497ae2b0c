# SPDX-License-Identifier: GPL-2.0
#
# The Multiboot (v1) kernel loader (hypervisor/common/multiboot_loader.c),
# run by tests/suites/53-unit-multiboot-loader; the fuzzer by
# 54-fuzz-multiboot-loader.

TESTS += test-multiboot-loader
FUZZERS += fuzz-multiboot-loader

$(B)/test-multiboot-loader: $(B)/host/tests/unit/test_multiboot_loader.o \
	$(call host-obj,hypervisor/common/multiboot_loader.c) $(LIB_HOST)
$(B)/fuzz-multiboot-loader: $(B)/fuzz/tests/unit/fuzz_multiboot_loader.o \
	$(call fuzz-obj,hypervisor/common/multiboot_loader.c) $(LIB_FUZZ)
