// SPDX-License-Identifier: MIT
/*
 * rdtsc/rdtscp read the CPU's modelled cycle clock: the same values every run, rising
 * by the cost of the work between two reads, and rdtscp's ECX is the CPU number.
 */
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/msr.h>

static inline u64 rdtscp(u32 *aux)
{
	u32 lo, hi;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux));
	return ((u64)hi << 32) | lo;
}

int main(void)
{
	u64 t[4];
	u32 aux = 99;
	volatile unsigned int i, sink = 0;
	bool ok;

	t[0] = rdtsc();
	for (i = 0; i < 10000; i++)
		sink += i;
	t[1] = rdtsc();
	t[2] = rdtscp(&aux);
	t[3] = rdtsc();
	pr_info("rdtsc_clock: t0=%llu t1=%llu t2=%llu t3=%llu aux=%u\n", t[0], t[1], t[2], t[3], aux);
	ok = t[0] > 0 && t[1] - t[0] > 10000 && t[2] > t[1] && t[3] > t[2] && aux == smp_processor_id();
	pr_info("rdtsc_clock: %s\n", ok ? "OK" : "FAIL");
	return ok ? 0 : 1;
}
