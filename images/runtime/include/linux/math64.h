/* SPDX-License-Identifier: MIT */
/*
 * 64-bit division on i386 (include/linux/math64.h, arch/x86/include/asm/div64.h;
 * v6.1). do_div(n, base) divides the u64 lvalue n in place by a u32 and returns
 * the remainder, with two divl instructions like x86's; no libgcc needed.
 */
#ifndef _HMEMU_LINUX_MATH64_H
#define _HMEMU_LINUX_MATH64_H

#include <hmemu.h>

static inline u32 __hm_div64_32(u64 *n, u32 base)
{
	u32 hi = (u32)(*n >> 32), lo = (u32)*n, qhi = 0, rem;

	if (hi >= base) {
		qhi = hi / base;
		hi = hi % base;
	}
	__asm__("divl %2" : "=a"(lo), "=d"(rem) : "rm"(base), "0"(lo), "1"(hi));
	*n = ((u64)qhi << 32) | lo;
	return rem;
}

#define do_div(n, base) ({ \
	_Static_assert(sizeof(n) == 8, "do_div() needs a 64-bit lvalue"); \
	__hm_div64_32((u64 *)&(n), (u32)(base)); })

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = __hm_div64_32(&dividend, divisor);
	return dividend;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	u32 remainder;

	return div_u64_rem(dividend, divisor, &remainder);
}

static inline s64 div_s64_rem(s64 dividend, s32 divisor, s32 *remainder)
{
	u64 quotient;
	u32 rem;

	if (dividend < 0) {
		quotient = div_u64_rem(-dividend, divisor < 0 ? -divisor : divisor, &rem);
		*remainder = -(s32)rem;
		if (divisor > 0)
			quotient = -quotient;
	} else {
		quotient = div_u64_rem(dividend, divisor < 0 ? -divisor : divisor, &rem);
		*remainder = rem;
		if (divisor < 0)
			quotient = -quotient;
	}
	return quotient;
}

static inline s64 div_s64(s64 dividend, s32 divisor)
{
	s32 remainder;

	return div_s64_rem(dividend, divisor, &remainder);
}

u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *remainder);
u64 div64_u64(u64 dividend, u64 divisor);

static inline u64 mul_u32_u32(u32 a, u32 b) { return (u64)a * b; }

#define DIV64_U64_ROUND_UP(ll, d) \
	({ u64 _tmp = (d); div64_u64((ll) + _tmp - 1, _tmp); })

#endif
