// SPDX-License-Identifier: GPL-2.0
/*
 * Boot command line parsing.  Each line is split into words in place
 * (pointer + length, the input is never written), every word is checked
 * and the result is built in a local copy that reaches the caller only
 * when the whole line was good.
 */
#include <stdarg.h>
#include <lib/compiler.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>

/* How much of a bad word an error message quotes. */
#define QUOTE_MAX	40

struct word {
	const char *s;
	size_t len;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Next space-separated word at or after *pos; false at the end. */
static bool next_word(const char **pos, struct word *w)
{
	const char *p = *pos;

	while (is_space(*p))
		p++;
	if (!*p)
		return false;
	w->s = p;
	while (*p && !is_space(*p))
		p++;
	w->len = (size_t)(p - w->s);
	*pos = p;
	return true;
}

static bool word_is(const struct word *w, const char *s)
{
	return strlen(s) == w->len && !memcmp(w->s, s, w->len);
}

/* Splits "key=value"; a word without '=' gets an empty value, has_eq false. */
static bool split_kv(const struct word *w, struct word *key, struct word *val)
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

static const char *quote(struct quote *q, const char *s, size_t len)
{
	str_escape(q->s, sizeof(q->s), s, len);
	return q->s;
}

static int errorf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int errorf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -PVKIT_EINVAL;
}

/* ---- hypervisor command line ---- */

enum { HV_SEEN_LOGLEVEL = 1, HV_SEEN_NOEXIT = 2 };

static int hv_option(const struct word *w, struct hv_cfg *cfg,
		     unsigned int *seen, char *err, size_t errlen)
{
	struct word key, val;
	bool has_val = split_kv(w, &key, &val);
	struct quote q;
	uint64_t v;

	if (word_is(&key, "noexit")) {
		if (has_val)
			return errorf(err, errlen,
				      "option 'noexit' takes no value");
		if (*seen & HV_SEEN_NOEXIT)
			return errorf(err, errlen, "duplicate option 'noexit'");
		*seen |= HV_SEEN_NOEXIT;
		cfg->noexit = true;
		return 0;
	}
	if (word_is(&key, "loglevel")) {
		if (*seen & HV_SEEN_LOGLEVEL)
			return errorf(err, errlen,
				      "duplicate option 'loglevel'");
		*seen |= HV_SEEN_LOGLEVEL;
		if (parse_u64(val.s, val.len, &v) || v > 4)
			return errorf(err, errlen, "bad loglevel '%s' (0..4)",
				      quote(&q, val.s, val.len));
		cfg->loglevel = (int)v;
		return 0;
	}
	return errorf(err, errlen, "unknown option '%s'",
		      quote(&q, w->s, w->len));
}

int bootcfg_parse_hv(const char *cmdline, struct hv_cfg *cfg, char *err,
		     size_t errlen)
{
	struct hv_cfg res = { .loglevel = -1, .noexit = false };
	const char *pos = cmdline ? cmdline : "";
	unsigned int seen = 0;
	struct word w;
	bool first = true;
	int ret;

	while (next_word(&pos, &w)) {
		/* Multiboot loaders put the kernel's own path first. */
		if (first && !memchr(w.s, '=', w.len) && !word_is(&w, "noexit")) {
			first = false;
			continue;
		}
		first = false;
		ret = hv_option(&w, &res, &seen, err, errlen);
		if (ret)
			return ret;
	}
	*cfg = res;
	if (err && errlen)
		err[0] = '\0';
	return 0;
}

/* ---- module command lines ---- */

enum {
	MOD_SEEN_NAME = 1,
	MOD_SEEN_KIND = 2,
	MOD_SEEN_MEM = 4,
	MOD_SEEN_VCPUS = 8,
};

struct mod_ctx {
	unsigned int index;
	uint32_t max_vcpus;
	unsigned int seen;
	char *err;
	size_t errlen;
	struct domain_cfg *cfg;
	char shown_path[BOOTCFG_PATH_MAX];	/* escaped, for messages */
};

static const char *const kind_names[] = {
	[DOMAIN_KIND_MINIOS] = "minios",
	[DOMAIN_KIND_LINUX] = "linux",
	[DOMAIN_KIND_DATA] = "data",
};

const char *bootcfg_kind_name(enum domain_kind kind)
{
	if ((unsigned int)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "?";
	return kind_names[kind];
}

/* Every module error starts with "module N (path): ". */
static int mod_error(struct mod_ctx *m, const char *what,
		     const struct word *w, const char *hint)
{
	struct quote q;

	return errorf(m->err, m->errlen, "module %u (%s): %s '%s'%s%s",
		      m->index + 1, m->shown_path, what,
		      quote(&q, w->s, w->len),
		      hint ? " " : "", hint ? hint : "");
}

static bool valid_name(const struct word *v)
{
	size_t i;
	char c;

	if (v->len == 0 || v->len >= BOOTCFG_NAME_MAX)
		return false;
	for (i = 0; i < v->len; i++) {
		c = v->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static int mod_name(struct mod_ctx *m, const struct word *v)
{
	if (!valid_name(v))
		return mod_error(m, "bad name", v,
				 "(1..31 of A-Z a-z 0-9 _ -)");
	memcpy(m->cfg->name, v->s, v->len);
	m->cfg->name[v->len] = '\0';
	return 0;
}

static int mod_kind(struct mod_ctx *m, const struct word *v)
{
	unsigned int k;

	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++) {
		if (word_is(v, kind_names[k])) {
			m->cfg->kind = (enum domain_kind)k;
			return 0;
		}
	}
	return mod_error(m, "bad kind", v, "(minios, linux or data)");
}

static int mod_mem(struct mod_ctx *m, const struct word *v)
{
	uint64_t bytes;

	if (parse_size(v->s, v->len, &bytes) || bytes < BOOTCFG_MEM_MIN ||
	    bytes > BOOTCFG_MEM_MAX)
		return mod_error(m, "bad mem", v, "(2M..64G)");
	/* Guest RAM is mapped with 2 MiB nested pages. */
	m->cfg->mem_bytes = (bytes + BOOTCFG_MEM_ALIGN - 1) &
			    ~(BOOTCFG_MEM_ALIGN - 1);
	return 0;
}

static int mod_vcpus(struct mod_ctx *m, const struct word *v)
{
	char hint[24];
	uint64_t n;

	if (parse_u64(v->s, v->len, &n) || n < 1 || n > m->max_vcpus) {
		snprintf(hint, sizeof(hint), "(1..%u)", m->max_vcpus);
		return mod_error(m, "bad vcpus", v, hint);
	}
	m->cfg->vcpus = (uint32_t)n;
	return 0;
}

struct mod_key {
	const char *name;
	unsigned int bit;
	int (*parse)(struct mod_ctx *m, const struct word *v);
};

static const struct mod_key mod_keys[] = {
	{ "name", MOD_SEEN_NAME, mod_name },
	{ "kind", MOD_SEEN_KIND, mod_kind },
	{ "mem", MOD_SEEN_MEM, mod_mem },
	{ "vcpus", MOD_SEEN_VCPUS, mod_vcpus },
};

static int mod_option(struct mod_ctx *m, const struct word *w)
{
	struct word key, val;
	bool has_val = split_kv(w, &key, &val);
	const struct mod_key *k;
	size_t i;

	for (i = 0; i < sizeof(mod_keys) / sizeof(mod_keys[0]); i++) {
		k = &mod_keys[i];
		if (!word_is(&key, k->name))
			continue;
		if (!has_val)
			return mod_error(m, "missing value for option", &key,
					 NULL);
		if (m->seen & k->bit)
			return mod_error(m, "duplicate option", &key, NULL);
		m->seen |= k->bit;
		return k->parse(m, &val);
	}
	return mod_error(m, "unknown option", w, NULL);
}

static int mod_path(struct mod_ctx *m, const char **pos)
{
	struct word w;

	if (!next_word(pos, &w))
		return errorf(m->err, m->errlen,
			      "module %u: empty command line", m->index + 1);
	if (w.len >= BOOTCFG_PATH_MAX)
		return errorf(m->err, m->errlen,
			      "module %u: path longer than %d bytes", m->index + 1,
			      BOOTCFG_PATH_MAX - 1);
	memcpy(m->cfg->path, w.s, w.len);
	m->cfg->path[w.len] = '\0';
	str_escape(m->shown_path, sizeof(m->shown_path), w.s, w.len);
	return 0;
}

/* pos points just past "--": the arguments start after one separator. */
static int mod_args(struct mod_ctx *m, const char *pos)
{
	size_t len;

	if (is_space(*pos))
		pos++;
	len = strlen(pos);
	if (len >= BOOTCFG_ARGS_MAX)
		return errorf(m->err, m->errlen,
			      "module %u (%s): guest arguments longer than %d bytes",
			      m->index + 1, m->shown_path,
			      BOOTCFG_ARGS_MAX - 1);
	memcpy(m->cfg->args, pos, len);
	m->cfg->args[len] = '\0';
	return 0;
}

int bootcfg_parse_module(const char *cmdline, unsigned index,
			 uint32_t max_vcpus, struct domain_cfg *cfg, char *err,
			 size_t errlen)
{
	struct domain_cfg res = {
		.kind = DOMAIN_KIND_MINIOS,
		.mem_bytes = BOOTCFG_MEM_DEFAULT,
		.vcpus = 1,
	};
	struct mod_ctx m = {
		.index = index, .max_vcpus = max_vcpus,
		.err = err, .errlen = errlen, .cfg = &res,
	};
	const char *pos = cmdline ? cmdline : "";
	struct word w;
	int ret;

	snprintf(res.name, sizeof(res.name), "dom%u", index + 1);
	ret = mod_path(&m, &pos);
	if (ret)
		return ret;
	while (next_word(&pos, &w)) {
		if (word_is(&w, "--")) {
			ret = mod_args(&m, pos);
			break;
		}
		ret = mod_option(&m, &w);
		if (ret)
			break;
	}
	if (ret)
		return ret;
	/* A Linux guest is an SMP guest unless told otherwise. */
	if (!(m.seen & MOD_SEEN_VCPUS) && res.kind == DOMAIN_KIND_LINUX)
		res.vcpus = MIN(BOOTCFG_LINUX_VCPUS, max_vcpus);
	*cfg = res;
	if (err && errlen)
		err[0] = '\0';
	return 0;
}
