/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables (include/linux/percpu.h, percpu-defs.h; v6.1).
 *
 * DEFINE_PER_CPU puts CPU 0's copy in .data..percpu; every CPU has a copy of
 * that whole area at a fixed stride (runtime/hmemu.ld), so per_cpu_ptr(p, cpu)
 * is p plus cpu's offset, for static variables and for alloc_percpu() memory
 * alike (a reserve inside the area). The other CPUs' copies are filled from
 * CPU 0's initial values on the first per-CPU access. this_cpu_*() operations
 * are preemption-safe (they disable preemption around the access, like the
 * generic versions); __this_cpu_*() and raw_cpu_*() are not.
 * get_cpu_var()/put_cpu_var() disable/enable preemption. runtime/lib/percpu.c.
 */
#ifndef _HMEMU_LINUX_PERCPU_H
#define _HMEMU_LINUX_PERCPU_H

#include <hmemu.h>

#define PER_CPU_BASE_SECTION	".data..percpu"
#define SMP_CACHE_BYTES		64

extern char __per_cpu_start[], __per_cpu_end[], __per_cpu_copies[];
extern int __hm_percpu_state;	/* 2 once the copies are filled */
void __hm_percpu_setup(void);

#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name
#define DEFINE_PER_CPU(type, name) \
	__section(PER_CPU_BASE_SECTION) __typeof__(type) name
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	__section(PER_CPU_BASE_SECTION) __aligned(SMP_CACHE_BYTES) __typeof__(type) name
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name)	DEFINE_PER_CPU_ALIGNED(type, name)
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_READ_MOSTLY(type, name)		DEFINE_PER_CPU(type, name)
#define EXPORT_PER_CPU_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var)

static inline unsigned long __hm_per_cpu_offset(unsigned int cpu)
{
	unsigned long size = __per_cpu_end - __per_cpu_start;

	if (unlikely(READ_ONCE(__hm_percpu_state) != 2))
		__hm_percpu_setup();
	return cpu == 0 ? 0 : (unsigned long)(__per_cpu_copies - __per_cpu_start) + (cpu - 1) * size;
}
#define per_cpu_offset(cpu)	__hm_per_cpu_offset(cpu)

#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + __hm_per_cpu_offset(cpu)))
#define raw_cpu_ptr(ptr)	per_cpu_ptr(ptr, raw_smp_processor_id())
#define this_cpu_ptr(ptr)	per_cpu_ptr(ptr, smp_processor_id())
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))

#define get_cpu_var(var)	(*({ preempt_disable(); this_cpu_ptr(&(var)); }))
#define put_cpu_var(var)	do { (void)&(var); preempt_enable(); } while (0)
#define get_cpu_ptr(var)	({ preempt_disable(); this_cpu_ptr(var); })
#define put_cpu_ptr(var)	do { (void)(var); preempt_enable(); } while (0)

/* raw_cpu_* and __this_cpu_*: no protection against preemption. */
#define raw_cpu_read(pcp)		(*raw_cpu_ptr(&(pcp)))
#define raw_cpu_write(pcp, val)		do { *raw_cpu_ptr(&(pcp)) = (val); } while (0)
#define raw_cpu_add(pcp, val)		do { *raw_cpu_ptr(&(pcp)) += (val); } while (0)
#define raw_cpu_sub(pcp, val)		raw_cpu_add(pcp, -(val))
#define raw_cpu_inc(pcp)		raw_cpu_add(pcp, 1)
#define raw_cpu_dec(pcp)		raw_cpu_sub(pcp, 1)
#define raw_cpu_and(pcp, val)		do { *raw_cpu_ptr(&(pcp)) &= (val); } while (0)
#define raw_cpu_or(pcp, val)		do { *raw_cpu_ptr(&(pcp)) |= (val); } while (0)
#define raw_cpu_add_return(pcp, val)	({ __typeof__(pcp) *__p = raw_cpu_ptr(&(pcp)); *__p += (val); *__p; })
#define raw_cpu_xchg(pcp, nval) \
	({ __typeof__(pcp) *__p = raw_cpu_ptr(&(pcp)); __typeof__(pcp) __o = *__p; *__p = (nval); __o; })
#define raw_cpu_cmpxchg(pcp, oval, nval) \
	({ __typeof__(pcp) *__p = raw_cpu_ptr(&(pcp)); __typeof__(pcp) __o = *__p; \
	   if (__o == (oval)) *__p = (nval); __o; })
#define __this_cpu_read(pcp)		raw_cpu_read(pcp)
#define __this_cpu_write(pcp, val)	raw_cpu_write(pcp, val)
#define __this_cpu_add(pcp, val)	raw_cpu_add(pcp, val)
#define __this_cpu_sub(pcp, val)	raw_cpu_sub(pcp, val)
#define __this_cpu_inc(pcp)		raw_cpu_inc(pcp)
#define __this_cpu_dec(pcp)		raw_cpu_dec(pcp)
#define __this_cpu_and(pcp, val)	raw_cpu_and(pcp, val)
#define __this_cpu_or(pcp, val)		raw_cpu_or(pcp, val)
#define __this_cpu_add_return(pcp, val)	raw_cpu_add_return(pcp, val)
#define __this_cpu_xchg(pcp, nval)	raw_cpu_xchg(pcp, nval)
#define __this_cpu_cmpxchg(pcp, o, n)	raw_cpu_cmpxchg(pcp, o, n)

/* this_cpu_*: the access happens on one CPU with preemption disabled. */
#define __hm_this_cpu_protect(expr) \
	({ __typeof__(expr) __ret; preempt_disable(); __ret = (expr); preempt_enable(); __ret; })
#define __hm_this_cpu_protect_void(stmt) \
	do { preempt_disable(); stmt; preempt_enable(); } while (0)
#define this_cpu_read(pcp)		__hm_this_cpu_protect(raw_cpu_read(pcp))
#define this_cpu_write(pcp, val)	__hm_this_cpu_protect_void(raw_cpu_write(pcp, val))
#define this_cpu_add(pcp, val)		__hm_this_cpu_protect_void(raw_cpu_add(pcp, val))
#define this_cpu_sub(pcp, val)		__hm_this_cpu_protect_void(raw_cpu_sub(pcp, val))
#define this_cpu_inc(pcp)		this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)		this_cpu_sub(pcp, 1)
#define this_cpu_and(pcp, val)		__hm_this_cpu_protect_void(raw_cpu_and(pcp, val))
#define this_cpu_or(pcp, val)		__hm_this_cpu_protect_void(raw_cpu_or(pcp, val))
#define this_cpu_add_return(pcp, val)	__hm_this_cpu_protect(raw_cpu_add_return(pcp, val))
#define this_cpu_inc_return(pcp)	this_cpu_add_return(pcp, 1)
#define this_cpu_dec_return(pcp)	this_cpu_add_return(pcp, -1)
#define this_cpu_xchg(pcp, nval)	__hm_this_cpu_protect(raw_cpu_xchg(pcp, nval))
#define this_cpu_cmpxchg(pcp, o, n)	__hm_this_cpu_protect(raw_cpu_cmpxchg(pcp, o, n))

/* Dynamic per-CPU memory: zeroed on every CPU; from a reserve in the per-CPU area. */
#define PERCPU_DYNAMIC_RESERVE	4096
void __percpu *__alloc_percpu(size_t size, size_t align);
void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp);
void free_percpu(void __percpu *ptr);
#define alloc_percpu(type) \
	((__typeof__(type) __percpu *)__alloc_percpu(sizeof(type), __alignof__(type)))
#define alloc_percpu_gfp(type, gfp) \
	((__typeof__(type) __percpu *)__alloc_percpu_gfp(sizeof(type), __alignof__(type), gfp))

#endif
