/* SPDX-License-Identifier: MIT */
/* <linux/bits.h>: BIT, GENMASK and friends (<linux/bitops.h> has them all). */
#ifndef _HMEMU_LINUX_BITS_H
#define _HMEMU_LINUX_BITS_H
#include <linux/bitops.h>
#endif
