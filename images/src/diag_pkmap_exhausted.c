// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: pkmap_exhausted. main kmap()s LAST_PKMAP distinct highmem pages
 * and never kunmap()s them, then one kthread per CPU kmap()s one more page:
 * every kmap() sleeps for a slot that never comes. FIXED unmaps each page
 * after use.
 */
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/printk.h>
#include <hmemu.h>

#define MAX_PAGES 1024

static struct page *pages[MAX_PAGES + NR_CPUS];
static struct completion done[NR_CPUS];

static noinline void hold(struct page *p)
{
	char *v = kmap(p);

	v[0] = 1;
#ifdef FIXED
	kunmap(p);
#endif
}

static int one_more(void *data)
{
	unsigned int cpu = (unsigned int)(unsigned long)data;

	hold(pages[hmemu_last_pkmap() + cpu]);
	complete(&done[cpu]);
	return 0;
}

int main(void)
{
	unsigned int n = hmemu_last_pkmap(), ncpus = num_online_cpus(), i;

	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	for (i = 0; i < n + ncpus; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i])
			return 1;
	}
	for (i = 0; i < n; i++)
		hold(pages[i]);
	pr_info("diag_pkmap_exhausted: %u pages kmap()ed\n", n);
	for (i = 0; i < ncpus; i++) {
		init_completion(&done[i]);
		kthread_run_on_cpu(one_more, (void *)(unsigned long)i, i, "one_more/%u");
	}
	for (i = 0; i < ncpus; i++)
		wait_for_completion(&done[i]);
	for (i = 0; i < n + ncpus; i++)
		__free_page(pages[i]);
	return 0;
}
