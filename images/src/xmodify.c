// SPDX-License-Identifier: MIT
/*
 * Cross-modifying code. A kthread on CPU 1 runs a small function placed in (executable)
 * user memory; CPU 0 then rewrites the function, the thread executes cpuid (the
 * architectural serialization for cross-modifying code) and runs it again: it must run
 * the new instructions. Then the same through copy_to_user (a write the host makes on
 * the guest's behalf), on one CPU. main returns 0 iff both see the new code.
 */
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/uaccess.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <hmemu.h>

/* mov $imm32, %eax ; ret */
static void emit(volatile u8 *p, u32 imm)
{
	p[0] = 0xb8;
	p[1] = imm;
	p[2] = imm >> 8;
	p[3] = imm >> 16;
	p[4] = imm >> 24;
	p[5] = 0xc3;
}

typedef u32 (*fn_t)(void);

static volatile u8 *code;
static u32 seen[2];
static struct completion ran_old, patched, ran_new;

static inline void serialize(void)
{
	u32 a = 0, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
}

static int runner(void *unused)
{
	seen[0] = ((fn_t)code)();
	complete(&ran_old);
	wait_for_completion(&patched);
	serialize();
	seen[1] = ((fn_t)code)();
	complete(&ran_new);
	return 0;
}

int main(void)
{
	u8 buf[6];
	u32 a, b;
	bool ok;

	code = hmemu_user_alloc(PAGE_SIZE);
	emit(code, 1);
	init_completion(&ran_old);
	init_completion(&patched);
	init_completion(&ran_new);
	if (num_online_cpus() < 2) {
		pr_err("xmodify: needs 2 CPUs\n");
		return 1;
	}
	kthread_run_on_cpu(runner, NULL, 1, "xmodify/1");
	wait_for_completion(&ran_old);
	emit(code, 2); /* CPU 0 writes CPU 1's code */
	complete(&patched);
	wait_for_completion(&ran_new);
	pr_info("xmodify: CPU1 ran %u, then %u after the patch\n", seen[0], seen[1]);
	ok = seen[0] == 1 && seen[1] == 2;

	emit(buf, 3);
	if (copy_to_user((void __user *)code, buf, sizeof buf))
		return 1;
	a = ((fn_t)code)();
	emit(buf, 4);
	if (copy_to_user((void __user *)code, buf, sizeof buf))
		return 1;
	b = ((fn_t)code)();
	pr_info("xmodify: copy_to_user code ran %u, then %u\n", a, b);
	ok = ok && a == 3 && b == 4;
	pr_info("xmodify: %s\n", ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
