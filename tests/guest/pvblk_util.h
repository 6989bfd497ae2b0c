// SPDX-License-Identifier: GPL-2.0
/*
 * What pvblk.c and its helpers in pvblk_util.c share: the device's
 * paths, the disk's geometry, the writer threads' state and the helpers.
 */
#ifndef TESTS_GUEST_PVBLK_UTIL_H
#define TESTS_GUEST_PVBLK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BUS		"/sys/bus/pvkit"
#define BLOCK		BUS "/devices/block-0"
#define BLOCK_DRV	BUS "/drivers/pvkit_blk"
#define DISK		"/dev/pvkitblk0"
#define SYSDISK		"/sys/block/pvkitblk0"
#define DISK_BYTES	(64ull << 20)
#define MAX_IO		(1u << 20)
#define WRITERS		4
#define RELOADS		5

struct writer {
	int index;
	int rc;
	bool stop_on_error;
	volatile bool *stop;
	long ios;
};

#define WRITER_SPAN	(4u << 20)
#define WRITER_BASE	(16ull << 20)
#define END_MARK	"pvkit-resize-end"

long counter(const char *name);
bool wait_for(const char *path, bool present, double timeout_s);
uint8_t pattern(uint64_t off, uint32_t seed);
void fill(uint8_t *buf, uint64_t off, size_t len, uint32_t seed);
long mismatch(const uint8_t *buf, uint64_t off, size_t len,
	      uint32_t seed);
void *aligned(size_t len);
int pwrite_all(int fd, const void *buf, size_t len, off_t off);
int pread_all(int fd, void *buf, size_t len, off_t off);
void *writer_main(void *arg);
int irq_counts(const char *name, long *counts, int max);
int pin_to_cpu(int cpu);
int reads_on_cpu1(int n);
void *hammer_main(void *arg);
long queue_irqs(int q);
int mount_image(const char *dev);
uint64_t cmdline_bytes(const char *key);
int uevent_socket(void);
bool is_resize_uevent(const char *buf, size_t n);
bool resize_uevent(int fd, int timeout_ms);
void end_mark(uint8_t *buf);

#endif
