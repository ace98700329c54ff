/* SPDX-License-Identifier: MIT */
/*
 * jiffies and timers (include/linux/jiffies.h, timer.h). The host advances
 * jiffies on every tick and runs expired timers in softirq context through
 * hm_softirq_timer_entry.
 */
#ifndef _HMEMU_TIMER_H
#define _HMEMU_TIMER_H

#include <hmemu/types.h>
#include <hmemu/kernel.h>
#include <hmemu/hcall.h>
#include <hmemu/core.h>

#define HZ		CONFIG_HZ	/* the usual value; the running one is hm_boot_info.hz */
#define MSEC_PER_SEC	1000UL
#define USEC_PER_MSEC	1000UL
#define USEC_PER_SEC	1000000UL
#define MAX_JIFFY_OFFSET ((long)(~0UL >> 1) - 1)

/* Written by the host on every tick. */
extern unsigned long volatile jiffies;

static inline unsigned int __hm_hz(void)
{
	unsigned int hz = hmemu_boot_info()->hz;

	return hz ? hz : HZ;
}

/* Rounds up, like upstream. */
static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	unsigned int hz = __hm_hz();

	if (m > (unsigned int)MAX_JIFFY_OFFSET / hz)
		return MAX_JIFFY_OFFSET;
	return (m * hz + MSEC_PER_SEC - 1) / MSEC_PER_SEC;
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	unsigned int hz = __hm_hz();

	if (MSEC_PER_SEC % hz == 0)
		return (unsigned int)(j * (MSEC_PER_SEC / hz));
	return (unsigned int)((j * MSEC_PER_SEC) / hz);
}

static inline unsigned long usecs_to_jiffies(unsigned int u)
{
	return msecs_to_jiffies((unsigned int)DIV_ROUND_UP(u, USEC_PER_MSEC));
}

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)

struct timer_list;
/* Layout fixed by the host: function at offset 8. */
struct timer_list {
	void *entry;
	unsigned long expires;
	void (*function)(struct timer_list *);
	unsigned int flags;
};
_Static_assert(offsetof(struct timer_list, function) == 8 && sizeof(struct timer_list) == 16,
	       "timer_list layout");

#define TIMER_DEFERRABLE	0x00080000
#define TIMER_PINNED		0x00100000
#define TIMER_IRQSAFE		0x00200000

static inline void timer_setup(struct timer_list *timer,
			       void (*callback)(struct timer_list *), unsigned int flags)
{
	timer->entry = NULL;
	timer->expires = 0;
	timer->function = callback;
	timer->flags = flags;
}
#define timer_setup_on_stack(t, cb, fl)	timer_setup(t, cb, fl)

#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*var), timer_fieldname)

/* Returns whether the timer was pending. */
static inline int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return (int)hm_hcall2(HC_MOD_TIMER, timer, expires);
}

static inline void add_timer(struct timer_list *timer)
{
	mod_timer(timer, timer->expires);
}

static inline int del_timer_sync(struct timer_list *timer)
{
	return (int)hm_hcall1(HC_DEL_TIMER_SYNC, timer);
}
#define timer_delete_sync(t)	del_timer_sync(t)
/* The model has no asynchronous variant: del_timer waits like del_timer_sync. */
#define del_timer(t)		del_timer_sync(t)
#define timer_delete(t)		del_timer_sync(t)

/* Host-started trampoline (runtime/entry.c). */
void hm_softirq_timer_entry(struct timer_list *t) __noreturn;

#endif
