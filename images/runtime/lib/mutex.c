// SPDX-License-Identifier: MIT
/*
 * Mutex slow paths (kernel/locking/mutex.c, v6.1 semantics). Waiters sleep on
 * an on-stack completion; the unlocker hands ownership to the first waiter, so
 * the woken task returns owning the mutex.
 */
#include <hmemu.h>
#include <linux/mutex.h>

struct hm_mutex_waiter {
	struct list_head list;
	struct task_struct *task;
	struct completion done;
};

void __mutex_init(struct mutex *lock, const char *name)
{
	lock->owner = NULL;
	__hm_spin_lock_init(&lock->wait_lock, name);
	INIT_LIST_HEAD(&lock->wait_list);
	lock->name = name;
}

static bool mutex_trylock_as(struct mutex *lock, struct task_struct *curr)
{
	return atomic_cmpxchg((atomic_t *)&lock->owner, 0, (int)(unsigned long)curr) == 0;
}

void __mutex_lock(struct mutex *lock, const char *file, int line)
{
	struct task_struct *curr;
	struct hm_mutex_waiter waiter;

	__might_sleep(file, line);
	curr = current;
	if (mutex_trylock_as(lock, curr))
		return;

	spin_lock(&lock->wait_lock);
	if (mutex_trylock_as(lock, curr)) {
		spin_unlock(&lock->wait_lock);
		return;
	}
	waiter.task = curr;
	init_completion(&waiter.done);
	list_add_tail(&waiter.list, &lock->wait_list);
	spin_unlock(&lock->wait_lock);

	wait_for_completion(&waiter.done);	/* mutex_unlock() made us the owner */
}

int mutex_trylock(struct mutex *lock)
{
	return mutex_trylock_as(lock, current);
}

void mutex_unlock(struct mutex *lock)
{
	static bool warned;
	struct task_struct *curr = current;
	struct hm_mutex_waiter *w;

	if (READ_ONCE(lock->owner) != curr && !warned) {
		warned = true;	/* debug_locks_off(): one report */
		__hm_warn_printf(HM_MUTEX_C, 918, "__mutex_unlock_slowpath",
				 "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)");
	}
	spin_lock(&lock->wait_lock);
	if (list_empty(&lock->wait_list)) {
		WRITE_ONCE(lock->owner, NULL);
		spin_unlock(&lock->wait_lock);
		return;
	}
	w = list_first_entry(&lock->wait_list, struct hm_mutex_waiter, list);
	list_del(&w->list);
	WRITE_ONCE(lock->owner, w->task);	/* handoff */
	complete(&w->done);
	spin_unlock(&lock->wait_lock);
}

int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock)
{
	int old = atomic_read(cnt), prev;

	/* dec if we can't possibly hit 0 */
	while (old != 1) {
		prev = atomic_cmpxchg(cnt, old, old - 1);
		if (prev == old)
			return 0;
		old = prev;
	}
	mutex_lock(lock);
	if (!atomic_dec_and_test(cnt)) {
		mutex_unlock(lock);
		return 0;
	}
	return 1;
}
