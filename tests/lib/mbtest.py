# SPDX-License-Identifier: GPL-2.0
"""The Multiboot test kernels (tests/guest/multiboot/), for the suites
that build them: the main kernel's C sources, the flags every one of
them is compiled with, and the build itself."""

import os
import subprocess

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "guest", "multiboot")
MBTEST_C = ("mbtest.c", "pitcal.c", "irqonce.c", "cr4.c", "nmi.c", "irq.c",
            "ktap.c")
# No libc: GCC must not turn a loop into a call to memset or memcpy.
MBTEST_CFLAGS = ["-m32", "-ffreestanding", "-fno-pic", "-fno-pie",
                 "-fno-stack-protector", "-nostdlib", "-O2", "-Wall",
                 "-Wextra", "-Werror", "-fno-asynchronous-unwind-tables",
                 "-fno-tree-loop-distribute-patterns"]


def sh(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode:
        raise RuntimeError(" ".join(cmd) + ": " + p.stdout.decode())


def compile_c(tmp, sources):
    """tmp/NAME.o for each NAME.c of sources (names without .c), compiled
    once per tmp."""
    objs = []
    for src in sources:
        obj = os.path.join(tmp, f"{src}.o")
        if not os.path.exists(obj):
            sh(["gcc"] + MBTEST_CFLAGS +
               ["-c", os.path.join(SRC, f"{src}.c"), "-o", obj])
        objs.append(obj)
    return objs


def link(tmp, name, objs, defs=()):
    """tmp/name.elf: the Multiboot header and entry (mbtest.S, assembled
    with defs) and objs, laid out by mbtest.lds."""
    head = os.path.join(tmp, f"{name}-head.o")
    elf = os.path.join(tmp, f"{name}.elf")
    sh(["gcc", "-m32"] + list(defs) +
       ["-c", os.path.join(SRC, "mbtest.S"), "-o", head])
    sh(["ld", "-m", "elf_i386", "--no-warn-rwx-segments", "-T",
        os.path.join(SRC, "mbtest.lds"), "-o", elf, head] + objs)
    return elf


def build(tmp, name, *more):
    """A test kernel, tmp/name.elf, from name.c and the sources in more."""
    return link(tmp, name, compile_c(tmp, (name,) + more))


def build_mbtest(tmp):
    """The main test kernel (mbtest.c and its modes)."""
    return build(tmp, *(c[:-2] for c in MBTEST_C))
