/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The testbench guest library: console, exit, MMIO/PIO helpers,
 * interrupts and SMP helpers.  Freestanding; see docs/testbench.md.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TB_PORT_UART 0x3f8
#define TB_PORT_EXIT 0x501
#define TB_PORT_BENCH 0x510
#define TB_PORT_IRQ_LINE 0x520
#define TB_PORT_MPIC_TIMER 0x524
#define TB_MMIO_BENCH 0xd0000000UL
#define TB_MMIO_MSI_GEN 0xd0001000UL
#define TB_GIC_DIST 0xf8000000UL
#define TB_GICV2_CPU 0xf8010000UL
#define TB_ITS 0xf8040000UL
#define TB_GICV3_REDIST 0xf8100000UL
#define TB_GICV3_CPUIF 0xf8600000UL
#define TB_MPIC 0xf9000000UL
#define TB_STACKS 0x10000UL	/* vCPU n's stack ends at + (n + 1) * size */
#define TB_STACK_SIZE 0x4000UL
#define TB_VECTOR_IRQ 0x20
#define TB_VECTOR_FIQ 0x21
#define TB_VECTOR_CRIT 0x22
#define TB_VECTOR_MCHECK 0x23

/* Provided by each guest: runs on every vCPU; cpu 0's return value exits. */
int main(int cpu, int ncpus);

extern int nr_cpus;
extern uint64_t ram_size;
extern const char *cmdline;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
	*(volatile uint64_t *)addr = v;
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	return *(volatile uint8_t *)addr;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	*(volatile uint8_t *)addr = v;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

/* sti; hlt: wait for an interrupt without missing one that is pending. */
static inline void wait_for_irq(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

/* Spinlock. */
typedef struct {
	volatile int v;
} spinlock_t;

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

/* Console (serialised across vCPUs). */
void putchar_raw(char c);
void puts_raw(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);

/* Drive the interrupt controller's input line @irq (an SPI, an MPIC pin). */
static inline void irq_line(uint32_t irq, int level)
{
	outl(TB_PORT_IRQ_LINE, (irq & 0xffffff) | (level ? 1u << 31 : 0));
}

/* Have the testbench's MSI generator send (@devid, @addr, @data). */
static inline void msi_send(uint32_t devid, uint64_t addr, uint32_t data)
{
	mmio_write32(TB_MMIO_MSI_GEN + 0x00, devid);
	mmio_write64(TB_MMIO_MSI_GEN + 0x08, addr);
	mmio_write32(TB_MMIO_MSI_GEN + 0x10, data);
}

/* Stop the VM: kvmkit exits with @status. */
void __attribute__((noreturn)) guest_exit(int status);

/* Parse an unsigned decimal from the command line's word @idx (0 if none). */
unsigned long cmdline_ulong(int idx, unsigned long dflt);
/* Copy the command line's word @idx into @buf; false if absent. */
bool cmdline_word(int idx, char *buf, size_t len);
bool streq(const char *a, const char *b);

/*
 * Interrupts: handlers per vector (0..19 exceptions, 32..35 the
 * interrupt-controller lines).  An unhandled exception exits with 99.
 */
typedef void (*irq_handler_t)(int vector);
void set_irq_handler(int vector, irq_handler_t fn);

/*
 * The index of the running vCPU, from its stack pointer: the testbench
 * gives vCPU n the 16 KiB stack ending at TB_STACKS + (n + 1) *
 * TB_STACK_SIZE (docs/testbench.md), and interrupt handlers run on the
 * interrupted stack (no IST, no privilege change).  So it also works in
 * handlers, which get no cpu argument, without an MMIO exit; it is wrong
 * on any other stack, and on stacks overflowed past 16 KiB.
 */
static inline int this_vcpu(void)
{
	uintptr_t sp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	return (int)((sp - TB_STACKS) / TB_STACK_SIZE);
}

/* SMP: all vCPUs meet here (counts how many arrived). */
void smp_barrier(void);

static inline int atomic_inc(volatile int *p)
{
	return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
}

static inline int atomic_read(volatile int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

#endif
