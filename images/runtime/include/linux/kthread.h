/* SPDX-License-Identifier: MIT */
/* <linux/kthread.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_KTHREAD_H
#define _HMEMU_LINUX_KTHREAD_H
#include <hmemu.h>
#endif
