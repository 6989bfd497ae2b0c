#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make run` boots: the hypervisor on two pCPUs with
#   d1  the Debian kernel (2 vCPUs) on the emulated PC, with pvkit's
#       busybox initramfs: a shell on the console when there is a
#       terminal (type poweroff to end), the in-guest checks otherwise;
#       a PV disk whose RAM storage starts as build/guest/disk.ext4
#       (the kind=disk module), which the shell finds on /mnt; a PV NIC
#       on the hypervisor's switch, whose uplink (--net user) is QEMU's
#       user-mode network: the guest gets 10.0.2.15 by DHCP and reaches
#       the host's 127.0.0.1 at 10.0.2.2;
#   d2  Mini-OS printing its view of the ABI and ticking a timer;
#   d3, d4  two Mini-OS domains bouncing 100 events over a channel.
# Each --module is one domain: the image, then its command line (the
# hypervisor's options, "--", then the guest's own arguments); the
# kind=data module after the kernel is its initramfs, the kind=disk one
# after that the first contents of its disk 0.
#
# With a terminal, the serial console is interactive (Ctrl-A X quits);
# without one (CI), it runs until the hypervisor exits or the timeout.

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${PVKIT_BUILD:-${O:-$ROOT/build}}
export PVKIT_BUILD=$B

kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$kernel" ]; then
	echo "demo: no /boot/vmlinuz-*: run scripts/setup.sh" >&2
	exit 1
fi

mode=()
linux_args="console=ttyS0 quiet"
if [ -t 0 ] && [ -t 1 ]; then
	mode=(--interactive)
else
	linux_args="$linux_args pvkit.test=linux-boot pvkit.nproc=2"
fi

exec "$ROOT/scripts/pvkit-qemu" "${mode[@]}" --smp 2 --mem 1G --net user \
	--kernel "$B/hypervisor/pvkit.mb" \
	--module "$kernel name=linux kind=linux mem=256M vcpus=2 disk=0,mode=pv,size=16M net=0,mode=pv -- $linux_args" \
	--module "$B/guest/initramfs.cpio.gz kind=data" \
	--module "$B/guest/disk.ext4 kind=disk disk=0" \
	--module "$B/minios/minios.elf name=hello mem=16M -- demo" \
	--module "$B/minios/minios.elf name=ping mem=16M -- test=pingpong role=a peer=4 port=7 count=100" \
	--module "$B/minios/minios.elf name=pong mem=16M -- test=pingpong role=b peer=3 port=7 count=100" \
	"$@"
