/* SPDX-License-Identifier: MIT */
/* <linux/find.h>: find_first_bit and friends live in <linux/bitops.h> here. */
#ifndef _HMEMU_LINUX_FIND_H
#define _HMEMU_LINUX_FIND_H
#include <linux/bitops.h>
#endif
