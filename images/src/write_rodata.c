// SPDX-License-Identifier: MIT
/*
 * Writes to a const object in .rodata. The host maps text and rodata
 * read-only (like CONFIG_STRICT_KERNEL_RWX) with CR0.WP set, so the store is
 * a protection fault (error code 0x0003) and an oops.
 */
#include <linux/printk.h>
#include <hmemu/test.h>

HMEMU_EXPECT_STOP(oops);

static const int ro_value = 1234;

int main(void)
{
	volatile int *p = (volatile int *)(unsigned long)&ro_value;

	pr_info("write_rodata: writing to .rodata at %p\n", p);
	*p = 5678;
	pr_err("write_rodata: FAIL: the write went through (value now %d)\n", *p);
	return 1;
}
