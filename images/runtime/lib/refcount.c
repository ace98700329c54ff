// SPDX-License-Identifier: MIT
/*
 * Out-of-line refcount functions (lib/refcount.c, v6.1). The WARN_ONCE sites
 * report upstream's file:line and text, each once per run like upstream's
 * per-site static flag.
 */
#include <hmemu.h>
#include <linux/refcount.h>
#include <linux/mutex.h>

#define REFCOUNT_C	"lib/refcount.c"

static void refcount_warn(bool *warned, int line, const char *what)
{
	if (*warned)
		return;
	*warned = true;
	__hm_warn_printf(REFCOUNT_C, line, "refcount_warn_saturate", "refcount_t: %s.\n", what);
}

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	static bool warned[6];

	refcount_set(r, REFCOUNT_SATURATED);

	switch (t) {
	case REFCOUNT_ADD_NOT_ZERO_OVF:
		refcount_warn(&warned[0], 19, "saturated; leaking memory");
		break;
	case REFCOUNT_ADD_OVF:
		refcount_warn(&warned[1], 22, "saturated; leaking memory");
		break;
	case REFCOUNT_ADD_UAF:
		refcount_warn(&warned[2], 25, "addition on 0; use-after-free");
		break;
	case REFCOUNT_SUB_UAF:
		refcount_warn(&warned[3], 28, "underflow; use-after-free");
		break;
	case REFCOUNT_DEC_LEAK:
		refcount_warn(&warned[4], 31, "decrement hit 0; leaking memory");
		break;
	default:
		refcount_warn(&warned[5], 34, "unknown saturation event!?");
	}
}

bool refcount_dec_if_one(refcount_t *r)
{
	return atomic_cmpxchg(&r->refs, 1, 0) == 1;
}

bool refcount_dec_not_one(refcount_t *r)
{
	static bool warned;
	unsigned int new, val = atomic_read(&r->refs), prev;

	do {
		if (unlikely(val == (unsigned int)REFCOUNT_SATURATED))
			return true;
		if (val == 1)
			return false;
		new = val - 1;
		if (new > val) {
			if (!warned) {
				warned = true;
				__hm_warn_printf(REFCOUNT_C, 87, "refcount_dec_not_one",
						 "refcount_t: underflow; use-after-free.\n");
			}
			return true;
		}
		prev = atomic_cmpxchg(&r->refs, val, new);
		if (prev == val)
			break;
		val = prev;
	} while (1);
	return true;
}

bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	mutex_lock(lock);
	if (!refcount_dec_and_test(r)) {
		mutex_unlock(lock);
		return false;
	}
	return true;
}

bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock(lock);
	if (!refcount_dec_and_test(r)) {
		spin_unlock(lock);
		return false;
	}
	return true;
}

bool refcount_dec_and_lock_irqsave(refcount_t *r, spinlock_t *lock, unsigned long *flags)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock_irqsave(lock, *flags);
	if (!refcount_dec_and_test(r)) {
		spin_unlock_irqrestore(lock, *flags);
		return false;
	}
	return true;
}
