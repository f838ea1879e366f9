// SPDX-License-Identifier: GPL-2.0-only
/* Runs every test case; a case fails on any failed check or leaked page. */
#include <stdlib.h>
#include "../shims/kho_shim.h"
#include "test.h"

int test_failures;

static const struct test_case *const suites[] = {
	radix_tests, untrusted_tests, concurrency_tests, vmalloc_tests,
	overlaps_tests, handover_tests, rmem_tests, luo_tests, regress_tests,
};

int main(void)
{
	int passed = 0, failed = 0;
	const struct test_case *t;
	unsigned int s;
	long live;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (s = 0; s < ARRAY_SIZE(suites); s++) {
		for (t = suites[s]; t->name; t++) {
			test_failures = 0;
			live = shim_pages_live();
			t->fn();
			if (shim_pages_live() != live) {
				fprintf(stderr, "%ld pages leaked\n",
					shim_pages_live() - live);
				test_failures++;
			}
			if (test_failures)
				failed++;
			else
				passed++;
			printf("%s %d %s\n", test_failures ? "not ok" : "ok",
			       passed + failed, t->name);
		}
	}
	if (shim_pages_live()) {
		fprintf(stderr, "%ld pages live at exit\n", shim_pages_live());
		failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
