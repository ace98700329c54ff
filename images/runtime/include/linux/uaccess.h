/* SPDX-License-Identifier: MIT */
/* <linux/uaccess.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_UACCESS_H
#define _HMEMU_LINUX_UACCESS_H
#include <hmemu.h>
#endif
