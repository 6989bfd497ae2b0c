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

enum { HV_SEEN_LOGLEVEL = 1, HV_SEEN_NOEXIT = 2, HV_SEEN_RAM_ZEROED = 4,
       HV_SEEN_CONRATE = 8, HV_SEEN_CONBURST = 16, HV_SEEN_CONRAW = 32,
       HV_SEEN_UPLINK = 64, HV_SEEN_UNSAFE_INTR = 128 };

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

/* after=NAME: domain_build.c checks that NAME is an earlier domain. */
static int mod_after(struct mod_ctx *m, const struct word *v)
{
	if (!valid_name(v))
		return mod_error(m, "bad after", v,
				 "(the name of an earlier domain)");
	memcpy(m->cfg->after, v->s, v->len);
	m->cfg->after[v->len] = '\0';
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

/* ---- devices ---- */

static const char *const dev_type_names[] = {
	[DEV_TYPE_CONSOLE] = "console",
	[DEV_TYPE_DISK] = "disk",
	[DEV_TYPE_NET] = "net",
	[DEV_TYPE_PCI] = "pci",
};

static const char *const dev_mode_names[] = {
	[DEV_MODE_EMULATED] = "emulated",
	[DEV_MODE_PV] = "pv",
	[DEV_MODE_PASSTHROUGH] = "passthrough",
};

/* What this build can give a guest, by device type and mode. */
static bool dev_mode_built(enum dev_type type, enum dev_mode mode)
{
	if (type == DEV_TYPE_DISK)
		return mode == DEV_MODE_PV || mode == DEV_MODE_EMULATED;
#ifdef CONFIG_PV_NET
	if (type == DEV_TYPE_NET)	/* emulated: an e1000 */
		return mode == DEV_MODE_PV || mode == DEV_MODE_EMULATED;
#endif
#ifdef CONFIG_PASSTHROUGH
	if (type == DEV_TYPE_PCI)
		return true;
#endif
	return type == DEV_TYPE_CONSOLE && mode != DEV_MODE_PASSTHROUGH;
}

static int parse_mode(const struct word *v, enum dev_mode *mode)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dev_mode_names); i++) {
		if (word_is(v, dev_mode_names[i])) {
			*mode = (enum dev_mode)i;
			return 0;
		}
	}
	return -PVKIT_EINVAL;
}

/* Next comma-separated field of *rest into f; false when none is left. */
static bool next_field(struct word *rest, struct word *f)
{
	const char *comma;

	if (!rest->len)
		return false;
	comma = memchr(rest->s, ',', rest->len);
	f->s = rest->s;
	f->len = comma ? (size_t)(comma - rest->s) : rest->len;
	rest->s += f->len + (comma ? 1 : 0);
	rest->len -= f->len + (comma ? 1 : 0);
	return true;
}

static int dev_add(struct mod_ctx *m, const struct dev_cfg *dev,
		   const struct word *v)
{
	struct domain_cfg *c = m->cfg;
	const char *type = dev_type_names[dev->type];
	struct quote q;

	for (unsigned int i = 0; i < c->nr_devs; i++) {
		const struct dev_cfg *o = &c->devs[i];

		if (o->type == dev->type && o->id == dev->id)
			return mod_error(m, "duplicate device", v, NULL);
		/* The IDE controller has one disk, its primary master. */
		if (o->type == DEV_TYPE_DISK && dev->type == DEV_TYPE_DISK &&
		    o->mode == DEV_MODE_EMULATED &&
		    dev->mode == DEV_MODE_EMULATED)
			return mod_error(m, "a second emulated disk at", v,
					 "(one emulated disk per domain)");
	}
	if (!dev_mode_built(dev->type, dev->mode))
		return errorf(m->err, m->errlen,
			      "module %u (%s): %s '%s': mode %s is not built yet",
			      m->index + 1, m->shown_path, type,
			      quote(&q, v->s, v->len), dev_mode_names[dev->mode]);
	if (c->nr_devs == BOOTCFG_DEVS_MAX)
		return mod_error(m, "too many devices at", v, NULL);
	c->devs[c->nr_devs++] = *dev;
	return 0;
}

/* Only recorded here: the PV console is added as device 0 at the end. */
static int mod_console(struct mod_ctx *m, const struct word *v)
{
	enum dev_mode mode;

	if (parse_mode(v, &mode) || mode == DEV_MODE_PASSTHROUGH)
		return mod_error(m, "bad console", v, "(emulated or pv)");
	m->console = mode;
	return 0;
}

/* size=SIZE of a PV disk: its RAM storage, whole pages. */
static int dev_size(struct mod_ctx *m, const struct word *f,
		    const struct word *val, uint64_t *size)
{
	if (*size)
		return mod_error(m, "duplicate device option", f, NULL);
	if (parse_size(val->s, val->len, size) || *size < BOOTCFG_DISK_MIN ||
	    *size > BOOTCFG_DISK_MAX || *size % 4096)
		return mod_error(m, "bad disk size", val,
				 "(64K .. 1G, a multiple of 4K)");
	return 0;
}

/* storage=ram|virtio|vblkN of a PV disk. */
static int dev_storage(struct mod_ctx *m, const struct word *f,
		       const struct word *val, struct dev_cfg *dev,
		       bool *have)
{
	uint64_t n = 0;

	if (*have)
		return mod_error(m, "duplicate device option", f, NULL);
	*have = true;
	if (word_is(val, "ram"))
		return 0;
	if (!word_is(val, "virtio") &&
	    (val->len < 5 || memcmp(val->s, "vblk", 4) ||
	     parse_u64(val->s + 4, val->len - 4, &n) || n > BOOTCFG_VBLK_MAX))
		return mod_error(m, "bad storage", val,
				 "(ram, virtio or vblk0 .. vblk3)");
	dev->storage = DEV_STORAGE_VIRTIO;
	dev->storage_index = (uint8_t)n;
	return 0;
}

/*
 * A PV disk has RAM storage of size=SIZE or a virtio-blk device's, of
 * its capacity; nothing else takes a size or a storage.
 */
static int dev_check_size(struct mod_ctx *m, const struct dev_cfg *dev,
			  const struct word *v, bool have_storage)
{
	/* An emulated disk has its storage as a PV disk has. */
	bool pv_disk = dev->type == DEV_TYPE_DISK;

	if (!pv_disk && have_storage)
		return mod_error(m, "storage= is for disks only, in", v, NULL);
	if (dev->storage == DEV_STORAGE_VIRTIO)
		return dev->size ? mod_error(m, "size= is for RAM storage only, in",
					     v, "(vblkN has its device's capacity)") : 0;
	if (pv_disk && !dev->size)
		return mod_error(m, "no size= for disk", v,
				 "(its RAM storage: size=SIZE)");
	if (!pv_disk && dev->size)
		return mod_error(m, "size= is for disks only, in", v, NULL);
	return 0;
}

static int hex_field(const char *s, size_t len, unsigned int max,
		     unsigned int *out);

/* mac=XX:XX:XX:XX:XX:XX of a NIC: six hex pairs, a unicast address. */
static int dev_mac(struct mod_ctx *m, const struct word *f,
		   const struct word *val, struct dev_cfg *dev, bool *seen)
{
	unsigned int byte;

	if (*seen)
		return mod_error(m, "duplicate device option", f, NULL);
	*seen = true;
	if (val->len != 17)
		goto bad;
	for (unsigned int i = 0; i < 6; i++) {
		if ((i < 5 && val->s[i * 3 + 2] != ':') ||
		    hex_field(val->s + i * 3, 2, 255, &byte))
			goto bad;
		dev->mac[i] = (uint8_t)byte;
	}
	if (dev->mac[0] & 1)
		goto bad;
	return 0;
bad:
	return mod_error(m, "bad MAC address", val,
			 "(XX:XX:XX:XX:XX:XX, unicast)");
}

/* mtu=N of a PV NIC. */
static int dev_mtu(struct mod_ctx *m, const struct word *f,
		   const struct word *val, struct dev_cfg *dev)
{
	uint64_t mtu;

	if (dev->mtu)
		return mod_error(m, "duplicate device option", f, NULL);
	if (parse_u64(val->s, val->len, &mtu) || mtu < BOOTCFG_NET_MTU_MIN ||
	    mtu > BOOTCFG_NET_MTU_MAX)
		return mod_error(m, "bad MTU", val, "(68 .. 9000)");
	dev->mtu = (uint16_t)mtu;
	return 0;
}

/* backend=auto|vcpu: where a PV device's backend runs. */
static int dev_backend(struct mod_ctx *m, const struct word *f,
		       const struct word *val, struct dev_cfg *dev, bool *seen)
{
	if (*seen)
		return mod_error(m, "duplicate device option", f, NULL);
	*seen = true;
	if (word_is(val, "auto"))
		dev->backend = DEV_BACKEND_AUTO;
	else if (word_is(val, "vcpu"))
		dev->backend = DEV_BACKEND_VCPU;
	else
		return mod_error(m, "bad backend", val, "(auto or vcpu)");
	return 0;
}

/* access=rw|ro of a PV disk: ro offers it read-only. */
static int dev_access(struct mod_ctx *m, const struct word *f,
		      const struct word *val, struct dev_cfg *dev, bool *seen)
{
	if (*seen)
		return mod_error(m, "duplicate device option", f, NULL);
	*seen = true;
	if (word_is(val, "rw"))
		dev->read_only = 0;
	else if (word_is(val, "ro"))
		dev->read_only = 1;
	else
		return mod_error(m, "bad access", val, "(rw or ro)");
	return 0;
}

/* Which of a device's options appeared: each may appear once. */
struct dev_seen {
	bool mac;
	bool storage;
	bool backend;
	bool access;
};

/*
 * Options only some devices take: size=, storage= and access= (PV
 * disk), mac= (NIC) and mtu= (PV NIC).
 */
static int dev_check_opts(struct mod_ctx *m, const struct dev_cfg *dev,
			  const struct word *v, const struct dev_seen *seen)
{
	bool pv_net = dev->type == DEV_TYPE_NET && dev->mode == DEV_MODE_PV;
	bool pv_disk = dev->type == DEV_TYPE_DISK && dev->mode == DEV_MODE_PV;

	if (dev->type == DEV_TYPE_NET && !pv_net && dev->mtu)
		return mod_error(m, "mtu= is for PV NICs only, in", v, NULL);
	if (dev->type != DEV_TYPE_NET && (seen->mac || dev->mtu))
		return mod_error(m, "mac= and mtu= are for PV NICs only, in", v,
				 NULL);
	if (!pv_disk && seen->access)
		return mod_error(m, "access= is for PV disks only, in", v, NULL);
	return dev_check_size(m, dev, v, seen->storage);
}

static int dev_opt(struct mod_ctx *m, const struct word *f,
		   const struct word *key, const struct word *val,
		   struct dev_cfg *dev, struct dev_seen *seen)
{
	if (word_is(key, "size"))
		return dev_size(m, f, val, &dev->size);
	if (word_is(key, "storage"))
		return dev_storage(m, f, val, dev, &seen->storage);
	if (word_is(key, "mac"))
		return dev_mac(m, f, val, dev, &seen->mac);
	if (word_is(key, "mtu"))
		return dev_mtu(m, f, val, dev);
	if (word_is(key, "backend"))
		return dev_backend(m, f, val, dev, &seen->backend);
	if (word_is(key, "access"))
		return dev_access(m, f, val, dev, &seen->access);
	return mod_error(m, "unknown device option", f, NULL);
}

/*
 * disk=ID,mode=M[,size=SIZE][,storage=S][,access=A][,backend=B] and
 * net=ID,mode=M[,mac=MAC][,mtu=N][,backend=B].
 */
static int mod_disk_net(struct mod_ctx *m, enum dev_type type,
			const struct word *v)
{
	struct dev_cfg dev = { .type = (uint8_t)type };
	struct word rest = *v, f, key, val;
	struct dev_seen seen = { false, false, false, false };
	bool have_mode = false;
	enum dev_mode mode;
	uint64_t id;
	int ret;

	if (!next_field(&rest, &f) || parse_u64(f.s, f.len, &id) ||
	    id > BOOTCFG_DEV_ID_MAX)
		return mod_error(m, "bad device id in", v, "(ID,mode=M, ID 0..255)");
	dev.id = (uint16_t)id;
	while (next_field(&rest, &f)) {
		if (!split_kv(&f, &key, &val))
			return mod_error(m, "unknown device option", &f, NULL);
		if (!word_is(&key, "mode")) {
			ret = dev_opt(m, &f, &key, &val, &dev, &seen);
			if (ret)
				return ret;
			continue;
		}
		if (have_mode)
			return mod_error(m, "duplicate device option", &f, NULL);
		if (parse_mode(&val, &mode))
			return mod_error(m, "bad mode", &val,
					 "(emulated, pv or passthrough)");
		dev.mode = (uint8_t)mode;
		have_mode = true;
	}
	if (!have_mode)
		return mod_error(m, "no mode= for device", v, NULL);
	if (dev_mode_built(dev.type, dev.mode)) {
		ret = dev_check_opts(m, &dev, v, &seen);
		if (ret)
			return ret;
	}
	if (dev.type == DEV_TYPE_NET && dev.mode == DEV_MODE_PV && !dev.mtu)
		dev.mtu = BOOTCFG_NET_MTU_DEFAULT;
	return dev_add(m, &dev, v);
}

/* disk=ID alone: which disk a kind=disk module's image fills. */
static int mod_image_disk(struct mod_ctx *m, const struct word *v)
{
	uint64_t id;

	if (m->seen & MOD_SEEN_IMAGE_DISK)
		return errorf(m->err, m->errlen,
			      "module %u (%s): duplicate option 'disk'",
			      m->index + 1, m->shown_path);
	m->seen |= MOD_SEEN_IMAGE_DISK;
	if (parse_u64(v->s, v->len, &id) || id > BOOTCFG_DEV_ID_MAX)
		return mod_error(m, "bad disk id", v, "(0..255)");
	m->cfg->image_disk = (int)id;
	return 0;
}

static int mod_disk(struct mod_ctx *m, const struct word *v)
{
	if (!memchr(v->s, ',', v->len))
		return mod_image_disk(m, v);
	return mod_disk_net(m, DEV_TYPE_DISK, v);
}

static int mod_net(struct mod_ctx *m, const struct word *v)
{
	return mod_disk_net(m, DEV_TYPE_NET, v);
}

static int hex_field(const char *s, size_t len, unsigned int max,
		     unsigned int *out)
{
	unsigned int v = 0;

	if (!len || len > 2)
		return -PVKIT_EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		unsigned int d = c >= '0' && c <= '9' ? (unsigned int)(c - '0') :
				 c >= 'a' && c <= 'f' ? (unsigned int)(c - 'a' + 10) :
				 c >= 'A' && c <= 'F' ? (unsigned int)(c - 'A' + 10) :
				 16;

		if (d > 15)
			return -PVKIT_EINVAL;
		v = v * 16 + d;
	}
	if (v > max)
		return -PVKIT_EINVAL;
	*out = v;
	return 0;
}

/* pci=BB:DD.F, hexadecimal, as lspci prints it. */
static int mod_pci(struct mod_ctx *m, const struct word *v)
{
	struct dev_cfg dev = {
		.type = DEV_TYPE_PCI, .mode = DEV_MODE_PASSTHROUGH,
	};
	unsigned int bus, slot, fn;

	if (v->len != 7 || v->s[2] != ':' || v->s[5] != '.' ||
	    hex_field(v->s, 2, 0xff, &bus) ||
	    hex_field(v->s + 3, 2, 0x1f, &slot) ||
	    hex_field(v->s + 6, 1, 7, &fn))
		return mod_error(m, "bad pci", v, "(BB:DD.F, hexadecimal)");
	dev.id = (uint16_t)(bus << 8 | slot << 3 | fn);
	return dev_add(m, &dev, v);
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

static bool mac_is_zero(const uint8_t *mac)
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

/*
 * A NIC without mac=: 02:50 (locally administered, unicast) and the
 * FNV-1a hash of the domain's name and the NIC's id, so a domain keeps
 * its address from boot to boot and two NICs of one domain differ.
 */
static void net_derive_mac(const char *name, struct dev_cfg *dev)
{
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ '/') * 16777619u;
	h = (h ^ (dev->id & 0xff)) * 16777619u;
	dev->mac[0] = 0x02;
	dev->mac[1] = 0x50;
	dev->mac[2] = (uint8_t)(h >> 24);
	dev->mac[3] = (uint8_t)(h >> 16);
	dev->mac[4] = (uint8_t)(h >> 8);
	dev->mac[5] = (uint8_t)h;
}

/*
 * What a device is called if it lives on the emulated PC, which Mini-OS
 * lacks: emulated disks and NICs, and passed-through PCI functions,
 * which appear on its PCI bus; NULL for the others.
 */
static const char *pc_device_name(const struct dev_cfg *dev)
{
	if (dev->type == DEV_TYPE_PCI)
		return "a PCI function";
	if (dev->mode != DEV_MODE_EMULATED)
		return NULL;
	if (dev->type == DEV_TYPE_DISK)
		return "an emulated disk";
	return dev->type == DEV_TYPE_NET ? "an emulated NIC" : NULL;
}

/* The PV console unless console=emulated; none for a data or disk module. */
static int mod_devices_done(struct mod_ctx *m)
{
	struct domain_cfg *c = m->cfg;
	struct dev_cfg con = { .type = DEV_TYPE_CONSOLE, .mode = DEV_MODE_PV };

	for (unsigned int i = 0; i < c->nr_devs; i++)
		if (c->devs[i].type == DEV_TYPE_NET &&
		    mac_is_zero(c->devs[i].mac))
			net_derive_mac(c->name, &c->devs[i]);
	for (unsigned int i = 0; i < c->nr_devs; i++) {
		const char *what = pc_device_name(&c->devs[i]);

		if (c->kind == DOMAIN_KIND_MINIOS && what)
			return errorf(m->err, m->errlen,
				      "module %u (%s): %s is for kind=linux and kind=multiboot",
				      m->index + 1, m->shown_path, what);
	}

	if (c->kind == DOMAIN_KIND_DATA || c->kind == DOMAIN_KIND_DISK) {
		if (c->nr_devs || (m->seen & MOD_SEEN_CONSOLE))
			return errorf(m->err, m->errlen,
				      "module %u (%s): a %s module has no devices",
				      m->index + 1, m->shown_path,
				      kind_names[c->kind]);
		return 0;
	}
	if (m->console != DEV_MODE_PV)
		return 0;
	if (c->nr_devs == BOOTCFG_DEVS_MAX)
		return errorf(m->err, m->errlen,
			      "module %u (%s): too many devices", m->index + 1,
			      m->shown_path);
	/* The console comes first: it is device 0 of every guest. */
	memmove(&c->devs[1], &c->devs[0], c->nr_devs * sizeof(c->devs[0]));
	c->devs[0] = con;
	c->nr_devs++;
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
