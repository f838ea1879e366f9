/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: bit helpers; the atomic ones are fully ordered. */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H

#include <linux/types.h>

#define BIT(nr)		(1UL << (nr))
#define BIT_ULL(nr)	(1ULL << (nr))

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long mask = BIT(nr % BITS_PER_LONG);

	return __atomic_fetch_or(addr + nr / BITS_PER_LONG, mask,
				 __ATOMIC_SEQ_CST) & mask;
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long mask = BIT(nr % BITS_PER_LONG);

	return __atomic_fetch_and(addr + nr / BITS_PER_LONG, ~mask,
				  __ATOMIC_SEQ_CST) & mask;
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return __atomic_load_n(addr + nr / BITS_PER_LONG, __ATOMIC_RELAXED) &
	       BIT(nr % BITS_PER_LONG);
}

static inline void set_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_or(addr + nr / BITS_PER_LONG, BIT(nr % BITS_PER_LONG),
			  __ATOMIC_RELAXED);
}

/* set_bit() is relaxed; this orders it before what follows. */
#define smp_mb__after_atomic()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= BIT(nr % BITS_PER_LONG);
}

#endif
