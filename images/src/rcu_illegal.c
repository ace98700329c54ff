// SPDX-License-Identifier: MIT
/*
 * synchronize_rcu() inside an RCU read-side critical section: lockdep's
 * "suspicious RCU usage" report for kernel/rcu/tree.c:3577, then the sleep in
 * atomic context (might_sleep in wait_for_completion, then "scheduling while
 * atomic" when it sleeps). The grace period still ends: the sleep is a
 * context switch.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>

struct cfg {
	int value;
};

static struct cfg __rcu *current_cfg;

int main(void)
{
	struct cfg *old, *new = kzalloc(sizeof(*new), GFP_KERNEL);
	int v;

	old = kzalloc(sizeof(*old), GFP_KERNEL);
	old->value = 1;
	new->value = 2;
	rcu_assign_pointer(current_cfg, old);

	rcu_read_lock();
	v = rcu_dereference(current_cfg)->value;
	rcu_assign_pointer(current_cfg, new);
	hmemu_mark("sync_in_reader");
	synchronize_rcu();		/* the bug */
	hmemu_mark("after_sync");
	rcu_read_unlock();

	kfree(old);
	pr_info("rcu_illegal: read %d, now %d\n", v, rcu_access_pointer(current_cfg)->value);
	kfree(new);
	return v == 1 ? 0 : 1;
}
