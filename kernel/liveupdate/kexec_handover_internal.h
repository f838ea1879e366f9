/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LINUX_KEXEC_HANDOVER_INTERNAL_H
#define LINUX_KEXEC_HANDOVER_INTERNAL_H

#include <linux/init.h>

#if IS_ENABLED(CONFIG_KUNIT)
/* Non-static only so the KUnit suites can call it; see VISIBLE_IF_KUNIT. */
int __init kho_parse_enable(char *p);
#endif

#endif /* LINUX_KEXEC_HANDOVER_INTERNAL_H */
