/* SPDX-License-Identifier: MIT */
/* <linux/module.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_MODULE_H
#define _HMEMU_LINUX_MODULE_H
#include <hmemu.h>
#endif
