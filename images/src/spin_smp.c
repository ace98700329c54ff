// SPDX-License-Identifier: MIT
/* Every CPU spins forever (main on CPU 0, a kthread on each other CPU): the host's limit,
 * or a debugger, must stop it. */
#include <linux/kthread.h>
#include <linux/smp.h>
#include <hmemu.h>
#include <hmemu/test.h>

HMEMU_EXPECT_STOP(limit);
HMEMU_TEST_MAX_INSTRUCTIONS(2000000);

volatile unsigned long spins[NR_CPUS];

static int spin(void *data)
{
	unsigned int cpu = (unsigned int)(unsigned long)data;

	for (;;) {
		spins[cpu]++;
		cpu_relax();
	}
	return 0;
}

int main(void)
{
	unsigned int ncpus = num_online_cpus(), cpu;

	if (ncpus > NR_CPUS)
		ncpus = NR_CPUS;
	for (cpu = 1; cpu < ncpus; cpu++)
		kthread_run_on_cpu(spin, (void *)(unsigned long)cpu, cpu, "spin/%u");
	return spin((void *)0);
}
