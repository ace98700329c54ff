/* SPDX-License-Identifier: MIT */
/* <linux/types.h> for hmemu guests: the whole API comes from <hmemu.h>. */
#ifndef _HMEMU_LINUX_TYPES_H
#define _HMEMU_LINUX_TYPES_H
#include <hmemu.h>
#include <linux/mm_types.h>	/* struct list_head, hlist_head, hlist_node */
#endif
