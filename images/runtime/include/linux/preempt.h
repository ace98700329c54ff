/* SPDX-License-Identifier: MIT */
/* <linux/preempt.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_PREEMPT_H
#define _HMEMU_LINUX_PREEMPT_H
#include <hmemu.h>
#endif
