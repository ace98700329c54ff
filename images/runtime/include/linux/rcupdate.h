/* SPDX-License-Identifier: MIT */
/*
 * Read-copy update (include/linux/rcupdate.h; v6.1 Tree RCU as built without
 * CONFIG_PREEMPT_RCU, with a lockdep-lite check).
 *
 * rcu_read_lock() is preempt_disable() (plus a nesting count for the checks),
 * rcu_read_unlock() preempt_enable(): a reader cannot be preempted, so a CPU
 * that schedules has left every read-side section it was in. synchronize_rcu()
 * is call_rcu() + wait_for_completion(), as upstream's wait_rcu_gp(); the grace
 * period ends once every other online CPU has run a per-CPU work item (a
 * quiescent state: that CPU scheduled) after it began. Inside a read-side
 * section it prints lockdep's "suspicious RCU usage" report for
 * kernel/rcu/tree.c:3577, then might_sleep() reports the sleep in atomic
 * context. call_rcu() callbacks run from a kworker after a later grace period;
 * rcu_barrier() waits for those already queued. Limitation: a grace period
 * waits for a CPU's kworker, so a work item that blocks for a grace period
 * while occupying another CPU's kworker would stall it. runtime/lib/rcu.c.
 */
#ifndef _HMEMU_LINUX_RCUPDATE_H
#define _HMEMU_LINUX_RCUPDATE_H

#include <hmemu.h>

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
#define rcu_head callback_head
typedef void (*rcu_callback_t)(struct rcu_head *head);

/* Read-side nesting per CPU: a reader is never preempted, so never migrates. */
extern int __hm_rcu_nesting[CONFIG_NR_CPUS];

static inline void __rcu_read_lock(void)
{
	preempt_disable();
	__hm_rcu_nesting[smp_processor_id()]++;
}

static inline void __rcu_read_unlock(void)
{
	__hm_rcu_nesting[smp_processor_id()]--;
	preempt_enable();
}

static inline void rcu_read_lock(void) { __rcu_read_lock(); }
static inline void rcu_read_unlock(void) { __rcu_read_unlock(); }
static inline void rcu_read_lock_sched(void) { __rcu_read_lock(); }
static inline void rcu_read_unlock_sched(void) { __rcu_read_unlock(); }
static inline void rcu_read_lock_bh(void) { __rcu_read_lock(); }
static inline void rcu_read_unlock_bh(void) { __rcu_read_unlock(); }
#define rcu_read_lock_sched_notrace()	rcu_read_lock_sched()
#define rcu_read_unlock_sched_notrace()	rcu_read_unlock_sched()

/* lockdep: in a read-side section (or with preemption off, which also holds off a grace period). */
static inline int rcu_read_lock_held(void)
{
	return __hm_rcu_nesting[smp_processor_id()] > 0;
}
static inline int rcu_read_lock_sched_held(void) { return preempt_count() != 0 || irqs_disabled(); }
static inline int rcu_read_lock_bh_held(void) { return rcu_read_lock_held(); }
static inline int rcu_read_lock_any_held(void) { return rcu_read_lock_held() || rcu_read_lock_sched_held(); }

void lockdep_rcu_suspicious(const char *file, const int line, const char *s);
#define RCU_LOCKDEP_WARN(c, s) do { \
	static bool __warned; \
	if (!__warned && (c)) { \
		__warned = true; \
		lockdep_rcu_suspicious(__FILE__, __LINE__, s); \
	} \
} while (0)

/* Pointer publication and access. */
#define RCU_INITIALIZER(v)		(v)
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define rcu_dereference(p)		READ_ONCE(p)
#define rcu_dereference_bh(p)		READ_ONCE(p)
#define rcu_dereference_sched(p)	READ_ONCE(p)
#define rcu_dereference_raw(p)		READ_ONCE(p)
#define rcu_dereference_check(p, c)	READ_ONCE(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_pointer_handoff(p)		(p)
#define rcu_replace_pointer(rcu_ptr, ptr, c) ({ \
	__typeof__(ptr) __tmp = rcu_dereference_protected((rcu_ptr), (c)); \
	rcu_assign_pointer((rcu_ptr), (ptr)); \
	__tmp; })

void call_rcu(struct rcu_head *head, rcu_callback_t func);
void synchronize_rcu(void);
void rcu_barrier(void);
#define synchronize_rcu_expedited()	synchronize_rcu()
#define synchronize_sched()		synchronize_rcu()
#define synchronize_rcu_bh()		synchronize_rcu()
#define call_rcu_hurry(head, func)	call_rcu(head, func)
#define rcu_barrier_sched()		rcu_barrier()

/* A quiescent state for RCU: the CPU would report one when it reschedules. */
static inline void cond_resched_rcu(void)
{
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
}

static inline void init_rcu_head(struct rcu_head *head) { (void)head; }
static inline void destroy_rcu_head(struct rcu_head *head) { (void)head; }
static inline void init_rcu_head_on_stack(struct rcu_head *head) { (void)head; }
static inline void destroy_rcu_head_on_stack(struct rcu_head *head) { (void)head; }

/* kfree_rcu(ptr, rhf): kfree(ptr) after a grace period; the offset of rhf rides in func. */
void __hm_kfree_rcu(struct rcu_head *head, unsigned long offset);
#define kfree_rcu(ptr, rhf) \
	__hm_kfree_rcu(&((ptr)->rhf), offsetof(__typeof__(*(ptr)), rhf))
#define kvfree_rcu(ptr, rhf)	kfree_rcu(ptr, rhf)

#endif
