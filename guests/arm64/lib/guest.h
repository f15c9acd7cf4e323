/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 guest library: console, exits, PSCI, SMP start-up, the
 * platform read from the DTB and a GICv2/GICv3 driver (gic.h).  The
 * addresses are kvmtool's arm64 map plus kvmkit's test devices
 * (docs/arm64.md).  Freestanding, built with -mstrict-align.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_BASE 0x01000000UL
#define TEST_EXIT 0x01f00000UL
#define MSI_TEST 0x01f01000UL
#define MSI_TEST_DEVID 0x00
#define MSI_TEST_STATUS 0x04
#define MSI_TEST_ADDR 0x08
#define MSI_TEST_DATA 0x10

#define MAX_CPUS 32

/* PSCI 0.2 (SMC32/SMC64 function IDs) over HVC. */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0xc4000003U
#define PSCI_AFFINITY_INFO 0xc4000004U
#define PSCI_SYSTEM_OFF 0x84000008U

/* What the device tree says. */
struct platform {
	int ncpus;
	uint64_t mpidr[MAX_CPUS];
	const char *bootargs;
	int gic_version;		/* 2 or 3, 0 if none */
	uint64_t gicd, gicc, gicr, gicr_size, its;
	uint64_t ram_base, ram_size;
};

extern struct platform plat;

/*
 * Provided by each guest: runs on the boot vCPU; its return value is the
 * exit status (0: PSCI SYSTEM_OFF, else the test-exit device).
 */
int main(void);
/* Each guest may define these (weak defaults do nothing). */
void secondary_main(int cpu);
void irq_handler(int cpu, uint32_t intid, uint32_t raw);

static inline uint8_t mmio_read8(uintptr_t a)
{
	return *(volatile uint8_t *)a;
}

static inline void mmio_write8(uintptr_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint64_t mmio_read64(uintptr_t a)
{
	return *(volatile uint64_t *)a;
}

static inline void mmio_write64(uintptr_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

#define read_sysreg(r) ({                                                \
	uint64_t _v;                                                     \
	__asm__ volatile("mrs %0, " #r : "=r"(_v));                      \
	_v;                                                              \
})
#define write_sysreg(r, v)                                               \
	__asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* The counter: CNTVCT_EL0 ticks at CNTFRQ_EL0 Hz. */
static inline uint64_t ticks(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline uint64_t tick_hz(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* Start vCPU @cpu (its MPIDR from the DTB) at secondary_main(cpu). */
int cpu_on(int cpu);
int this_cpu(void);

void putc(char c);
void puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int strcmp(const char *a, const char *b);
size_t strlen(const char *s);
/* Parse a leading decimal number; *end after it. */
long strtol10(const char *s, const char **end);

void exit(int status) __attribute__((noreturn));
void system_off(void) __attribute__((noreturn));

/* Spin locks (LDAXR/STLXR: RAM is normal memory once the MMU is on). */
typedef struct {
	volatile uint32_t v;
} spinlock_t;
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

/* Parse the DTB into plat; 0 or -1. */
int fdt_parse(const void *dtb);

#endif
