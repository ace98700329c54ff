/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks (include/linux/spinlock.h). The lock word lives in the guest; the
 * host's model acquires it (spinning tasks see HM_RESTART and retry) and does
 * the preempt/irq accounting.
 */
#ifndef _HMEMU_SPINLOCK_H
#define _HMEMU_SPINLOCK_H

#include <hmemu/types.h>
#include <hmemu/kernel.h>
#include <hmemu/hcall.h>
#include <hmemu/preempt.h>

/* Layout fixed by the host. */
typedef struct spinlock {
	volatile unsigned int locked;
	unsigned int owner;
	const char *name;
} spinlock_t;
_Static_assert(sizeof(spinlock_t) == 12, "spinlock_t layout");

#define __SPIN_LOCK_UNLOCKED(x)	{ 0, 0, #x }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

static inline void __hm_spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->locked = 0;
	lock->owner = 0;
	lock->name = name;
	hm_hcall2(HC_SPIN_LOCK_INIT, lock, name);
}
#define spin_lock_init(lock)	__hm_spin_lock_init((lock), #lock)

static inline void spin_lock(spinlock_t *lock) { hm_hcall1(HC_SPIN_LOCK, lock); }
static inline void spin_unlock(spinlock_t *lock) { hm_hcall1(HC_SPIN_UNLOCK, lock); }

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	local_irq_enable();
}

static inline unsigned long __hm_spin_lock_irqsave(spinlock_t *lock)
{
	return (unsigned long)hm_hcall1(HC_SPIN_LOCK_IRQSAVE, lock);
}
#define spin_lock_irqsave(lock, flags) do { \
	typecheck(unsigned long, flags); \
	(flags) = __hm_spin_lock_irqsave(lock); \
} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	hm_hcall2(HC_SPIN_UNLOCK_IRQRESTORE, lock, flags);
}

static inline bool spin_is_locked(spinlock_t *lock) { return READ_ONCE(lock->locked) != 0; }

#endif
