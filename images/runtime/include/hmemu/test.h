/* SPDX-License-Identifier: MIT */
/*
 * What a test expects from its run, declared as data for `hmemu test`.
 *
 * Without declarations a test passes when main returns 0 and the run raised no
 * finding. A test of bad code states what must happen instead:
 *
 *   HMEMU_EXPECT_FINDING(kmap_leak);   this finding must be raised (repeatable)
 *   HMEMU_EXPECT_EXIT(3);              main must return 3
 *   HMEMU_EXPECT_STOP(oops);           the run must end by: exit, oops, bug, limit, deadlock
 *   HMEMU_TEST_MAX_INSTRUCTIONS(1000000);  a lower instruction limit for this test
 *
 * Each declaration is a string in the ELF section .hmemu.expect, which is not
 * loaded into the guest: nothing runs, and the runner reads it from the file.
 * Finding names: warn, bug, oops, sleep_in_atomic, leak (any leak), kmap_leak,
 * kmap_local_leak, page_leak, pagefault_disabled_leak, migrate_disable_leak,
 * irqs_disabled_leak, preempt_count_leak, spinlock_leak, softirq_leak.
 */
#ifndef _HMEMU_TEST_H
#define _HMEMU_TEST_H

#define __HM_EXPECT_CAT2(a, b) a##b
#define __HM_EXPECT_CAT(a, b) __HM_EXPECT_CAT2(a, b)
#define __HM_EXPECT(text)							\
	static const char __HM_EXPECT_CAT(__hm_expect_, __COUNTER__)[]		\
	__attribute__((used, section(".hmemu.expect"), aligned(1))) = text

#define HMEMU_EXPECT_FINDING(name)	__HM_EXPECT("finding=" #name)
#define HMEMU_EXPECT_EXIT(status)	__HM_EXPECT("exit=" #status)
#define HMEMU_EXPECT_STOP(kind)		__HM_EXPECT("stop=" #kind)
#define HMEMU_TEST_MAX_INSTRUCTIONS(n)	__HM_EXPECT("max_instructions=" #n)

#endif /* _HMEMU_TEST_H */
