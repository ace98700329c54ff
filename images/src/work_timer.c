// SPDX-License-Identifier: MIT
/*
 * Workqueues and timers: a work item runs on a kworker (schedule_work +
 * flush_work, then queue_work_on a chosen CPU); a timer fires in softirq
 * context about 20 ms after mod_timer; a timer deleted while pending never
 * fires.
 */
#include <linux/workqueue.h>
#include <linux/timer.h>
#include <linux/jiffies.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/sched.h>
#include <linux/printk.h>
#include <hmemu.h>

struct my_work {
	struct work_struct work;
	int ran_on;
	int runs;
	char comm[TASK_COMM_LEN];
};

struct my_timer {
	struct timer_list timer;
	unsigned long fired_at;
	bool in_softirq;
	int fires;
	struct completion done;
};

static struct my_work w1, w2;
static struct my_timer t1, t2;

static void work_fn(struct work_struct *work)
{
	struct my_work *w = container_of(work, struct my_work, work);

	w->ran_on = smp_processor_id();
	w->runs++;
	memcpy(w->comm, current->comm, TASK_COMM_LEN);
}

static void timer_fn(struct timer_list *t)
{
	struct my_timer *mt = from_timer(mt, t, timer);

	mt->fired_at = jiffies;
	mt->in_softirq = in_serving_softirq() != 0;
	mt->fires++;
	complete(&mt->done);
}

int main(void)
{
	unsigned int target = num_online_cpus() > 1 ? 1 : 0;
	unsigned long start, expires;
	bool ok = true, queued;
	int was_pending;

	INIT_WORK(&w1.work, work_fn);
	queued = schedule_work(&w1.work);
	flush_work(&w1.work);
	pr_info("work_timer: schedule_work queued=%d, ran %d time(s) on CPU %d in \"%s\"\n",
		queued, w1.runs, w1.ran_on, w1.comm);
	ok &= queued && w1.runs == 1;

	INIT_WORK(&w2.work, work_fn);
	queued = queue_work_on(target, system_wq, &w2.work);
	flush_work(&w2.work);
	pr_info("work_timer: queue_work_on(%u) queued=%d, ran %d time(s) on CPU %d\n",
		target, queued, w2.runs, w2.ran_on);
	ok &= queued && w2.runs == 1 && w2.ran_on == (int)target;

	timer_setup(&t1.timer, timer_fn, 0);
	init_completion(&t1.done);
	start = jiffies;
	expires = start + msecs_to_jiffies(20);
	was_pending = mod_timer(&t1.timer, expires);
	wait_for_completion(&t1.done);
	pr_info("work_timer: timer armed at jiffies %lu for %lu, fired at %lu (softirq %d, pending before %d)\n",
		start, expires, t1.fired_at, t1.in_softirq, was_pending);
	ok &= t1.fires == 1 && time_after_eq(t1.fired_at, expires) && !was_pending;

	timer_setup(&t2.timer, timer_fn, 0);
	init_completion(&t2.done);
	mod_timer(&t2.timer, jiffies + msecs_to_jiffies(1000));
	was_pending = del_timer_sync(&t2.timer);
	msleep(20);
	pr_info("work_timer: deleted timer: was pending %d, fired %d time(s)\n",
		was_pending, t2.fires);
	ok &= was_pending == 1 && t2.fires == 0;

	pr_info("work_timer: %s\n", ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
