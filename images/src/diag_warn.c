// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* Diagnostics: warn. The guest's own WARN_ON (FIXED: its condition is false). */
#include <linux/bug.h>
#include <linux/printk.h>

static volatile int state = 2;

static noinline __attribute__((noipa)) void check(int want)
{
	WARN_ON(state != want);
}

int main(void)
{
#ifdef FIXED
	check(2);
#else
	check(1);
#endif
	return 0;
}
