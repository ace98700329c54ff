// SPDX-License-Identifier: MIT
/*
 * A guest for the gdb stub's tests: globals to print and watch (one of 64 KiB), a
 * function to break in, a highmem page held kmap'd, and a kthread on every other CPU
 * that calls the same function, so each CPU is a thread worth switching to.
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

#define ROUNDS 200

unsigned int big[16384];		/* 64 KiB */
volatile unsigned int watched;
unsigned long kmapped_addr;
unsigned int worker_rounds[NR_CPUS];
static struct completion done[NR_CPUS];

/* Every call stores n in watched: a breakpoint and a watchpoint target. */
noinline void gdb_mark(unsigned int n)
{
	watched = n;
	__asm__ volatile("" ::: "memory");
}

static int worker(void *data)
{
	unsigned int cpu = (unsigned int)(unsigned long)data, i;

	for (i = 0; i < ROUNDS; i++) {
		worker_rounds[cpu]++;
		gdb_mark(1000 * cpu + i);
	}
	complete(&done[cpu]);
	return 0;
}

int main(void)
{
	unsigned int ncpus = num_online_cpus(), cpu, i, sum = 0;
	struct page *page;
	u32 *p;

	for (i = 0; i < 16384; i++)
		big[i] = i * 3;
	page = alloc_page(GFP_HIGHUSER);
	if (!page)
		return 1;
	p = kmap(page);
	for (i = 0; i < 4; i++)
		p[i] = 0xfeed0000 + i;
	kmapped_addr = (unsigned long)p;

	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	for (cpu = 1; cpu < ncpus; cpu++) {
		init_completion(&done[cpu]);
		kthread_run_on_cpu(worker, (void *)(unsigned long)cpu, cpu, "worker/%u");
	}
	for (i = 0; i < ROUNDS; i++)
		gdb_mark(i);	/* gdb_target.c: the main loop's call */
	for (cpu = 1; cpu < ncpus; cpu++)
		wait_for_completion(&done[cpu]);
	for (i = 0; i < 4; i++)
		sum += p[i] - 0xfeed0000;
	kunmap(page);
	__free_page(page);
	pr_info("gdb_target: watched=%u sum=%u big[100]=%u\n", watched, sum, big[100]);
	return sum == 6 ? 0 : 1;
}
