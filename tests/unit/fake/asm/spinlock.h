/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for the hypervisor's spinlocks in single-threaded host
 * tests that need to run code in the windows between critical sections.
 * Found before arch/x86/include by the objects that ask for it.  A lock
 * taken twice (a self-deadlock in the real thing) or released unheld
 * aborts the test.  Before a lock is taken and after it is released,
 * fake_lock_hook, if set, is called with the lock and whether it is
 * being taken; it runs with the hook cleared, so it may take locks.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <stdbool.h>
#include <stdlib.h>

typedef struct {
	int held;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

extern void (*fake_lock_hook)(spinlock_t *l, bool taking);

static inline void fake_lock_call_hook(spinlock_t *l, bool taking)
{
	void (*hook)(spinlock_t *l, bool taking) = fake_lock_hook;

	if (!hook)
		return;
	fake_lock_hook = NULL;
	hook(l, taking);
	fake_lock_hook = hook;
}

static inline void spin_lock_init(spinlock_t *l)
{
	l->held = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	fake_lock_call_hook(l, true);
	if (l->held)
		abort();
	l->held = 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!l->held)
		abort();
	l->held = 0;
	fake_lock_call_hook(l, false);
}

#endif
