/* SPDX-License-Identifier: MIT */
/*
 * Sleeping mutual exclusion (include/linux/mutex.h, kernel/locking/mutex.c; v6.1,
 * with CONFIG_DEBUG_MUTEXES' owner check). mutex_lock() calls might_sleep()
 * (reported at kernel/locking/mutex.c:283 in atomic context, like upstream)
 * and sleeps through the host's scheduler while the mutex is held: waiters
 * queue FIFO and the unlocker hands the mutex to the first one. The owner is
 * the task_struct that locked it; unlocking from another task WARNs once.
 * The slow path is runtime/lib/mutex.c.
 */
#ifndef _HMEMU_LINUX_MUTEX_H
#define _HMEMU_LINUX_MUTEX_H

#include <hmemu.h>
#include <linux/list.h>

#define CONFIG_DEBUG_MUTEXES	1

struct mutex {
	struct task_struct *owner;	/* 0 when unlocked; changed with lock cmpxchg */
	spinlock_t wait_lock;
	struct list_head wait_list;
	const char *name;
};

#define __MUTEX_INITIALIZER(lockname) { \
	.owner = NULL, \
	.wait_lock = __SPIN_LOCK_UNLOCKED(lockname.wait_lock), \
	.wait_list = LIST_HEAD_INIT(lockname.wait_list), \
	.name = #lockname }
#define DEFINE_MUTEX(mutexname)	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name);
#define mutex_init(mutex)	__mutex_init((mutex), #mutex)

static inline void mutex_destroy(struct mutex *lock) { (void)lock; }

static inline bool mutex_is_locked(struct mutex *lock)
{
	return READ_ONCE(lock->owner) != NULL;
}

void __mutex_lock(struct mutex *lock, const char *file, int line);
void mutex_unlock(struct mutex *lock);
int mutex_trylock(struct mutex *lock);

#define HM_MUTEX_C	"kernel/locking/mutex.c"
/* Lines of might_sleep() in v6.1's mutex_lock, mutex_lock_interruptible, mutex_lock_killable. */
static inline void mutex_lock(struct mutex *lock) { __mutex_lock(lock, HM_MUTEX_C, 283); }
/* Signals do not exist in the model: these never return -EINTR. */
static inline int __must_check mutex_lock_interruptible(struct mutex *lock)
{
	__mutex_lock(lock, HM_MUTEX_C, 979);
	return 0;
}
static inline int __must_check mutex_lock_killable(struct mutex *lock)
{
	__mutex_lock(lock, HM_MUTEX_C, 1003);
	return 0;
}
#define mutex_lock_nested(lock, subclass)		mutex_lock(lock)
#define mutex_lock_interruptible_nested(lock, sub)	mutex_lock_interruptible(lock)
#define mutex_lock_io(lock)				mutex_lock(lock)

int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock);

/* lockdep_assert_held() on a mutex: the caller must own it. */
#define lockdep_assert_held(l)	WARN_ON(!mutex_is_locked(l))

#endif
