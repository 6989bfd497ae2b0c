// SPDX-License-Identifier: GPL-2.0
/*
 * The "pvkit" bus: one device per PV device of the domain, matched to
 * drivers by class, with a modalias ("pvkit:console") so that drivers
 * load by it, and sysfs attributes describing each device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <pvkit/io/block.h>
#include "hypercall.h"
#include "pvkit_core.h"

static const char *const class_names[] = {
	[PVKIT_DEV_CLASS_CONSOLE] = "console",
	[PVKIT_DEV_CLASS_BLOCK] = "block",
	[PVKIT_DEV_CLASS_NET] = "net",
};

static const char *class_name(u16 dev_class)
{
	if (dev_class < ARRAY_SIZE(class_names) && class_names[dev_class])
		return class_names[dev_class];
	return NULL;
}

static int modalias(const struct pvkit_device *d, char *buf, size_t len)
{
	const char *name = class_name(d->dev_class);

	if (name)
		return snprintf(buf, len, "pvkit:%s", name);
	return snprintf(buf, len, "pvkit:class%u", d->dev_class);
}

static const char *state_name(int state)
{
	switch (state) {
	case PVKIT_DEV_STATE_CLOSED:
		return "closed";
	case PVKIT_DEV_STATE_CONNECTED:
		return "connected";
	case PVKIT_DEV_STATE_BROKEN:
		return "broken";
	}
	return "unknown";
}

/* ---- device attributes -------------------------------------------------- */

#define PVKIT_DEV_ATTR(field, fmt)					\
static ssize_t field##_show(struct device *d,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, fmt "\n", to_pvkit_device(d)->field);	\
}									\
static DEVICE_ATTR_RO(field)

PVKIT_DEV_ATTR(index, "%u");
PVKIT_DEV_ATTR(instance, "%u");
PVKIT_DEV_ATTR(features, "0x%llx");

static ssize_t class_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_pvkit_device(d)->dev_class);
}
static DEVICE_ATTR_RO(class);

static ssize_t modalias_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	char alias[32];

	modalias(to_pvkit_device(d), alias, sizeof(alias));
	return sysfs_emit(buf, "%s\n", alias);
}
static DEVICE_ATTR_RO(modalias);

/* state and accepted are the hypervisor's word, asked at each read. */
static ssize_t state_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	int state = pvkit_dev_state(to_pvkit_device(d));

	if (state < 0)
		return state;
	return sysfs_emit(buf, "%s\n", state_name(state));
}
static DEVICE_ATTR_RO(state);

static ssize_t accepted_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct pvkit_dev_info info;
	long rc = pvkit_dev_info(to_pvkit_device(d)->index, &info);

	if (rc)
		return rc;
	return sysfs_emit(buf, "0x%llx\n", info.accepted);
}
static DEVICE_ATTR_RO(accepted);

static ssize_t ports_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct pvkit_device *dev = to_pvkit_device(d);
	unsigned int i;
	int len = 0;

	mutex_lock(&dev->lock);
	for (i = 0; i < dev->nr_queues; i++)
		len += sysfs_emit_at(buf, len, "%s%u", i ? " " : "",
				     dev->queues[i].port);
	mutex_unlock(&dev->lock);
	return len + sysfs_emit_at(buf, len, "\n");
}
static DEVICE_ATTR_RO(ports);

static ssize_t notifications_show(struct device *d,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&to_pvkit_device(d)->notifications));
}
static DEVICE_ATTR_RO(notifications);

static ssize_t interrupts_show(struct device *d,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&to_pvkit_device(d)->interrupts));
}
static DEVICE_ATTR_RO(interrupts);

/*
 * The backend's counters (PVKIT_HC_DEV_STATS), one "name count" per
 * line; a disk's stages by their names (pvkit/io/block.h), another
 * class's as stageN_ns.  -ENOSYS before ABI 1.7.
 */
static ssize_t backend_stats_show(struct device *d,
				  struct device_attribute *attr, char *buf)
{
	static const char *const blk_stages[PVKIT_DEV_STAGES] = {
		[PVKIT_BLK_STAGE_SUBMIT] = "submit_ns",
		[PVKIT_BLK_STAGE_STORAGE] = "storage_ns",
		[PVKIT_BLK_STAGE_ANSWER] = "answer_ns",
		[PVKIT_BLK_STAGE_HOLD] = "hold_ns",
	};
	struct pvkit_device *dev = to_pvkit_device(d);
	struct pvkit_dev_stats *st;
	unsigned int i;
	int len;
	long rc;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	rc = pvkit_hc3(PVKIT_HC_DEV_STATS, dev->index, virt_to_phys(st), 0);
	if (rc) {
		kfree(st);
		return rc == -PVKIT_ENOSYS ? -ENOSYS : -EIO;
	}
	len = sysfs_emit(buf, "notifies %llu\nevents %llu\nerrors %llu\n"
			 "staged %llu\n", st->notifies, st->events,
			 st->errors, st->staged);
	for (i = 0; i < PVKIT_DEV_STAGES; i++) {
		if (dev->dev_class == PVKIT_DEV_CLASS_BLOCK)
			len += sysfs_emit_at(buf, len, "%s %llu\n",
					     blk_stages[i], st->stage_ns[i]);
		else
			len += sysfs_emit_at(buf, len, "stage%u_ns %llu\n", i,
					     st->stage_ns[i]);
	}
	kfree(st);
	return len;
}
static DEVICE_ATTR_RO(backend_stats);

static struct attribute *pvkit_dev_attrs[] = {
	&dev_attr_index.attr,
	&dev_attr_class.attr,
	&dev_attr_instance.attr,
	&dev_attr_modalias.attr,
	&dev_attr_state.attr,
	&dev_attr_features.attr,
	&dev_attr_accepted.attr,
	&dev_attr_ports.attr,
	&dev_attr_notifications.attr,
	&dev_attr_interrupts.attr,
	&dev_attr_backend_stats.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pvkit_dev);

/* ---- bus attributes: the module's accounting ---------------------------- */

static ssize_t ports_open_show(struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&pvkit_ports_open));
}
static BUS_ATTR_RO(ports_open);

static ssize_t ports_in_use_show(struct bus_type *bus, char *buf)
{
	int n = pvkit_ports_in_use();

	return n < 0 ? n : sysfs_emit(buf, "%d\n", n);
}
static BUS_ATTR_RO(ports_in_use);

static ssize_t ring_pages_show(struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&pvkit_ring_pages));
}
static BUS_ATTR_RO(ring_pages);

static ssize_t stray_events_show(struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&pvkit_stray_events));
}
static BUS_ATTR_RO(stray_events);

static ssize_t upcalls_show(struct bus_type *bus, char *buf)
{
	struct pvkit_platform *plat = pvkit_plat;
	unsigned int v;
	int len = 0;

	for (v = 0; plat && v < plat->nr_upcalls; v++)
		len += sysfs_emit_at(buf, len, "%s%lld", v ? " " : "",
				     atomic64_read(&plat->upcall[v].count));
	return len + sysfs_emit_at(buf, len, "\n");
}
static BUS_ATTR_RO(upcalls);

static const char *const exit_kind_names[] = {
	"intr", "irq-window", "hlt", "hypercall", "cpuid", "msr",
	"io", "mmio", "exception", "cache", "other", "cr",
	"page-fault", "cr3", "invlpg",
};

/*
 * The domain's exit profile (PVKIT_HC_EXIT_PROFILE), or on a hypervisor
 * older than ABI 1.6 its exits by kind alone (PVKIT_HC_DOMAIN_STATS).
 * Counts and names are the hypervisor's: clamped to what the structure
 * holds, and each name made a NUL-terminated word.
 */
static struct pvkit_exit_profile *exit_profile_read(void)
{
	struct pvkit_exit_profile *p;
	struct pvkit_domain_stats *st;
	unsigned int i, j;
	long ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	ret = pvkit_hc_ptr(PVKIT_HC_EXIT_PROFILE, p);
	if (ret == -PVKIT_ENOSYS) {
		/* Hypercall arguments are in the kernel's linear map. */
		st = kzalloc(sizeof(*st), GFP_KERNEL);
		ret = st ? pvkit_hc_ptr(PVKIT_HC_DOMAIN_STATS, st) : -ENOMEM;
		if (st) {
			p->nr_exit_kinds = st->nr_exit_kinds;
			memcpy(p->exits, st->exits, sizeof(st->exits));
		}
		kfree(st);
	}
	if (ret) {
		kfree(p);
		return ERR_PTR(ret < 0 ? ret : -EIO);
	}
	p->nr_exit_kinds = min_t(u32, p->nr_exit_kinds, PVKIT_STATS_EXITS);
	p->nr_sources = min_t(u32, p->nr_sources, PVKIT_PROFILE_SOURCES);
	for (i = 0; i < p->nr_sources; i++) {
		char *name = p->sources[i].name;

		name[sizeof(p->sources[i].name) - 1] = 0;
		for (j = 0; name[j]; j++)
			if (!isgraph(name[j]))
				name[j] = '_';
		if (!name[0])
			name[0] = '_';
	}
	return p;
}

/*
 * The domain's VM exits, one "name count" per line: by kind, then
 * "dev.NAME count" by the device that caused them.  What benchmarks
 * read before and after their work.  ns: the hypervisor's time handling
 * them instead (exit_ns).
 */
static ssize_t exit_lines(char *buf, bool ns)
{
	struct pvkit_exit_profile *p = exit_profile_read();
	unsigned int k;
	int len = 0;

	if (IS_ERR(p))
		return PTR_ERR(p);
	for (k = 0; k < p->nr_exit_kinds; k++) {
		u64 v = ns ? p->exit_ns[k] : p->exits[k];

		if (k < ARRAY_SIZE(exit_kind_names))
			len += sysfs_emit_at(buf, len, "%s %llu\n",
					     exit_kind_names[k], v);
		else
			len += sysfs_emit_at(buf, len, "kind%u %llu\n", k, v);
	}
	for (k = 0; k < p->nr_sources; k++)
		len += sysfs_emit_at(buf, len, "dev.%s %llu\n",
				     p->sources[k].name,
				     ns ? p->sources[k].ns : p->sources[k].exits);
	kfree(p);
	return len;
}

static ssize_t exits_show(struct bus_type *bus, char *buf)
{
	return exit_lines(buf, false);
}
static BUS_ATTR_RO(exits);

static ssize_t exit_ns_show(struct bus_type *bus, char *buf)
{
	return exit_lines(buf, true);
}
static BUS_ATTR_RO(exit_ns);

static struct attribute *pvkit_bus_attrs[] = {
	&bus_attr_exit_ns.attr,
	&bus_attr_exits.attr,
	&bus_attr_ports_open.attr,
	&bus_attr_ports_in_use.attr,
	&bus_attr_ring_pages.attr,
	&bus_attr_stray_events.attr,
	&bus_attr_upcalls.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pvkit_bus);

/* ---- the bus ------------------------------------------------------------ */

static int pvkit_match(struct device *d, struct device_driver *drv)
{
	return to_pvkit_device(d)->dev_class == to_pvkit_driver(drv)->dev_class;
}

static int pvkit_uevent(struct device *d, struct kobj_uevent_env *env)
{
	struct pvkit_device *dev = to_pvkit_device(d);
	char alias[32];

	modalias(dev, alias, sizeof(alias));
	if (add_uevent_var(env, "MODALIAS=%s", alias) ||
	    add_uevent_var(env, "PVKIT_CLASS=%u", dev->dev_class) ||
	    add_uevent_var(env, "PVKIT_INSTANCE=%u", dev->instance))
		return -ENOMEM;
	return 0;
}

static int pvkit_probe(struct device *d)
{
	struct pvkit_device *dev = to_pvkit_device(d);

	atomic_set(&dev->failing, 0);
	return to_pvkit_driver(d->driver)->probe(dev);
}

static void pvkit_remove(struct device *d)
{
	struct pvkit_device *dev = to_pvkit_device(d);
	struct pvkit_driver *drv = to_pvkit_driver(d->driver);

	if (drv->remove)
		drv->remove(dev);
	/* A driver that left its device connected leaks nothing. */
	if (dev->connected) {
		dev_warn(d, "%s left it connected\n", drv->driver.name);
		pvkit_dev_disconnect(dev);
	}
}

static struct bus_type pvkit_bus = {
	.name = "pvkit",
	.match = pvkit_match,
	.uevent = pvkit_uevent,
	.probe = pvkit_probe,
	.remove = pvkit_remove,
	.dev_groups = pvkit_dev_groups,
	.bus_groups = pvkit_bus_groups,
};

int __pvkit_driver_register(struct pvkit_driver *drv, struct module *owner)
{
	drv->driver.bus = &pvkit_bus;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__pvkit_driver_register);

void pvkit_driver_unregister(struct pvkit_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(pvkit_driver_unregister);

static void pvkit_dev_release(struct device *d)
{
	kfree(to_pvkit_device(d));
}

/* DEV_INFO's answer, checked before the device is believed. */
static bool info_ok(const struct pvkit_dev_info *info)
{
	return info->dev_class && info->max_queues >= 1 &&
	       info->max_queues <= PVKIT_DEV_MAX_QUEUES &&
	       info->min_order <= info->max_order &&
	       info->max_order <= PVKIT_DEV_MAX_ORDER;
}

static int device_add_one(struct pvkit_platform *plat,
			  const struct pvkit_dev_info *info)
{
	struct pvkit_device *dev;
	const char *name = class_name(info->dev_class);
	int rc;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->index = info->index;
	dev->dev_class = info->dev_class;
	dev->instance = info->instance;
	dev->max_queues = info->max_queues;
	dev->min_order = info->min_order;
	dev->max_order = info->max_order;
	dev->features = info->features;
	dev->config_len = info->config_len;
	mutex_init(&dev->lock);
	INIT_WORK(&dev->fail_work, pvkit_dev_fail_work);
	dev->dev.bus = &pvkit_bus;
	dev->dev.parent = &plat->pdev->dev;
	dev->dev.release = pvkit_dev_release;
	if (name)
		dev_set_name(&dev->dev, "%s-%u", name, info->instance);
	else
		dev_set_name(&dev->dev, "class%u-%u", info->dev_class,
			     info->instance);
	rc = device_register(&dev->dev);
	if (rc) {
		put_device(&dev->dev);
		return rc;
	}
	mutex_lock(&plat->devs_lock);
	plat->devs[plat->nr_devs++] = dev;
	mutex_unlock(&plat->devs_lock);
	return 0;
}

/* Devices 0, 1, ... until the hypervisor says -ENOENT. */
int pvkit_devices_add(struct pvkit_platform *plat)
{
	struct pvkit_dev_info info;
	u32 i;
	long rc;

	for (i = 0; i < PVKIT_DEV_MAX; i++) {
		rc = pvkit_dev_info(i, &info);
		if (rc == -ENOENT)
			return 0;
		if (rc)
			return rc;
		if (info.index != i || !info_ok(&info)) {
			dev_warn(&plat->pdev->dev,
				 "device %u: class %u, %u queues, orders %u..%u: ignored\n",
				 i, info.dev_class, info.max_queues,
				 info.min_order, info.max_order);
			continue;
		}
		rc = device_add_one(plat, &info);
		if (rc)
			return rc;
	}
	return 0;
}

void pvkit_devices_remove(struct pvkit_platform *plat)
{
	mutex_lock(&plat->devs_lock);
	while (plat->nr_devs) {
		struct pvkit_device *dev = plat->devs[--plat->nr_devs];

		/* Its code goes with this module. */
		flush_work(&dev->fail_work);
		device_unregister(&dev->dev);
	}
	mutex_unlock(&plat->devs_lock);
}

/*
 * Under the device lock: never during the driver's probe or remove,
 * and only while a driver is bound.
 */
static void config_changed(struct pvkit_device *dev)
{
	struct pvkit_driver *drv;

	device_lock(&dev->dev);
	drv = dev->dev.driver ? to_pvkit_driver(dev->dev.driver) : NULL;
	if (drv && drv->config_changed)
		drv->config_changed(dev);
	device_unlock(&dev->dev);
}

/* The devices whose configuration changed (pvkit/io/device.h). */
void pvkit_config_work(struct work_struct *work)
{
	struct pvkit_platform *plat = container_of(work, struct pvkit_platform,
						   config_work);
	u64 bits = xchg(&plat->shared->dev_config_changed, 0);
	unsigned int i;

	mutex_lock(&plat->devs_lock);
	for (i = 0; i < plat->nr_devs; i++)
		if (bits & BIT_ULL(plat->devs[i]->index))
			config_changed(plat->devs[i]);
	mutex_unlock(&plat->devs_lock);
}

int pvkit_bus_init(void)
{
	return bus_register(&pvkit_bus);
}

void pvkit_bus_exit(void)
{
	bus_unregister(&pvkit_bus);
}
