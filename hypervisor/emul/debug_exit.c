// SPDX-License-Identifier: GPL-2.0
/*
 * isa-debug-exit as a device of the domain.  The hypervisor's own exit
 * device is QEMU's, at the same port number on the host: a guest never
 * reaches it, every guest port access is intercepted and lands here.
 */
#include <stdbool.h>
#include <stdint.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/debug_exit.h>

static int debug_exit_pio(struct emul_device *dev, struct io_access *io)
{
	struct debug_exit *dx = dev->priv;
	const struct emul_env *env = dev->env;
	uint32_t code;

	if (io->size != 1 && io->size != 2 && io->size != 4)
		return -PVKIT_EINVAL;
	if (io->addr != DEBUG_EXIT_PORT)
		return -PVKIT_EINVAL;
	if (!io->write) {
		io->val = io->size == 4 ? 0xffffffffu : (1u << (8 * io->size)) - 1;
		return 0;
	}
	code = (uint32_t)io->val;
	if (io->size < 4)
		code &= (1u << (8 * io->size)) - 1;
	/* A vCPU racing the ending domain must not report a second code. */
	if (dx->written)
		return 0;
	dx->written = true;
	if (env && env->exit_status)
		env->exit_status(env->ctx, code);
	return 0;
}

static const struct emul_device_ops debug_exit_ops = {
	.name = "debug-exit",
	.pio = debug_exit_pio,
};

void debug_exit_init(struct debug_exit *dx, const struct emul_env *env)
{
	*dx = (struct debug_exit){
		.dev = { .ops = &debug_exit_ops, .env = env, .priv = dx },
	};
}
