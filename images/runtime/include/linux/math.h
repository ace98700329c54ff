/* SPDX-License-Identifier: MIT */
/*
 * Rounding and division helpers (include/linux/math.h; v6.1). DIV_ROUND_UP,
 * roundup, rounddown, round_up, round_down and abs come from <hmemu.h>.
 */
#ifndef _HMEMU_LINUX_MATH_H
#define _HMEMU_LINUX_MATH_H

#include <hmemu.h>
#include <linux/math64.h>

#define DIV_ROUND_DOWN_ULL(ll, d)	({ unsigned long long _tmp = (ll); do_div(_tmp, d); _tmp; })
#define DIV_ROUND_UP_ULL(ll, d)		DIV_ROUND_DOWN_ULL((unsigned long long)(ll) + (d) - 1, (d))
#define DIV_ROUND_UP_POW2(n, d)		((n) / (d) + !!((n) & ((d) - 1)))

/* Rounds to the nearest; the divisor must be positive; signed x rounds half away from 0. */
#define DIV_ROUND_CLOSEST(x, divisor) ({ \
	__typeof__(x) __x = x; \
	__typeof__(divisor) __d = divisor; \
	(((__typeof__(x))-1) > 0 || ((__typeof__(divisor))-1) > 0 || \
	 (((__x) > 0) == ((__d) > 0))) ? \
		(((__x) + ((__d) / 2)) / (__d)) : \
		(((__x) - ((__d) / 2)) / (__d)); })

#define DIV_ROUND_CLOSEST_ULL(x, divisor) ({ \
	__typeof__(divisor) __d = divisor; \
	unsigned long long _tmp = (x) + (__d) / 2; \
	do_div(_tmp, __d); \
	_tmp; })

/* x * numer / denom without overflowing the intermediate product (when x is large). */
#define mult_frac(x, numer, denom) ({ \
	__typeof__(x) quot = (x) / (denom); \
	__typeof__(x) rem = (x) % (denom); \
	(quot * (numer)) + ((rem * (numer)) / (denom)); })

#define sector_div(a, b)	do_div(a, b)

static inline u32 reciprocal_scale(u32 val, u32 ep_ro)
{
	return (u32)(((u64)val * ep_ro) >> 32);
}

u64 int_pow(u64 base, unsigned int exp);
unsigned long int_sqrt(unsigned long x);

#endif
