/* SPDX-License-Identifier: GPL-2.0-only */
#include <stddef.h>

/* From <linux/compiler_attributes.h>, which every kernel file sees. */
#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
