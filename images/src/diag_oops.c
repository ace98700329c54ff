// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: oops. A read through a pointer into an unmapped page (FIXED:
 * through a valid one).
 */
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/printk.h>

static int *volatile target;

static noinline __attribute__((noipa)) int read_it(int *p)
{
	volatile int v = *p;	/* a local keeps the frame set up at the load */

	return v + 1;
}

int main(void)
{
#ifdef FIXED
	target = kmalloc(sizeof(int), GFP_KERNEL);
	*target = 1;
#else
	target = (int *)0x00000010;
#endif
	pr_info("diag_oops: %d\n", read_it(target));
	return 0;
}
