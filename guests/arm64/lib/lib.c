// SPDX-License-Identifier: GPL-2.0
/* arm64 guest library: console, printf, PSCI, exits, locks, start-up. */
#include "guest.h"
#include "gic.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

struct platform plat;
uint8_t stacks[MAX_CPUS][16384] __attribute__((aligned(16)));
static spinlock_t print_lock;

/* 1 GiB blocks: 0-2 GiB devices (XN), 2-4 GiB write-back RAM. */
#define PTE_BLOCK 0x1ULL
#define PTE_AF (1ULL << 10)
#define PTE_ISH (3ULL << 8)
#define PTE_ATTR(n) ((uint64_t)(n) << 2)
#define PTE_XN (3ULL << 53)
#define DEV(a) ((a) | PTE_BLOCK | PTE_AF | PTE_ATTR(0) | PTE_XN)
#define RAM(a) ((a) | PTE_BLOCK | PTE_AF | PTE_ISH | PTE_ATTR(1))
uint64_t l1_table[512] __attribute__((aligned(4096), section(".data.pgtable"))) = {
	DEV(0x00000000ULL), DEV(0x40000000ULL),
	RAM(0x80000000ULL), RAM(0xc0000000ULL),
};

void *memset(void *s, int c, size_t n)
{
	uint8_t *p = s;

	while (n--)
		*p++ = (uint8_t)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

long strtol10(const char *s, const char **end)
{
	long v = 0;

	while (*s == ' ')
		s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	if (end)
		*end = s;
	return v;
}

void spin_lock(spinlock_t *l)
{
	uint32_t tmp, one = 1;

	__asm__ volatile("1:	ldaxr	%w0, [%1]\n"
			 "	cbnz	%w0, 1b\n"
			 "	stxr	%w0, %w2, [%1]\n"
			 "	cbnz	%w0, 1b\n"
			 : "=&r"(tmp)
			 : "r"(&l->v), "r"(one)
			 : "memory");
}

void spin_unlock(spinlock_t *l)
{
	__asm__ volatile("stlr wzr, [%0]" : : "r"(&l->v) : "memory");
}

void putc(char c)
{
	while (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	mmio_write8(UART_BASE + UART_THR, (uint8_t)c);
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void emit(char *buf, size_t len, size_t *pos, char c)
{
	if (*pos + 1 < len)
		buf[*pos] = c;
	(*pos)++;
}

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	size_t pos = 0;

	for (; *fmt; fmt++) {
		char tmp[24];
		int n = 0, lng = 0, base = 10, width = 0;
		bool neg = false, zero = false;
		uint64_t v;
		const char *s;

		if (*fmt != '%') {
			emit(buf, len, &pos, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			zero = true;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			lng++, fmt++;
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				emit(buf, len, &pos, *s);
			continue;
		case 'c':
			emit(buf, len, &pos, (char)va_arg(ap, int));
			continue;
		case '%':
			emit(buf, len, &pos, '%');
			continue;
		case 'd':
			v = lng ? (uint64_t)va_arg(ap, long) :
				  (uint64_t)(long)va_arg(ap, int);
			if ((int64_t)v < 0) {
				neg = true;
				v = -v;
			}
			break;
		case 'p':
			lng = 1;
			/* fall through */
		case 'x':
			base = 16;
			/* fall through */
		case 'u':
			v = lng ? va_arg(ap, unsigned long) :
				  va_arg(ap, unsigned int);
			break;
		default:
			continue;
		}
		do {
			tmp[n++] = "0123456789abcdef"[v % base];
			v /= base;
		} while (v);
		if (neg)
			emit(buf, len, &pos, '-');
		while (width-- > n)
			emit(buf, len, &pos, zero ? '0' : ' ');
		while (n)
			emit(buf, len, &pos, tmp[--n]);
	}
	if (len)
		buf[pos < len ? pos : len - 1] = '\0';
	return (int)pos;
}

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock(&print_lock);
	puts(buf);
	spin_unlock(&print_lock);
	return n;
}

uint64_t psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

extern char secondary_entry[];

int cpu_on(int cpu)
{
	return (int)psci_call(PSCI_CPU_ON, plat.mpidr[cpu],
			      (uint64_t)(uintptr_t)secondary_entry,
			      (uint64_t)cpu);
}

int this_cpu(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & 0xff00ffffffULL;

	for (int i = 0; i < plat.ncpus; i++)
		if (plat.mpidr[i] == mpidr)
			return i;
	return 0;
}

void system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

void exit(int status)
{
	if (!status)
		system_off();
	mmio_write32(TEST_EXIT, (uint32_t)status);
	for (;;)
		wfi();
}

__attribute__((weak)) void secondary_main(int cpu)
{
}

__attribute__((weak)) void irq_handler(int cpu, uint32_t intid, uint32_t raw)
{
	printf("vCPU %d: unexpected interrupt %u\n", cpu, intid);
}

/* From the vectors: 0 sync, 1 IRQ, 2 FIQ, 3 SError, 4 lower EL. */
void exception(int kind);
void exception(int kind)
{
	static const char *const names[] = { "synchronous exception", "IRQ",
					     "FIQ", "SError",
					     "exception from a lower EL" };
	uint32_t raw, intid;

	if (kind == 1 || kind == 2) {
		raw = gic_ack();
		intid = raw & 0xffffff;
		if (gic_spurious(intid))
			return;
		irq_handler(this_cpu(), gic_intid(raw), raw);
		gic_eoi(raw);
		return;
	}
	printf("unexpected %s on vCPU %d: esr 0x%lx elr 0x%lx far 0x%lx\n",
	       names[kind], this_cpu(), read_sysreg(esr_el1),
	       read_sysreg(elr_el1), read_sysreg(far_el1));
	exit(99);
}

void cpu_start(int cpu, const void *dtb);
void cpu_start(int cpu, const void *dtb)
{
	int ret;

	if (cpu) {
		secondary_main(cpu);
		psci_call(PSCI_CPU_OFF, 0, 0, 0);
		return;
	}
	if (fdt_parse(dtb)) {
		puts("guest: bad device tree\n");
		exit(98);
	}
	ret = main();
	exit(ret);
}
