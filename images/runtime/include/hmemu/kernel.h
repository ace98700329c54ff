/* SPDX-License-Identifier: MIT */
/* Everyday macros (include/linux/kernel.h, minmax.h, container_of.h, bits.h). */
#ifndef _HMEMU_KERNEL_H
#define _HMEMU_KERNEL_H

#include <hmemu/types.h>

#define __hm_must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]) + __hm_must_be_array(arr))

#define container_of(ptr, type, member) ({ \
	void *__mptr = (void *)(ptr); \
	((type *)(__mptr - offsetof(type, member))); })

/* min/max warn (distinct pointer types) when a and b differ in type, as upstream. */
#define __hm_cmp(a, b, op) ({ \
	__typeof__(a) __a = (a); \
	__typeof__(b) __b = (b); \
	(void)(&__a == &__b); \
	__a op __b ? __a : __b; })
#define min(a, b)		__hm_cmp(a, b, <)
#define max(a, b)		__hm_cmp(a, b, >)
#define min_t(type, a, b)	__hm_cmp((type)(a), (type)(b), <)
#define max_t(type, a, b)	__hm_cmp((type)(a), (type)(b), >)
#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(type, v, lo, hi) min_t(type, max_t(type, v, lo), hi)
#define swap(a, b) \
	do { __typeof__(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)
#define abs(x) ({ __typeof__(x) __x = (x); __x < 0 ? -__x : __x; })

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		((x) - ((x) % (y)))
#define __ALIGN_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define ALIGN(x, a)		__ALIGN_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a)	ALIGN((x) - ((a) - 1), (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PTR_ALIGN(p, a)		((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))

#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define GENMASK(h, l)		(((~0UL) << (l)) & (~0UL >> (31 - (h))))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))

#define typecheck(type, x) ({ \
	type __dummy; \
	__typeof__(x) __dummy2; \
	(void)(&__dummy == &__dummy2); \
	1; })

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)

#endif
