/* SPDX-License-Identifier: MIT */
/* <linux/slab.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_SLAB_H
#define _HMEMU_LINUX_SLAB_H
#include <hmemu.h>
#endif
