// SPDX-License-Identifier: MIT
/*
 * Exact instruction counting. counted_loop(n) runs 1 + 2n instructions in its
 * asm body (mov, then n times dec+jnz), and everything else between two marks
 * is the same code for n = 1 and n = 1001. So the instruction count of phase
 * "loop1001" minus that of phase "loop1" is exactly 2000.
 */
#include <hmemu.h>

/* noipa: no inlining, cloning or constant propagation into the body. */
static noinline __attribute__((noipa)) void counted_loop(unsigned int n)
{
	__asm__ __volatile__("mov %0, %%ecx\n"
			     "1:\tdec %%ecx\n\t"
			     "jnz 1b"
			     :
			     : "g"(n)
			     : "ecx", "cc");
}

int main(void)
{
	hmemu_mark("loop1");
	counted_loop(1);
	hmemu_mark("loop1001");
	counted_loop(1001);
	hmemu_mark("end");
	return 0;
}
