/* SPDX-License-Identifier: MIT */
/*
 * Tasks, scheduling, CPUs and kthreads (include/linux/sched.h, smp.h,
 * cpumask.h, kthread.h, delay.h). The scheduler is the host's; a call that
 * sleeps returns HM_RESTART until the task is resumed (hm_hcall6 retries).
 */
#ifndef _HMEMU_SCHED_H
#define _HMEMU_SCHED_H

#include <hmemu/types.h>
#include <hmemu/kernel.h>
#include <hmemu/hcall.h>
#include <hmemu/core.h>
#include <hmemu/preempt.h>

#define TASK_COMM_LEN	16
#define NR_CPUS		CONFIG_NR_CPUS
#define PF_KTHREAD	0x00200000

/* Layout fixed by the host. */
struct task_struct {
	int pid;
	char comm[TASK_COMM_LEN];
	int cpu;
	void *stack;
	int exit_code;
	unsigned int flags;
};
_Static_assert(offsetof(struct task_struct, comm) == 4 && offsetof(struct task_struct, cpu) == 20 &&
	       offsetof(struct task_struct, stack) == 24 && offsetof(struct task_struct, exit_code) == 28 &&
	       offsetof(struct task_struct, flags) == 32, "task_struct layout");

static inline struct task_struct *get_current(void)
{
	return (struct task_struct *)hm_hcall0(HC_CURRENT);
}
#define current get_current()

static inline pid_t task_pid_nr(const struct task_struct *t) { return t->pid; }
static inline unsigned int task_cpu(const struct task_struct *t) { return READ_ONCE(t->cpu); }

static inline void schedule(void) { hm_hcall0(HC_SCHEDULE); }
static inline int cond_resched(void) { return (int)hm_hcall0(HC_COND_RESCHED); }
static inline void yield(void) { schedule(); }

/* CPUs */
static inline int smp_processor_id(void) { return (int)hm_hcall0(HC_SMP_PROCESSOR_ID); }
#define raw_smp_processor_id()	smp_processor_id()
static inline unsigned int num_online_cpus(void)
{
	return (unsigned int)hm_hcall0(HC_NUM_ONLINE_CPUS);
}
static inline unsigned int num_possible_cpus(void) { return hmemu_boot_info()->nr_cpus; }
#define nr_cpu_ids		num_possible_cpus()
#define cpu_online(cpu)		((unsigned int)(cpu) < num_online_cpus())
/* Online CPUs are 0 .. num_online_cpus()-1 in this model. */
#define for_each_online_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (int)num_online_cpus(); (cpu)++)
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (int)num_possible_cpus(); (cpu)++)

static inline int get_cpu(void)
{
	preempt_disable();
	return smp_processor_id();
}
#define put_cpu()	preempt_enable()

/* Sleeping and delays */
static inline void msleep(unsigned int msecs) { hm_hcall1(HC_MSLEEP, msecs); }
static inline unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}
static inline void ssleep(unsigned int seconds) { msleep(seconds * 1000); }
/* Millisecond granularity: sleeps for max rounded up to a millisecond. */
static inline void usleep_range(unsigned long min_us, unsigned long max_us)
{
	(void)min_us;
	msleep((unsigned int)DIV_ROUND_UP(max_us, 1000));
}
/* Busy-wait delays are uncalibrated: HM_DELAY_LOOPS_PER_USEC pause loops per µs. */
#define HM_DELAY_LOOPS_PER_USEC	10
static inline void __hm_delay_loops(unsigned long loops)
{
	while (loops--)
		cpu_relax();
}
#define ndelay(ns)	__hm_delay_loops(DIV_ROUND_UP((unsigned long)(ns) * HM_DELAY_LOOPS_PER_USEC, 1000))
#define udelay(us)	__hm_delay_loops((unsigned long)(us) * HM_DELAY_LOOPS_PER_USEC)
#define mdelay(ms)	__hm_delay_loops((unsigned long)(ms) * 1000 * HM_DELAY_LOOPS_PER_USEC)

/* kthreads */
struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...) __printf(3, 4);
#define kthread_create_on_node(threadfn, data, node, namefmt, ...) \
	kthread_create(threadfn, data, namefmt, ##__VA_ARGS__)
/* Created stopped and bound to cpu; namefmt is formatted with the cpu number. */
struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt);
/* kthread_create_on_cpu() + wake_up_process() (Linux 6.x signature). */
struct task_struct *kthread_run_on_cpu(int (*threadfn)(void *data), void *data,
				       unsigned int cpu, const char *namefmt);

static inline int wake_up_process(struct task_struct *p)
{
	return (int)hm_hcall1(HC_WAKE_UP_PROCESS, p);
}

#define kthread_run(threadfn, data, namefmt, ...) ({ \
	struct task_struct *__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
	if (!IS_ERR(__k)) \
		wake_up_process(__k); \
	__k; })

static inline int kthread_stop(struct task_struct *k)
{
	return (int)hm_hcall1(HC_KTHREAD_STOP, k);
}
static inline bool kthread_should_stop(void)
{
	return hm_hcall0(HC_KTHREAD_SHOULD_STOP) != 0;
}

/* Host-started trampolines (runtime/entry.c); the host needs their addresses. */
void hm_kthread_entry(int (*fn)(void *), void *data) __noreturn;
int hm_kworker_fn(void *unused);

#endif
