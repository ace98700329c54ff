/* SPDX-License-Identifier: MIT */
/*
 * Execution context: preemption, page faults, interrupts, might_sleep
 * (include/linux/preempt.h, uaccess.h, irqflags.h, kernel.h).
 * The state lives in the host's model; each call is one hypercall.
 */
#ifndef _HMEMU_PREEMPT_H
#define _HMEMU_PREEMPT_H

#include <hmemu/types.h>
#include <hmemu/kernel.h>
#include <hmemu/hcall.h>

/* preempt_count() layout (v6.x) */
#define PREEMPT_MASK		0x000000ffU
#define SOFTIRQ_MASK		0x0000ff00U
#define HARDIRQ_MASK		0x000f0000U
#define NMI_MASK		0x00f00000U
#define PREEMPT_OFFSET		0x1U
#define SOFTIRQ_OFFSET		0x100U
#define HARDIRQ_OFFSET		0x10000U

static inline int preempt_count(void) { return (int)hm_hcall0(HC_PREEMPT_COUNT); }
static inline void preempt_disable(void) { hm_hcall0(HC_PREEMPT_DISABLE); }
static inline void preempt_enable(void) { hm_hcall0(HC_PREEMPT_ENABLE); }
#define preempt_enable_no_resched()	preempt_enable()
#define preempt_disable_notrace()	preempt_disable()
#define preempt_enable_notrace()	preempt_enable()

/* in_atomic() = preempt_count() != 0, decided by the host. */
static inline bool in_atomic(void) { return hm_hcall0(HC_IN_ATOMIC) != 0; }
#define in_nmi()		(preempt_count() & NMI_MASK)
#define in_hardirq()		(preempt_count() & HARDIRQ_MASK)
#define in_irq()		in_hardirq()
#define in_serving_softirq()	(preempt_count() & SOFTIRQ_OFFSET)
#define in_softirq()		(preempt_count() & SOFTIRQ_MASK)
#define in_interrupt()		(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_task()		(!in_interrupt())

static inline void pagefault_disable(void) { hm_hcall0(HC_PAGEFAULT_DISABLE); }
static inline void pagefault_enable(void) { hm_hcall0(HC_PAGEFAULT_ENABLE); }
static inline bool pagefault_disabled(void) { return hm_hcall0(HC_PAGEFAULT_DISABLED) != 0; }
#define faulthandler_disabled()	(pagefault_disabled() || in_atomic())

static inline void local_irq_disable(void) { hm_hcall0(HC_LOCAL_IRQ_DISABLE); }
static inline void local_irq_enable(void) { hm_hcall0(HC_LOCAL_IRQ_ENABLE); }
static inline bool irqs_disabled(void) { return hm_hcall0(HC_IRQS_DISABLED) != 0; }
static inline unsigned long arch_local_irq_save(void)
{
	return (unsigned long)hm_hcall0(HC_LOCAL_IRQ_SAVE);
}
static inline void arch_local_irq_restore(unsigned long flags)
{
	hm_hcall1(HC_LOCAL_IRQ_RESTORE, flags);
}
#define local_irq_save(flags) do { \
	typecheck(unsigned long, flags); \
	(flags) = arch_local_irq_save(); \
} while (0)
#define local_irq_restore(flags) do { \
	typecheck(unsigned long, flags); \
	arch_local_irq_restore(flags); \
} while (0)

/* might_sleep(): the host checks the context and prints the splat. */
static inline void __might_sleep(const char *file, int line)
{
	hm_hcall2(HC_MIGHT_SLEEP, file, line);
}
#define might_sleep()		__might_sleep(__FILE__, __LINE__)
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)

/* x86 processor helpers */
#define cpu_relax()	__asm__ __volatile__("rep; nop" : : : "memory")
#define mb()		__asm__ __volatile__("lock; addl $0,-4(%%esp)" : : : "memory", "cc")
#define rmb()		mb()
#define wmb()		mb()
#define smp_mb()	mb()
#define smp_rmb()	barrier()	/* x86 is TSO */
#define smp_wmb()	barrier()
#define smp_store_release(p, v)	do { barrier(); WRITE_ONCE(*(p), (v)); } while (0)
#define smp_load_acquire(p)	({ __typeof__(*(p)) __v = READ_ONCE(*(p)); barrier(); __v; })
#define smp_store_mb(var, v)	do { WRITE_ONCE(var, v); smp_mb(); } while (0)

#endif
