// SPDX-License-Identifier: MIT
/* Never stops: the host's instruction or time limit must end the run. */
#include <linux/printk.h>
#include <hmemu.h>
#include <hmemu/test.h>

HMEMU_EXPECT_STOP(limit);
HMEMU_TEST_MAX_INSTRUCTIONS(2000000);

int main(void)
{
	pr_info("spin_forever: spinning until the host stops me\n");
	for (;;)
		cpu_relax();
}
