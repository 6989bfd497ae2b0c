#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The few kernel files pvkit builds against that the kernel headers
# package lacks, taken from Debian's linux-source tarball (scripts/setup.sh
# installs linux-source-6.1) into a build directory, never into the tree:
#   scripts/linux-source.sh OUTDIR
# Exits 0 once OUTDIR holds them all (a quick no-op the second time),
# 1 with a SKIP line when there is no tarball.
set -euo pipefail

out=$1
files=(
	tools/testing/selftests/kselftest_harness.h	# in-guest tests
	tools/testing/selftests/kselftest.h
	drivers/tty/hvc/hvc_console.h			# pvkit_console.ko
)

have() {
	local f
	for f in "${files[@]}"; do
		[ -f "$out/$f" ] || return 1
	done
}

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
have && exit 0

tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "  SKIP    no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1)" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)
echo "  UNTAR   $(basename "$tarball"): ${files[*]##*/}"
tar -xJf "$tarball" -C "$out" --strip-components=1 "${files[@]/#/$top/}"
have
