// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas (mm/percpu.c, reduced): the copies of CPUs 1.. are filled from
 * CPU 0's initial image on first use; alloc_percpu() carves 16-byte units out
 * of a reserve that lives inside the per-CPU area, so every copy has it.
 */
#include <hmemu.h>
#include <linux/percpu.h>
#include <linux/bitmap.h>

#define PCPU_UNIT	16
#define PCPU_UNITS	(PERCPU_DYNAMIC_RESERVE / PCPU_UNIT)

int __hm_percpu_state;
static DEFINE_PER_CPU_ALIGNED(char [PERCPU_DYNAMIC_RESERVE], pcpu_reserve);
static DECLARE_BITMAP(pcpu_used, PCPU_UNITS);
static unsigned char pcpu_len[PCPU_UNITS];	/* units of the allocation starting here */
static DEFINE_SPINLOCK(pcpu_lock);

void __hm_percpu_setup(void)
{
	atomic_t *state = (atomic_t *)&__hm_percpu_state;
	unsigned long size = __per_cpu_end - __per_cpu_start;
	int cpu;

	if (atomic_cmpxchg(state, 0, 1) != 0) {
		while (atomic_read(state) != 2)
			cpu_relax();
		return;
	}
	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++)
		memcpy(__per_cpu_copies + (cpu - 1) * size, __per_cpu_start, size);
	atomic_set(state, 2);
}

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	unsigned long units = DIV_ROUND_UP(size ? size : 1, PCPU_UNIT), start, mask;
	char *base = pcpu_reserve;
	void *ptr;
	int cpu;

	(void)gfp;
	if (align > PAGE_SIZE || units > 255)
		return NULL;
	mask = align > PCPU_UNIT ? align / PCPU_UNIT - 1 : 0;
	spin_lock(&pcpu_lock);
	start = bitmap_find_next_zero_area(pcpu_used, PCPU_UNITS, 0, units, mask);
	if (start >= PCPU_UNITS) {
		spin_unlock(&pcpu_lock);
		return NULL;
	}
	bitmap_set(pcpu_used, start, units);
	pcpu_len[start] = units;
	spin_unlock(&pcpu_lock);
	ptr = base + start * PCPU_UNIT;
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		memset(per_cpu_ptr(ptr, cpu), 0, units * PCPU_UNIT);
	return ptr;
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return __alloc_percpu_gfp(size, align, GFP_KERNEL);
}

void free_percpu(void __percpu *ptr)
{
	unsigned long start;

	if (!ptr)
		return;
	start = ((char *)ptr - (char *)pcpu_reserve) / PCPU_UNIT;
	if (WARN_ON(start >= PCPU_UNITS || !pcpu_len[start]))
		return;
	spin_lock(&pcpu_lock);
	bitmap_clear(pcpu_used, start, pcpu_len[start]);
	pcpu_len[start] = 0;
	spin_unlock(&pcpu_lock);
}
