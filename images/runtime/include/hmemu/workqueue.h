/* SPDX-License-Identifier: MIT */
/*
 * Workqueues (include/linux/workqueue.h). One workqueue exists, system_wq;
 * the host runs queued items on kworkers started at hm_kworker_fn.
 */
#ifndef _HMEMU_WORKQUEUE_H
#define _HMEMU_WORKQUEUE_H

#include <hmemu/types.h>
#include <hmemu/hcall.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

/* Layout fixed by the host: func at offset 8. */
struct work_struct {
	unsigned long data;
	void *entry;
	work_func_t func;
};
_Static_assert(offsetof(struct work_struct, func) == 8, "work_struct.func at 8");

struct workqueue_struct {
	int id;
};

/* As upstream, system_wq is a pointer; it points at the id-0 queue. */
extern struct workqueue_struct hm_system_wq;
extern struct workqueue_struct *system_wq;
#define system_unbound_wq	system_wq
#define system_highpri_wq	system_wq
#define system_long_wq		system_wq

#define WORK_CPU_UNBOUND	(-1)

#define __WORK_INITIALIZER(n, f)	{ 0, NULL, (f) }
#define DECLARE_WORK(n, f)		struct work_struct n = __WORK_INITIALIZER(n, f)

#define INIT_WORK(_work, _func) do { \
	struct work_struct *__w = (_work); \
	__w->data = 0; \
	__w->entry = NULL; \
	__w->func = (_func); \
} while (0)
#define INIT_WORK_ONSTACK(_work, _func)	INIT_WORK(_work, _func)

static inline bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	(void)wq;
	return hm_hcall2(HC_QUEUE_WORK_ON, cpu, work) != 0;
}

static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

static inline bool schedule_work_on(int cpu, struct work_struct *work)
{
	return queue_work_on(cpu, system_wq, work);
}

static inline bool flush_work(struct work_struct *work)
{
	return hm_hcall1(HC_FLUSH_WORK, work) != 0;
}

#endif
