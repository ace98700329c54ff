// SPDX-License-Identifier: MIT
/* main's return value becomes the run's exit status. */
#include <linux/printk.h>
#include <hmemu/test.h>

HMEMU_EXPECT_EXIT(42);

int main(void)
{
	pr_info("exit_code: returning 42\n");
	return 42;
}
