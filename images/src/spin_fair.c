// SPDX-License-Identifier: MIT
/*
 * One spinlock, one kthread per CPU. CPU c arrives at spin_lock() after a busy
 * loop that is shorter for higher c, so the CPUs arrive in the reverse order of
 * their ids while the first holder keeps the lock for a long time. A queued
 * spinlock serves them in arrival (clock) order. Each CPU records its clock
 * before spin_lock() and once it holds the lock; main checks the order and
 * prints the waits, which the host compares with the spin cycles it charged.
 */
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/spinlock.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>
#include <asm/msr.h>

#define STEP_LOOPS	2000
#define HOLD_LOOPS	20000

static DEFINE_SPINLOCK(fair_lock);
static u64 arrived[NR_CPUS], acquired[NR_CPUS];
static unsigned int order[NR_CPUS], next_slot, ncpus;
static struct completion done[NR_CPUS];

static int fair_fn(void *data)
{
	unsigned int cpu = (unsigned long)data;
	volatile unsigned int i, sink = 0;

	for (i = 0; i < STEP_LOOPS * (ncpus - cpu); i++)
		sink += i;
	arrived[cpu] = rdtsc();
	spin_lock(&fair_lock);
	acquired[cpu] = rdtsc();
	order[next_slot++] = cpu;
	for (i = 0; i < HOLD_LOOPS; i++)
		sink += i;
	spin_unlock(&fair_lock);
	complete(&done[cpu]);
	return 0;
}

int main(void)
{
	unsigned int cpu, i, bad = 0;

	ncpus = num_online_cpus();
	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	for (cpu = 0; cpu < ncpus; cpu++)
		init_completion(&done[cpu]);
	for (cpu = 0; cpu < ncpus; cpu++)
		if (IS_ERR(kthread_run_on_cpu(fair_fn, (void *)(unsigned long)cpu, cpu, "fair/%u")))
			return 1;
	for (cpu = 0; cpu < ncpus; cpu++)
		wait_for_completion(&done[cpu]);
	for (i = 0; i < ncpus; i++) {
		cpu = order[i];
		pr_info("spin_fair: #%u cpu %u arrived %llu acquired %llu waited %llu\n", i, cpu, arrived[cpu],
			acquired[cpu], acquired[cpu] - arrived[cpu]);
		if (i > 0 && arrived[cpu] < arrived[order[i - 1]])
			bad++;
	}
	pr_info("spin_fair: %s\n", bad ? "FAIL: not in arrival order" : "OK: acquired in arrival order");
	return bad ? 1 : 0;
}
