/* SPDX-License-Identifier: MIT */
/* <linux/timer.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_TIMER_H
#define _HMEMU_LINUX_TIMER_H
#include <hmemu.h>
#endif
