/* SPDX-License-Identifier: MIT */
/* <linux/delay.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_DELAY_H
#define _HMEMU_LINUX_DELAY_H
#include <hmemu.h>
#endif
