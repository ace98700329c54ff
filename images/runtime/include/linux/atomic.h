/* SPDX-License-Identifier: MIT */
/* <linux/atomic.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_ATOMIC_H
#define _HMEMU_LINUX_ATOMIC_H
#include <hmemu.h>
#endif
