// SPDX-License-Identifier: MIT
/*
 * A timer whose timer_list lives in a highmem page mapped with kmap_local_page() and
 * unmapped before it fires: when the timer code touches it, the kernel takes a page
 * fault in softirq context. hmemu must print a Linux-style oops on the CPU that ran the
 * timer, naming the task it interrupted, not an internal error.
 */
#include <linux/highmem.h>
#include <linux/timer.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/printk.h>

static void fire(struct timer_list *t)
{
	pr_info("timer_unmapped: fired (not reached)\n");
}

int main(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	struct timer_list *t = kmap_local_page(page);

	timer_setup(t, fire, 0);
	mod_timer(t, jiffies + 1);
	pr_info("timer_unmapped: timer at %p armed, unmapping its page\n", t);
	kunmap_local(t);
	msleep(20);
	pr_info("timer_unmapped: not reached\n");
	return 0;
}
