// SPDX-License-Identifier: GPL-2.0
/*
 * A guest to snapshot with --irqchip=mpic (tests/integration/
 * snapshot-its-mpic.sh): most of its time one interrupt is in service
 * and another, of lower priority, is pending behind it.
 *
 * Round i: pulse edge pin 1 (priority 8, vector 0x41); the handler
 * acknowledges it and leaves it in service.  Pulse edge pin 2
 * (priority 5, vector 0x42): it must wait.  Print the round's line, then
 * spin with interrupts enabled (the window a snapshot usually hits):
 * nothing may arrive.  EOI: 0x42 must come, once, and is EOIed by the
 * handler.  A state restored without the in-service interrupt delivers
 * 0x42 early; one without the pending edge never does; either prints a
 * FAIL line and the guest exits 1.
 *
 * Command line: ROUNDS DELAY STATUS; exits STATUS after ROUNDS good
 * rounds ("mpic: ROUNDS rounds, nothing lost or repeated").
 */
#include "check.h"
#include "mpic.h"

#define PIN_HIGH 1
#define PIN_LOW 2
#define VEC_HIGH 0x41
#define VEC_LOW 0x42
#define SPURIOUS 0xff
#define MAX_LOG 8
#define WAIT_SPINS 100000L	/* ~0.6 s when it fails: PAUSE exits */
#define QUIET_SPINS 2000L	/* how long "nothing else came" waits */

static volatile int nlog, nspurious;
static volatile uint32_t vlog[MAX_LOG];

static void mpic_irq(int vector)
{
	uint32_t v = mpic_read(MPIC_CPU(0) + MPIC_IACK);
	int n = nlog;

	if (v == SPURIOUS) {
		nspurious++;
		return;
	}
	if (n < MAX_LOG)
		vlog[n] = v;
	__atomic_store_n(&nlog, n + 1, __ATOMIC_SEQ_CST);
	/* VEC_HIGH stays in service until the main loop's EOI. */
	if (v != VEC_HIGH)
		mpic_write(MPIC_CPU(0) + MPIC_EOI, 0);
}

static void pulse(uint32_t pin)
{
	irq_line(pin, 1);
	irq_line(pin, 0);
}

/* IF set for a bounded spin until @n interrupts are logged. */
static bool wait_log(int n, long spins)
{
	bool ok = false;

	irq_enable();
	for (long i = 0; i < spins && !ok; i++) {
		ok = atomic_read(&nlog) >= n;
		cpu_relax();
	}
	irq_disable();
	return ok || atomic_read(&nlog) >= n;
}

static void setup(void)
{
	mpic_write(MPIC_SPVR, SPURIOUS);
	mpic_write(MPIC_IDR(PIN_HIGH), 1);
	mpic_write(MPIC_IVPR(PIN_HIGH), MPIC_IVPR_PRIO(8) | VEC_HIGH);
	mpic_write(MPIC_IDR(PIN_LOW), 1);
	mpic_write(MPIC_IVPR(PIN_LOW), MPIC_IVPR_PRIO(5) | VEC_LOW);
	mpic_write(MPIC_CPU(0) + MPIC_CTPR, 0);
}

static bool round_ok(unsigned long i, unsigned long delay)
{
	nlog = 0;
	pulse(PIN_HIGH);
	if (!wait_log(1, WAIT_SPINS) || vlog[0] != VEC_HIGH) {
		CHECK(0, "round %lu: took %d [0x%x], wanted 0x%x", i, nlog,
		      vlog[0], VEC_HIGH);
		return false;
	}
	pulse(PIN_LOW);
	printf("mpic %lu: 0x41 in service, 0x42 pending\n", i);
	irq_enable();
	for (volatile unsigned long d = 0; d < delay; d++)
		;
	irq_disable();
	if (atomic_read(&nlog) != 1) {
		CHECK(0, "round %lu: 0x%x arrived while 0x41 was in service",
		      i, vlog[1]);
		return false;
	}
	mpic_write(MPIC_CPU(0) + MPIC_EOI, 0);
	if (!wait_log(2, WAIT_SPINS) || vlog[1] != VEC_LOW) {
		CHECK(0, "round %lu: after the EOI took %d [0x%x], wanted 0x%x",
		      i, nlog, vlog[1], VEC_LOW);
		return false;
	}
	/* Exactly once: nothing else after a while with IF set. */
	wait_log(3, QUIET_SPINS);
	if (atomic_read(&nlog) != 2) {
		CHECK(0, "round %lu: %d interrupts, a repeat of 0x%x", i, nlog,
		      vlog[2]);
		return false;
	}
	return true;
}

int main(int cpu, int ncpus)
{
	unsigned long rounds = cmdline_ulong(0, 100);
	unsigned long delay = cmdline_ulong(1, 2000000);
	unsigned long status = cmdline_ulong(2, 0);

	if (cpu)
		return 0;
	set_irq_handler(TB_VECTOR_IRQ, mpic_irq);
	setup();
	for (unsigned long i = 0; i < rounds; i++)
		if (!round_ok(i, delay))
			return 1;
	if (nspurious)
		printf("mpic: %d spurious IACK(s)\n", nspurious);
	printf("mpic: %lu rounds, nothing lost or repeated\n", rounds);
	return (int)status;
}
