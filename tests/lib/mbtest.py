# SPDX-License-Identifier: GPL-2.0
"""The Multiboot test kernel's parts (tests/guest/multiboot/mbtest*),
for the suites that build it: its C sources and their flags."""

MBTEST_C = ("mbtest.c", "pitcal.c", "irqonce.c", "cr4.c", "nmi.c", "irq.c",
            "ktap.c")
MBTEST_CFLAGS = ["-m32", "-ffreestanding", "-fno-pic", "-fno-pie",
                 "-fno-stack-protector", "-nostdlib", "-O2", "-Wall",
                 "-Wextra", "-Werror", "-fno-asynchronous-unwind-tables"]
