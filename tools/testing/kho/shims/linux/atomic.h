/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: cmpxchg() is fully ordered and returns the old value. */
#ifndef _SHIM_LINUX_ATOMIC_H
#define _SHIM_LINUX_ATOMIC_H

#define cmpxchg(ptr, old, new)						\
({									\
	typeof(*(ptr)) __old = (old);					\
	__atomic_compare_exchange_n((ptr), &__old, (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);	\
	__old;								\
})

#endif
