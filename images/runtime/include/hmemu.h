/* SPDX-License-Identifier: MIT */
/*
 * hmemu guest API: the one header a test includes.
 *
 * Linux names and signatures (so kernel snippets compile unchanged), each a
 * thin stub over a hypercall into the host's kernel model (hmemu/hcall.h),
 * plus the hmemu_* extensions (hmemu/core.h). The <linux/...> headers all
 * include this file.
 */
#ifndef _HMEMU_H
#define _HMEMU_H

#include <stdarg.h>
#include <hmemu/compiler.h>
#include <hmemu/types.h>
#include <hmemu/hcall.h>
#include <hmemu/kernel.h>
#include <hmemu/printk.h>
#include <hmemu/bug.h>
#include <hmemu/string.h>
#include <hmemu/core.h>
#include <hmemu/atomic.h>
#include <hmemu/preempt.h>
#include <hmemu/spinlock.h>
#include <hmemu/mm.h>
#include <hmemu/highmem.h>
#include <hmemu/sched.h>
#include <hmemu/completion.h>
#include <hmemu/workqueue.h>
#include <hmemu/timer.h>
#include <hmemu/uaccess.h>
#include <hmemu/module.h>

#endif
