/* SPDX-License-Identifier: MIT */
/* <linux/pagemap.h>: the folio parts live in <linux/mm_types.h>. */
#ifndef _HMEMU_LINUX_PAGEMAP_H
#define _HMEMU_LINUX_PAGEMAP_H
#include <hmemu.h>
#include <linux/mm_types.h>
#include <linux/highmem.h>
#endif
