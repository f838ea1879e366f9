// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_handover.c - kexec handover: preserve memory across kexec
 *
 * A running kernel preserves chosen memory and publishes named blobs; the
 * kernel started by kexec_file_load finds both at the same physical
 * addresses. See Documentation/core-api/kho/index.rst.
 */

#define pr_fmt(fmt) "KHO: " fmt

#include <linux/cache.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kexec_handover.h>
#include <linux/kstrtox.h>
#include <linux/printk.h>
#include <kunit/visibility.h>

#include "kexec_handover_internal.h"

static bool kho_enable __ro_after_init;

/**
 * kho_is_enabled - is kexec handover enabled in this kernel?
 *
 * KHO is off unless the kernel was booted with ``kho=on``.
 *
 * Return: true if preservation calls may be used.
 */
bool kho_is_enabled(void)
{
	return kho_enable;
}
EXPORT_SYMBOL_GPL(kho_is_enabled);

/**
 * is_kho_boot - was this kernel started with a valid handover?
 *
 * Return: true if the previous kernel handed over preserved memory that
 * this kernel accepted.
 */
bool is_kho_boot(void)
{
	return false;
}
EXPORT_SYMBOL_GPL(is_kho_boot);

VISIBLE_IF_KUNIT int __init kho_parse_enable(char *p)
{
	bool val;

	if (!p || kstrtobool(p, &val)) {
		pr_warn("kho=%s is not a boolean (use on/off, y/n or 1/0); KHO stays %s\n",
			p ? p : "", kho_enable ? "on" : "off");
		return -EINVAL;
	}
	kho_enable = val;
	return 0;
}
early_param("kho", kho_parse_enable);

static int __init kho_init(void)
{
	if (kho_enable)
		pr_info("enabled\n");
	else
		pr_info("disabled; boot with kho=on to enable\n");
	return 0;
}
fs_initcall(kho_init);
