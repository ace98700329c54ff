/* SPDX-License-Identifier: MIT */
/* <linux/err.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_ERR_H
#define _HMEMU_LINUX_ERR_H
#include <hmemu.h>
#endif
