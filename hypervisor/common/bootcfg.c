// SPDX-License-Identifier: GPL-2.0
/*
 * Boot command line parsing.  Each line is split into words in place
 * (pointer + length, the input is never written), every word is checked
 * and the result is built in a local copy that reaches the caller only
 * when the whole line was good.  A module's devices are bootcfg_dev.c's.
 */
#include <stdarg.h>
#include <lib/compiler.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>
#include "bootcfg_int.h"

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

int errorf(char *err, size_t errlen, const char *fmt, ...)
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

enum { HV_SEEN_LOGLEVEL = 1, HV_SEEN_NOEXIT = 2, HV_SEEN_RAM_ZEROED = 4,
       HV_SEEN_CONRATE = 8, HV_SEEN_CONBURST = 16, HV_SEEN_CONRAW = 32,
       HV_SEEN_UPLINK = 64, HV_SEEN_UNSAFE_INTR = 128,
       HV_SEEN_EXITSTATS = 256 };

static const struct {
	const char *name;
	unsigned int bit;
	size_t offset;
} hv_flags[] = {
	{ "noexit", HV_SEEN_NOEXIT, offsetof(struct hv_cfg, noexit) },
	{ "ram_zeroed", HV_SEEN_RAM_ZEROED, offsetof(struct hv_cfg, ram_zeroed) },
	{ "console_raw", HV_SEEN_CONRAW, offsetof(struct hv_cfg, console_raw) },
	{ "uplink", HV_SEEN_UPLINK, offsetof(struct hv_cfg, uplink) },
	{ "unsafe_interrupts", HV_SEEN_UNSAFE_INTR,
	  offsetof(struct hv_cfg, unsafe_interrupts) },
	{ "exitstats", HV_SEEN_EXITSTATS, offsetof(struct hv_cfg, exitstats) },
};

static int hv_flag(const struct word *key, bool has_val, struct hv_cfg *cfg,
		   unsigned int *seen, char *err, size_t errlen)
{
	for (size_t i = 0; i < ARRAY_SIZE(hv_flags); i++) {
		if (!word_is(key, hv_flags[i].name))
			continue;
		if (has_val)
			return errorf(err, errlen, "option '%s' takes no value",
				      hv_flags[i].name);
		if (*seen & hv_flags[i].bit)
			return errorf(err, errlen, "duplicate option '%s'",
				      hv_flags[i].name);
		*seen |= hv_flags[i].bit;
		*(bool *)((char *)cfg + hv_flags[i].offset) = true;
		return 0;
	}
	return 1;
}

static bool is_hv_flag(const struct word *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(hv_flags); i++)
		if (word_is(w, hv_flags[i].name))
			return true;
	return false;
}

static int hv_option(const struct word *w, struct hv_cfg *cfg,
		     unsigned int *seen, char *err, size_t errlen)
{
	struct word key, val;
	bool has_val = split_kv(w, &key, &val);
	struct quote q;
	uint64_t v;
	int ret;

	ret = hv_flag(&key, has_val, cfg, seen, err, errlen);
	if (ret <= 0)
		return ret;
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
	if (word_is(&key, "console_rate")) {
		if (*seen & HV_SEEN_CONRATE)
			return errorf(err, errlen,
				      "duplicate option 'console_rate'");
		*seen |= HV_SEEN_CONRATE;
		if (parse_size(val.s, val.len, &v))
			return errorf(err, errlen,
				      "bad console_rate '%s' (bytes a second, K/M suffixes, 0 = no limit)",
				      quote(&q, val.s, val.len));
		cfg->console_rate = (int64_t)v;
		return 0;
	}
	if (word_is(&key, "console_burst")) {
		if (*seen & HV_SEEN_CONBURST)
			return errorf(err, errlen,
				      "duplicate option 'console_burst'");
		*seen |= HV_SEEN_CONBURST;
		if (parse_size(val.s, val.len, &v) || v < 256 || v > (1ull << 30))
			return errorf(err, errlen,
				      "bad console_burst '%s' (bytes, K/M suffixes, 256..1G)",
				      quote(&q, val.s, val.len));
		cfg->console_burst = (int64_t)v;
		return 0;
	}
	return errorf(err, errlen, "unknown option '%s'",
		      quote(&q, w->s, w->len));
}

int bootcfg_parse_hv(const char *cmdline, struct hv_cfg *cfg, char *err,
		     size_t errlen)
{
	struct hv_cfg res = { .loglevel = -1, .console_rate = -1,
			      .console_burst = -1 };
	const char *pos = cmdline ? cmdline : "";
	unsigned int seen = 0;
	struct word w;
	bool first = true;
	int ret;

	while (next_word(&pos, &w)) {
		/* Multiboot loaders put the kernel's own path first. */
		if (first && !memchr(w.s, '=', w.len) && !is_hv_flag(&w)) {
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

static const char *const kind_names[] = {
	[DOMAIN_KIND_MINIOS] = "minios",
	[DOMAIN_KIND_LINUX] = "linux",
	[DOMAIN_KIND_DATA] = "data",
	[DOMAIN_KIND_MULTIBOOT] = "multiboot",
	[DOMAIN_KIND_DISK] = "disk",
};

const char *bootcfg_kind_name(enum domain_kind kind)
{
	if ((unsigned int)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "?";
	return kind_names[kind];
}

int mod_error(struct mod_ctx *m, const char *what, const struct word *w,
	      const char *hint)
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

/* A domain name into dst (BOOTCFG_NAME_MAX bytes), or what/hint. */
static int name_value(struct mod_ctx *m, const struct word *v, char *dst,
		      const char *what, const char *hint)
{
	if (!valid_name(v))
		return mod_error(m, what, v, hint);
	memcpy(dst, v->s, v->len);
	dst[v->len] = '\0';
	return 0;
}

static int mod_name(struct mod_ctx *m, const struct word *v)
{
	return name_value(m, v, m->cfg->name, "bad name",
			  "(1..31 of A-Z a-z 0-9 _ -)");
}

/* after=NAME: domain_build.c checks that NAME is an earlier domain. */
static int mod_after(struct mod_ctx *m, const struct word *v)
{
	return name_value(m, v, m->cfg->after, "bad after",
			  "(the name of an earlier domain)");
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
	return mod_error(m, "bad kind", v, "(minios, linux, multiboot, data or disk)");
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

/* on|off into *off; false for any other word. */
static bool parse_on_off(const struct word *v, bool *off)
{
	if (word_is(v, "on") || word_is(v, "off")) {
		*off = word_is(v, "off");
		return true;
	}
	return false;
}

static int mod_x2apic(struct mod_ctx *m, const struct word *v)
{
	if (!parse_on_off(v, &m->cfg->no_x2apic))
		return mod_error(m, "bad x2apic", v, "(on or off)");
	return 0;
}

static int mod_tsc_deadline(struct mod_ctx *m, const struct word *v)
{
	if (!parse_on_off(v, &m->cfg->no_tsc_deadline))
		return mod_error(m, "bad tsc_deadline", v, "(on or off)");
	return 0;
}

static int mod_paging(struct mod_ctx *m, const struct word *v)
{
	if (word_is(v, "nested"))
		m->cfg->paging = PAGING_NESTED;
	else if (word_is(v, "shadow") && !BUILT_SHADOW_PAGING)
		return errorf(m->err, m->errlen,
			      "module %u (%s): paging=shadow is not in this build (CONFIG_SHADOW_PAGING is off)",
			      m->index + 1, m->shown_path);
	else if (word_is(v, "shadow"))
		m->cfg->paging = PAGING_SHADOW;
	else
		return mod_error(m, "bad paging", v, "(nested or shadow)");
	return 0;
}

struct mod_key {
	const char *name;
	unsigned int bit;		/* 0: may repeat */
	int (*parse)(struct mod_ctx *m, const struct word *v);
};

static const struct mod_key mod_keys[] = {
	{ "name", MOD_SEEN_NAME, mod_name },
	{ "kind", MOD_SEEN_KIND, mod_kind },
	{ "mem", MOD_SEEN_MEM, mod_mem },
	{ "vcpus", MOD_SEEN_VCPUS, mod_vcpus },
	{ "console", MOD_SEEN_CONSOLE, mod_console },
	{ "x2apic", MOD_SEEN_X2APIC, mod_x2apic },
	{ "tsc_deadline", MOD_SEEN_TSC_DEADLINE, mod_tsc_deadline },
	{ "after", MOD_SEEN_AFTER, mod_after },
	{ "paging", MOD_SEEN_PAGING, mod_paging },
	{ "disk", MOD_REPEATS, mod_disk },
	{ "net", MOD_REPEATS, mod_net },
	{ "pci", MOD_REPEATS, mod_pci },
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
		if (k->bit && (m->seen & k->bit))
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

/* A disk image says which disk it fills; nothing else says disk=ID. */
static int mod_image_done(struct mod_ctx *m)
{
	bool image = m->cfg->kind == DOMAIN_KIND_DISK;

	if (image && m->cfg->image_disk < 0)
		return errorf(m->err, m->errlen,
			      "module %u (%s): a kind=disk module needs disk=ID, the disk it fills",
			      m->index + 1, m->shown_path);
	if (!image && m->cfg->image_disk >= 0)
		return errorf(m->err, m->errlen,
			      "module %u (%s): disk=%d without mode= is for kind=disk modules (a disk is disk=ID,mode=M)",
			      m->index + 1, m->shown_path, m->cfg->image_disk);
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
		.image_disk = -1,
	};
	struct mod_ctx m = {
		.index = index, .max_vcpus = max_vcpus, .console = DEV_MODE_PV,
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
	if (!ret)
		ret = mod_image_done(&m);
	if (ret)
		return ret;
	ret = mod_devices_done(&m);
	if (ret)
		return ret;
	/* Only the emulated PC of a Linux domain has a local APIC. */
	if ((m.seen & (MOD_SEEN_X2APIC | MOD_SEEN_TSC_DEADLINE)) &&
	    res.kind != DOMAIN_KIND_LINUX)
		return errorf(err, errlen,
			      "module %u (%s): x2apic= and tsc_deadline= are for kind=linux",
			      index + 1, m.shown_path);
	/* A Linux guest is an SMP guest unless told otherwise. */
	if (!(m.seen & MOD_SEEN_VCPUS) && res.kind == DOMAIN_KIND_LINUX)
		res.vcpus = MIN(BOOTCFG_LINUX_VCPUS, max_vcpus);
	*cfg = res;
	if (err && errlen)
		err[0] = '\0';
	return 0;
}
