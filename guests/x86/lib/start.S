/*
 * Testbench entry, on every vCPU, in 64-bit mode with a stack:
 * rdi = vCPU index, rsi = number of vCPUs, rdx = RAM bytes,
 * rcx = command line address (0: none).
 */
	.section .text.start, "ax"
	.globl _start
_start:
	call	guest_entry
1:	cli
	hlt
	jmp	1b

/* Interrupt stubs: push the vector and join the common path. */
	.text
	.macro	stub vec
	.globl	isr_stub_\vec
isr_stub_\vec:
	pushq	$0		/* no error code */
	pushq	$\vec
	jmp	isr_common
	.endm

	.macro	stub_err vec
	.globl	isr_stub_\vec
isr_stub_\vec:
	pushq	$\vec
	jmp	isr_common
	.endm

	stub 0
	stub 1
	stub 2
	stub 3
	stub 4
	stub 5
	stub 6
	stub 7
	stub_err 8
	stub 9
	stub_err 10
	stub_err 11
	stub_err 12
	stub_err 13
	stub_err 14
	stub 15
	stub 16
	stub_err 17
	stub 18
	stub 19
	stub 32
	stub 33
	stub 34
	stub 35

isr_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	72(%rsp), %rdi	/* vector */
	movq	80(%rsp), %rsi	/* error code */
	movq	88(%rsp), %rdx	/* interrupted rip */
	call	isr_dispatch
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq
	.section .note.GNU-stack, "", @progbits
