// SPDX-License-Identifier: MIT
/*
 * main executes hlt instead of returning: with no interrupts the CPU would halt for
 * good. hmemu must say exactly that, not report a return value main never returned.
 */
#include <linux/printk.h>

int main(void)
{
	pr_info("hlt_main: halting\n");
	asm volatile("hlt");
	pr_info("hlt_main: not reached\n");
	return 0;
}
