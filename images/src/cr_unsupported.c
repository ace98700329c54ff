// SPDX-License-Identifier: MIT
/*
 * Turns paging off (clears CR0.PG): hmemu does not model a kernel leaving paging, so the
 * run must stop with a report naming the instruction, never carry on silently.
 */
#include <linux/printk.h>

int main(void)
{
	unsigned long cr0;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	pr_info("cr_unsupported: clearing CR0.PG (cr0 %08lx)\n", cr0);
	asm volatile("mov %0, %%cr0" : : "r"(cr0 & ~0x80000000UL) : "memory");
	pr_info("cr_unsupported: not reached\n");
	return 0;
}
