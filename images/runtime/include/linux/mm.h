/* SPDX-License-Identifier: MIT */
/* <linux/mm.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_MM_H
#define _HMEMU_LINUX_MM_H
#include <hmemu.h>
#include <linux/mm_types.h>
#endif
