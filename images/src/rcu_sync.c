// SPDX-License-Identifier: MIT
/*
 * RCU grace periods on 4 CPUs. A reader on CPU 2 holds rcu_read_lock() while
 * main on CPU 0 replaces the pointer and calls synchronize_rcu(): it returns
 * only after the reader has left its critical section. call_rcu() callbacks run
 * after a later grace period; rcu_barrier() waits for them; kfree_rcu() frees.
 */
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/delay.h>

struct item {
	int value;
	struct list_head node;
	struct rcu_head rcu;
};

static struct item __rcu *shared;
static LIST_HEAD(items);
static atomic_t seq = ATOMIC_INIT(0);
static int reader_left_at, sync_returned_at, reader_saw;
static atomic_t reader_in = ATOMIC_INIT(0);
static atomic_t callbacks = ATOMIC_INIT(0);

static int reader(void *unused)
{
	struct item *it;
	unsigned long end;

	rcu_read_lock();
	it = rcu_dereference(shared);
	atomic_set(&reader_in, 1);
	end = jiffies + 10;		/* ~40 ms inside the read-side section */
	while (time_before(jiffies, end))
		cpu_relax();
	reader_saw = it->value;		/* still valid: no grace period has ended */
	reader_left_at = atomic_inc_return(&seq);
	rcu_read_unlock();
	return 0;
}

static void item_free_cb(struct rcu_head *head)
{
	struct item *it = container_of(head, struct item, rcu);

	atomic_inc(&callbacks);
	kfree(it);
}

int main(void)
{
	struct item *a = kzalloc(sizeof(*a), GFP_KERNEL), *b = kzalloc(sizeof(*b), GFP_KERNEL);
	struct item *pos;
	struct task_struct *t;
	int i, sum = 0, bad = 0;

	a->value = 1;
	b->value = 2;
	rcu_assign_pointer(shared, a);
	t = kthread_run_on_cpu(reader, NULL, 2, "rcu_reader/%u");
	while (!atomic_read(&reader_in))
		cpu_relax();
	hmemu_mark("synchronize_rcu");
	rcu_assign_pointer(shared, b);
	synchronize_rcu();
	sync_returned_at = atomic_inc_return(&seq);
	hmemu_mark("after_sync");
	kfree(a);
	kthread_stop(t);
	bad += reader_left_at != 1 || sync_returned_at != 2 || reader_saw != 1;

	/* An RCU list: readers walk it while entries are removed and freed by call_rcu. */
	for (i = 0; i < 8; i++) {
		struct item *it = kzalloc(sizeof(*it), GFP_KERNEL);

		it->value = i;
		list_add_tail_rcu(&it->node, &items);
	}
	rcu_read_lock();
	list_for_each_entry_rcu(pos, &items, node)
		sum += pos->value;
	rcu_read_unlock();
	while (!list_empty(&items)) {
		pos = list_first_entry(&items, struct item, node);
		list_del_rcu(&pos->node);
		call_rcu(&pos->rcu, item_free_cb);
	}
	rcu_barrier();
	bad += sum != 28 || atomic_read(&callbacks) != 8;

	b = rcu_replace_pointer(shared, NULL, true);
	kfree_rcu(b, rcu);
	rcu_barrier();
	pr_info("rcu_sync: reader left %d, synchronize_rcu returned %d, sum %d, callbacks %d: %s\n",
		reader_left_at, sync_returned_at, sum, atomic_read(&callbacks), bad ? "FAIL" : "OK");
	return bad;
}
