// SPDX-License-Identifier: MIT
/*
 * 300,000 kthreads, created and stopped one at a time: each exited thread's stack must
 * be reused, so creation never runs out of memory while only one thread is alive.
 */
#include <linux/kthread.h>
#include <linux/err.h>
#include <linux/printk.h>

#define NR 300000

static int fn(void *data)
{
	return 7; /* exits at once; kthread_stop() then returns this */
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < NR; i++) {
		struct task_struct *t = kthread_run(fn, NULL, "churn/%u", i);

		if (IS_ERR(t)) {
			pr_err("kthread_churn: creation %u failed: %ld\n", i, PTR_ERR(t));
			return 1;
		}
		if (kthread_stop(t) != 7) {
			pr_err("kthread_churn: thread %u did not exit with 7\n", i);
			return 1;
		}
	}
	pr_info("kthread_churn: %u kthreads created and stopped\n", i);
	return 0;
}
