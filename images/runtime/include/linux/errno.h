/* SPDX-License-Identifier: MIT */
/* <linux/errno.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_ERRNO_H
#define _HMEMU_LINUX_ERRNO_H
#include <hmemu.h>
#endif
