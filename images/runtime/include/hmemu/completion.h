/* SPDX-License-Identifier: MIT */
/* Completions (include/linux/completion.h). The host keeps the wait queue. */
#ifndef _HMEMU_COMPLETION_H
#define _HMEMU_COMPLETION_H

#include <hmemu/types.h>
#include <hmemu/hcall.h>

/* Layout fixed by the host. */
struct completion {
	unsigned int done;
	unsigned int wait;
};
_Static_assert(sizeof(struct completion) == 8, "completion layout");

#define COMPLETION_INITIALIZER(work)	{ 0, 0 }
#define DECLARE_COMPLETION(work)	struct completion work = COMPLETION_INITIALIZER(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	x->wait = 0;
	hm_hcall1(HC_INIT_COMPLETION, x);
}

/* On-stack completions are registered with the host at their declaration. */
#define DECLARE_COMPLETION_ONSTACK(work) \
	struct completion work = (*({ init_completion(&work); &work; }))

/* Like upstream: only resets done; waiters (if any) stay queued. */
static inline void reinit_completion(struct completion *x) { WRITE_ONCE(x->done, 0); }

static inline void complete(struct completion *x) { hm_hcall1(HC_COMPLETE, x); }
static inline void complete_all(struct completion *x) { hm_hcall1(HC_COMPLETE_ALL, x); }
static inline void wait_for_completion(struct completion *x)
{
	hm_hcall1(HC_WAIT_FOR_COMPLETION, x);
}
static inline bool completion_done(struct completion *x) { return READ_ONCE(x->done) != 0; }

#endif
