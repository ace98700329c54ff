/* SPDX-License-Identifier: MIT */
/* <linux/workqueue.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_WORKQUEUE_H
#define _HMEMU_LINUX_WORKQUEUE_H
#include <hmemu.h>
#endif
