/* SPDX-License-Identifier: MIT */
/*
 * Overflow-checked arithmetic and allocation sizes (include/linux/overflow.h;
 * v6.1). The check_*_overflow helpers return true on overflow and store the
 * wrapped result; the size_* helpers saturate at SIZE_MAX.
 */
#ifndef _HMEMU_LINUX_OVERFLOW_H
#define _HMEMU_LINUX_OVERFLOW_H

#include <hmemu.h>

#ifndef SIZE_MAX
#define SIZE_MAX	(~(size_t)0)
#endif
#define is_signed_type(type)	(((type)(-1)) < (type)1)
#define __type_half_max(type)	((type)1 << (8 * sizeof(type) - 1 - is_signed_type(type)))
#define type_max(T)		((T)((__type_half_max(T) - 1) + __type_half_max(T)))
#define type_min(T)		((T)((T)-type_max(T) - (T)1))

#define check_add_overflow(a, b, d) __must_check_overflow(({ \
	__typeof__(a) __a = (a); __typeof__(b) __b = (b); __typeof__(d) __d = (d); \
	(void)(&__a == &__b); (void)(&__a == __d); \
	__builtin_add_overflow(__a, __b, __d); }))
#define check_sub_overflow(a, b, d) __must_check_overflow(({ \
	__typeof__(a) __a = (a); __typeof__(b) __b = (b); __typeof__(d) __d = (d); \
	(void)(&__a == &__b); (void)(&__a == __d); \
	__builtin_sub_overflow(__a, __b, __d); }))
#define check_mul_overflow(a, b, d) __must_check_overflow(({ \
	__typeof__(a) __a = (a); __typeof__(b) __b = (b); __typeof__(d) __d = (d); \
	(void)(&__a == &__b); (void)(&__a == __d); \
	__builtin_mul_overflow(__a, __b, __d); }))

static inline bool __must_check __must_check_overflow(bool overflow)
{
	return unlikely(overflow);
}

#define __hm_is_non_negative(a)	((a) > 0 || (a) == 0)
#define __hm_is_negative(a)	(!(__hm_is_non_negative(a)))
#define check_shl_overflow(a, s, d) __must_check_overflow(({ \
	__typeof__(a) _a = a; \
	__typeof__(s) _s = s; \
	__typeof__(d) _d = d; \
	u64 _a_full = _a; \
	unsigned int _to_shift = \
		__hm_is_non_negative(_s) && _s < 8 * sizeof(*d) ? _s : 0; \
	*_d = (_a_full << _to_shift); \
	(_to_shift != _s || __hm_is_negative(*_d) || __hm_is_negative(_a) || \
	 (*_d >> _to_shift) != _a); }))

static inline size_t __must_check size_mul(size_t factor1, size_t factor2)
{
	size_t bytes;

	if (check_mul_overflow(factor1, factor2, &bytes))
		return SIZE_MAX;
	return bytes;
}

static inline size_t __must_check size_add(size_t addend1, size_t addend2)
{
	size_t bytes;

	if (check_add_overflow(addend1, addend2, &bytes))
		return SIZE_MAX;
	return bytes;
}

static inline size_t __must_check size_sub(size_t minuend, size_t subtrahend)
{
	size_t bytes;

	if (minuend == SIZE_MAX || subtrahend == SIZE_MAX ||
	    check_sub_overflow(minuend, subtrahend, &bytes))
		return SIZE_MAX;
	return bytes;
}

#define array_size(a, b)	size_mul(a, b)
#define array3_size(a, b, c)	size_mul(size_mul(a, b), c)
#define flex_array_size(p, member, count) \
	size_mul(count, sizeof(*(p)->member) + __hm_must_be_array((p)->member))
#define struct_size(p, member, count) \
	size_add(sizeof(*(p)), flex_array_size(p, member, count))

#endif
