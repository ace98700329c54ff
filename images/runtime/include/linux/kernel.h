/* SPDX-License-Identifier: MIT */
/* <linux/kernel.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_KERNEL_H
#define _HMEMU_LINUX_KERNEL_H
#include <hmemu.h>
#endif
