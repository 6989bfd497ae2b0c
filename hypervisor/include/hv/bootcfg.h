/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's command line and the Multiboot module command lines,
 * which say which module is which guest.  Pure parsing: nothing here
 * touches hardware or allocates.
 */
#ifndef HV_BOOTCFG_H
#define HV_BOOTCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOTCFG_NAME_MAX 32
#define BOOTCFG_ARGS_MAX 512
#define BOOTCFG_PATH_MAX 128

#define BOOTCFG_MEM_DEFAULT	(16ull << 20)
#define BOOTCFG_MEM_MIN		(2ull << 20)
#define BOOTCFG_MEM_MAX		(64ull << 30)
#define BOOTCFG_MEM_ALIGN	(2ull << 20)

enum domain_kind {
	DOMAIN_KIND_MINIOS,
	DOMAIN_KIND_LINUX,
	DOMAIN_KIND_DATA,
	DOMAIN_KIND_MULTIBOOT,
	DOMAIN_KIND_DISK,	/* the first contents of a PV disk's RAM storage */
};

struct hv_cfg {
	int loglevel;		/* -1: not given (Kconfig default) */
	bool noexit;		/* stay up (halt) when the last domain ends */
	int64_t console_rate;	/* bytes/s per domain, 0 = none; -1: Kconfig */
	int64_t console_burst;	/* bytes at once per domain; -1: Kconfig */
	bool ram_zeroed;	/* RAM the loader did not write reads zero */
	bool console_raw;	/* the focused domain's output unfiltered */
	bool uplink;		/* the switch gets the virtio-net uplink */
	bool unsafe_interrupts;	/* passthrough without interrupt remapping */
	bool exitstats;		/* exit tables when a domain ends */
};

#define BOOTCFG_LINUX_VCPUS 2u

/*
 * Devices of a domain, each with the I/O path it takes.  The console is
 * console=emulated|pv (default pv: the emulated console, the UART or the
 * console hypercall, is always there; pv adds the PV console device).
 * Disks and NICs are disk=ID,mode=M and net=ID,mode=M; a PCI device for
 * passthrough is pci=BB:DD.F.  A mode this build lacks is refused.  An
 * emulated disk is the IDE controller's master (one per domain).  A PV
 * NIC takes mac=XX:XX:XX:XX:XX:XX (unicast) and mtu=N (68..9000); without
 * mac= its address is derived from the domain's name and the NIC's id:
 * locally administered, the same on every boot.
 *
 * A disk or NIC passed through is disk=ID,mode=passthrough,pci=BB:DD.F
 * (net=ID,... for a NIC): the same device of the module line as with
 * mode=emulated or pv, on the third I/O path.  It needs pci= and takes
 * no other option (pci= with another mode is refused).  It is stored as
 * the pci device of that BDF (type pci, mode passthrough, id the BDF)
 * with role disk or net, and the function must then be a mass storage
 * (base class 0x01) or network (0x02) controller.  Its ID is kept in
 * role_id: the guest never sees it, but no other disk (or NIC) of the
 * domain may have it.  A BDF is given once, by pci= or by disk=/net=.
 */
enum dev_type { DEV_TYPE_CONSOLE, DEV_TYPE_DISK, DEV_TYPE_NET, DEV_TYPE_PCI };
enum dev_mode { DEV_MODE_EMULATED, DEV_MODE_PV, DEV_MODE_PASSTHROUGH };
/* What a pci device stands for: pci= alone, or a disk or NIC passed through. */
enum dev_role { DEV_ROLE_NONE, DEV_ROLE_DISK, DEV_ROLE_NET };

#define BOOTCFG_DEVS_MAX	8
#define BOOTCFG_DEV_ID_MAX	255u
/* A disk's RAM storage (PV or emulated): size=SIZE, whole 4 KiB pages. */
#define BOOTCFG_DISK_MIN	(64ull << 10)
#define BOOTCFG_DISK_MAX	(1ull << 30)

/*
 * A disk's storage, PV or emulated: storage=ram (the default, with size=) or
 * storage=vblkN, the machine's Nth virtio-blk device the hypervisor
 * drives (storage=virtio is vblk0); its capacity is the device's.
 */
enum dev_storage { DEV_STORAGE_RAM, DEV_STORAGE_VIRTIO };
/* Where a PV device's backend runs: see pvdev.c's backend_pcpu(). */
enum dev_backend { DEV_BACKEND_AUTO, DEV_BACKEND_VCPU };
#define BOOTCFG_VBLK_MAX	3u
/* A PV NIC's MTU: mtu=N, default 1500. */
#define BOOTCFG_NET_MTU_MIN	68
#define BOOTCFG_NET_MTU_MAX	9000
#define BOOTCFG_NET_MTU_DEFAULT	1500

struct dev_cfg {
	uint8_t type;		/* DEV_TYPE_* */
	uint8_t mode;		/* DEV_MODE_* */
	uint16_t id;		/* instance id; the BDF for pci */
	uint8_t role;		/* DEV_ROLE_*, a pci device's */
	uint8_t role_id;	/* ID of its disk=ID or net=ID, with a role */
	uint8_t storage;	/* DEV_STORAGE_*, a PV disk's */
	uint8_t storage_index;	/* N of storage=vblkN */
	uint16_t mtu;		/* a PV NIC's, else 0 */
	uint8_t mac[6];		/* a PV NIC's: mac= or derived, else 0 */
	uint8_t backend;	/* DEV_BACKEND_*, a PV device's */
	uint8_t read_only;	/* access=ro, a PV disk's */
	/* unplug=pv, an emulated disk's or NIC's: PV takes it over (unplug) */
	uint8_t unplug;
	uint64_t size;		/* bytes of a PV disk's RAM storage, else 0 */
	/* Its first bytes: a kind=disk module (the builder fills these in). */
	uint64_t image_pa;
	uint64_t image_len;
};

/* How a domain's guest-physical memory is virtualised. */
enum paging_mode {
	PAGING_DEFAULT,		/* nested where the CPU has it, else shadow */
	PAGING_NESTED,		/* paging=nested: the CPU's nested paging */
	PAGING_SHADOW,		/* paging=shadow: page tables the hypervisor builds */
};

struct domain_cfg {
	char path[BOOTCFG_PATH_MAX];	/* first word of the module line */
	char name[BOOTCFG_NAME_MAX];	/* name=, default "dom<index+1>" */
	enum domain_kind kind;		/* kind=minios|linux|multiboot|data|disk, default minios */
	uint64_t mem_bytes;		/* mem=SIZE, default 16M, rounded up to 2 MiB */
	uint32_t vcpus;			/* vcpus=N, 1..CONFIG_MAX_VCPUS; default 1,
					   BOOTCFG_LINUX_VCPUS for kind=linux */
	bool no_x2apic;			/* x2apic=off: CPUID hides x2APIC */
	bool no_tsc_deadline;		/* tsc_deadline=off: ... the TSC-deadline timer */
	char args[BOOTCFG_ARGS_MAX];	/* everything after " -- ", verbatim */
	enum paging_mode paging;	/* paging=nested|shadow */
	char after[BOOTCFG_NAME_MAX];	/* after=NAME: starts once the earlier
					   domain NAME has ended; "" if not */
	int image_disk;			/* kind=disk: disk=ID, the disk it fills; else -1 */
	unsigned int nr_devs;		/* console first when it is pv */
	struct dev_cfg devs[BOOTCFG_DEVS_MAX];
};

/*
 * Hypervisor command line: space-separated key=value words; keys:
 * loglevel=0..4, console_rate=SIZE (0: no limit), console_burst=SIZE,
 * and the flags noexit, ram_zeroed (QEMU's RAM starts zeroed, so a
 * domain's memory above what the loader wrote needs no clearing) and
 * console_raw, uplink (the first virtio-net device becomes a port of
 * the virtual switch, hv/uplink.h) and unsafe_interrupts (PCI passthrough
 * on an IOMMU without interrupt remapping, where a passed-through
 * function's DMA can raise any interrupt of the machine) and exitstats
 * (each domain's exits by kind and by device, with their handler time,
 * when it ends).  The first word may be the kernel path (Multiboot puts
 * it there): it is skipped if it contains no '=' and is
 * not a flag name.  Unknown keys, bad values and repeated keys are errors.
 * cmdline may be NULL (no options).  Returns 0 or -PVKIT_EINVAL with a
 * one-line message in err; *cfg is written only on success.
 */
int bootcfg_parse_hv(const char *cmdline, struct hv_cfg *cfg, char *err,
		     size_t errlen);

/*
 * One module's command line "<path> [key=value ...] [-- guest args]".
 * Keys: name, kind, mem, vcpus, console, disk, net, pci (the last three
 * may repeat, one device each; a disk or NIC id once per type), and for
 * a Linux domain x2apic=on|off and tsc_deadline=on|off (default on),
 * paging=nested|shadow (default: nested where the CPU has it), and
 * after=NAME: the domain is built at boot but starts only once the
 * earlier domain NAME has ended, taking over the PCI functions NAME had
 * (the same pci= on both lines).  index is the module's position (0-based);
 * defaults and messages count from 1 as users do, e.g.
 * "module 2 (minios.elf): unknown option 'foo'".  Names must be 1..31
 * chars of [A-Za-z0-9_-].  mem must be 2 MiB .. 64 GiB (K/M/G suffixes).
 * vcpus 1..max_vcpus.  Duplicate keys are errors.  Too-long path/args are
 * errors, never silently truncated.  Returns 0 or -PVKIT_EINVAL with a
 * one-line message in err; *cfg is written only on success.
 */
int bootcfg_parse_module(const char *cmdline, unsigned index,
			 uint32_t max_vcpus, struct domain_cfg *cfg, char *err,
			 size_t errlen);

/*
 * A kind=disk module is an image: "<path> kind=disk disk=ID" (disk=ID
 * alone, with no mode: the domain's PV disk ID whose RAM storage starts
 * with the module's bytes; once, and only on a kind=disk module, which
 * has no devices of its own).
 */

/* "minios", "linux", "data", "multiboot", "disk" (or "?" for a value outside the enum). */
const char *bootcfg_kind_name(enum domain_kind kind);

#endif /* HV_BOOTCFG_H */
