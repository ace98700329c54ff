// SPDX-License-Identifier: MIT
/* lib/math/div64.c, int_pow.c, int_sqrt.c (v6.1 algorithms), with 32-bit division only. */
#include <hmemu.h>
#include <linux/math.h>
#include <linux/bitops.h>

u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *remainder)
{
	u32 high = divisor >> 32;
	u64 quot;

	if (high == 0) {
		u32 rem32;

		quot = div_u64_rem(dividend, (u32)divisor, &rem32);
		*remainder = rem32;
	} else {
		int n = fls(high);

		quot = div_u64(dividend >> n, (u32)(divisor >> n));
		if (quot != 0)
			quot--;
		*remainder = dividend - quot * divisor;
		if (*remainder >= divisor) {
			quot++;
			*remainder -= divisor;
		}
	}
	return quot;
}

u64 div64_u64(u64 dividend, u64 divisor)
{
	u64 rem;

	return div64_u64_rem(dividend, divisor, &rem);
}

u64 int_pow(u64 base, unsigned int exp)
{
	u64 result = 1;

	while (exp) {
		if (exp & 1)
			result *= base;
		exp >>= 1;
		base *= base;
	}
	return result;
}

unsigned long int_sqrt(unsigned long x)
{
	unsigned long b, m, y = 0;

	if (x <= 1)
		return x;
	m = 1UL << (__fls(x) & ~1UL);
	while (m != 0) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return y;
}
