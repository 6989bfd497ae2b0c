# SPDX-License-Identifier: GPL-2.0
# Legacy PC device models: 16550A UART, 8254 PIT, CMOS RTC, and QEMU's
# isa-debug-exit and fw_cfg, and the PIIX IDE disk.
TESTS += test-uart test-pit test-rtc test-debug-exit test-fw-cfg

$(B)/test-uart: $(B)/host/tests/unit/test_uart.o \
	$(call host-obj,hypervisor/emul/uart16550.c) $(LIB_HOST)
$(B)/test-pit: $(B)/host/tests/unit/test_pit.o \
	$(call host-obj,hypervisor/emul/pit8254.c) $(LIB_HOST)
$(B)/test-rtc: $(B)/host/tests/unit/test_rtc.o \
	$(call host-obj,hypervisor/emul/rtc_cmos.c) $(LIB_HOST)
$(B)/test-debug-exit: $(B)/host/tests/unit/test_debug_exit.o \
	$(call host-obj,hypervisor/emul/debug_exit.c) $(LIB_HOST)
$(B)/test-fw-cfg: $(B)/host/tests/unit/test_fw_cfg.o \
	$(call host-obj,hypervisor/emul/fw_cfg.c) $(LIB_HOST)
TESTS += test-ide-piix
$(B)/test-ide-piix: $(B)/host/tests/unit/test_ide_piix.o \
	$(call host-obj,hypervisor/emul/ide_piix.c hypervisor/emul/pci_host.c \
	hypervisor/storage/storage.c) $(LIB_HOST)

# Its libFuzzer target, run by tests/suites/59-fuzz-ide.
FUZZERS += fuzz-ide
$(B)/fuzz-ide: $(B)/fuzz/tests/unit/fuzz_ide.o \
	$(call fuzz-obj,hypervisor/emul/ide_piix.c hypervisor/emul/pci_host.c \
	hypervisor/storage/storage.c hypervisor/storage/ram.c) $(LIB_FUZZ)
