/* SPDX-License-Identifier: MIT */
/* <linux/smp.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_SMP_H
#define _HMEMU_LINUX_SMP_H
#include <hmemu.h>
#endif
