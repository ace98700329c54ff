// SPDX-License-Identifier: MIT
/*
 * Misuse the checkers must catch at exit: a highmem page left kmap()ed (no kunmap)
 * and a page never freed. main still returns 0; hmemu reports two leaks (exit 3).
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu/test.h>

HMEMU_EXPECT_FINDING(kmap_leak);
HMEMU_EXPECT_FINDING(page_leak);

int main(void)
{
	struct page *kept = alloc_page(GFP_HIGHUSER);
	struct page *lost = alloc_page(GFP_KERNEL);
	char *p;

	if (!kept || !lost)
		return 1;
	p = kmap(kept);
	p[0] = 1;
	pr_info("leak_check: leaving %p kmap()ed and a lowmem page allocated\n", p);
	return 0;
}
