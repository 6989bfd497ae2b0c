#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run Debian's Kconfig tools on pvkit's top-level Kconfig.
#
#   kconfig.sh defconfig     .config from configs/$KCONFIG_DEFCONFIG
#   kconfig.sh olddefconfig  update .config, new symbols get their defaults
#   kconfig.sh menuconfig    edit .config in a terminal menu
#   kconfig.sh sync          write autoconf.h and auto.conf under $O
#
# Environment (set by the top-level Makefile, defaults for direct use):
#   KCONFIG_CONFIG  the configuration file (./.config)
#   KCONFIG_DEFCONFIG  which file of configs/ defconfig starts from
#                   (defconfig; pv-only for the PV-only build)
#   O               build directory ($ROOT/build)
#   AUTOCONF_H      C header ($O/include/generated/autoconf.h)
#   AUTO_CONF       make fragment ($O/include/config/auto.conf)
#
# Only the configuration file lives in the source tree; everything
# syncconfig generates goes under $O.

set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
O=${O:-$ROOT/build}
KCONFIG_CONFIG=${KCONFIG_CONFIG:-$ROOT/.config}
KCONFIG_DEFCONFIG=${KCONFIG_DEFCONFIG:-defconfig}
AUTOCONF_H=${AUTOCONF_H:-$O/include/generated/autoconf.h}
AUTO_CONF=${AUTO_CONF:-$O/include/config/auto.conf}
CONF=${CONF:-/usr/lib/linux-kbuild-6.1/scripts/kconfig/conf}
MCONF=${MCONF:-kconfig-mconf}

die()
{
	echo "kconfig.sh: $*" >&2
	exit 1
}

abspath()
{
	case "$1" in
	/*) echo "$1" ;;
	*) echo "$PWD/$1" ;;
	esac
}

# Resolve every path before conf runs elsewhere than the caller's cwd.
KCONFIG_CONFIG=$(abspath "$KCONFIG_CONFIG")
O=$(abspath "$O")
AUTOCONF_H=$(abspath "$AUTOCONF_H")
AUTO_CONF=$(abspath "$AUTO_CONF")
export KCONFIG_CONFIG

[ -x "$CONF" ] || die "$CONF not found: run scripts/setup.sh (linux-kbuild-6.1)"

# Every conf mode, not only syncconfig, writes auto.conf (and with it
# autoconf.h, rustc_cfg, auto.conf.cmd and per-symbol stamps) relative to
# its cwd when they are missing.  So the tools always run inside $O with
# every output named there; they find Kconfig (and anything it sources)
# through $srctree.
in_objtree()
{
	mkdir -p "$O" "$(dirname "$AUTOCONF_H")" "$(dirname "$AUTO_CONF")"
	(cd "$O" && srctree=$ROOT \
		KCONFIG_AUTOHEADER=$AUTOCONF_H \
		KCONFIG_AUTOCONFIG=$AUTO_CONF \
		KCONFIG_RUSTCCFG=$O/include/generated/rustc_cfg \
		"$@" Kconfig)
}

run_conf()
{
	in_objtree "$CONF" "$@"
}

do_defconfig()
{
	local def=$ROOT/configs/$KCONFIG_DEFCONFIG

	case "$KCONFIG_DEFCONFIG" in
	*/*|.*|'') die "KCONFIG_DEFCONFIG=$KCONFIG_DEFCONFIG: the name of a file in configs/" ;;
	esac
	[ -f "$def" ] || die "no configs/$KCONFIG_DEFCONFIG"
	run_conf -s --defconfig="$def"
	echo "kconfig.sh: wrote $KCONFIG_CONFIG from configs/$KCONFIG_DEFCONFIG"
}

do_olddefconfig()
{
	[ -f "$KCONFIG_CONFIG" ] || do_defconfig
	run_conf -s --olddefconfig
}

do_sync()
{
	[ -f "$KCONFIG_CONFIG" ] || do_defconfig
	run_conf -s --syncconfig
	# conf leaves an unchanged header alone; make compares times.
	touch "$AUTOCONF_H" "$AUTO_CONF"
}

do_menuconfig()
{
	[ -f "$KCONFIG_CONFIG" ] || do_defconfig
	if [ ! -t 0 ] || [ ! -t 1 ]; then
		die "menuconfig needs a terminal; edit $KCONFIG_CONFIG and run 'make olddefconfig' instead"
	fi
	case "${TERM:-dumb}" in
	dumb|unknown)
		die "menuconfig needs TERM set to a real terminal type (e.g. TERM=xterm)"
		;;
	esac
	if ! command -v "$MCONF" >/dev/null; then
		echo "kconfig.sh: $MCONF not found (kconfig-frontends); using the line-oriented conf" >&2
		run_conf --oldconfig
		return
	fi
	in_objtree "$MCONF"
}

case "${1:-}" in
defconfig)	do_defconfig ;;
olddefconfig)	do_olddefconfig ;;
menuconfig)	do_menuconfig ;;
sync)		do_sync ;;
*)
	echo "usage: $0 defconfig|olddefconfig|menuconfig|sync" >&2
	exit 2
	;;
esac
