/* SPDX-License-Identifier: MIT */
/*
 * hmemu extensions: boot information, phase marks, user memory.
 * These have no Linux counterpart; they are prefixed hmemu_.
 */
#ifndef _HMEMU_CORE_H
#define _HMEMU_CORE_H

#include <hmemu/types.h>
#include <hmemu/hcall.h>

/* Cached by __hm_boot_info_fetch() on first use; read-only afterwards. */
extern struct hm_boot_info *__hm_boot_info;
struct hm_boot_info *__hm_boot_info_fetch(void);

/* The host's boot information (HC_BOOT_INFO), fetched once. */
static inline struct hm_boot_info *hmemu_boot_info(void)
{
	struct hm_boot_info *bi = __hm_boot_info;

	return likely(bi) ? bi : __hm_boot_info_fetch();
}

/* A named phase boundary in the host's report (HC_MARK). Out of line, so the
 * instructions between two marks do not depend on inlining decisions. */
void hmemu_mark(const char *label);

/* len bytes of fresh user memory (lazily mapped: the first touch faults). */
static inline void __user *hmemu_user_alloc(size_t len)
{
	return (void __user *)hm_hcall1(HC_USER_ALLOC, len);
}

/* LAST_PKMAP of the running kernel: 512 with PAE, 1024 with legacy 2-level paging. */
static inline unsigned int hmemu_last_pkmap(void)
{
	return (hmemu_boot_info()->flags & HM_BOOT_PAE) ? 512 : 1024;
}

#endif
