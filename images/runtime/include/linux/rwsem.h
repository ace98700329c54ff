/* SPDX-License-Identifier: MIT */
/*
 * Read-write semaphores (include/linux/rwsem.h, kernel/locking/rwsem.c; v6.1).
 * down_read/down_write call might_sleep() (kernel/locking/rwsem.c:1519 and
 * :1572) and sleep through the host's scheduler while the semaphore is taken
 * the other way. Waiters queue FIFO: a reader arriving behind a queued writer
 * waits (no writer starvation); up_write wakes the first waiter, and when that
 * is a reader, every reader in the queue (rwsem_mark_wake). The slow path is
 * runtime/lib/rwsem.c.
 */
#ifndef _HMEMU_LINUX_RWSEM_H
#define _HMEMU_LINUX_RWSEM_H

#include <hmemu.h>
#include <linux/list.h>

struct rw_semaphore {
	int count;			/* readers holding it; -1 while a writer does */
	struct task_struct *owner;	/* the writer, or NULL */
	spinlock_t wait_lock;
	struct list_head wait_list;
	const char *name;
};

#define __RWSEM_INITIALIZER(lockname) { \
	.count = 0, \
	.owner = NULL, \
	.wait_lock = __SPIN_LOCK_UNLOCKED(lockname.wait_lock), \
	.wait_list = LIST_HEAD_INIT(lockname.wait_list), \
	.name = #lockname }
#define DECLARE_RWSEM(lockname)	struct rw_semaphore lockname = __RWSEM_INITIALIZER(lockname)

void __init_rwsem(struct rw_semaphore *sem, const char *name);
#define init_rwsem(sem)		__init_rwsem((sem), #sem)

static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return READ_ONCE(sem->count) != 0;
}

static inline int rwsem_is_contended(struct rw_semaphore *sem)
{
	return !list_empty(&sem->wait_list);
}

void down_read(struct rw_semaphore *sem);
int down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void downgrade_write(struct rw_semaphore *sem);

static inline int __must_check down_read_interruptible(struct rw_semaphore *sem)
{
	down_read(sem);
	return 0;
}
static inline int __must_check down_read_killable(struct rw_semaphore *sem)
{
	down_read(sem);
	return 0;
}
static inline int __must_check down_write_killable(struct rw_semaphore *sem)
{
	down_write(sem);
	return 0;
}
#define down_read_nested(sem, subclass)		down_read(sem)
#define down_write_nested(sem, subclass)	down_write(sem)

#endif
