// SPDX-License-Identifier: MIT
/*
 * Page-allocator workload (used by `hmemu bench`): one kthread per online CPU
 * allocates 4096 highmem pages one at a time, maps each with kmap() and with
 * kmap_local_page(), writes and reads it back, then frees them all. The cost
 * is dominated by alloc_page()/__free_page(): with an O(1) allocator it does
 * not depend on the size of memory (--mem).
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

#define PAGES_PER_CPU	4096

struct worker {
	unsigned int cpu;
	unsigned int errors;
	struct page *pages[PAGES_PER_CPU];
	struct completion done;
};

static struct worker workers[NR_CPUS];

static int worker_fn(void *data)
{
	struct worker *w = data;
	unsigned int i;

	for (i = 0; i < PAGES_PER_CPU; i++) {
		struct page *page = alloc_page(GFP_HIGHUSER);
		u32 *p;

		if (!page) {
			w->errors++;
			break;
		}
		w->pages[i] = page;
		p = kmap(page);
		p[0] = w->cpu * PAGES_PER_CPU + i;
		kunmap(page);
		p = kmap_local_page(page);
		if (p[0] != w->cpu * PAGES_PER_CPU + i)
			w->errors++;
		kunmap_local(p);
	}
	while (i--)
		__free_page(w->pages[i]);
	complete(&w->done);
	return 0;
}

int main(void)
{
	unsigned int ncpus = num_online_cpus(), cpu, errors = 0;

	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	hmemu_mark("alloc");
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct task_struct *t;

		workers[cpu].cpu = cpu;
		init_completion(&workers[cpu].done);
		t = kthread_run_on_cpu(worker_fn, &workers[cpu], cpu, "alloc_stress/%u");
		if (IS_ERR(t))
			return 1;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		wait_for_completion(&workers[cpu].done);
		errors += workers[cpu].errors;
	}
	hmemu_mark("end");
	pr_info("alloc_stress: %u CPUs x %u pages, %u errors\n", ncpus, PAGES_PER_CPU, errors);
	return errors != 0;
}
