// SPDX-License-Identifier: MIT
/*
 * The runtime's own formatter: snprintf results compared with the strings C
 * (and the kernel) would produce. Returns the number of mismatches.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <hmemu.h>

static unsigned int failures;
static char buf[128];

#define expect(want, fmt, ...) do { \
	int __n = snprintf(buf, sizeof(buf), fmt, ##__VA_ARGS__); \
	if (strcmp(buf, want) != 0 || __n != (int)strlen(want)) { \
		failures++; \
		pr_err("printk_format: FAIL: \"%s\" gave \"%s\" (%d), want \"%s\"\n", \
		       fmt, buf, __n, want); \
	} \
} while (0)

int main(void)
{
	const char *volatile null_str = NULL;	/* hides the NULL from -Wformat-overflow */
	char small[8];
	int n;

	expect("42 -42 42", "%d %i %u", 42, -42, 42U);
	expect("ff FF 0xff 0XFF 377 0377", "%x %X %#x %#X %o %#o", 255, 255, 255, 255, 255, 255);
	expect("-2147483648 4294967295", "%d %u", (int)0x80000000, 0xffffffffU);
	expect("[   7] [7   ] [0007] [-007] [  -7]", "[%4d] [%-4d] [%04d] [%04d] [%4d]", 7, 7, 7, -7, -7);
	expect("[+7] [ 7] [007]", "[%+d] [% d] [%.3d]", 7, 7, 7);
	expect("[  ab] [ab  ] [a]", "[%4s] [%-4s] [%.1s]", "ab", "ab", "ab");
	expect("[   abc] [ab]", "[%*s] [%.*s]", 6, "abc", 2, "abcdef");
	expect("(null)", "%s", null_str);
	expect("x%y", "%c%%%c", 'x', 'y');
	expect("123456789abcdef0 18446744073709551615", "%llx %llu",
	       0x123456789abcdef0ULL, 18446744073709551615ULL);
	expect("-9223372036854775808 9223372036854775807", "%lld %lld",
	       -9223372036854775807LL - 1, 9223372036854775807LL);
	expect("10000000000 4294967296", "%llu %llu", 10000000000ULL, 4294967296ULL);
	expect("4294967295 -1 deadbeef", "%lu %ld %lx", 0xffffffffUL, -1L, 0xdeadbeefUL);
	expect("12345 -3", "%zu %zd", (size_t)12345, (ssize_t)-3);
	expect("-1 255 -1 65535", "%hhd %hhu %hd %hu", 255, 255, 65535, 65535);
	expect("c0100000 0000abcd", "%p %px", (void *)0xc0100000UL,
	       (void *)0xabcdUL);
	expect("0", "%x", 0);
	expect("", "%.0d", 0);

	n = snprintf(small, sizeof(small), "%s", "truncated!");
	if (n != 10 || strcmp(small, "truncat") != 0) {
		failures++;
		pr_err("printk_format: FAIL: truncation gave \"%s\" (%d)\n", small, n);
	}
	n = scnprintf(small, sizeof(small), "%d", 123456789);
	if (n != 7 || strcmp(small, "1234567") != 0) {
		failures++;
		pr_err("printk_format: FAIL: scnprintf gave \"%s\" (%d)\n", small, n);
	}

	printk(KERN_INFO "printk_format: a KERN_INFO line");
	pr_cont(" continued with pr_cont\n");
	pr_info("printk_format: %s (%u failures)\n", failures ? "FAIL" : "OK", failures);
	return (int)failures;
}
