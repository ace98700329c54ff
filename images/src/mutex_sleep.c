// SPDX-License-Identifier: MIT
/*
 * Sleeping locks on 2 CPUs. A mutex held by main puts a kthread to sleep (it
 * does not spin: the kthread's CPU goes idle) until main unlocks it, and the
 * kthread then owns it. An rw_semaphore admits two readers at once; a writer
 * sleeps until both leave, and a reader arriving behind the queued writer
 * waits for it.
 */
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/delay.h>

static DEFINE_MUTEX(m);
static DECLARE_RWSEM(sem);
static atomic_t step = ATOMIC_INIT(0);
static int order[8];
static atomic_t norder = ATOMIC_INIT(0);
static struct task_struct *owner_seen;
static int readers_inside;
static int max_readers_inside;

static void log_event(int ev)
{
	order[atomic_inc_return(&norder) - 1] = ev;
}

static int mutex_waiter(void *unused)
{
	atomic_set(&step, 1);
	mutex_lock(&m);			/* sleeps: main holds it */
	owner_seen = m.owner;
	log_event(2);
	mutex_unlock(&m);
	return owner_seen == current ? 0 : 1;
}

static int reader(void *arg)
{
	down_read(&sem);
	readers_inside++;
	if (readers_inside > max_readers_inside)
		max_readers_inside = readers_inside;
	msleep(20);
	log_event((int)(long)arg);
	readers_inside--;
	up_read(&sem);
	return 0;
}

static int writer(void *unused)
{
	down_write(&sem);
	log_event(20);
	msleep(5);
	up_write(&sem);
	return 0;
}

int main(void)
{
	struct task_struct *t, *r1, *r2, *w, *r3;
	int ret, bad = 0;

	/* mutex */
	mutex_lock(&m);
	t = kthread_run_on_cpu(mutex_waiter, NULL, 1, "mutex_waiter/%u");
	while (!atomic_read(&step))
		cpu_relax();
	msleep(10);			/* the waiter is asleep in mutex_lock() meanwhile */
	hmemu_mark("unlock");
	log_event(1);
	mutex_unlock(&m);
	ret = kthread_stop(t);
	bad += ret != 0 || order[0] != 1 || order[1] != 2 || mutex_is_locked(&m);

	/* rwsem: readers 11 and 12 share it, writer 20 waits, reader 13 queues behind it */
	atomic_set(&norder, 0);
	hmemu_mark("rwsem");
	r1 = kthread_run(reader, (void *)11, "reader1");
	r2 = kthread_run(reader, (void *)12, "reader2");
	msleep(5);
	w = kthread_run(writer, NULL, "writer");
	msleep(5);
	r3 = kthread_run(reader, (void *)13, "reader3");
	kthread_stop(r1);
	kthread_stop(r2);
	kthread_stop(w);
	kthread_stop(r3);
	bad += max_readers_inside != 2 || order[2] != 20 || order[3] != 13 || rwsem_is_locked(&sem);
	pr_info("mutex_sleep: order %d %d %d %d, max readers %d: %s\n", order[0], order[1], order[2],
		order[3], max_readers_inside, bad ? "FAIL" : "OK");
	return bad;
}
