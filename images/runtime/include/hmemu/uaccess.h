/* SPDX-License-Identifier: MIT */
/*
 * User memory access (include/linux/uaccess.h, arch/x86/include/asm/uaccess.h).
 * The host performs the access with the current context's fault rules: with
 * page faults disabled, a not-present user page is not faulted in.
 */
#ifndef _HMEMU_UACCESS_H
#define _HMEMU_UACCESS_H

#include <hmemu/types.h>
#include <hmemu/hcall.h>
#include <hmemu/string.h>
#include <hmemu/mm.h>
#include <hmemu/preempt.h>

#define access_ok(addr, size) ({ \
	unsigned long __ao_a = (unsigned long)(addr), __ao_s = (unsigned long)(size); \
	likely(__ao_s <= TASK_SIZE_MAX && __ao_a <= TASK_SIZE_MAX - __ao_s); })

/* Return the number of bytes not copied. copy_from_user zeroes that tail. */
static inline __must_check unsigned long
copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = (unsigned long)hm_hcall3(HC_COPY_FROM_USER, to, from, n);

	if (unlikely(left))
		memset((char *)to + (n - left), 0, left);
	return left;
}

static inline __must_check unsigned long
copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return (unsigned long)hm_hcall3(HC_COPY_TO_USER, to, from, n);
}

static inline __must_check unsigned long
__copy_from_user_inatomic(void *to, const void __user *from, unsigned long n)
{
	return (unsigned long)hm_hcall3(HC_COPY_FROM_USER_INATOMIC, to, from, n);
}
#define __copy_from_user(to, from, n)	copy_from_user(to, from, n)
#define __copy_to_user(to, from, n)	copy_to_user(to, from, n)

static inline int __hm_get_user(void *kdst, const void __user *usrc, unsigned int size)
{
	return (int)hm_hcall3(HC_GET_USER, kdst, usrc, size);
}

static inline int __hm_put_user(void __user *udst, const void *ksrc, unsigned int size)
{
	return (int)hm_hcall3(HC_PUT_USER, udst, ksrc, size);
}

#define __hm_uaccess_size_ok(ptr) \
	(sizeof(*(ptr)) == 1 || sizeof(*(ptr)) == 2 || sizeof(*(ptr)) == 4)

/*
 * get_user(x, ptr): 0 or -EFAULT; x is 0 after a fault. The host writes
 * sizeof(*ptr) bytes into the low end of a zeroed 32-bit temporary, which is
 * then converted to the pointed-to type (so sign extension is right).
 */
#define get_user(x, ptr) ({ \
	__typeof__(ptr) __gu_ptr = (ptr); \
	unsigned long __gu_val = 0; \
	int __gu_err; \
	_Static_assert(__hm_uaccess_size_ok(__gu_ptr), "get_user: size must be 1, 2 or 4"); \
	__gu_err = __hm_get_user(&__gu_val, __gu_ptr, sizeof(*__gu_ptr)); \
	if (__gu_err) \
		__gu_val = 0; \
	(x) = (__typeof__(*__gu_ptr))__gu_val; \
	__gu_err; })

#define put_user(x, ptr) ({ \
	__typeof__(ptr) __pu_ptr = (ptr); \
	__typeof__(*__pu_ptr) __pu_val = (x); \
	_Static_assert(__hm_uaccess_size_ok(__pu_ptr), "put_user: size must be 1, 2 or 4"); \
	__hm_put_user(__pu_ptr, &__pu_val, sizeof(*__pu_ptr)); })

#define __get_user(x, ptr)	get_user(x, ptr)
#define __put_user(x, ptr)	put_user(x, ptr)

#endif
