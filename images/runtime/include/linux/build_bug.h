/* SPDX-License-Identifier: MIT */
/*
 * Compile-time assertions (include/linux/build_bug.h; v6.1): BUILD_BUG_ON,
 * BUILD_BUG_ON_MSG, BUILD_BUG_ON_ZERO and BUILD_BUG come from <hmemu.h>
 * (hmemu/compiler.h) and reject the build as upstream's do.
 */
#ifndef _HMEMU_LINUX_BUILD_BUG_H
#define _HMEMU_LINUX_BUILD_BUG_H

#include <hmemu.h>

#define BUILD_BUG_ON_NOT_POWER_OF_2(n)	BUILD_BUG_ON((n) == 0 || (((n) & ((n) - 1)) != 0))
#define BUILD_BUG_ON_INVALID(e)		((void)(sizeof((long)(e))))

/* static_assert(expr) and static_assert(expr, msg), as upstream. */
#ifndef static_assert
#define static_assert(expr, ...)	__static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...)	_Static_assert(expr, msg)
#endif

#endif
