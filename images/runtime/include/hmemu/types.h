/* SPDX-License-Identifier: MIT */
/* Basic kernel types for i386 (include/linux/types.h, errno-base.h, err.h). */
#ifndef _HMEMU_TYPES_H
#define _HMEMU_TYPES_H

#include <hmemu/compiler.h>

typedef unsigned char		u8;
typedef unsigned short		u16;
typedef unsigned int		u32;
typedef unsigned long long	u64;
typedef signed char		s8;
typedef signed short		s16;
typedef signed int		s32;
typedef signed long long	s64;

typedef u8  __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s8  __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef s64 __s64;

typedef u8  uint8_t;
typedef u16 uint16_t;
typedef u32 uint32_t;
typedef u64 uint64_t;
typedef s8  int8_t;
typedef s16 int16_t;
typedef s32 int32_t;
typedef s64 int64_t;

typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef int			ssize_t;
typedef long long		loff_t;
typedef long			off_t;

typedef _Bool bool;
#define true	1
#define false	0

#ifndef NULL
#define NULL ((void *)0)
#endif

typedef unsigned int	gfp_t;
typedef u64		phys_addr_t;	/* PAE: CONFIG_PHYS_ADDR_T_64BIT */
typedef unsigned long	pgoff_t;
typedef int		pid_t;
typedef unsigned int	uint;
typedef unsigned long	ulong;

typedef struct { int counter; } atomic_t;

#define offsetof(type, member)	__builtin_offsetof(type, member)

/* errno values (asm-generic/errno-base.h, errno.h) */
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENOSYS		38
#define EOVERFLOW	75
#define ETIMEDOUT	110
#define ERESTARTSYS	512

/* Error pointers (include/linux/err.h): the top MAX_ERRNO addresses. */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}
static inline void *ERR_CAST(const void *ptr) { return (void *)ptr; }
static inline int PTR_ERR_OR_ZERO(const void *ptr) { return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0; }

#endif
