/* SPDX-License-Identifier: MIT */
/* <linux/compiler.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_COMPILER_H
#define _HMEMU_LINUX_COMPILER_H
#include <hmemu.h>
#endif
