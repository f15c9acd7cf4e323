// SPDX-License-Identifier: GPL-2.0
/* The testbench guest library: entry, console, exit, IDT, SMP helpers. */
#include "guest.h"

int nr_cpus;
uint64_t ram_size;
const char *cmdline;

static spinlock_t console_lock;

void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (l->v)
			cpu_relax();
}

void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

void putchar_raw(char c)
{
	/* The 8250 sends at once: no need to poll LSR.THRE. */
	outb(TB_PORT_UART, (uint8_t)c);
}

void puts_raw(const char *s)
{
	while (*s)
		putchar_raw(*s++);
}

void guest_exit(int status)
{
	outl(TB_PORT_EXIT, (uint32_t)status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static char *put_num(char *p, char *end, unsigned long long v, int base,
		     int width, char pad, bool neg)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = pad;
	while (n && p < end)
		*p++ = tmp[--n];
	return p;
}

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	char *p = buf, *end = buf + len - 1;

	for (; *fmt && p < end; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';
		unsigned long long u;
		long long s;
		const char *str;

		if (*fmt != '%') {
			*p++ = *fmt;
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			s = lng ? va_arg(ap, long long) : va_arg(ap, int);
			p = put_num(p, end, s < 0 ? -(unsigned long long)s : (unsigned long long)s,
				    10, width, pad, s < 0);
			break;
		case 'u':
		case 'x':
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			p = put_num(p, end, u, *fmt == 'x' ? 16 : 10, width, pad, false);
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			p = put_num(p, end, u, 16, width, pad, false);
			break;
		case 's':
			str = va_arg(ap, const char *);
			while (str && *str && p < end)
				*p++ = *str++;
			break;
		case 'c':
			*p++ = (char)va_arg(ap, int);
			break;
		case '%':
			*p++ = '%';
			break;
		default:
			break;
		}
	}
	*p = '\0';
	return (int)(p - buf);
}

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	puts_raw(buf);
	spin_unlock(&console_lock);
	return n;
}

bool streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

bool cmdline_word(int idx, char *buf, size_t len)
{
	const char *p = cmdline;

	if (!p)
		return false;
	for (;;) {
		size_t n = 0;

		while (*p == ' ')
			p++;
		if (!*p)
			return false;
		if (idx-- == 0) {
			while (*p && *p != ' ' && n + 1 < len)
				buf[n++] = *p++;
			buf[n] = '\0';
			return true;
		}
		while (*p && *p != ' ')
			p++;
	}
}

unsigned long cmdline_ulong(int idx, unsigned long dflt)
{
	char w[32];
	unsigned long v = 0;

	if (!cmdline_word(idx, w, sizeof(w)) || w[0] < '0' || w[0] > '9')
		return dflt;
	for (char *c = w; *c >= '0' && *c <= '9'; c++)
		v = v * 10 + (unsigned long)(*c - '0');
	return v;
}

/* ---- interrupts --------------------------------------------------------- */

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_entry idt[64] __attribute__((aligned(16)));
static irq_handler_t handlers[64];

#define STUBS(X)                                                              \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)   \
	X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(32) X(33) X(34) X(35)
#define DECLARE(n) extern char isr_stub_##n[];
STUBS(DECLARE)

static void idt_set(int vec, void *fn)
{
	uintptr_t a = (uintptr_t)fn;

	idt[vec] = (struct idt_entry){
		.off_lo = (uint16_t)a, .sel = 0x08, .type = 0x8e,
		.off_mid = (uint16_t)(a >> 16), .off_hi = (uint32_t)(a >> 32),
	};
}

static void idt_init(void)
{
#define INSTALL(n) idt_set(n, isr_stub_##n);
	STUBS(INSTALL)
}

static void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) d = { sizeof(idt) - 1, (uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(d));
}

void set_irq_handler(int vector, irq_handler_t fn)
{
	if (vector >= 0 && vector < 64)
		handlers[vector] = fn;
}

void isr_dispatch(uint64_t vector, uint64_t error, uint64_t rip);
void isr_dispatch(uint64_t vector, uint64_t error, uint64_t rip)
{
	if (vector < 64 && handlers[vector]) {
		handlers[vector]((int)vector);
		return;
	}
	printf("unexpected exception %lu (error 0x%lx) at 0x%lx\n",
	       (unsigned long)vector, (unsigned long)error, (unsigned long)rip);
	guest_exit(99);
}

/* ---- SMP ---------------------------------------------------------------- */

static volatile int barrier_count, barrier_gen;

void smp_barrier(void)
{
	int gen = atomic_read(&barrier_gen);

	if (atomic_inc(&barrier_count) == nr_cpus) {
		barrier_count = 0;
		atomic_inc(&barrier_gen);
		return;
	}
	while (atomic_read(&barrier_gen) == gen)
		cpu_relax();
}

static volatile int idt_ready;

void guest_entry(int cpu, int ncpus, uint64_t ram, const char *cmd);
void guest_entry(int cpu, int ncpus, uint64_t ram, const char *cmd)
{
	int ret;

	if (cpu == 0) {
		nr_cpus = ncpus;
		ram_size = ram;
		cmdline = cmd;
		idt_init();
		__atomic_store_n(&idt_ready, 1, __ATOMIC_RELEASE);
	} else {
		while (!__atomic_load_n(&idt_ready, __ATOMIC_ACQUIRE))
			cpu_relax();
	}
	idt_load();
	ret = main(cpu, ncpus);
	if (cpu == 0)
		guest_exit(ret);
}
