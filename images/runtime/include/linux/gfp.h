/* SPDX-License-Identifier: MIT */
/* <linux/gfp.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_GFP_H
#define _HMEMU_LINUX_GFP_H
#include <hmemu.h>
#include <linux/mm_types.h>
#endif
