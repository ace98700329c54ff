/* SPDX-License-Identifier: MIT */
/* <linux/jiffies.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_JIFFIES_H
#define _HMEMU_LINUX_JIFFIES_H
#include <hmemu.h>
#endif
