// SPDX-License-Identifier: MIT
/*
 * The classic kmap_lock hard lockup. CPU 1 disables interrupts and then takes
 * kmap_lock (kmap_flush_unused(), which does not sleep); meanwhile CPU 0's kmap() wraps the pkmap pool and, holding kmap_lock,
 * flushes every CPU's TLB with on_each_cpu(..., wait=1). CPU 1 spins on
 * kmap_lock with interrupts off and never takes CPU 0's IPI; CPU 0 waits for
 * that IPI for ever. Linux's NMI watchdog reports "Watchdog detected hard
 * LOCKUP on cpu 1"; the run must end that way. With one CPU there is no
 * lockup, and the test BUG()s instead so that its expectation still holds.
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>
#include <hmemu/test.h>

HMEMU_EXPECT_STOP(bug);
HMEMU_EXPECT_FINDING(bug);

#define SPIN_LOOPS	100000

static DECLARE_COMPLETION(irqs_off);

static int cpu1_fn(void *data)
{
	volatile unsigned int i, sink = 0;

	local_irq_disable();
	complete(&irqs_off);
	for (i = 0; i < SPIN_LOOPS; i++)
		sink += i;
	kmap_flush_unused();	/* kmap_lock is held by CPU 0, waiting for our IPI */
	local_irq_enable();
	return 0;
}

int main(void)
{
	unsigned int i, last = hmemu_last_pkmap();
	struct page *page = alloc_page(GFP_HIGHUSER);

	if (!page)
		return 1;
	if (num_online_cpus() < 2) {
		pr_err("irqs_off_lockup: needs 2 CPUs\n");
		BUG();
	}
	/* bring the pkmap cursor to the last slot (distinct pages, kept): the next fresh kmap() wraps */
	for (i = 1; i < last; i++) {
		struct page *p = alloc_page(GFP_HIGHUSER);

		if (!p)
			return 1;
		kmap(p);
		kunmap(p);
	}
	if (IS_ERR(kthread_run_on_cpu(cpu1_fn, NULL, 1, "irqs_off/1")))
		return 1;
	wait_for_completion(&irqs_off);
	kmap(page);		/* wraps: flush_all_zero_pkmaps() -> on_each_cpu() under kmap_lock */
	kunmap(page);
	pr_err("irqs_off_lockup: no lockup\n");
	return 1;
}
