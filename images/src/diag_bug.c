// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* Diagnostics: bug. The guest's own BUG_ON (FIXED: its condition is false). */
#include <linux/bug.h>

static volatile int refs;

static noinline void put_ref(void)
{
	BUG_ON(refs <= 0);
	refs--;
}

int main(void)
{
#ifdef FIXED
	refs = 1;
#endif
	put_ref();
	return 0;
}
