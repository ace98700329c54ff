// SPDX-License-Identifier: MIT
/*
 * Overflowing the kmap_local stack. KM_MAX_IDX is 16: a task can nest 15
 * kmap_local_page() mappings, and the 16th push hits
 * BUG_ON(idx >= KM_MAX_IDX) in kmap_local_idx_push() ("kernel BUG at
 * mm/highmem.c"). With CONFIG_DEBUG_KMAP_LOCAL (KM_MAX_IDX 33, every other
 * slot a guard) it is the 17th. The run must end in that BUG; reaching the
 * end of main is a failure.
 */
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu.h>
#include <hmemu/test.h>

HMEMU_EXPECT_FINDING(bug);

#define TRIES 17

int main(void)
{
	bool debug = hmemu_boot_info()->flags & HM_BOOT_DEBUG_KMAP_LOCAL;
	struct page *pages[TRIES];
	void *addr[TRIES];
	int i;

	for (i = 0; i < TRIES; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i]) {
			pr_err("kmap_local_overflow: out of pages\n");
			return 1;
		}
	}

	pr_info("kmap_local_overflow: nesting kmap_local_page(); expect a kernel BUG at mapping %d\n",
		debug ? 17 : 16);
	for (i = 0; i < TRIES; i++) {
		pr_info("kmap_local_overflow: mapping %d\n", i + 1);
		addr[i] = kmap_local_page(pages[i]);
	}

	pr_err("kmap_local_overflow: FAIL: %d nested mappings and no BUG\n", TRIES);
	for (i = TRIES - 1; i >= 0; i--)
		kunmap_local(addr[i]);
	return 1;
}
