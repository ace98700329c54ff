/* SPDX-License-Identifier: MIT */
/*
 * hmemu guest entry.
 *
 * The host enters at _start with paging on, ESP at the top of the init task's
 * stack and .bss already zeroed. main()'s return value becomes the run's exit
 * status through HC_EXIT. The kthread, timer and kworker trampolines are C, in
 * entry.c.
 */

#define HM_HCALL_PORT	0xE9	/* = HM_HCALL_PORT in hmemu/hcall.h */
#define HC_EXIT		1	/* = HC_EXIT; entry.c checks both at compile time */

	.section .text.head, "ax"
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* end of frame chain for backtraces */
	cld
	andl	$-16, %esp		/* the i386 SysV ABI's call alignment */
	call	main

	/* struct hm_hcall { nr, a[6], ret } built on the stack, last field first */
	pushl	$0			/* ret */
	pushl	$0			/* a5 */
	pushl	$0			/* a4 */
	pushl	$0			/* a3 */
	pushl	$0			/* a2 */
	pushl	$0			/* a1 */
	pushl	%eax			/* a0 = main's return value */
	pushl	$HC_EXIT		/* nr */
	movl	%esp, %eax
	jmp	2f			/* the outl starts a block: precise EIP (hcall.h) */
2:	outl	%eax, $HM_HCALL_PORT
1:	hlt
	jmp	1b
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
