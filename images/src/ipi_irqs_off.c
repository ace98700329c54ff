// SPDX-License-Identifier: MIT
/*
 * A TLB-flush IPI to a CPU whose interrupts are off stays pending until it turns
 * them on. CPU 1 disables interrupts, tells CPU 0 (a completion), spins for a
 * while and records the clock just before local_irq_enable(). CPU 0 then flushes
 * the pkmap area (kmap_flush_unused() with an unused slot: on_each_cpu with
 * wait=1): its IPI to CPU 1 can only complete after CPU 1's local_irq_enable(),
 * so CPU 0 is back no earlier than that. Needs 2 CPUs; on 1 CPU there is nobody
 * to interrupt and it only checks that the flush works.
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>
#include <asm/msr.h>

#define SPIN_LOOPS	200000

static DECLARE_COMPLETION(irqs_off);
static DECLARE_COMPLETION(done);
static u64 t_enable;

static int irqs_off_fn(void *data)
{
	volatile unsigned int i, sink = 0;

	local_irq_disable();
	complete(&irqs_off);
	for (i = 0; i < SPIN_LOOPS; i++)
		sink += i;
	t_enable = rdtsc();
	local_irq_enable();
	complete(&done);
	return 0;
}

int main(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	u64 t_send, t_back;
	bool ok;

	if (!page)
		return 1;
	kmap(page);
	kunmap(page); /* leaves one unused (count 1) slot for kmap_flush_unused() to flush */
	if (num_online_cpus() < 2) {
		kmap_flush_unused();
		__free_page(page);
		pr_info("ipi_irqs_off: one CPU, nothing to wait for: OK\n");
		return 0;
	}
	if (IS_ERR(kthread_run_on_cpu(irqs_off_fn, NULL, 1, "irqs_off/1")))
		return 1;
	wait_for_completion(&irqs_off);
	t_send = rdtsc();
	kmap_flush_unused();
	t_back = rdtsc();
	wait_for_completion(&done);
	__free_page(page);
	ok = t_back > t_enable && t_enable > t_send;
	pr_info("ipi_irqs_off: send %llu, cpu1 irqs on %llu, back %llu: %s\n", t_send, t_enable, t_back,
		ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
