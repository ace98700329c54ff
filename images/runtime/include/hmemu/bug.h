/* SPDX-License-Identifier: MIT */
/*
 * BUG and WARN (include/asm-generic/bug.h, include/linux/mmdebug.h).
 *
 * Both go to the host through HC_BUG: a0 = kind (0 BUG, 1 WARN), a1 = file,
 * a2 = line, a3 = function, a4 = condition text (or WARN()'s formatted
 * message, or 0), a5 = return address of the out-of-line reporter, which is
 * the address just after the call at the BUG/WARN site. BUG never returns:
 * the host stops the machine; if it resumed the CPU anyway, it halts forever.
 */
#ifndef _HMEMU_BUG_H
#define _HMEMU_BUG_H

#include <hmemu/types.h>

#define HM_BUG_KIND_BUG		0
#define HM_BUG_KIND_WARN	1	/* WARN_ON: a4 is the condition (Linux does not print it) */
#define HM_BUG_KIND_WARN_MSG	2	/* WARN(cond, fmt...): a4 is the message Linux prints */

void __hm_bug(const char *file, int line, const char *func, const char *cond)
	__noreturn __cold;
void __hm_warn(const char *file, int line, const char *func, const char *cond)
	__cold;
void __hm_warn_printf(const char *file, int line, const char *func, const char *fmt, ...)
	__cold __printf(4, 5);

#define BUG()	__hm_bug(__FILE__, __LINE__, __func__, NULL)

#define BUG_ON(condition) do { \
	if (unlikely(condition)) \
		__hm_bug(__FILE__, __LINE__, __func__, #condition); \
} while (0)

#define WARN_ON(condition) ({ \
	int __ret_warn_on = !!(condition); \
	if (unlikely(__ret_warn_on)) \
		__hm_warn(__FILE__, __LINE__, __func__, #condition); \
	unlikely(__ret_warn_on); })

#define WARN(condition, format, ...) ({ \
	int __ret_warn_on = !!(condition); \
	if (unlikely(__ret_warn_on)) \
		__hm_warn_printf(__FILE__, __LINE__, __func__, format, ##__VA_ARGS__); \
	unlikely(__ret_warn_on); })

/* One static flag per call site: only the first hit reports. */
#define WARN_ON_ONCE(condition) ({ \
	static bool __warned; \
	int __ret_warn_once = !!(condition); \
	if (unlikely(__ret_warn_once && !__warned)) { \
		__warned = true; \
		__hm_warn(__FILE__, __LINE__, __func__, #condition); \
	} \
	unlikely(__ret_warn_once); })

#define WARN_ONCE(condition, format, ...) ({ \
	static bool __warned; \
	int __ret_warn_once = !!(condition); \
	if (unlikely(__ret_warn_once && !__warned)) { \
		__warned = true; \
		__hm_warn_printf(__FILE__, __LINE__, __func__, format, ##__VA_ARGS__); \
	} \
	unlikely(__ret_warn_once); })

/*
 * BUG_ON at the Linux v6.1 file:line a runtime helper stands for (the helpers
 * re-implement include/linux/highmem.h and mm/highmem.c code, so reports name
 * the kernel's lines, not the runtime's).
 */
#define __HM_BUG_ON_AT(file, line, condition) do { \
	if (unlikely(condition)) \
		__hm_bug(file, line, __func__, #condition); \
} while (0)

/* CONFIG_DEBUG_VM is on: the VM_* checks are live. */
#define VM_BUG_ON(cond)			BUG_ON(cond)
#define VM_BUG_ON_PAGE(cond, page)	BUG_ON(cond)
#define VM_WARN_ON(cond)		((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond)		((void)WARN_ON_ONCE(cond))

#endif
