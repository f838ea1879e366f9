// SPDX-License-Identifier: GPL-2.0-only
/*
 * snprintf() with the kernel's formats (linux/sprintf.h): each conversion
 * goes to libc on its own, its argument fetched by its type. Where the
 * kernel's lib/vsprintf.c differs from libc, the shim prints as the kernel
 * does: %pa[p] prints the phys_addr_t it points to ("0x" and 16 hex
 * digits), and %#x of 0 is "0x0", not "0". A conversion the shim does not
 * know aborts, so none is misread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sprintf.h>
#include <linux/types.h>

/* libc's, from here on. */
#undef snprintf

struct out {
	char *buf;
	size_t cap;	/* bytes of buf for text, the terminator excluded */
	size_t pos;	/* bytes the whole text takes */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->pos < o->cap)
		memcpy(o->buf + o->pos, s, n < o->cap - o->pos ? n : o->cap - o->pos);
	o->pos += n;
}

/* Format @arg, evaluated once, by the one conversion @spec. */
#define PUT_ONE(o, spec, arg)						\
do {									\
	typeof(arg) __a = (arg);					\
	int __n = snprintf(NULL, 0, spec, __a);				\
	char *__s = malloc(__n + 1);					\
									\
	if (__n < 0 || !__s)						\
		abort();						\
	snprintf(__s, __n + 1, spec, __a);				\
	put(o, __s, __n);						\
	free(__s);							\
} while (0)

static int kho_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size ? size - 1 : 0, 0 };
	const char *p = fmt, *start;
	char spec[32];
	size_t n, mods;
	phys_addr_t pa;
	long long val;

	while (*p) {
		if (*p != '%') {
			start = p;
			p += strcspn(p, "%");
			put(&o, start, p - start);
			continue;
		}
		start = p++;
		if (*p == '%') {
			put(&o, "%", 1);
			p++;
			continue;
		}
		p += strspn(p, "#0- +");
		p += strspn(p, "0123456789");
		if (*p == '.') {
			p++;
			p += strspn(p, "0123456789");
		}
		/* Flags, width and precision, then the length as libc's "ll". */
		n = p - start;
		mods = strspn(p, "hlzjt");
		if (n + 4 > sizeof(spec))
			abort();
		memcpy(spec, start, n);
		p += mods;
		switch (*p) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			/* Fetched by its size, printed as long long. */
			memcpy(spec + n, "ll", 2);
			spec[n + 2] = *p;
			spec[n + 3] = '\0';
			if (mods && strchr("lzjt", p[-1]))
				val = va_arg(ap, long long);
			else if (*p == 'd' || *p == 'i')
				val = va_arg(ap, int);
			else
				val = va_arg(ap, unsigned int);
			if (!val && (*p == 'x' || *p == 'X') && memchr(spec, '#', n))
				put(&o, *p == 'x' ? "0x" : "0X", 2);
			PUT_ONE(&o, spec, val);
			break;
		case 'c':
		case 's':
			if (mods)
				abort();
			spec[n] = *p;
			spec[n + 1] = '\0';
			if (*p == 'c')
				PUT_ONE(&o, spec, va_arg(ap, int));
			else
				PUT_ONE(&o, spec, va_arg(ap, const char *));
			break;
		case 'p':
			if (mods || n != 1 || p[1] != 'a')
				abort();
			pa = *va_arg(ap, phys_addr_t *);
			PUT_ONE(&o, "0x%016llx", (unsigned long long)pa);
			p++;
			if (p[1] == 'p')
				p++;
			break;
		default:
			abort();
		}
		p++;
	}
	if (size)
		buf[o.pos < o.cap ? o.pos : o.cap] = '\0';
	return o.pos;
}

int kho_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kho_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
