// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: kmap_local_leak. A kthread returns with a kmap_local_page()
 * mapping still on its stack (FIXED unmaps it).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/completion.h>

static struct page *page;
static DECLARE_COMPLETION(done);

static noinline void fill(void)
{
	char *v = kmap_local_page(page);

	v[0] = 1;
#ifdef FIXED
	kunmap_local(v);
#endif
}

static int worker(void *unused)
{
	(void)unused;
	fill();
	complete(&done);
	return 0;
}

int main(void)
{
	page = alloc_page(GFP_HIGHUSER);
	kthread_run(worker, NULL, "worker");
	wait_for_completion(&done);
	msleep(1);
	__free_page(page);
	return 0;
}
