/* SPDX-License-Identifier: MIT */
/* <linux/spinlock.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_SPINLOCK_H
#define _HMEMU_LINUX_SPINLOCK_H
#include <hmemu.h>
#endif
