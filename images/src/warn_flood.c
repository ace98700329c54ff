// SPDX-License-Identifier: MIT
/*
 * WARN_ON() that fires forever: findings are capped with a count of the rest, the
 * console keeps a bounded tail, and the run ends at its limit with a complete report.
 */
#include <linux/bug.h>
#include <linux/printk.h>

int main(void)
{
	volatile int always = 1;

	for (;;)
		WARN_ON(always);
	return 0;
}
