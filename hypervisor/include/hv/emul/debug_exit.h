/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest-visible isa-debug-exit port in QEMU's convention: one I/O port
 * (DEBUG_EXIT_PORT) that a test kernel writes its status to, 1, 2 or 4
 * bytes wide.  QEMU would exit with (v << 1) | 1; pvkit ends only the
 * domain, powered off with v itself as its end code, so a test that
 * writes 0 counts as a clean power-off (docs/guest-platform.md).  Reads
 * float high.
 *
 *	debug_exit_init(&dx, env);
 *	register ports dx.dev for [DEBUG_EXIT_PORT, DEBUG_EXIT_PORT + 1)
 */
#ifndef HV_EMUL_DEBUG_EXIT_H
#define HV_EMUL_DEBUG_EXIT_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#define DEBUG_EXIT_PORT		0xf4
#define DEBUG_EXIT_NR_PORTS	1

struct debug_exit {
	struct emul_device dev;
	bool written;		/* the domain is ending: later writes are dropped */
};

void debug_exit_init(struct debug_exit *dx, const struct emul_env *env);

#endif
