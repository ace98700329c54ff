/* SPDX-License-Identifier: MIT */
/* <linux/printk.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_PRINTK_H
#define _HMEMU_LINUX_PRINTK_H
#include <hmemu.h>
#endif
