/* SPDX-License-Identifier: MIT */
/*
 * hmemu: the time-stamp counter read of x86's <asm/msr.h>. Under hmemu, rdtsc returns the
 * CPU's modelled cycle clock (the same values every run).
 */
#ifndef _ASM_X86_MSR_H
#define _ASM_X86_MSR_H

#include <linux/types.h>

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#endif /* _ASM_X86_MSR_H */
