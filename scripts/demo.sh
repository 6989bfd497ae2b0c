#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make run` boots: the hypervisor with two Mini-OS domains.
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
	--module "$B/minios/minios.elf name=ping mem=16M -- demo" \
	"$@"
