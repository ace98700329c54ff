/* SPDX-License-Identifier: MIT */
/* Compiler helpers with the kernel's spellings (include/linux/compiler*.h). */
#ifndef _HMEMU_COMPILER_H
#define _HMEMU_COMPILER_H

#define __user
#define __kernel
#define __iomem
#define __force
#define __bitwise
#define __rcu
#define __percpu
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)

#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __noreturn		__attribute__((__noreturn__))
#define __cold			__attribute__((__cold__))
#define __used			__attribute__((__used__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __section(s)		__attribute__((__section__(s)))
#define __weak			__attribute__((__weak__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __scanf(a, b)		__attribute__((__format__(scanf, a, b)))
#define __pure			__attribute__((__pure__))
#define __alias(sym)		__attribute__((__alias__(#sym)))
#define fallthrough		__attribute__((__fallthrough__))

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define barrier()		__asm__ __volatile__("" : : : "memory")

#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))

/* Compile-time assertions: these reject the build, like the kernel's. */
#define BUILD_BUG_ON_MSG(cond, msg) \
	do { _Static_assert(!(cond), msg); } while (0)
#define BUILD_BUG_ON(cond)	BUILD_BUG_ON_MSG(cond, "BUILD_BUG_ON failed: " #cond)
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG()		BUILD_BUG_ON_MSG(1, "BUILD_BUG failed")

/*
 * READ_ONCE/WRITE_ONCE: one access of the object's size through a volatile
 * lvalue. Sizes other than 1, 2, 4, 8 are rejected at compile time.
 */
#define __hm_once_size_ok(x) \
	(sizeof(x) == 1 || sizeof(x) == 2 || sizeof(x) == 4 || sizeof(x) == 8)
#define READ_ONCE(x) ({ \
	_Static_assert(__hm_once_size_ok(x), "READ_ONCE of an odd-sized object"); \
	*(const volatile __typeof__(x) *)&(x); })
#define WRITE_ONCE(x, val) do { \
	_Static_assert(__hm_once_size_ok(x), "WRITE_ONCE of an odd-sized object"); \
	*(volatile __typeof__(x) *)&(x) = (val); } while (0)

/* IS_ENABLED(CONFIG_FOO): 1 if CONFIG_FOO is defined to 1, else 0. */
#define __hm_cfg_probe_1		0,
#define __hm_cfg_second(a, b, ...)	b
#define __hm_cfg_pick(probe)		__hm_cfg_second(probe 1, 0, 0)
#define __hm_cfg_paste(v)		__hm_cfg_pick(__hm_cfg_probe_##v)
#define __hm_cfg_defined(v)		__hm_cfg_paste(v)
#define IS_ENABLED(option)		__hm_cfg_defined(option)
#define IS_BUILTIN(option)		__hm_cfg_defined(option)

/* The configuration the kernel model implements. */
#define CONFIG_X86_32		1
#define CONFIG_MMU		1
#define CONFIG_SMP		1
#define CONFIG_HIGHMEM		1
#define CONFIG_KMAP_LOCAL	1
#define CONFIG_PREEMPT_COUNT	1
#define CONFIG_DEBUG_VM		1	/* VM_BUG_ON() is BUG_ON() */
#define CONFIG_NR_CPUS		32
#define CONFIG_HZ		250

#endif
