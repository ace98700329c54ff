// SPDX-License-Identifier: MIT
/*
 * RCU grace periods and callbacks (kernel/rcu/tree.c, update.c; v6.1 semantics
 * without CONFIG_PREEMPT_RCU). See <linux/rcupdate.h>.
 *
 * A grace period started on CPU c ends when every other online CPU has run a
 * work item queued to it after the start: its kworker can only run once the
 * CPU has left any read-side section (they are preempt-disabled) and
 * scheduled. CPU c itself is quiescent: the grace-period code runs there in
 * task context, outside any read-side section.
 */
#include <hmemu.h>
#include <linux/list.h>
#include <linux/rcupdate.h>

#define TREE_C			"kernel/rcu/tree.c"
#define COMPLETION_C		"kernel/sched/completion.c"
#define SYNCHRONIZE_RCU_LINE	3577	/* RCU_LOCKDEP_WARN in synchronize_rcu() */
#define WAIT_FOR_COMMON_LINE	101	/* might_sleep() in __wait_for_common() */

int __hm_rcu_nesting[CONFIG_NR_CPUS];

/* Callbacks waiting for a grace period (FIFO), and the work that runs them. */
static DEFINE_SPINLOCK(rcu_cb_lock);
static struct callback_head *rcu_cb_head;
static struct callback_head **rcu_cb_tail = &rcu_cb_head;
static void rcu_gp_work_fn(struct work_struct *work);
static DECLARE_WORK(rcu_gp_work, rcu_gp_work_fn);
static bool rcu_gp_running;

struct rcu_qs {
	struct work_struct work;
	atomic_t *left;
	struct completion *all;
};

static void rcu_qs_fn(struct work_struct *work)
{
	struct rcu_qs *qs = container_of(work, struct rcu_qs, work);

	if (atomic_dec_and_test(qs->left))
		complete(qs->all);
}

/* One grace period, from task context on this CPU (sleeps). */
static void rcu_wait_for_quiescent_states(void)
{
	struct rcu_qs qs[CONFIG_NR_CPUS];
	DECLARE_COMPLETION_ONSTACK(all);
	atomic_t left;
	int self = smp_processor_id(), n = num_online_cpus(), cpu;

	atomic_set(&left, 1);
	for (cpu = 0; cpu < n; cpu++) {
		if (cpu == self)
			continue;
		INIT_WORK(&qs[cpu].work, rcu_qs_fn);
		qs[cpu].left = &left;
		qs[cpu].all = &all;
		atomic_inc(&left);
		queue_work_on(cpu, system_wq, &qs[cpu].work);
	}
	if (!atomic_dec_and_test(&left))
		wait_for_completion(&all);
	for (cpu = 0; cpu < n; cpu++)	/* the kworkers are done with qs[] before it goes */
		if (cpu != self)
			flush_work(&qs[cpu].work);
}

static void rcu_gp_work_fn(struct work_struct *work)
{
	struct callback_head *list, *next;

	(void)work;
	for (;;) {
		spin_lock(&rcu_cb_lock);
		list = rcu_cb_head;
		rcu_cb_head = NULL;
		rcu_cb_tail = &rcu_cb_head;
		rcu_gp_running = list != NULL;
		spin_unlock(&rcu_cb_lock);
		if (!list)
			return;
		rcu_wait_for_quiescent_states();
		for (; list; list = next) {
			unsigned long offset = (unsigned long)list->func;

			next = list->next;
			if (offset < 4096)
				kfree((char *)list - offset);
			else
				list->func(list);
		}
	}
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	unsigned long flags;

	head->func = func;
	head->next = NULL;
	spin_lock_irqsave(&rcu_cb_lock, flags);
	*rcu_cb_tail = head;
	rcu_cb_tail = &head->next;
	spin_unlock_irqrestore(&rcu_cb_lock, flags);
	queue_work_on(0, system_wq, &rcu_gp_work);
}

struct rcu_synchronize {
	struct rcu_head head;
	struct completion completion;
};

static void wakeme_after_rcu(struct rcu_head *head)
{
	struct rcu_synchronize *rcu = container_of(head, struct rcu_synchronize, head);

	complete(&rcu->completion);
}

void lockdep_rcu_suspicious(const char *file, const int line, const char *s)
{
	struct task_struct *curr = current;
	int held = __hm_rcu_nesting[smp_processor_id()], i;

	pr_warn("\n");
	pr_warn("=============================\n");
	pr_warn("WARNING: suspicious RCU usage\n");
	pr_warn("6.1.0-hmemu #1 Not tainted\n");
	pr_warn("-----------------------------\n");
	pr_warn("%s:%d %s!\n", file, line, s);
	pr_warn("\nother info that might help us debug this:\n\n");
	pr_warn("\nrcu_scheduler_active = %d, debug_locks = %d\n", 2, 1);
	if (held)
		pr_warn("%d lock%s held by %s/%d:\n", held, held > 1 ? "s" : "", curr->comm, curr->pid);
	else
		pr_warn("no locks held by %s/%d.\n", curr->comm, curr->pid);
	for (i = 0; i < held; i++)
		pr_warn(" #%d: (rcu_read_lock){....}-{1:2}\n", i);
	pr_warn("\nstack backtrace:\n");
	pr_warn("CPU: %d PID: %d Comm: %s Not tainted 6.1.0-hmemu #1\n", smp_processor_id(),
		curr->pid, curr->comm);
}

void synchronize_rcu(void)
{
	static bool warned;
	struct rcu_synchronize rs;
	int cpu = smp_processor_id();
	int nesting = __hm_rcu_nesting[cpu];

	if (nesting > 0 && !warned) {
		warned = true;
		lockdep_rcu_suspicious(TREE_C, SYNCHRONIZE_RCU_LINE,
				       "Illegal synchronize_rcu() in RCU read-side critical section");
	}
	/* wait_rcu_gp(call_rcu) */
	init_completion(&rs.completion);
	call_rcu(&rs.head, wakeme_after_rcu);
	__might_sleep(COMPLETION_C, WAIT_FOR_COMMON_LINE);
	/* A reader that sleeps here (a bug, reported above) may wake on another CPU. */
	__hm_rcu_nesting[cpu] -= nesting;
	wait_for_completion(&rs.completion);
	__hm_rcu_nesting[smp_processor_id()] += nesting;
}

void rcu_barrier(void)
{
	bool busy;

	might_sleep();
	do {
		flush_work(&rcu_gp_work);
		spin_lock(&rcu_cb_lock);
		busy = rcu_cb_head != NULL || rcu_gp_running;
		spin_unlock(&rcu_cb_lock);
	} while (busy);
}

/* kfree_rcu(): func carries the offset of the rcu_head (below 4096, as upstream's old __is_kfree_rcu_offset). */
void __hm_kfree_rcu(struct rcu_head *head, unsigned long offset)
{
	call_rcu(head, (rcu_callback_t)offset);
}
