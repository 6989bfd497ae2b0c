#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make run` boots: the hypervisor on two pCPUs with three Mini-OS
# domains: d1 prints its view of the ABI and ticks a timer; d2 and d3
# connect an interdomain event channel and bounce 100 events.
# Each --module is one domain: the image, then its command line
# (the hypervisor's options, "--", then the guest's own arguments).
#
# With a terminal, the serial console is interactive (Ctrl-A X quits);
# without one (CI), it runs until the hypervisor exits or the timeout.

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${PVKIT_BUILD:-${O:-$ROOT/build}}
export PVKIT_BUILD=$B

mode=()
if [ -t 0 ] && [ -t 1 ]; then
	mode=(--interactive)
fi

exec "$ROOT/scripts/pvkit-qemu" "${mode[@]}" --smp 2 \
	--kernel "$B/hypervisor/pvkit.mb" \
	--module "$B/minios/minios.elf name=hello mem=16M -- demo" \
	--module "$B/minios/minios.elf name=ping mem=16M -- test=pingpong role=a peer=3 port=7 count=100" \
	--module "$B/minios/minios.elf name=pong mem=16M -- test=pingpong role=b peer=2 port=7 count=100" \
	"$@"
