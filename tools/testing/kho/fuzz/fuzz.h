/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fuzz entry points, shared by the libFuzzer drivers and the regression
 * tests. Each returns the number of failed checks for one input.
 */
#ifndef _KHO_FUZZ_H
#define _KHO_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int kho_fuzz_ops(const uint8_t *data, size_t size);
int kho_fuzz_untrusted(const uint8_t *data, size_t size);
int kho_fuzz_vmalloc(const uint8_t *data, size_t size);
int kho_fuzz_handover(const uint8_t *data, size_t size);
int kho_fuzz_rmem(const uint8_t *data, size_t size);
int kho_fuzz_luo(const uint8_t *data, size_t size);

#endif
