// SPDX-License-Identifier: MIT
/* The smallest image: printk and its formatting work; main's value is the exit status. */
#include <linux/kernel.h>
#include <linux/printk.h>

int main(void)
{
	unsigned long long big = 0x123456789abcdef0ULL;

	printk("hello from hmemu\n");
	printk(KERN_INFO "hello: %d %x %s %llx\n", -42, 0xbeefU, "str", big);
	pr_info("hello: %llu %lld [%5d|%-5d|%05d] %c%% %p\n",
		18446744073709551615ULL, -9223372036854775807LL - 1, 7, 7, 7, 'z', (void *)main);
	return 0;
}
