/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the arm64 guests.  The boot vCPU arrives at _start with
 * x0 = DTB (Linux boot protocol, as kvmkit enters a flat binary);
 * secondaries at secondary_entry from PSCI CPU_ON with x0 = their index.
 * Each gets a 16 KiB stack, the exception vectors and the MMU (identity
 * map: devices below 2 GiB, write-back RAM above), then calls
 * cpu_start(index, dtb).
 */
#define STACK_SHIFT 14

	.section .text.start, "ax"
	.globl _start
_start:
	mov	x19, x0
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x20, #0
	b	common

	.globl secondary_entry
secondary_entry:
	mov	x20, x0
	mov	x19, #0

common:
	ldr	x1, =stacks
	add	x2, x20, #1
	lsl	x2, x2, #STACK_SHIFT
	add	sp, x1, x2
	ldr	x1, =vectors
	msr	vbar_el1, x1
	/* MAIR: attr0 Device-nGnRnE, attr1 Normal write-back. */
	ldr	x1, =0xff00
	msr	mair_el1, x1
	/* TCR: T0SZ 32 (4 GiB, walk from level 1), WB WA, inner shareable,
	 * 4K granule, no TTBR1 walks (EPD1), 32-bit PA. */
	ldr	x1, =(32 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
	msr	tcr_el1, x1
	ldr	x1, =l1_table
	msr	ttbr0_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x1, sctlr_el1
	orr	x1, x1, #(1 << 0)	/* M */
	orr	x1, x1, #(1 << 2)	/* C */
	orr	x1, x1, #(1 << 12)	/* I */
	msr	sctlr_el1, x1
	isb
	mov	x0, x20
	mov	x1, x19
	bl	cpu_start
3:	wfi
	b	3b

/* Save the caller-saved registers, call handler(kind), return. */
.macro vector kind
	.balign 0x80
	stp	x29, x30, [sp, #-16]!
	stp	x0, x1, [sp, #-16]!
	stp	x2, x3, [sp, #-16]!
	stp	x4, x5, [sp, #-16]!
	stp	x6, x7, [sp, #-16]!
	stp	x8, x9, [sp, #-16]!
	stp	x10, x11, [sp, #-16]!
	stp	x12, x13, [sp, #-16]!
	stp	x14, x15, [sp, #-16]!
	stp	x16, x17, [sp, #-16]!
	stp	x18, xzr, [sp, #-16]!
	mov	x0, #\kind
	b	vector_common
.endm

	.text
	.balign 0x800
	.globl vectors
vectors:
	vector 0	/* current EL, SP0: sync */
	vector 1	/* irq */
	vector 2	/* fiq */
	vector 3	/* serror */
	vector 0	/* current EL, SPx: sync */
	vector 1
	vector 2
	vector 3
	vector 4	/* lower EL: none of ours */
	vector 4
	vector 4
	vector 4
	vector 4
	vector 4
	vector 4
	vector 4

vector_common:
	bl	exception
	ldp	x18, xzr, [sp], #16
	ldp	x16, x17, [sp], #16
	ldp	x14, x15, [sp], #16
	ldp	x12, x13, [sp], #16
	ldp	x10, x11, [sp], #16
	ldp	x8, x9, [sp], #16
	ldp	x6, x7, [sp], #16
	ldp	x4, x5, [sp], #16
	ldp	x2, x3, [sp], #16
	ldp	x0, x1, [sp], #16
	ldp	x29, x30, [sp], #16
	eret
