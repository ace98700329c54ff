// SPDX-License-Identifier: MIT
/*
 * A wild struct page pointer handed to kmap(): hmemu stops with an oops-style report
 * that names the bad pointer (exit 4), not a host crash.
 */
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu/test.h>

HMEMU_EXPECT_STOP(oops);

int main(void)
{
	struct page *wild = (struct page *)0xdeadbee0;

	pr_info("wild_pointer: kmap(%p)\n", wild);
	kmap(wild);
	pr_info("wild_pointer: not reached\n");
	return 0;
}
