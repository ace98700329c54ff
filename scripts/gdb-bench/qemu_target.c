// SPDX-License-Identifier: MIT
/*
 * The QEMU side of scripts/gdb-bench.sh: a multiboot guest with what the benchmark
 * touches in hmemu's gdb_target (a 64 KiB global "big", a function gdb_mark called in a
 * loop that stores to "watched"), built with -g so gdb resolves the same names.
 * QEMU's -kernel loads it in 32-bit protected mode with paging off.
 */
#define MULTIBOOT_MAGIC 0x1BADB002u
#define MULTIBOOT_FLAGS 0u

__attribute__((section(".multiboot"), used, aligned(4)))
static const unsigned int multiboot_header[3] = {
	MULTIBOOT_MAGIC, MULTIBOOT_FLAGS, -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
};

unsigned int big[16384];		/* 64 KiB */
volatile unsigned int watched;

__attribute__((noinline)) void gdb_mark(unsigned int n)
{
	watched = n;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noreturn)) void main(void)
{
	unsigned int i;

	for (i = 0; i < 16384; i++)
		big[i] = i * 3;
	for (;;)
		for (i = 0; i < 200; i++)
			gdb_mark(i);
}

unsigned char boot_stack[16384] __attribute__((aligned(16)));

__asm__(".globl _start\n"
	"_start:\n"
	"	movl $boot_stack + 16384, %esp\n"
	"	xorl %ebp, %ebp\n"
	"	call main\n");
