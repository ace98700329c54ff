/* SPDX-License-Identifier: MIT */
/* <linux/bug.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_BUG_H
#define _HMEMU_LINUX_BUG_H
#include <hmemu.h>
#endif
