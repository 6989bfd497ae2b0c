// SPDX-License-Identifier: GPL-2.0
/*
 * The devices of a module line: console=, disk=, net= and pci=, each
 * checked against the I/O paths this build has, and what a domain's
 * kind allows once the whole line is read.
 */
#include <lib/compiler.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>
#include "bootcfg_int.h"

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

/*
 * The Kconfig option a device of this type and mode needs when this
 * build lacks it, NULL when the build has the device.  A passed-through
 * disk or NIC is a PCI function with a role.
 */
static const char *dev_missing_option(enum dev_type type, enum dev_mode mode)
{
	if (type == DEV_TYPE_PCI || mode == DEV_MODE_PASSTHROUGH)
		return BUILT_PASSTHROUGH ? NULL : "CONFIG_PASSTHROUGH";
	if (type == DEV_TYPE_DISK && mode == DEV_MODE_EMULATED)
		return BUILT_EMUL_IDE ? NULL : "CONFIG_EMUL_IDE";
	if (type == DEV_TYPE_NET && mode == DEV_MODE_EMULATED)	/* an e1000 */
		return BUILT_EMUL_E1000 ? NULL : "CONFIG_EMUL_E1000";
	if (type == DEV_TYPE_NET)
		return BUILT_PV_NET ? NULL : "CONFIG_PV_NET";
	return NULL;
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

/*
 * The type a device goes by on the module line, and its ID there: a
 * passed-through disk or NIC is disk=ID or net=ID as the others are.
 */
static unsigned int line_type(const struct dev_cfg *dev)
{
	if (dev->role == DEV_ROLE_DISK)
		return DEV_TYPE_DISK;
	return dev->role == DEV_ROLE_NET ? DEV_TYPE_NET : dev->type;
}

static bool same_device(const struct dev_cfg *a, const struct dev_cfg *b)
{
	if (a->type == b->type && a->id == b->id)
		return true;	/* for pci, one function twice */
	return line_type(a) == line_type(b) &&
	       (a->role ? a->role_id : a->id) == (b->role ? b->role_id : b->id);
}

static int dev_add(struct mod_ctx *m, const struct dev_cfg *dev,
		   const struct word *v)
{
	struct domain_cfg *c = m->cfg;
	const char *missing = dev_missing_option(dev->type, dev->mode);
	const char *type = dev_type_names[dev->type];
	struct quote q;

	for (unsigned int i = 0; i < c->nr_devs; i++) {
		const struct dev_cfg *o = &c->devs[i];

		if (same_device(o, dev))
			return mod_error(m, "duplicate device", v, NULL);
		/* The IDE controller has one disk, its primary master. */
		if (o->type == DEV_TYPE_DISK && dev->type == DEV_TYPE_DISK &&
		    o->mode == DEV_MODE_EMULATED &&
		    dev->mode == DEV_MODE_EMULATED)
			return mod_error(m, "a second emulated disk at", v,
					 "(one emulated disk per domain)");
	}
	if (missing)
		return errorf(m->err, m->errlen,
			      "module %u (%s): %s '%s': mode %s is not in this build (%s is off)",
			      m->index + 1, m->shown_path, type,
			      quote(&q, v->s, v->len), dev_mode_names[dev->mode],
			      missing);
	if (c->nr_devs == BOOTCFG_DEVS_MAX)
		return mod_error(m, "too many devices at", v, NULL);
	c->devs[c->nr_devs++] = *dev;
	return 0;
}

/* Only recorded here: the PV console is added as device 0 at the end. */
int mod_console(struct mod_ctx *m, const struct word *v)
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

/* BB:DD.F, hexadecimal as lspci prints it, into its requester id. */
static int parse_bdf(const struct word *v, uint16_t *rid)
{
	unsigned int bus, slot, fn;

	if (v->len != 7 || v->s[2] != ':' || v->s[5] != '.' ||
	    hex_field(v->s, 2, 0xff, &bus) ||
	    hex_field(v->s + 3, 2, 0x1f, &slot) ||
	    hex_field(v->s + 6, 1, 7, &fn))
		return -PVKIT_EINVAL;
	*rid = (uint16_t)(bus << 8 | slot << 3 | fn);
	return 0;
}

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
	bool unplug;
	bool mac;
	bool storage;
	bool backend;
	bool access;
	bool pci;
	uint16_t bdf;		/* pci=, the function a passthrough device is */
};

/*
 * unplug=pv of an emulated disk or NIC: the guest's PV drivers may ask
 * for it to be unplugged, and a PV device on the same storage or with
 * the same MAC then takes its place (docs/emulated-devices.md).
 */
static int dev_unplug(struct mod_ctx *m, const struct word *f,
		      const struct word *val, struct dev_cfg *dev,
		      struct dev_seen *seen)
{
	if (seen->unplug)
		return mod_error(m, "duplicate device option", f, NULL);
	seen->unplug = true;
	if (!word_is(val, "pv"))
		return mod_error(m, "bad unplug", val, "(pv)");
	dev->unplug = 1;
	return 0;
}

/* pci=BB:DD.F of a disk or NIC passed through. */
static int dev_pci(struct mod_ctx *m, const struct word *f,
		   const struct word *val, struct dev_seen *seen)
{
	if (seen->pci)
		return mod_error(m, "duplicate device option", f, NULL);
	seen->pci = true;
	if (parse_bdf(val, &seen->bdf))
		return mod_error(m, "bad pci", val, "(BB:DD.F, hexadecimal)");
	return 0;
}

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
	if (seen->pci)
		return mod_error(m, "pci= is for mode=passthrough only, in", v,
				 NULL);
	if (dev->unplug && dev->mode != DEV_MODE_EMULATED)
		return mod_error(m, "unplug= is for emulated disks and NICs only, in",
				 v, NULL);
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
	if (word_is(key, "pci"))
		return dev_pci(m, f, val, seen);
	if (word_is(key, "unplug"))
		return dev_unplug(m, f, val, dev, seen);
	return mod_error(m, "unknown device option", f, NULL);
}

/*
 * A disk or NIC passed through is the function pci= names: the guest's
 * own driver sets it up, so none of the emulated or PV device's options
 * apply.  It becomes a pci device that remembers what it stands for, so
 * that the function is checked to be one (assign.c), and is given once
 * whichever way it is spelt.
 */
static int dev_passthrough(struct mod_ctx *m, struct dev_cfg *dev,
			   const struct word *v, const struct dev_seen *seen)
{
	const char *opt = dev->size ? "size=" : seen->storage ? "storage=" :
			  seen->access ? "access=" : seen->mac ? "mac=" :
			  dev->mtu ? "mtu=" : seen->backend ? "backend=" :
			  seen->unplug ? "unplug=" : NULL;
	char what[48];

	if (opt) {
		snprintf(what, sizeof(what),
			 "%s is not for mode=passthrough, in", opt);
		return mod_error(m, what, v, NULL);
	}
	if (!seen->pci)
		return mod_error(m, "no pci= for device", v,
				 "(the function it is: pci=BB:DD.F)");
	dev->role = dev->type == DEV_TYPE_DISK ? DEV_ROLE_DISK : DEV_ROLE_NET;
	dev->role_id = (uint8_t)dev->id;
	dev->type = DEV_TYPE_PCI;
	dev->id = seen->bdf;
	return 0;
}

/*
 * disk=ID,mode=M[,size=SIZE][,storage=S][,access=A][,backend=B],
 * net=ID,mode=M[,mac=MAC][,mtu=N][,backend=B], either with
 * mode=emulated,unplug=pv, and either with mode=passthrough,pci=BB:DD.F.
 */
static int mod_disk_net(struct mod_ctx *m, enum dev_type type,
			const struct word *v)
{
	struct dev_cfg dev = { .type = (uint8_t)type };
	struct word rest = *v, f, key, val;
	struct dev_seen seen = { 0 };
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
	if (!dev_missing_option(dev.type, dev.mode)) {
		if (dev.mode == DEV_MODE_PASSTHROUGH)
			ret = dev_passthrough(m, &dev, v, &seen);
		else
			ret = dev_check_opts(m, &dev, v, &seen);
		if (ret)
			return ret;
	}
	/* An e1000's PV replacement starts at the default MTU. */
	if (dev.type == DEV_TYPE_NET && (dev.mode == DEV_MODE_PV || dev.unplug) &&
	    !dev.mtu)
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

int mod_disk(struct mod_ctx *m, const struct word *v)
{
	if (!memchr(v->s, ',', v->len))
		return mod_image_disk(m, v);
	return mod_disk_net(m, DEV_TYPE_DISK, v);
}

int mod_net(struct mod_ctx *m, const struct word *v)
{
	return mod_disk_net(m, DEV_TYPE_NET, v);
}

/* pci=BB:DD.F: a function of the machine, passed through. */
int mod_pci(struct mod_ctx *m, const struct word *v)
{
	struct dev_cfg dev = {
		.type = DEV_TYPE_PCI, .mode = DEV_MODE_PASSTHROUGH,
	};

	if (parse_bdf(v, &dev.id))
		return mod_error(m, "bad pci", v, "(BB:DD.F, hexadecimal)");
	return dev_add(m, &dev, v);
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
	if (dev->role == DEV_ROLE_DISK)
		return "a passed-through disk";
	if (dev->role == DEV_ROLE_NET)
		return "a passed-through NIC";
	if (dev->type == DEV_TYPE_PCI)
		return "a PCI function";
	if (dev->mode != DEV_MODE_EMULATED)
		return NULL;
	if (dev->type == DEV_TYPE_DISK)
		return "an emulated disk";
	return dev->type == DEV_TYPE_NET ? "an emulated NIC" : NULL;
}

/* The PV console unless console=emulated; none for a data or disk module. */
int mod_devices_done(struct mod_ctx *m)
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
				      bootcfg_kind_name(c->kind));
		return 0;
	}
	if (m->console == DEV_MODE_EMULATED && !BUILT_EMUL_UART &&
	    c->kind != DOMAIN_KIND_MINIOS)
		return errorf(m->err, m->errlen,
			      "module %u (%s): console=emulated is COM1, not in this build (CONFIG_EMUL_UART is off)",
			      m->index + 1, m->shown_path);
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
