// SPDX-License-Identifier: MIT
/*
 * hmemu_mark() with a new label every time: the phase table must stay bounded (a count
 * of the marks not kept) and the report quick to write.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <hmemu.h>

int main(void)
{
	char label[32];
	unsigned int i;

	for (i = 0; i < 50000; i++) {
		snprintf(label, sizeof(label), "phase-%u", i);
		hmemu_mark(label);
	}
	pr_info("mark_flood: done\n");
	return 0;
}
