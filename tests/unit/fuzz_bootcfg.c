// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any text as a module or hypervisor command line.  The
 * parsers must stay inside their buffers, NUL-terminate every string they
 * produce, and only accept what their documentation promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/bootcfg.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

static void check_domain(const struct domain_cfg *c, uint32_t max_vcpus)
{
	size_t i, n;

	check_str(c->path, sizeof(c->path));
	check_str(c->name, sizeof(c->name));
	check_str(c->args, sizeof(c->args));
	n = strlen(c->name);
	if (!c->path[0] || n == 0)
		abort();
	for (i = 0; i < n; i++) {
		char ch = c->name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			abort();
	}
	if (c->mem_bytes < BOOTCFG_MEM_MIN || c->mem_bytes > BOOTCFG_MEM_MAX ||
	    c->mem_bytes % BOOTCFG_MEM_ALIGN)
		abort();
	if (c->vcpus < 1 || c->vcpus > max_vcpus)
		abort();
	if (c->kind > DOMAIN_KIND_DATA)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domain_cfg dc;
	struct hv_cfg hc;
	uint32_t max_vcpus;
	unsigned int index;
	char *line, err[64];
	int ret;

	if (size < 1)
		return 0;
	/* The first byte picks the index, the vCPU limit and errlen. */
	index = data[0] & 7;
	max_vcpus = 1 + (data[0] >> 3 & 15);
	line = malloc(size);
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';

	memset(err, 'X', sizeof(err));
	ret = bootcfg_parse_module(line, index, max_vcpus, &dc, err,
				   (data[0] & 0x80) ? sizeof(err) : 9);
	check_str(err, (data[0] & 0x80) ? sizeof(err) : 9);
	if (!ret)
		check_domain(&dc, max_vcpus);

	memset(err, 'X', sizeof(err));
	ret = bootcfg_parse_hv(line, &hc, err, sizeof(err));
	check_str(err, sizeof(err));
	if (!ret && (hc.loglevel < -1 || hc.loglevel > 4))
		abort();
	free(line);
	return 0;
}
