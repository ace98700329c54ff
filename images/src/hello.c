// SPDX-License-Identifier: MIT
/* The smallest image: printk works, formatting works, main's value is the exit status. */
#include <linux/kernel.h>
#include <linux/printk.h>

int main(void)
{
	unsigned long long big = 0x123456789abcdef0ULL;

	printk("hello from hmemu\n");
	printk(KERN_INFO "hello: %d %x %s %llx %llu %5d|%-5d|%05d %c%%\n",
	       -42, 0xbeefU, "str", big, 18446744073709551615ULL, 7, 7, 7, 'z');
	return 0;
}
