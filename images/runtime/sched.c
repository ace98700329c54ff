// SPDX-License-Identifier: MIT
/* kthread creation: the name is formatted here, the task made by the host. */
#include <hmemu.h>

#define HM_KTHREAD_NAME_MAX 64	/* the host keeps TASK_COMM_LEN-1 characters */

static struct task_struct *hm_kthread_create(int (*threadfn)(void *data), void *data,
					     const char *name, int cpu)
{
	struct task_struct *task = (struct task_struct *)
		hm_hcall4(HC_KTHREAD_CREATE, threadfn, data, name, cpu);

	return task ? task : ERR_PTR(-ENOMEM);
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...)
{
	char name[HM_KTHREAD_NAME_MAX];
	va_list ap;

	va_start(ap, namefmt);
	vscnprintf(name, sizeof(name), namefmt, ap);
	va_end(ap);
	return hm_kthread_create(threadfn, data, name, -1);
}

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt)
{
	char name[HM_KTHREAD_NAME_MAX];

	/* As upstream, namefmt may contain one %u for the cpu. */
	scnprintf(name, sizeof(name), namefmt, cpu);
	return hm_kthread_create(threadfn, data, name, (int)cpu);
}

struct task_struct *kthread_run_on_cpu(int (*threadfn)(void *data), void *data,
				       unsigned int cpu, const char *namefmt)
{
	struct task_struct *task = kthread_create_on_cpu(threadfn, data, cpu, namefmt);

	if (!IS_ERR(task))
		wake_up_process(task);
	return task;
}
