// SPDX-License-Identifier: MIT
/*
 * One kthread per online CPU: each says hello with its CPU number and bumps a
 * spinlock-protected counter. main returns 0 iff every thread ran on the CPU
 * it was bound to and the counter equals num_online_cpus().
 */
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/spinlock.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

struct hello {
	unsigned int cpu;
	int ran_on;
	struct completion done;
};

static DEFINE_SPINLOCK(counter_lock);
static unsigned int counter;
static struct hello hellos[NR_CPUS];

static int hello_fn(void *data)
{
	struct hello *h = data;
	unsigned long flags;

	h->ran_on = smp_processor_id();
	pr_info("smp_hello: hello from CPU %d (%s, pid %d)\n",
		h->ran_on, current->comm, current->pid);

	spin_lock_irqsave(&counter_lock, flags);
	counter++;
	spin_unlock_irqrestore(&counter_lock, flags);

	complete(&h->done);
	return 0;
}

int main(void)
{
	unsigned int ncpus = num_online_cpus(), cpu;
	bool ok = true;

	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	pr_info("smp_hello: %u online CPUs\n", ncpus);

	for (cpu = 0; cpu < ncpus; cpu++) {
		struct task_struct *t;

		hellos[cpu].cpu = cpu;
		hellos[cpu].ran_on = -1;
		init_completion(&hellos[cpu].done);
		t = kthread_run_on_cpu(hello_fn, &hellos[cpu], cpu, "hello/%u");
		if (IS_ERR(t)) {
			pr_err("smp_hello: cannot start a thread on CPU %u\n", cpu);
			return 1;
		}
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		wait_for_completion(&hellos[cpu].done);
		if (hellos[cpu].ran_on != (int)cpu) {
			pr_err("smp_hello: thread for CPU %u ran on CPU %d\n",
			       cpu, hellos[cpu].ran_on);
			ok = false;
		}
	}

	spin_lock(&counter_lock);
	pr_info("smp_hello: counter = %u, expected %u\n", counter, ncpus);
	ok = ok && counter == num_online_cpus();
	spin_unlock(&counter_lock);

	pr_info("smp_hello: %s\n", ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
