// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: local_mapping_cross_context (run on 2 CPUs). main maps a page
 * with kmap_local_page() on CPU 0 and hands the address to a kthread on CPU 1,
 * which reads it (FIXED: the kthread gets the struct page and maps it itself).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/printk.h>
#include <hmemu.h>

static struct page *page;
static char *volatile shared;
static volatile int got = -1;
static volatile int finished;

static noinline int peek(void)
{
#ifdef FIXED
	char *v = kmap_local_page(page);
	int x = v[0];

	kunmap_local(v);
	return x;
#else
	return shared[0];
#endif
}

static int reader(void *unused)
{
	(void)unused;
	got = peek();
	finished = 1;
	return 0;
}

static noinline void hand_off(void)
{
	char *v = kmap_local_page(page);

	v[0] = 42;
	shared = v;
	kthread_run_on_cpu(reader, NULL, 1, "reader/%u");
	while (!finished)
		cpu_relax();
	kunmap_local(v);
}

int main(void)
{
	page = alloc_page(GFP_HIGHUSER);
	hand_off();
	pr_info("diag_cross_context: reader got %d\n", got);
	__free_page(page);
	return 0;
}
