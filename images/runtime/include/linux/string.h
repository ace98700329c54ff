/* SPDX-License-Identifier: MIT */
/* <linux/string.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_STRING_H
#define _HMEMU_LINUX_STRING_H
#include <hmemu.h>
#endif
