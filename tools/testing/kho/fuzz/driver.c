// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer driver: FUZZ_ENTRY is one of the entry points of fuzz.h. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (FUZZ_ENTRY(data, size))
		__builtin_trap();
	return 0;
}
