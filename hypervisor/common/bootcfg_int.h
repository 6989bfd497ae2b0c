/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What bootcfg.c (the lines and their keys) and bootcfg_dev.c (a
 * module's devices) share: the word a line is split into, the state of
 * one module line and its error messages.
 */
#ifndef COMMON_BOOTCFG_INT_H
#define COMMON_BOOTCFG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/string.h>
#include <hv/bootcfg.h>

/*
 * The I/O paths Kconfig left in this build, as constants rather than
 * #ifdefs in bootcfg_dev.c: a module line asking for one that is out
 * is refused, naming its option.
 */
#ifdef CONFIG_PV_NET
#define BUILT_PV_NET		true
#else
#define BUILT_PV_NET		false
#endif
#ifdef CONFIG_PASSTHROUGH
#define BUILT_PASSTHROUGH	true
#else
#define BUILT_PASSTHROUGH	false
#endif
#ifdef CONFIG_EMUL_IDE
#define BUILT_EMUL_IDE		true
#else
#define BUILT_EMUL_IDE		false
#endif
#ifdef CONFIG_EMUL_E1000
#define BUILT_EMUL_E1000	true
#else
#define BUILT_EMUL_E1000	false
#endif
#ifdef CONFIG_EMUL_UART
#define BUILT_EMUL_UART		true
#else
#define BUILT_EMUL_UART		false
#endif
#ifdef CONFIG_SHADOW_PAGING
#define BUILT_SHADOW_PAGING	true
#else
#define BUILT_SHADOW_PAGING	false
#endif

/* How much of a bad word an error message quotes. */
#define QUOTE_MAX	40

struct word {
	const char *s;
	size_t len;
};

static inline bool word_is(const struct word *w, const char *s)
{
	return strlen(s) == w->len && !memcmp(w->s, s, w->len);
}

/* Splits "key=value"; a word without '=' gets an empty value, has_eq false. */
static inline bool split_kv(const struct word *w, struct word *key,
			    struct word *val)
{
	const char *eq = memchr(w->s, '=', w->len);

	key->s = w->s;
	if (!eq) {
		key->len = w->len;
		val->s = w->s + w->len;
		val->len = 0;
		return false;
	}
	key->len = (size_t)(eq - w->s);
	val->s = eq + 1;
	val->len = w->len - key->len - 1;
	return true;
}

/*
 * A bounded copy of a word for an error message, escaped: the line goes
 * to the user's terminal, and a byte of a bad option must not drive it.
 */
struct quote {
	char s[QUOTE_MAX + 1];
};

static inline const char *quote(struct quote *q, const char *s, size_t len)
{
	str_escape(q->s, sizeof(q->s), s, len);
	return q->s;
}

/* Writes the message to err (when there is room) and returns -PVKIT_EINVAL. */
int errorf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum {
	MOD_SEEN_NAME = 1,
	MOD_SEEN_KIND = 2,
	MOD_SEEN_MEM = 4,
	MOD_SEEN_VCPUS = 8,
	MOD_SEEN_CONSOLE = 16,
	MOD_SEEN_X2APIC = 32,
	MOD_SEEN_TSC_DEADLINE = 64,
	MOD_SEEN_IMAGE_DISK = 128,
	MOD_SEEN_AFTER = 256,
	MOD_SEEN_PAGING = 512,
	MOD_REPEATS = 0,	/* keys that may be given once per device */
};

struct mod_ctx {
	unsigned int index;
	uint32_t max_vcpus;
	unsigned int seen;
	char *err;
	size_t errlen;
	struct domain_cfg *cfg;
	enum dev_mode console;
	char shown_path[BOOTCFG_PATH_MAX];	/* escaped, for messages */
};

/* Every module error starts with "module N (path): ". */
int mod_error(struct mod_ctx *m, const char *what, const struct word *w,
	      const char *hint);

/* The device keys of a module line (bootcfg_dev.c). */
int mod_console(struct mod_ctx *m, const struct word *v);
int mod_disk(struct mod_ctx *m, const struct word *v);
int mod_net(struct mod_ctx *m, const struct word *v);
int mod_pci(struct mod_ctx *m, const struct word *v);
/* After the last key: derived MACs, the PV console, what each kind allows. */
int mod_devices_done(struct mod_ctx *m);

#endif /* COMMON_BOOTCFG_INT_H */
