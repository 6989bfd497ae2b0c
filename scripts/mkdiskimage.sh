#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An ext4 image of a directory, with Debian's mkfs.ext4 (no root needed):
#   scripts/mkdiskimage.sh OUT SIZE DIR
# SIZE as mkfs takes it (16M).  The files belong to root in the image.
set -euo pipefail

out=$1 size=$2 dir=$3
mkfs=$(command -v mkfs.ext4 || echo /sbin/mkfs.ext4)
[ -x "$mkfs" ] || { echo "mkdiskimage: no mkfs.ext4 (apt-get install e2fsprogs)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
rm -f "$out.tmp"
# 4 KiB blocks, as the PV disk's physical block; no lazy init, so the
# image is complete when mkfs returns.
"$mkfs" -q -F -t ext4 -b 4096 -L pvkit -E root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0 \
	-d "$dir" "$out.tmp" "$size"
mv "$out.tmp" "$out"
