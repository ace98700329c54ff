/* SPDX-License-Identifier: MIT */
/* <linux/highmem.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_HIGHMEM_H
#define _HMEMU_LINUX_HIGHMEM_H
#include <hmemu.h>
#include <linux/mm_types.h>
#endif
