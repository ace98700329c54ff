/* SPDX-License-Identifier: MIT */
/* atomic_t on x86 (lock-prefixed instructions; include/linux/atomic.h). */
#ifndef _HMEMU_ATOMIC_H
#define _HMEMU_ATOMIC_H

#include <hmemu/types.h>

#define ATOMIC_INIT(i)	{ (i) }

static inline int atomic_read(const atomic_t *v) { return READ_ONCE(v->counter); }
static inline void atomic_set(atomic_t *v, int i) { WRITE_ONCE(v->counter, i); }

static inline void atomic_add(int i, atomic_t *v)
{
	__asm__ __volatile__("lock; addl %1, %0" : "+m"(v->counter) : "ir"(i) : "memory", "cc");
}

static inline void atomic_sub(int i, atomic_t *v)
{
	__asm__ __volatile__("lock; subl %1, %0" : "+m"(v->counter) : "ir"(i) : "memory", "cc");
}

static inline int atomic_add_return(int i, atomic_t *v)
{
	int old = i;

	__asm__ __volatile__("lock; xaddl %0, %1" : "+r"(old), "+m"(v->counter) : : "memory", "cc");
	return old + i;
}

static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	int prev;

	__asm__ __volatile__("lock; cmpxchgl %2, %1"
			     : "=a"(prev), "+m"(v->counter)
			     : "r"(new), "0"(old)
			     : "memory", "cc");
	return prev;
}

static inline int atomic_xchg(atomic_t *v, int new)
{
	__asm__ __volatile__("xchgl %0, %1" : "+r"(new), "+m"(v->counter) : : "memory");
	return new;
}

#define atomic_inc(v)			atomic_add(1, v)
#define atomic_dec(v)			atomic_sub(1, v)
#define atomic_sub_return(i, v)		atomic_add_return(-(i), v)
#define atomic_inc_return(v)		atomic_add_return(1, v)
#define atomic_dec_return(v)		atomic_add_return(-1, v)
#define atomic_dec_and_test(v)		(atomic_dec_return(v) == 0)
#define atomic_inc_and_test(v)		(atomic_inc_return(v) == 0)
#define atomic_sub_and_test(i, v)	(atomic_sub_return(i, v) == 0)

#endif
