// SPDX-License-Identifier: MIT
/*
 * BUG/WARN reporters. They are out of line so that __builtin_return_address(0)
 * is the address right after the call at the BUG/WARN site (HC_BUG's a5).
 */
#include <hmemu.h>

#define HM_WARN_MSG_MAX 160

noinline void __hm_bug(const char *file, int line, const char *func, const char *cond)
{
	hm_hcall6(HC_BUG, HM_BUG_KIND_BUG, (unsigned long)file, line, (unsigned long)func,
		  (unsigned long)cond, (unsigned long)__builtin_return_address(0));
	for (;;)
		__asm__ __volatile__("hlt");
}

noinline void __hm_warn(const char *file, int line, const char *func, const char *cond)
{
	hm_hcall6(HC_BUG, HM_BUG_KIND_WARN, (unsigned long)file, line, (unsigned long)func,
		  (unsigned long)cond, (unsigned long)__builtin_return_address(0));
}

/* WARN(cond, fmt, ...): the formatted message travels as the condition text. */
noinline void __hm_warn_printf(const char *file, int line, const char *func,
			       const char *fmt, ...)
{
	char msg[HM_WARN_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hm_hcall6(HC_BUG, HM_BUG_KIND_WARN_MSG, (unsigned long)file, line, (unsigned long)func,
		  (unsigned long)msg, (unsigned long)__builtin_return_address(0));
}
