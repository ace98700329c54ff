// SPDX-License-Identifier: MIT
/*
 * mutex_lock() inside kmap_atomic(): mutex_lock() may sleep and kmap_atomic()
 * disabled preemption, so might_sleep() in mutex_lock() reports "BUG: sleeping
 * function called from invalid context at kernel/locking/mutex.c:283". The
 * mutex is free, so nothing actually sleeps and the image unwinds cleanly.
 */
#include <linux/highmem.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(lock);

int main(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	u32 *p;
	bool owned;

	if (!page)
		return 1;
	p = kmap_atomic(page);
	hmemu_mark("mutex_in_atomic");
	mutex_lock(&lock);
	hmemu_mark("after_mutex_lock");
	owned = lock.owner == current;
	p[0] = 1;
	mutex_unlock(&lock);
	kunmap_atomic(p);
	__free_page(page);
	pr_info("mutex_atomic: owner was current: %s, locked after unlock: %d, preempt_count %d\n",
		owned ? "yes" : "no", mutex_is_locked(&lock), preempt_count());
	return owned && !mutex_is_locked(&lock) && preempt_count() == 0 ? 0 : 1;
}
