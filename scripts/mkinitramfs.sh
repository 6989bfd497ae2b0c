#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the Linux guest's initramfs from Debian's busybox-static and the
# project's own init and in-guest tests:
#   scripts/mkinitramfs.sh OUT.cpio.gz [EXTRA_DIR...]
# Every EXTRA_DIR is copied over the root (e.g. built kernel modules).
# Debian's fio and iperf3 go in as /usr/bin/fio and /usr/bin/iperf3 when
# installed, with the shared libraries they use (scripts/stub-libs.py
# says which are stubs).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=$1
shift
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "mkinitramfs: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,etc,root,usr/bin,usr/sbin,pvkit}
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
done
install -m 0755 "$ROOT/tests/guest/initramfs/init" "$stage/init"
cp -r "$ROOT/tests/guest/initramfs/pvkit/." "$stage/pvkit/" 2>/dev/null || true
if [ -x /usr/bin/fio ]; then
	"$ROOT/scripts/stub-libs.py" /usr/bin/fio "$stage"
fi
if [ -x /usr/bin/iperf3 ]; then
	"$ROOT/scripts/stub-libs.py" /usr/bin/iperf3 "$stage" \
		libiperf.so.0 libsctp.so.1
fi
for extra in "$@"; do
	cp -r "$extra/." "$stage/"
done
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -9n > "$out"
