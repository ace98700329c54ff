/* SPDX-License-Identifier: MIT */
/* <linux/sched.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_SCHED_H
#define _HMEMU_LINUX_SCHED_H
#include <hmemu.h>
#endif
