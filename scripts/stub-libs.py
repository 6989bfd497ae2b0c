#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A Debian program for the guest initramfs, without the libraries of
features the guest never uses:
    scripts/stub-libs.py PROG ROOT [LIB...]

Debian links fio against every engine's library (Ceph, Gluster, RDMA,
NBD, PMEM), and their closure is about 80 MiB, 30 times the rest of the
initramfs; iperf3's libiperf links libcrypto (4.5 MiB) for its RSA
authentication only.  The program calls into such a library only when
a job names its engine or an option asks for authentication, so each
is replaced by a stub: a shared object with the same SONAME and version
nodes that defines every function the program (or a kept library)
imports from it, each of which aborts.  The program and the libraries
it really uses (KEEP: libc, libm, libz, libaio, libnuma, and the LIBs
named) are copied as Debian ships them, with the dynamic loader, and a
kept LIB's own libraries outside those are stubbed the same way.
Writes ROOT/usr/bin/PROG and ROOT/lib/...; run as part of
scripts/mkinitramfs.sh.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Libraries fio's libaio, io_uring, psync and sync engines need, and
# libc's own.
KEEP = ("libc.so.6", "libm.so.6", "libz.so.1", "libaio.so.1",
        "libnuma.so.1")


def run(*cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          text=True).stdout


def needed(elf):
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]",
                      run("readelf", "-d", elf))


def library_paths(elf):
    """SONAME -> path as the host's loader finds them, and the loader."""
    paths, loader = {}, None
    for line in run("ldd", elf).splitlines():
        m = re.match(r"\s*(\S+) => (/\S+)", line)
        if m:
            paths[m.group(1)] = m.group(2)
        elif re.match(r"\s*/\S*ld-linux", line):
            loader = line.split()[0]
    return paths, loader


def version_owners(elf):
    """Version node name -> the SONAME that must define it."""
    owners, lib = {}, None
    text = run("readelf", "-W", "-V", elf)
    for line in text[text.find("Version needs"):].splitlines():
        m = re.search(r"File: (\S+)", line)
        if m:
            lib = m.group(1)
            continue
        m = re.search(r"Name: (\S+)", line)
        if m and lib:
            owners[m.group(1)] = lib
    return owners


def imports(elf):
    """(symbol, version or None) of every function elf imports."""
    out = []
    for line in run("readelf", "-W", "--dyn-syms", elf).splitlines():
        f = line.split()
        if len(f) < 8 or f[6] != "UND" or f[3] != "FUNC":
            continue
        name, _, ver = f[7].partition("@")
        out.append((name, ver or None))
    return out


def defined(paths):
    syms = set()
    for p in paths:
        for line in run("nm", "-D", "--defined-only", p).splitlines():
            f = line.split()
            if f:
                syms.add(f[-1].split("@")[0])
    return syms


def build_stub(soname, syms, out_dir, work):
    """syms: {version or None: [names]} -> out_dir/soname."""
    c = os.path.join(work, soname + ".c")
    vs = os.path.join(work, soname + ".map")
    with open(c, "w") as f:
        f.write("/* fio's engine for this library is never used. */\n")
        for names in syms.values():
            for n in sorted(set(names)):
                f.write(f"void {n}(void) {{ __builtin_trap(); }}\n")
    with open(vs, "w") as f:
        for ver, names in syms.items():
            f.write(f"{ver} {{ global: {'; '.join(sorted(set(names)))}; }};\n")
    cmd = ["gcc", "-shared", "-fPIC", "-O2", "-nostdlib", "-s",
           f"-Wl,-soname,{soname}", "-o", os.path.join(out_dir, soname), c]
    if None not in syms and syms:
        cmd.insert(-1, f"-Wl,--version-script={vs}")
    run(*cmd)


def place(elf, keep, libdir):
    """Copies elf's kept libraries to libdir and stubs the others;
    returns the paths of the kept ones."""
    paths, _ = library_paths(elf)
    kept = [n for n in needed(elf) if n in keep]
    for n in kept:
        shutil.copy(paths[n], os.path.join(libdir, n))
    have = defined([paths[n] for n in kept])
    owners = version_owners(elf)
    stubs = {n: {} for n in needed(elf) if n not in keep}
    # Symbols without a version go to a stub that needs no version node.
    first = next((n for n in stubs if n not in owners.values()), None)
    for name, ver in imports(elf):
        if name in have:
            continue
        lib = owners.get(ver) if ver else first
        if lib not in stubs:
            sys.exit(f"stub-libs: {name}@{ver} from a kept library")
        stubs[lib].setdefault(ver, []).append(name)
    with tempfile.TemporaryDirectory() as work:
        for soname, syms in stubs.items():
            build_stub(soname, syms, libdir, work)
    return [paths[n] for n in kept]


def main():
    prog, root = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    keep = KEEP + tuple(extra)
    _, loader = library_paths(prog)
    libdir = os.path.join(root, "lib", "x86_64-linux-gnu")
    os.makedirs(libdir, exist_ok=True)
    os.makedirs(os.path.join(root, "usr", "bin"), exist_ok=True)
    os.makedirs(os.path.join(root, "lib64"), exist_ok=True)
    shutil.copy(prog, os.path.join(root, "usr", "bin",
                                   os.path.basename(prog)))
    shutil.copy(loader, os.path.join(root, "lib64",
                                     os.path.basename(loader)))
    for lib in place(prog, keep, libdir):
        if os.path.basename(lib) in extra:
            place(lib, keep, libdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
