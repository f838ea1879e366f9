// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replays every file in regress/ through the fuzz entry point its name
 * starts with: "ops-", "untrusted-", "vmalloc-", "handover-", "rmem-" or
 * "luo-".
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "../fuzz/fuzz.h"
#include "test.h"

#ifndef REGRESS_DIR
#define REGRESS_DIR "regress"
#endif

static int replay(const char *name)
{
	char path[512];
	uint8_t *buf;
	long len;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", REGRESS_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	if (fread(buf, 1, len, f) != (size_t)len)
		len = -1;
	fclose(f);
	if (len < 0)
		ret = -1;
	else if (!strncmp(name, "ops-", 4))
		ret = kho_fuzz_ops(buf, len);
	else if (!strncmp(name, "vmalloc-", 8))
		ret = kho_fuzz_vmalloc(buf, len);
	else if (!strncmp(name, "handover-", 9))
		ret = kho_fuzz_handover(buf, len);
	else if (!strncmp(name, "rmem-", 5))
		ret = kho_fuzz_rmem(buf, len);
	else if (!strncmp(name, "luo-", 4))
		ret = kho_fuzz_luo(buf, len);
	else
		ret = kho_fuzz_untrusted(buf, len);
	free(buf);
	return ret;
}

static void test_regress_inputs(void)
{
	struct dirent *de;
	int files = 0;
	DIR *dir;

	dir = opendir(REGRESS_DIR);
	CHECK(dir);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "ops-", 4) &&
		    strncmp(de->d_name, "untrusted-", 10) &&
		    strncmp(de->d_name, "vmalloc-", 8) &&
		    strncmp(de->d_name, "handover-", 9) &&
		    strncmp(de->d_name, "rmem-", 5) &&
		    strncmp(de->d_name, "luo-", 4))
			continue;
		files++;
		if (replay(de->d_name)) {
			fprintf(stderr, "regress/%s failed\n", de->d_name);
			test_failures++;
		}
	}
	closedir(dir);
	printf("#   %d regression inputs\n", files);
	CHECK(files > 0);
}

const struct test_case regress_tests[] = {
	TEST_CASE(test_regress_inputs),
	{ NULL, NULL }
};
