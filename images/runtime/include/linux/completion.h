/* SPDX-License-Identifier: MIT */
/* <linux/completion.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_COMPLETION_H
#define _HMEMU_LINUX_COMPLETION_H
#include <hmemu.h>
#endif
