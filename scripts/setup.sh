#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages pvkit needs to build, test and run.
# Idempotent: when everything is present it only checks and exits.
# Installing needs root; as another user it says what is missing.
#   --bench  also the packages only benchmarks need (BENCH_PACKAGES)

set -euo pipefail

# Everything pvkit needs, one package a line.  Add new needs here.
PACKAGES=(
	make
	gcc
	g++
	binutils
	libc6-dev
	clang			# libFuzzer, a second compiler for the ABI checks
	libclang-rt-14-dev	# clang's sanitizer and fuzzer runtimes
	python3			# Debian's own: scripts run /usr/bin/env python3
	qemu-system-x86
	linux-kbuild-6.1	# Kconfig's conf
	kconfig-frontends	# kconfig-mconf for menuconfig
	busybox-static		# guest initramfs
	cpio
	libck-dev		# ck_ring, a benchmark peer
	dpdk-dev		# rte_ring, a benchmark peer
	libdpdk-dev
	pkgconf			# finds DPDK's flags
	acpica-tools		# iasl checks the guests' ACPI tables
	linux-image-amd64	# the guest kernel
	linux-headers-amd64	# kbuild for the guest modules and ABI checks
	linux-source-6.1	# kselftest_harness.h, hvc_console.h (scripts/linux-source.sh)
	kmod			# depmod for the initramfs's module indexes
	fio			# in-guest I/O tests and tests/bench/block (initramfs)
	iperf3			# tests/bench/net, in the guest and as the host peer
	e2fsprogs		# mkfs.ext4 -d: the demo guest's PV disk image
	valgrind
	cppcheck
)

# Needed only by `make bench`: the peers some benchmarks compare against.
# A benchmark whose peer is missing reports it as not measured.
BENCH_PACKAGES=(
	xen-hypervisor-4.17-amd64	# tests/bench/linux-boot: Xen PVH dom0
	gnuplot-nox			# tests/bench/report's plots
)

case "${1:-}" in
--bench)
	PACKAGES+=("${BENCH_PACKAGES[@]}")
	;;
"")
	;;
*)
	echo "usage: setup.sh [--bench]" >&2
	exit 2
	;;
esac

is_installed()
{
	local status

	status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
	[ "$status" = "install ok installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
	is_installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup.sh: missing Debian packages: ${missing[*]}" >&2
	echo "setup.sh: run 'sudo scripts/setup.sh' (or 'make setup' as root) to install them" >&2
	exit 1
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"

# Check again: a package apt could not configure shows up here.
still=()
for pkg in "${missing[@]}"; do
	is_installed "$pkg" || still+=("$pkg")
done
if [ ${#still[@]} -ne 0 ]; then
	echo "setup.sh: still not installed: ${still[*]}" >&2
	exit 1
fi
echo "setup.sh: done"
