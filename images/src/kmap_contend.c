// SPDX-License-Identifier: MIT
/*
 * kmap_lock contention: one kthread per online CPU maps and unmaps highmem pages
 * with kmap()/kunmap() in a tight loop (one word read and written per mapping).
 * Every CPU takes kmap_lock twice per page and the pkmap pool wraps every 511
 * fresh mappings, each wrap flushing every CPU's TLB while the lock is held, so
 * the CPUs contend for the lock all the time. The counts (kmaps, wraps, IPIs,
 * contentions, spin cycles) and the elapsed cycles must not depend on --quantum.
 */
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/smp.h>
#include <linux/printk.h>
#include <hmemu.h>

#define PAGES_PER_CPU	64
#define ROUNDS		4

struct worker {
	struct page *pages[PAGES_PER_CPU];
	unsigned int cpu;
	unsigned int bad;
	struct completion done;
};

static struct worker workers[NR_CPUS];

static int worker_fn(void *data)
{
	struct worker *w = data;
	unsigned int r, i;

	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < PAGES_PER_CPU; i++) {
			u32 *p = kmap(w->pages[i]);

			if (p[0] != w->cpu * 1000 + i + r)
				w->bad++;
			p[0] = w->cpu * 1000 + i + r + 1;
			kunmap(w->pages[i]);
		}
	}
	complete(&w->done);
	return 0;
}

int main(void)
{
	unsigned int ncpus = num_online_cpus(), cpu, i, bad = 0;

	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct worker *w = &workers[cpu];

		w->cpu = cpu;
		init_completion(&w->done);
		for (i = 0; i < PAGES_PER_CPU; i++) {
			u32 *p;

			w->pages[i] = alloc_page(GFP_HIGHUSER);
			if (!w->pages[i]) {
				pr_err("kmap_contend: out of pages\n");
				return 1;
			}
			p = kmap_local_page(w->pages[i]);
			p[0] = cpu * 1000 + i;
			kunmap_local(p);
		}
	}
	hmemu_mark("contend");
	for (cpu = 0; cpu < ncpus; cpu++) {
		if (IS_ERR(kthread_run_on_cpu(worker_fn, &workers[cpu], cpu, "kmap_contend/%u"))) {
			pr_err("kmap_contend: cannot start a worker on cpu %u\n", cpu);
			return 1;
		}
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		wait_for_completion(&workers[cpu].done);
		bad += workers[cpu].bad;
	}
	hmemu_mark("end");
	for (cpu = 0; cpu < ncpus; cpu++)
		for (i = 0; i < PAGES_PER_CPU; i++)
			__free_page(workers[cpu].pages[i]);
	pr_info("kmap_contend: %u CPUs x %u kmaps, %u bad words\n", ncpus, PAGES_PER_CPU * ROUNDS, bad);
	return bad ? 1 : 0;
}
