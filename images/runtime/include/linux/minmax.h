/* SPDX-License-Identifier: MIT */
/*
 * min/max/clamp (include/linux/minmax.h; v6.1). min, max, min_t, max_t,
 * min3, max3, clamp, clamp_t and swap come from <hmemu.h> (hmemu/kernel.h):
 * like upstream, min/max of two different types warns ("comparison of
 * distinct pointer types").
 */
#ifndef _HMEMU_LINUX_MINMAX_H
#define _HMEMU_LINUX_MINMAX_H

#include <hmemu.h>

#define min_not_zero(x, y) ({ \
	__typeof__(x) __x = (x); \
	__typeof__(y) __y = (y); \
	__x == 0 ? __y : ((__y == 0) ? __x : min(__x, __y)); })

#define clamp_val(val, lo, hi)	clamp_t(__typeof__(val), val, lo, hi)

#define min_array(array, len) ({ \
	__typeof__(&(array)[0]) __array = (array); \
	__typeof__(len) __len = (len); \
	__typeof__(*__array) __min = __array[--__len]; \
	while (__len--) \
		__min = min(__min, __array[__len]); \
	__min; })

#endif
