// SPDX-License-Identifier: MIT
/*
 * A printk flood: far more console text than any report keeps. hmemu must stream it,
 * keep only a bounded tail for the report, and end within its limits.
 */
#include <linux/printk.h>

int main(void)
{
	unsigned int i;

	for (i = 0; ; i++)
		pr_info("printk_flood: line %u of a flood that never ends, padded to make it long: "
			"0123456789abcdef0123456789abcdef0123456789abcdef\n", i);
	return 0;
}
