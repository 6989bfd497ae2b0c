# SPDX-License-Identifier: GPL-2.0
# Legacy PC device models: 16550A UART, 8254 PIT, CMOS RTC.
TESTS += test-uart test-pit test-rtc

$(B)/test-uart: $(B)/host/tests/unit/test_uart.o \
	$(call host-obj,hypervisor/emul/uart16550.c) $(LIB_HOST)
$(B)/test-pit: $(B)/host/tests/unit/test_pit.o \
	$(call host-obj,hypervisor/emul/pit8254.c) $(LIB_HOST)
$(B)/test-rtc: $(B)/host/tests/unit/test_rtc.o \
	$(call host-obj,hypervisor/emul/rtc_cmos.c) $(LIB_HOST)
