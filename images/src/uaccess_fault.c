// SPDX-License-Identifier: MIT
/*
 * User accesses with page faults disabled and enabled.
 *
 * hmemu_user_alloc() returns user memory whose pages are not present until
 * touched. With pagefault_disable() a fault is not serviced: copy_from_user
 * reports every byte as not copied (and zeroes the destination), get_user
 * returns -EFAULT. With faults enabled the same accesses demand-page the
 * memory and succeed; put_user/get_user and copy_to_user/copy_from_user round
 * trips then work, also __copy_from_user_inatomic on the now-present page.
 */
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/printk.h>
#include <hmemu.h>

static unsigned int failures;

#define check(cond, fmt, ...) do { \
	bool __ok = (cond); \
	pr_info("uaccess_fault: %s: " fmt "\n", __ok ? "ok  " : "FAIL", ##__VA_ARGS__); \
	if (!__ok) \
		failures++; \
} while (0)

static bool all_zero(const char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

int main(void)
{
	char buf[64], back[64];
	char __user *u = hmemu_user_alloc(2 * PAGE_SIZE);
	unsigned long n;
	int x = 0x5555, err;
	u8 b8 = 0;
	u16 b16 = 0;
	s8 sb = 0;

	check(u != NULL && (unsigned long)u < PAGE_OFFSET, "user memory at %px", u);
	if (!u)
		return 1;

	pagefault_disable();
	memset(buf, 0x5a, sizeof(buf));
	n = copy_from_user(buf, u, sizeof(buf));
	check(n == sizeof(buf), "faults disabled: copy_from_user -> %lu bytes not copied", n);
	check(all_zero(buf, sizeof(buf)), "faults disabled: the uncopied tail is zeroed");
	err = get_user(x, (int __user *)u);
	check(err == -EFAULT, "faults disabled: get_user -> %d (-EFAULT)", err);
	check(x == 0, "faults disabled: get_user leaves x = 0");
	n = __copy_from_user_inatomic(buf, u + PAGE_SIZE, 16);
	check(n == 16, "faults disabled: __copy_from_user_inatomic -> %lu not copied", n);
	pagefault_enable();

	memset(buf, 0x5a, sizeof(buf));
	n = copy_from_user(buf, u, sizeof(buf));
	check(n == 0, "faults enabled: copy_from_user -> %lu (demand-paged)", n);
	check(all_zero(buf, sizeof(buf)), "faults enabled: fresh user memory reads as zeros");

	err = put_user(0x12345678, (int __user *)u + 1);
	check(err == 0, "put_user(int) -> %d", err);
	err = get_user(x, (int __user *)u + 1);
	check(err == 0 && x == 0x12345678, "get_user(int) -> %d, %#x", err, x);

	err = put_user((u16)0xbeef, (u16 __user *)(u + 16));
	err |= get_user(b16, (u16 __user *)(u + 16));
	check(err == 0 && b16 == 0xbeef, "u16 round trip -> %#x", b16);
	err = put_user((u8)0xf0, (u8 __user *)(u + 20));
	err |= get_user(b8, (u8 __user *)(u + 20));
	err |= get_user(sb, (s8 __user *)(u + 20));
	check(err == 0 && b8 == 0xf0 && sb == -16, "u8 round trip -> %#x, as s8 %d", b8, sb);

	for (n = 0; n < sizeof(buf); n++)
		buf[n] = (char)(n * 7 + 1);
	n = copy_to_user(u + PAGE_SIZE - 32, buf, sizeof(buf));	/* spans both pages */
	check(n == 0, "copy_to_user across the page boundary -> %lu", n);
	n = copy_from_user(back, u + PAGE_SIZE - 32, sizeof(back));
	check(n == 0 && memcmp(buf, back, sizeof(buf)) == 0, "copy_from_user reads it back");

	pagefault_disable();
	memset(back, 0, sizeof(back));
	n = __copy_from_user_inatomic(back, u + PAGE_SIZE - 32, 32);
	check(n == 0 && memcmp(buf, back, 32) == 0,
	      "faults disabled, page present: __copy_from_user_inatomic -> %lu", n);
	pagefault_enable();

	pr_info("uaccess_fault: %s (%u failures)\n", failures ? "FAIL" : "OK", failures);
	return failures ? 1 : 0;
}
