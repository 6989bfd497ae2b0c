// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the fuzzer's input is a hostile peer (see
 * ring_model.h) attacking a ring consumer and a ring producer.  Built with
 * AddressSanitizer and UBSan: any access outside the rings, any undefined
 * behaviour, any broken promise of the library aborts the run.
 */
#include <stdio.h>

#include "ring_model.h"

static void model_fail(const char *what)
{
	fprintf(stderr, "ring model: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;

	model_run(&m, data, size);
	return 0;
}
