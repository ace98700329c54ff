// SPDX-License-Identifier: MIT
/*
 * Host-started entry points and host-written globals.
 *
 * The host starts these with a cdecl frame already on the new stack:
 * [esp] = 0 (fake return address), [esp+4] = first argument, [esp+8] = second.
 * None of them returns.
 */
#include <hmemu.h>

/* crt0.S hard-codes these two numbers. */
_Static_assert(HC_EXIT == 1 && HM_HCALL_PORT == 0xE9, "crt0.S constants");

/* The tick count: the host writes it on every timer tick. */
unsigned long volatile jiffies;

/* The one workqueue (id 0); system_wq points at it, as upstream's is a pointer. */
struct workqueue_struct hm_system_wq = { .id = 0 };
struct workqueue_struct *system_wq = &hm_system_wq;

static __noreturn void hm_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("hlt");
}

/* A kthread: run fn(data), then report its return value. */
__used __noreturn void hm_kthread_entry(int (*fn)(void *), void *data)
{
	int ret;

	__asm__ __volatile__("cld");	/* the C ABI's direction flag */
	ret = fn(data);

	hm_hcall1(HC_KTHREAD_EXIT, ret);
	hm_halt_forever();
}

/* A timer callback in softirq context; the host then restores the interrupted context. */
__used __noreturn void hm_softirq_timer_entry(struct timer_list *t)
{
	__asm__ __volatile__("cld");	/* the interrupted code may have had DF set */
	t->function(t);
	hm_hcall0(HC_SOFTIRQ_RETURN);
	hm_halt_forever();
}

/*
 * A kworker (started as a kthread through hm_kthread_entry): run queued work
 * items one after another. HC_WORKER_NEXT sleeps while the queue is empty; a
 * NULL item tells the worker to exit.
 */
__used int hm_kworker_fn(void *unused)
{
	(void)unused;
	for (;;) {
		struct work_struct *work = (struct work_struct *)hm_hcall0(HC_WORKER_NEXT);

		if (!work)
			return 0;
		work->func(work);
		hm_hcall1(HC_WORK_DONE, work);
	}
}
