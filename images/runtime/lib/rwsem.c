// SPDX-License-Identifier: MIT
/*
 * Read-write semaphore slow paths (kernel/locking/rwsem.c, v6.1 semantics):
 * FIFO waiters on on-stack completions; the waker grants the semaphore before
 * completing, so a woken task returns holding it.
 */
#include <hmemu.h>
#include <linux/rwsem.h>

#define RWSEM_C	"kernel/locking/rwsem.c"

enum hm_rwsem_waiter_type { HM_RWSEM_READ, HM_RWSEM_WRITE };

struct hm_rwsem_waiter {
	struct list_head list;
	struct task_struct *task;
	enum hm_rwsem_waiter_type type;
	struct completion done;
};

void __init_rwsem(struct rw_semaphore *sem, const char *name)
{
	sem->count = 0;
	sem->owner = NULL;
	__hm_spin_lock_init(&sem->wait_lock, name);
	INIT_LIST_HEAD(&sem->wait_list);
	sem->name = name;
}

/* rwsem_mark_wake() with wait_lock held: grant to the first waiter, or to all readers. */
static void rwsem_wake(struct rw_semaphore *sem)
{
	struct hm_rwsem_waiter *w, *n;

	if (list_empty(&sem->wait_list) || sem->count != 0)
		return;
	w = list_first_entry(&sem->wait_list, struct hm_rwsem_waiter, list);
	if (w->type == HM_RWSEM_WRITE) {
		list_del(&w->list);
		sem->count = -1;
		sem->owner = w->task;
		complete(&w->done);
		return;
	}
	list_for_each_entry_safe(w, n, &sem->wait_list, list) {
		if (w->type != HM_RWSEM_READ)
			continue;
		list_del(&w->list);
		sem->count++;
		complete(&w->done);
	}
}

static void rwsem_wait(struct rw_semaphore *sem, struct hm_rwsem_waiter *w)
{
	init_completion(&w->done);
	list_add_tail(&w->list, &sem->wait_list);
	spin_unlock(&sem->wait_lock);
	wait_for_completion(&w->done);
}

void down_read(struct rw_semaphore *sem)
{
	struct hm_rwsem_waiter w;

	__might_sleep(RWSEM_C, 1519);
	spin_lock(&sem->wait_lock);
	if (sem->count >= 0 && list_empty(&sem->wait_list)) {
		sem->count++;
		spin_unlock(&sem->wait_lock);
		return;
	}
	w.task = current;
	w.type = HM_RWSEM_READ;
	rwsem_wait(sem, &w);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	int ok;

	spin_lock(&sem->wait_lock);
	ok = sem->count >= 0 && list_empty(&sem->wait_list);
	if (ok)
		sem->count++;
	spin_unlock(&sem->wait_lock);
	return ok;
}

void up_read(struct rw_semaphore *sem)
{
	spin_lock(&sem->wait_lock);
	if (WARN_ON_ONCE(sem->count <= 0)) {
		spin_unlock(&sem->wait_lock);
		return;
	}
	sem->count--;
	rwsem_wake(sem);
	spin_unlock(&sem->wait_lock);
}

void down_write(struct rw_semaphore *sem)
{
	struct hm_rwsem_waiter w;

	__might_sleep(RWSEM_C, 1572);
	w.task = current;
	spin_lock(&sem->wait_lock);
	if (sem->count == 0 && list_empty(&sem->wait_list)) {
		sem->count = -1;
		sem->owner = w.task;
		spin_unlock(&sem->wait_lock);
		return;
	}
	w.type = HM_RWSEM_WRITE;
	rwsem_wait(sem, &w);
}

int down_write_trylock(struct rw_semaphore *sem)
{
	struct task_struct *curr = current;
	int ok;

	spin_lock(&sem->wait_lock);
	ok = sem->count == 0 && list_empty(&sem->wait_list);
	if (ok) {
		sem->count = -1;
		sem->owner = curr;
	}
	spin_unlock(&sem->wait_lock);
	return ok;
}

void up_write(struct rw_semaphore *sem)
{
	spin_lock(&sem->wait_lock);
	if (WARN_ON_ONCE(sem->count != -1)) {
		spin_unlock(&sem->wait_lock);
		return;
	}
	sem->count = 0;
	sem->owner = NULL;
	rwsem_wake(sem);
	spin_unlock(&sem->wait_lock);
}

void downgrade_write(struct rw_semaphore *sem)
{
	struct hm_rwsem_waiter *w, *n;

	spin_lock(&sem->wait_lock);
	if (WARN_ON_ONCE(sem->count != -1)) {
		spin_unlock(&sem->wait_lock);
		return;
	}
	sem->count = 1;
	sem->owner = NULL;
	list_for_each_entry_safe(w, n, &sem->wait_list, list) {
		if (w->type != HM_RWSEM_READ)
			continue;
		list_del(&w->list);
		sem->count++;
		complete(&w->done);
	}
	spin_unlock(&sem->wait_lock);
}
