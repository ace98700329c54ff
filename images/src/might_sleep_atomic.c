// SPDX-License-Identifier: MIT
/*
 * kmap() inside kmap_atomic(): kmap() may sleep, and kmap_atomic() has
 * disabled preemption, so might_sleep() in kmap() reports
 * "BUG: sleeping function called from invalid context" (in_atomic(): 1,
 * preempt_count: 1, expected: 0). It is a report, not a stop: a free pkmap
 * slot exists, kmap() does not actually sleep, and the image unwinds cleanly.
 */
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu.h>
#include <hmemu/test.h>

HMEMU_EXPECT_FINDING(sleep_in_atomic);

int main(void)
{
	struct page *outer = alloc_page(GFP_HIGHUSER);
	struct page *inner = alloc_page(GFP_HIGHUSER);
	u32 *a, *k;
	bool ok;

	if (!outer || !inner) {
		pr_err("might_sleep_atomic: out of pages\n");
		return 1;
	}

	a = kmap_atomic(outer);
	pr_info("might_sleep_atomic: in kmap_atomic (preempt_count %d); calling kmap()\n",
		preempt_count());
	hmemu_mark("kmap_in_atomic");
	k = kmap(inner);
	hmemu_mark("after_kmap");
	pr_info("might_sleep_atomic: kmap() returned %px\n", k);
	k[0] = 0x51ee9;
	a[0] = k[0];
	kunmap(inner);
	kunmap_atomic(a);

	a = kmap_local_page(outer);
	ok = a[0] == 0x51ee9;
	kunmap_local(a);
	__free_page(inner);
	__free_page(outer);

	pr_info("might_sleep_atomic: unwound, preempt_count %d: %s\n", preempt_count(),
		ok && preempt_count() == 0 ? "OK" : "FAIL");
	return ok && preempt_count() == 0 ? 0 : 1;
}
