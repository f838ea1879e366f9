// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the kexec handover command line.
 *
 * kho= is an early_param, so its handler lives in .init.text: the suite is
 * an init-section suite and runs before the init sections are freed.
 */

#include <kunit/test.h>
#include <linux/kexec_handover.h>

#include "kexec_handover_internal.h"

static bool saved_enable;

static int __init kho_param_test_init(struct kunit *test)
{
	saved_enable = kho_is_enabled();
	return 0;
}

static void __init kho_param_test_exit(struct kunit *test)
{
	kho_parse_enable(saved_enable ? "1" : "0");
}

/* Every spelling kstrtobool accepts, in both directions. */
static void __init kho_param_accepts_booleans(struct kunit *test)
{
	static const struct {
		const char *arg;
		bool enabled;
	} cases[] = {
		{ "on", true }, { "off", false }, { "y", true }, { "n", false },
		{ "1", true }, { "0", false }, { "Y", true }, { "N", false },
		{ "true", true }, { "false", false },
	};
	char buf[8];
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strscpy(buf, cases[i].arg, sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, kho_parse_enable(buf), 0,
				    "kho=%s", cases[i].arg);
		KUNIT_EXPECT_EQ_MSG(test, kho_is_enabled(), cases[i].enabled,
				    "kho=%s", cases[i].arg);
	}
}

/* A malformed value is refused and leaves the state as it was. */
static void __init kho_param_rejects_garbage(struct kunit *test)
{
	static const char * const bad[] = { "", "maybe", "2", "-1", "enable" };
	char buf[8];
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strscpy(buf, "1", sizeof(buf));
		KUNIT_ASSERT_EQ(test, kho_parse_enable(buf), 0);
		strscpy(buf, bad[i], sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, kho_parse_enable(buf), -EINVAL,
				    "kho=%s", bad[i]);
		KUNIT_EXPECT_TRUE_MSG(test, kho_is_enabled(), "kho=%s", bad[i]);
	}
}

/* "kho" with no "=value" reaches the handler as NULL. */
static void __init kho_param_rejects_missing_value(struct kunit *test)
{
	char off[] = "0";

	KUNIT_ASSERT_EQ(test, kho_parse_enable(off), 0);
	KUNIT_EXPECT_EQ(test, kho_parse_enable(NULL), -EINVAL);
	KUNIT_EXPECT_FALSE(test, kho_is_enabled());
}

static struct kunit_case __refdata kho_param_test_cases[] = {
	KUNIT_CASE(kho_param_accepts_booleans),
	KUNIT_CASE(kho_param_rejects_garbage),
	KUNIT_CASE(kho_param_rejects_missing_value),
	{}
};

static struct kunit_suite __refdata kho_param_test_suite = {
	.name = "kho_param",
	.init = kho_param_test_init,
	.exit = kho_param_test_exit,
	.test_cases = kho_param_test_cases,
};
kunit_test_init_section_suites(&kho_param_test_suite);
