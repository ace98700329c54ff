// SPDX-License-Identifier: MIT
/* Calls a function at 0x10000000, an unmapped user address: an instruction-fetch fault. */
#include <linux/printk.h>
#include <hmemu/test.h>

HMEMU_EXPECT_STOP(oops);

int main(void)
{
	void (*fn)(void) = (void (*)(void))0x10000000UL;

	pr_info("jump_unmapped: calling %p\n", fn);
	fn();
	pr_err("jump_unmapped: FAIL: returned from the unmapped address\n");
	return 1;
}
