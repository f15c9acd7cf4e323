// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: delivery.  Edge and level sources through SRC pins
 * and IRQ_ACTIVE, priorities and CTPR, IACK/EOI nesting, the spurious
 * vector, IPIs, MSIs through MSIIR, critical and machine-check outputs,
 * re-routing, and the timer hook.
 */
#include <pthread.h>

#include "test_mpic.h"

#define SPURIOUS 0xffff

/* Source @irq at @prio/@vector, to @idr, both CPUs accepting all. */
static void setup_src(struct mpic_t *t, unsigned int irq, unsigned int prio,
		      uint32_t vector, bool level, uint32_t idr)
{
	reg_set(t, MPIC_IDR(irq), idr);
	reg_set(t, MPIC_IVPR(irq), ivpr(prio, vector, level));
	reg_set(t, MPIC_CPU(0) + MPIC_CTPR, 0);
	reg_set(t, MPIC_CPU(1) + MPIC_CTPR, 0);
}

static uint32_t iack(struct mpic_t *t, int cpu)
{
	return g_read(t, cpu, MPIC_IACK);
}

static void eoi(struct mpic_t *t, int cpu)
{
	g_write(t, cpu, MPIC_EOI, 0);
}

static void test_level_source(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);

	/* Internal source 40: always level. */
	setup_src(t, 40, 5, 0x42, false, 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(device_set_irq(t->dev, 40, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	assert_int_equal(active_get(t, 40), 1);
	assert_true(reg_get(t, MPIC_IVPR(40)) & MPIC_IVPR_ACTIVITY);

	assert_int_equal(iack(t, 0), 0x42);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	/* In service: not offered again, a second IACK is spurious. */
	assert_int_equal(iack(t, 0), SPURIOUS);
	/* Still asserted after EOI: the line is back. */
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(active_get(t, 40), 1);
	/* Dropping the input withdraws it. */
	assert_int_equal(device_set_irq(t->dev, 40, 0), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(active_get(t, 40), 0);
	assert_false(reg_get(t, MPIC_IVPR(40)) & MPIC_IVPR_ACTIVITY);
	assert_int_equal(iack(t, 0), SPURIOUS);

	/* IRQ_ACTIVE is the same input line. */
	active_set(t, 40, 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	active_set(t, 40, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	/* Any non-zero level from the VMM is "active". */
	assert_int_equal(device_set_irq(t->dev, 40, 7), 0);
	assert_int_equal(active_get(t, 40), 1);
	mpic_t_free(t);
}

static void test_edge_source(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	/* External source 3, sense 0: edge. */
	setup_src(t, 3, 4, 0x33, false, 1);
	active_set(t, 3, 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	/* Writing 0 to an edge source is ignored. */
	active_set(t, 3, 0);
	assert_int_equal(active_get(t, 3), 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	/* Acknowledging consumes the edge. */
	assert_int_equal(iack(t, 0), 0x33);
	assert_int_equal(active_get(t, 3), 0);
	assert_false(reg_get(t, MPIC_IVPR(3)) & MPIC_IVPR_ACTIVITY);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	/* A new edge while in service waits for EOI (same priority). */
	assert_int_equal(device_set_irq(t->dev, 3, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(active_get(t, 3), 1);
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 0), 0x33);
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);

	/* Edges while masked are latched and delivered on unmask. */
	reg_set(t, MPIC_IVPR(3), MPIC_IVPR_MASK | ivpr(4, 0x33, false));
	active_set(t, 3, 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(active_get(t, 3), 1);
	assert_false(reg_get(t, MPIC_IVPR(3)) & MPIC_IVPR_ACTIVITY);
	reg_set(t, MPIC_IVPR(3), ivpr(4, 0x33, false));
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 0), 0x33);
	eoi(t, 0);
	mpic_t_free(t);
}

static void test_external_sense_switch(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);

	/* Level external source: pending follows the line. */
	setup_src(t, 5, 2, 0x55, true, 1);
	assert_int_equal(device_set_irq(t->dev, 5, 1), 0);
	assert_int_equal(iack(t, 0), 0x55);
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(device_set_irq(t->dev, 5, 0), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	/* A line already high when the source turns level counts. */
	reg_set(t, MPIC_IVPR(5), ivpr(2, 0x55, false));
	assert_int_equal(device_set_irq(t->dev, 5, 1), 0);
	assert_int_equal(iack(t, 0), 0x55);
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	reg_set(t, MPIC_IVPR(5), ivpr(2, 0x55, true));
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(active_get(t, 5), 1);
	mpic_t_free(t);
}

static void test_ctpr_masking(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	setup_src(t, 20, 5, 0x20, true, 1);
	g_write(t, 0, MPIC_CTPR, 5);
	assert_int_equal(device_set_irq(t->dev, 20, 1), 0);
	/* Priority must be above CTPR. */
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(iack(t, 0), SPURIOUS);
	/* Raised all along: lowering CTPR delivers it. */
	g_write(t, 0, MPIC_CTPR, 4);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	g_write(t, 0, MPIC_CTPR, 15);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	g_write(t, 0, MPIC_CTPR, 0);
	assert_int_equal(iack(t, 0), 0x20);
	eoi(t, 0);

	/* Priority 0 never interrupts, even at CTPR 0. */
	assert_int_equal(device_set_irq(t->dev, 20, 0), 0);
	setup_src(t, 21, 0, 0x21, true, 1);
	assert_int_equal(device_set_irq(t->dev, 21, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(iack(t, 0), SPURIOUS);
	/* Raising its priority takes effect at once. */
	reg_set(t, MPIC_IVPR(21), ivpr(1, 0x21, true));
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	/* Masking withdraws it. */
	reg_set(t, MPIC_IVPR(21), MPIC_IVPR_MASK | ivpr(1, 0x21, true));
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(active_get(t, 21), 1);
	mpic_t_free(t);
}

static void test_iack_eoi_nesting(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);

	setup_src(t, 30, 3, 0x30, true, 1);	/* A */
	setup_src(t, 31, 7, 0x70, true, 1);	/* B */
	setup_src(t, 32, 5, 0x50, true, 1);	/* C */

	assert_int_equal(device_set_irq(t->dev, 30, 1), 0);
	assert_int_equal(iack(t, 0), 0x30);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	/* Higher priority preempts what is in service. */
	assert_int_equal(device_set_irq(t->dev, 31, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 0), 0x70);
	/* Lower than B, which is in service: held back. */
	assert_int_equal(device_set_irq(t->dev, 32, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(iack(t, 0), SPURIOUS);
	/* EOI ends B (the highest in service); C beats A. */
	assert_int_equal(device_set_irq(t->dev, 31, 0), 0);
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 0), 0x50);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(device_set_irq(t->dev, 32, 0), 0);
	eoi(t, 0);		/* C */
	/* A is still in service and still asserted: no line. */
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	eoi(t, 0);		/* A: it comes back (level, still high) */
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(device_set_irq(t->dev, 30, 0), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	/* EOI with nothing in service is harmless. */
	eoi(t, 0);
	eoi(t, 0);
	assert_int_equal(iack(t, 0), SPURIOUS);
	mpic_t_free(t);
}

static void test_priority_ties_and_spurious(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	reg_set(t, MPIC_SPVR, 0xab);
	assert_int_equal(iack(t, 0), 0xab);
	setup_src(t, 61, 6, 0x61, true, 1);
	setup_src(t, 60, 6, 0x60, true, 1);
	assert_int_equal(device_set_irq(t->dev, 61, 1), 0);
	assert_int_equal(device_set_irq(t->dev, 60, 1), 0);
	/* Equal priority: the lower source number first. */
	assert_int_equal(iack(t, 0), 0x60);
	assert_int_equal(iack(t, 0), 0xab);
	eoi(t, 0);
	assert_int_equal(device_set_irq(t->dev, 60, 0), 0);
	assert_int_equal(iack(t, 0), 0x61);
	eoi(t, 0);
	/* Vectors are 16 bits. */
	reg_set(t, MPIC_IVPR(61), ivpr(6, 0xbeef, true));
	assert_int_equal(iack(t, 0), 0xbeef);
	/* IACK read through the attribute interface (CPU page) too. */
	eoi(t, 0);
	assert_int_equal(reg_get(t, MPIC_CPU(0) + MPIC_IACK), 0xbeef);
	reg_set(t, MPIC_CPU(0) + MPIC_EOI, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	mpic_t_free(t);
}

static void test_ipis(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);

	reg_set(t, MPIC_IPIVPR(2), ivpr(4, 0x100, false));
	reg_set(t, MPIC_CPU(0) + MPIC_CTPR, 0);
	reg_set(t, MPIC_CPU(1) + MPIC_CTPR, 0);
	/* CPU 0 sends IPI 2 to both through its alias page. */
	g_write(t, 0, MPIC_IPIDR(2), 3);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_true(reg_get(t, MPIC_IPIVPR(2)) & MPIC_IVPR_ACTIVITY);
	/* Each target takes it once. */
	assert_int_equal(iack(t, 0), 0x100);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_true(reg_get(t, MPIC_IPIVPR(2)) & MPIC_IVPR_ACTIVITY);
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(iack(t, 0), SPURIOUS);
	assert_int_equal(g_read(t, 0, MPIC_CPU(1) + MPIC_IACK), 0x100);
	g_write(t, 0, MPIC_CPU(1) + MPIC_EOI, 0);
	assert_false(reg_get(t, MPIC_IPIVPR(2)) & MPIC_IVPR_ACTIVITY);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);

	/* Self-IPI from CPU 1; CPUs beyond the VM's are dropped. */
	g_write(t, 1, MPIC_IPIDR(0), 0xfffffffe);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);	/* IPI 0 masked */
	reg_set(t, MPIC_IPIVPR(0), ivpr(9, 0x200, false));
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(iack(t, 1), 0x200);
	eoi(t, 1);
	assert_false(reg_get(t, MPIC_IPIVPR(0)) & MPIC_IVPR_ACTIVITY);

	/* Through the attribute interface: CPU pages work, the alias not. */
	reg_set(t, MPIC_IPIDR(0), 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	reg_set(t, MPIC_CPU(1) + MPIC_IPIDR(0), 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 0), 0x200);
	eoi(t, 0);
	/* An IPI's priority orders it against sources. */
	setup_src(t, 17, 10, 0x17, true, 1);
	assert_int_equal(device_set_irq(t->dev, 17, 1), 0);
	g_write(t, 1, MPIC_IPIDR(0), 1);
	assert_int_equal(iack(t, 0), 0x17);
	assert_int_equal(iack(t, 0), SPURIOUS);	/* 9 < 10 in service */
	eoi(t, 0);
	assert_int_equal(device_set_irq(t->dev, 17, 0), 0);
	assert_int_equal(iack(t, 0), 0x200);
	mpic_t_free(t);
}

static void test_multicast_and_reroute(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	/* A level source to both CPUs: both see it until it drops. */
	setup_src(t, 50, 3, 0x50, true, 3);
	assert_int_equal(device_set_irq(t->dev, 50, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	/* Re-routing an active source moves it. */
	reg_set(t, MPIC_IDR(50), 2);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	/* No destination: active, but nowhere. */
	reg_set(t, MPIC_IDR(50), 0);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	assert_true(reg_get(t, MPIC_IVPR(50)) & MPIC_IVPR_ACTIVITY);
	reg_set(t, MPIC_IDR(50), 1);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(device_set_irq(t->dev, 50, 0), 0);

	/* An edge to both: the first CPU to acknowledge takes it. */
	setup_src(t, 4, 3, 0x44, false, 3);
	assert_int_equal(device_set_irq(t->dev, 4, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 1), 0x44);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	assert_int_equal(iack(t, 0), SPURIOUS);
	eoi(t, 1);
	mpic_t_free(t);
}

static void test_msi(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	setup_src(t, MPIC_MSI_SRC0, 6, 0xe0, false, 1);
	setup_src(t, MPIC_MSI_SRC0 + 7, 6, 0xe7, false, 2);
	/* Guest MSIIR write: SRS 0, IBS 5. */
	g_write(t, 0, MPIC_MSIIR, 5u << MPIC_MSIIR_IBS_SHIFT);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
	assert_int_equal(reg_get(t, MPIC_MSISR), 1);
	assert_int_equal(active_get(t, MPIC_MSI_SRC0), 1);
	/* A second bit in the same MSIR through the attribute. */
	reg_set(t, MPIC_MSIIR, 9u << MPIC_MSIIR_IBS_SHIFT);
	assert_int_equal(iack(t, 0), 0xe0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);
	/* Reading MSIR0 returns and clears the bits and the source. */
	assert_int_equal(g_read(t, 0, MPIC_MSIR(0)), 0x220);
	assert_int_equal(reg_get(t, MPIC_MSIR(0)), 0);
	assert_int_equal(reg_get(t, MPIC_MSISR), 0);
	assert_int_equal(active_get(t, MPIC_MSI_SRC0), 0);
	eoi(t, 0);
	assert_int_equal(line(t, 0, CPU_LINE_IRQ), 0);

	/* signal_msi: the data is an MSIIR value, the address ignored. */
	assert_int_equal(device_signal_msi(t->dev, 0x1234, 7u << 29 | 31u << 24,
					   0), 0);
	assert_int_equal(reg_get(t, MPIC_MSISR), 0x80);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 1), 0xe7);
	assert_int_equal(reg_get(t, MPIC_MSIR(7)), 0x80000000);
	eoi(t, 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	mpic_t_free(t);
}

static void test_v20_critical(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);
	unsigned int changes;

	/* IDR[CI1]: critical to CPU 1, even while IVPR[MSK] is set. */
	reg_set(t, MPIC_IDR(70), MPIC_IDR_CI0 >> 1);
	assert_int_equal(device_set_irq(t->dev, 70, 1), 0);
	assert_int_equal(line(t, 1, CPU_LINE_CRIT), 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	assert_int_equal(line(t, 0, CPU_LINE_CRIT), 0);
	assert_true(reg_get(t, MPIC_IVPR(70)) & MPIC_IVPR_ACTIVITY);
	/* Nothing to acknowledge on INT. */
	reg_set(t, MPIC_CPU(1) + MPIC_CTPR, 0);
	assert_int_equal(iack(t, 1), SPURIOUS);
	assert_int_equal(line(t, 1, CPU_LINE_CRIT), 1);
	assert_int_equal(device_set_irq(t->dev, 70, 0), 0);
	assert_int_equal(line(t, 1, CPU_LINE_CRIT), 0);

	/* Both kinds of bit: critical wins; clearing CI goes back to INT. */
	reg_set(t, MPIC_IVPR(70), ivpr(3, 0x70, true));
	reg_set(t, MPIC_IDR(70), MPIC_IDR_CI0 | 2);
	assert_int_equal(device_set_irq(t->dev, 70, 1), 0);
	assert_int_equal(line(t, 0, CPU_LINE_CRIT), 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	reg_set(t, MPIC_IDR(70), 2);
	assert_int_equal(line(t, 0, CPU_LINE_CRIT), 0);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_int_equal(device_set_irq(t->dev, 70, 0), 0);

	/* An edge routed critical is a one-shot pulse. */
	reg_set(t, MPIC_IVPR(6), ivpr(3, 0x6, false));
	reg_set(t, MPIC_IDR(6), MPIC_IDR_CI0);
	changes = t->fh->line_changes;
	assert_int_equal(device_set_irq(t->dev, 6, 1), 0);
	assert_int_equal(t->fh->line_changes, changes + 2);
	assert_int_equal(line(t, 0, CPU_LINE_CRIT), 0);
	assert_int_equal(active_get(t, 6), 0);
	mpic_t_free(t);
}

static void test_v42_ilr_outputs(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	setup_src(t, 90, 3, 0x90, true, 2);
	reg_set(t, MPIC_ILR(90), MPIC_ILR_CINT);
	assert_int_equal(device_set_irq(t->dev, 90, 1), 0);
	assert_int_equal(line(t, 1, CPU_LINE_CRIT), 1);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	/* Moving the output moves the line. */
	reg_set(t, MPIC_ILR(90), MPIC_ILR_MCP);
	assert_int_equal(line(t, 1, CPU_LINE_CRIT), 0);
	assert_int_equal(line(t, 1, CPU_LINE_MCHECK), 1);
	/* v4.2 critical and machine check honour the mask. */
	reg_set(t, MPIC_IVPR(90), MPIC_IVPR_MASK | ivpr(3, 0x90, true));
	assert_int_equal(line(t, 1, CPU_LINE_MCHECK), 0);
	reg_set(t, MPIC_IVPR(90), ivpr(3, 0x90, true));
	assert_int_equal(line(t, 1, CPU_LINE_MCHECK), 1);
	/* Two sources on one output: the line holds until both drop. */
	setup_src(t, 91, 3, 0x91, true, 2);
	reg_set(t, MPIC_ILR(91), MPIC_ILR_MCP);
	assert_int_equal(device_set_irq(t->dev, 91, 1), 0);
	assert_int_equal(device_set_irq(t->dev, 90, 0), 0);
	assert_int_equal(line(t, 1, CPU_LINE_MCHECK), 1);
	assert_int_equal(device_set_irq(t->dev, 91, 0), 0);
	assert_int_equal(line(t, 1, CPU_LINE_MCHECK), 0);
	/* Back to INT. */
	reg_set(t, MPIC_ILR(90), MPIC_ILR_INT);
	assert_int_equal(device_set_irq(t->dev, 90, 1), 0);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 1), 0x90);
	mpic_t_free(t);
}

static void test_timers(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);
	const struct mpic_iface *ifc = mpic_iface_of(t->dev);

	reg_set(t, MPIC_GTVPR(1), ivpr(3, 0x77, false));
	reg_set(t, MPIC_GTDR(1), 2);
	reg_set(t, MPIC_CPU(1) + MPIC_CTPR, 0);
	/* Count-inhibited (the reset state): nothing happens. */
	assert_int_equal(ifc->timer_expire(t->dev, 1), -EBUSY);
	assert_int_equal(ifc->timer_expire(t->dev, 4), -EINVAL);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	/* The count never moves by itself. */
	reg_set(t, MPIC_GTBCR(1), 1000);
	assert_int_equal(reg_get(t, MPIC_GTCCR(1)), 0);
	assert_int_equal(ifc->timer_expire(t->dev, 1), 0);
	assert_int_equal(reg_get(t, MPIC_GTCCR(1)), MPIC_TCCR_TOG);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_int_equal(iack(t, 1), 0x77);
	eoi(t, 1);
	assert_int_equal(ifc->timer_expire(t->dev, 1), 0);
	assert_int_equal(reg_get(t, MPIC_GTCCR(1)), 0);
	assert_int_equal(iack(t, 1), 0x77);
	eoi(t, 1);
	/* Inhibit and re-enable: TOG restarts clear. */
	assert_int_equal(ifc->timer_expire(t->dev, 1), 0);
	assert_int_equal(iack(t, 1), 0x77);
	eoi(t, 1);
	reg_set(t, MPIC_GTBCR(1), MPIC_TBCR_CI | 1000);
	assert_int_equal(reg_get(t, MPIC_GTCCR(1)), MPIC_TCCR_TOG);
	reg_set(t, MPIC_GTBCR(1), 1000);
	assert_int_equal(reg_get(t, MPIC_GTCCR(1)), 0);
	/* A masked timer latches its expiry. */
	reg_set(t, MPIC_GTVPR(1), MPIC_IVPR_MASK | ivpr(3, 0x77, false));
	assert_int_equal(ifc->timer_expire(t->dev, 1), 0);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 0);
	reg_set(t, MPIC_GTVPR(1), ivpr(3, 0x77, false));
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	/* v2.0 GTDR critical bits route the timer critical. */
	reg_set(t, MPIC_GTDR(0), MPIC_IDR_CI0);
	reg_set(t, MPIC_GTBCR(0), 10);
	{
		unsigned int changes = t->fh->line_changes;

		assert_int_equal(ifc->timer_expire(t->dev, 0), 0);
		assert_int_equal(t->fh->line_changes, changes + 2);
	}
	mpic_t_free(t);
}

/* Destinations and FRR[NCPU] follow the VM's vCPU count. */
static void test_vcpu_count(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 1);

	reg_set(t, MPIC_IVPR(40), ivpr(3, 0x40, true));
	reg_set(t, MPIC_CPU(1) + MPIC_CTPR, 0);
	/* Only CPU 0 exists: IDR bit 1 is dropped. */
	reg_set(t, MPIC_IDR(40), 3);
	assert_int_equal(reg_get(t, MPIC_IDR(40)), 1);
	assert_int_equal(reg_get(t, MPIC_FRR) >> 8 & 0x1f, 0);
	/* A second vCPU appears (created after the MPIC). */
	t->fh->nr_vcpus = 2;
	reg_set(t, MPIC_IDR(40), 2);
	assert_int_equal(device_set_irq(t->dev, 40, 1), 0);
	assert_int_equal(line(t, 1, CPU_LINE_IRQ), 1);
	assert_int_equal(reg_get(t, MPIC_FRR) >> 8 & 0x1f, 1);
	mpic_t_free(t);
}

struct hammer {
	struct mpic_t *t;
	int cpu;
	unsigned int taken;
};

/* A vCPU thread: IPI the other CPU, take whatever arrives, EOI it. */
static void *hammer_thread(void *arg)
{
	struct hammer *h = arg;

	for (int i = 0; i < 3000; i++) {
		g_write(h->t, h->cpu, MPIC_IPIDR(i & 3), 1u << (1 - h->cpu));
		if (g_read(h->t, h->cpu, MPIC_IACK) != SPURIOUS) {
			h->taken++;
			g_write(h->t, h->cpu, MPIC_EOI, 0);
		}
		g_write(h->t, h->cpu, MPIC_CTPR, i & 1);
	}
	return NULL;
}

/* Concurrent guest accesses from two vCPU threads (run under ASan too). */
static void test_concurrent_vcpus(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	struct hammer h[2] = { { t, 0, 0 }, { t, 1, 0 } };
	pthread_t th[2];

	for (int n = 0; n < MPIC_NR_IPI; n++)
		reg_set(t, MPIC_IPIVPR(n), ivpr(2 + n, 0x100 + n, false));
	for (int c = 0; c < 2; c++)
		assert_int_equal(pthread_create(&th[c], NULL, hammer_thread,
						&h[c]), 0);
	for (int c = 0; c < 2; c++)
		assert_int_equal(pthread_join(th[c], NULL), 0);
	/* However the threads were scheduled, the second one took some. */
	assert_true(h[0].taken + h[1].taken > 0);
	/* Drain: each pending IPI is taken once, then all is quiet. */
	for (int c = 0; c < 2; c++) {
		g_write(t, c, MPIC_CTPR, 0);
		for (int i = 0; i < 2 * MPIC_NR_IPI; i++) {
			iack(t, c);
			eoi(t, c);
		}
		assert_int_equal(line(t, c, CPU_LINE_IRQ), 0);
		assert_int_equal(iack(t, c), SPURIOUS);
	}
	for (int n = 0; n < MPIC_NR_IPI; n++)
		assert_false(reg_get(t, MPIC_IPIVPR(n)) & MPIC_IVPR_ACTIVITY);
	mpic_t_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_source),
		cmocka_unit_test(test_edge_source),
		cmocka_unit_test(test_external_sense_switch),
		cmocka_unit_test(test_ctpr_masking),
		cmocka_unit_test(test_iack_eoi_nesting),
		cmocka_unit_test(test_priority_ties_and_spurious),
		cmocka_unit_test(test_ipis),
		cmocka_unit_test(test_multicast_and_reroute),
		cmocka_unit_test(test_msi),
		cmocka_unit_test(test_v20_critical),
		cmocka_unit_test(test_v42_ilr_outputs),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_vcpu_count),
		cmocka_unit_test(test_concurrent_vcpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
