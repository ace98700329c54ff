/* SPDX-License-Identifier: MIT */
/* <linux/init.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_INIT_H
#define _HMEMU_LINUX_INIT_H
#include <hmemu.h>
#endif
