// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 ITS on the testbench (--irqchip=gicv3-its): the guest puts
 * the LPI property table, a pending table per vCPU, the device and
 * collection tables, the ITTs and the command queue in its own RAM,
 * maps devices and events with MAPD/MAPC/MAPTI/MAPI, and sends MSIs
 * through the testbench's MSI generator, which writes the EventID to
 * GITS_TRANSLATER with a DeviceID as a PCI device would (a vCPU's own
 * write there carries none and is ignored, as in KVM).  The LPIs arrive
 * through KVM_INTERRUPT like any GICv3 interrupt; the guest checks their
 * IDs, targets and order, and the effect of MOVI, DISCARD, INT, CLEAR,
 * INV, INVALL and of commands that must be dropped.
 */
#include "check.h"
#include "gicv3.h"

#define MAX_CPUS 16
#define MAX_LOG 16
#define WAIT_SPINS 100000L	/* each ~6 us here; passing waits need < 3000 */

#define SGI_WAKE 15	/* releases vCPUs asleep after a failure */
#define ITS TB_ITS
#define DOORBELL (TB_ITS + GITS_TRANSLATER)
#define LPI_ID_BITS 14		/* PROPBASER.IDbits + 1: LPIs 8192..16383 */
#define NR_LPIS ((1u << LPI_ID_BITS) - GIC_LPI_BASE)

/* Device 1: events 0..15 to the LPIs below, collection 0 (vCPU 0). */
#define DEV 1
#define DEV_BITS 4
#define EV_FIRST 0	/* LPI 8192, 0x80: the first MSI */
#define EV_SENTINEL 1	/* LPI 8193, 0x80: "and nothing else came" */
#define EV_ORDER 2	/* LPIs 8194..8196: 0xa0, 0x80, 0x90 */
#define EV_MOVE 5	/* LPI 8197: MOVI while idle */
#define EV_MOVE_PEND 6	/* LPI 8198: MOVI while pending */
#define EV_INV 7	/* LPI 8199: disabled until INV */
#define EV_DISCARD 8	/* LPI 8200 */
#define EV_CLEAR 9	/* LPI 8201: INT and CLEAR */
#define EV_LATE 10	/* LPI 8202: mapped after a failing command */
#define EV_PRESET 15	/* LPI 8240: pending in vCPU 0's table at enable */
#define LPI_PRESET 8240
/* Device 2: MAPI, the EventID is the LPI. */
#define DEV_MAPI 2
#define DEV_MAPI_BITS 14
#define LPI_MAPI 8300
/* Device 3: event n to LPI 8448 + n on collection n (vCPU n). */
#define DEV_CPUS 3
#define DEV_CPUS_BITS 4
#define LPI_CPUS 8448
#define DEV_UNMAPPED 77
#define ICID_LAST 100	/* the last vCPU */
#define ICID_BAD 50	/* MAPC with an RDbase no vCPU has */
#define EV_NO_COLL 13	/* LPI 8205, on ICID_BAD */

static inline uint32_t lpi_of(uint32_t ev)
{
	return GIC_LPI_BASE + ev;
}

/* Tables in guest RAM, aligned as their registers need. */
static uint8_t prop_table[NR_LPIS] __attribute__((aligned(4096)));
static uint8_t pend_tables[MAX_CPUS][0x10000] __attribute__((aligned(0x10000)));
static uint64_t dev_table[0x10000 / 8] __attribute__((aligned(0x10000)));
static uint64_t coll_table[0x10000 / 8] __attribute__((aligned(0x10000)));
/* 4 KiB is enough, but KVM keeps only PA[51:16] of GITS_CBASER. */
static uint64_t cmdq[4096 / 8] __attribute__((aligned(0x10000)));
static uint64_t itt_dev[1 << DEV_BITS] __attribute__((aligned(256)));
static uint64_t itt_mapi[1 << DEV_MAPI_BITS] __attribute__((aligned(256)));
static uint64_t itt_cpus[1 << DEV_CPUS_BITS] __attribute__((aligned(256)));
static uint32_t cmd_wr;		/* our GITS_CWRITER */
static unsigned int nr_cmds;	/* commands written so far */

struct irq_log {
	volatile int n;
	volatile uint32_t id[MAX_LOG];
	volatile uint8_t rpr[MAX_LOG];
	volatile int spurious;
};

static struct irq_log logs[MAX_CPUS];
static volatile int aborted, skip_smp;

static void passed(int before, const char *what)
{
	check_passed("gicv3-its", before, what);
}

/* ---- interrupts (as in gicv3.c) ----------------------------------------- */

static void gic_irq(int vector)
{
	struct irq_log *l = &logs[this_vcpu()];
	uint32_t id = (uint32_t)icc_read(ICC_IAR1);
	int n = l->n;

	if (id == GIC_SPURIOUS) {
		l->spurious++;
		return;
	}
	if (id == SGI_WAKE)
		goto eoi;
	if (n < MAX_LOG) {
		l->id[n] = id;
		l->rpr[n] = (uint8_t)icc_read(ICC_RPR);
	}
	__atomic_store_n(&l->n, n + 1, __ATOMIC_SEQ_CST);
eoi:
	icc_write(ICC_EOIR1, id);
}

/*
 * vCPU 0 sent something that must not arrive, then EV_SENTINEL: when
 * the sentinel is in, anything else would be in too (the ITS and the
 * GIC act synchronously on the MMIO write).
 */
static void expect_only_sentinel(const char *what)
{
	logs[0].n = 0;
	msi_send(DEV, DOORBELL, EV_SENTINEL);
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == lpi_of(EV_SENTINEL),
	      "%s: took %d LPI(s) [%u %u], wanted only the sentinel %u", what,
	      logs[0].n, logs[0].id[0], logs[0].id[1], lpi_of(EV_SENTINEL));
}

static void wait_own(int cpu, int n)
{
	while (atomic_read(&logs[cpu].n) < n && !atomic_read(&aborted))
		wait_for_irq();
}

/* vCPU 0 polls everyone's count with a bound; the others sleep. */
static void await_all(int cpu, int ncpus, const int *want)
{
	if (cpu != 0) {
		wait_own(cpu, want[cpu]);
		return;
	}
	for (int t = 0; t < ncpus && !aborted; t++) {
		if (!spin_until(&logs[t].n, want[t], WAIT_SPINS)) {
			CHECK(0, "vCPU %d took %d LPI(s), wanted %d", t,
			      logs[t].n, want[t]);
			__atomic_store_n(&aborted, 1, __ATOMIC_SEQ_CST);
			/* Everyone else: leave wait_own(). */
			icc_write(ICC_SGI1R, SGI1R_IRM | SGI1R_INTID(SGI_WAKE));
		}
	}
}

static bool phase_start(int cpu)
{
	if (cpu == 0)
		skip_smp = atomic_read(&aborted);
	smp_barrier();
	return skip_smp;
}

/* ---- the command queue ------------------------------------------------ */

static void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t *c = &cmdq[cmd_wr / 8];

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = d3;
	cmd_wr = (cmd_wr + 32) % sizeof(cmdq);
	nr_cmds++;
}

/* Publish the queued commands; the ITS runs them before we go on. */
static void its_flush(void)
{
	uint64_t creadr;

	mmio_write64(ITS + GITS_CWRITER, cmd_wr);
	creadr = mmio_read64(ITS + GITS_CREADR);
	CHECK(creadr == cmd_wr, "GITS_CREADR 0x%lx, GITS_CWRITER 0x%x",
	      (unsigned long)creadr, cmd_wr);
}

static uint64_t dev_word(uint32_t cmd, uint32_t devid)
{
	return cmd | (uint64_t)devid << 32;
}

static void cmd_mapd(uint32_t devid, void *itt, uint32_t bits)
{
	its_cmd(dev_word(ITS_CMD_MAPD, devid), bits - 1,
		((uintptr_t)itt & ~0xffULL) | 1ULL << 63, 0);
}

static void cmd_mapc(uint32_t icid, uint32_t rdbase)
{
	its_cmd(ITS_CMD_MAPC, 0, icid | (uint64_t)rdbase << 16 | 1ULL << 63, 0);
}

static void cmd_mapti(uint32_t devid, uint32_t ev, uint32_t lpi, uint32_t icid)
{
	its_cmd(dev_word(ITS_CMD_MAPTI, devid), ev | (uint64_t)lpi << 32, icid,
		0);
}

static void cmd_mapi(uint32_t devid, uint32_t ev, uint32_t icid)
{
	its_cmd(dev_word(ITS_CMD_MAPI, devid), ev, icid, 0);
}

/* MOVI (with @icid), DISCARD, INT, CLEAR, INV: DeviceID and EventID. */
static void cmd_event(uint32_t cmd, uint32_t devid, uint32_t ev, uint32_t icid)
{
	its_cmd(dev_word(cmd, devid), ev, icid, 0);
}

static void cmd_invall(uint32_t icid)
{
	its_cmd(ITS_CMD_INVALL, 0, icid, 0);
}

static void cmd_sync(uint32_t rdbase)
{
	its_cmd(ITS_CMD_SYNC, 0, (uint64_t)rdbase << 16, 0);
}

static void set_prop(uint32_t lpi, uint8_t prio, bool enable)
{
	prop_table[lpi - GIC_LPI_BASE] = LPI_PROP(prio, enable);
}

/* ---- set-up ------------------------------------------------------------- */

static void check_ids(int ncpus)
{
	int f = atomic_read(&check_failures);
	uint32_t typer = mmio_read32(TB_GIC_DIST + GICD_TYPER);
	uint64_t gits_typer = mmio_read64(ITS + GITS_TYPER);

	CHECK((typer & GICD_TYPER_LPIS) && GICD_TYPER_IDBITS(typer) == 15,
	      "GICD_TYPER 0x%x: no LPIs or IDbits", typer);
	for (int t = 0; t < ncpus; t++)
		CHECK(mmio_read64(gicr_base(t) + GICR_TYPER) & GICR_TYPER_PLPIS,
		      "vCPU %d: GICR_TYPER.PLPIS clear", t);
	CHECK(gits_typer == 0x1ef71, "GITS_TYPER 0x%lx",
	      (unsigned long)gits_typer);
	CHECK(mmio_read32(ITS + GITS_IIDR) == 0x4b00043b, "GITS_IIDR 0x%x",
	      mmio_read32(ITS + GITS_IIDR));
	CHECK((mmio_read32(ITS + GITS_PIDR2) >> 4 & 0xf) == 3, "GITS_PIDR2");
	CHECK(mmio_read32(ITS + GITS_CTLR) == GITS_CTLR_QUIESCENT,
	      "GITS_CTLR 0x%x at reset", mmio_read32(ITS + GITS_CTLR));
	CHECK(GITS_BASER_TYPE(mmio_read64(ITS + GITS_BASER(0))) ==
	      GITS_BASER_TYPE_DEVICE &&
	      GITS_BASER_TYPE(mmio_read64(ITS + GITS_BASER(1))) ==
	      GITS_BASER_TYPE_COLLECTION &&
	      mmio_read64(ITS + GITS_BASER(2)) == 0, "GITS_BASER types");
	mmio_write32(TB_GIC_DIST + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	passed(f, "GICD_TYPER.LPIS, GICR_TYPER.PLPIS, GITS_TYPER 0x1ef71 (PLPIS, ITT entry 8, 16 ID and device bits), GITS_IIDR");
}

/* Every LPI the test uses gets its property byte before it is mapped. */
static void fill_prop_table(int ncpus)
{
	set_prop(lpi_of(EV_FIRST), 0x80, true);
	set_prop(lpi_of(EV_SENTINEL), 0x80, true);
	set_prop(lpi_of(EV_ORDER), 0xa0, true);
	set_prop(lpi_of(EV_ORDER + 1), 0x80, true);
	set_prop(lpi_of(EV_ORDER + 2), 0x90, true);
	set_prop(lpi_of(EV_MOVE), 0x80, true);
	set_prop(lpi_of(EV_MOVE_PEND), 0x80, true);
	set_prop(lpi_of(EV_INV), 0x80, false);
	set_prop(lpi_of(EV_DISCARD), 0x80, true);
	set_prop(lpi_of(EV_CLEAR), 0x80, true);
	set_prop(lpi_of(EV_LATE), 0x80, true);
	set_prop(lpi_of(EV_NO_COLL), 0x80, true);
	set_prop(LPI_PRESET, 0x90, true);
	set_prop(LPI_MAPI, 0x90, true);
	for (int t = 0; t < ncpus; t++)
		set_prop(LPI_CPUS + t, 0xa0, true);
}

static void setup_gic_lpis(int ncpus)
{
	uint64_t prop = (uintptr_t)prop_table | (LPI_ID_BITS - 1) |
			1ULL << 10 | 7ULL << 7;	/* inner shareable, RaWaWb */
	uint64_t got;

	fill_prop_table(ncpus);
	mmio_write64(gicr_base(0) + GICR_PROPBASER, prop);
	/* One PROPBASER for all redistributors (as KVM). */
	for (int t = 0; t < ncpus; t++) {
		got = mmio_read64(gicr_base(t) + GICR_PROPBASER);
		CHECK((got & 0xffffffffff000ULL) == (uintptr_t)prop_table &&
		      (got & 0x1f) == LPI_ID_BITS - 1,
		      "vCPU %d: GICR_PROPBASER 0x%lx", t, (unsigned long)got);
	}
	/* LPI_PRESET is pending in vCPU 0's table before LPIs are on. */
	pend_tables[0][LPI_PRESET / 8] |= 1u << (LPI_PRESET % 8);
}

/* Per vCPU: its pending table, then EnableLPIs; the CPU interface. */
static void setup_cpu(int cpu)
{
	uintptr_t rd = gicr_base(cpu);
	uint64_t pend = (uintptr_t)pend_tables[cpu] | 1ULL << 10 | 7ULL << 7;
	uint64_t got;

	mmio_write32(rd + GICR_WAKER, 0);
	mmio_write64(rd + GICR_PENDBASER, pend);
	got = mmio_read64(rd + GICR_PENDBASER);
	CHECK((got & 0xfffffffff0000ULL) == (uintptr_t)pend_tables[cpu],
	      "GICR_PENDBASER 0x%lx", (unsigned long)got);
	mmio_write32(rd + GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	CHECK(mmio_read32(rd + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS,
	      "GICR_CTLR 0x%x: EnableLPIs did not stick",
	      mmio_read32(rd + GICR_CTLR));
	/* The table bases are frozen while LPIs are on. */
	mmio_write64(rd + GICR_PENDBASER, pend + 0x10000);
	CHECK(mmio_read64(rd + GICR_PENDBASER) == got,
	      "GICR_PENDBASER changed with LPIs on");
	icc_write(ICC_PMR, 0xf0);
	icc_write(ICC_IGRPEN1, 1);
}

static void setup_baser(int n, void *table, uint64_t type)
{
	uint64_t v = (uintptr_t)table | GITS_BASER_VALID | GITS_BASER_PAGE_64K |
		     1ULL << 10 | 7ULL << 59;	/* inner shareable, RaWaWb */
	uint64_t got;

	mmio_write64(ITS + GITS_BASER(n), v);
	got = mmio_read64(ITS + GITS_BASER(n));
	CHECK((got & GITS_BASER_VALID) && GITS_BASER_TYPE(got) == type &&
	      GITS_BASER_ESZ(got) == 8 && (got & 0xffffffff0000ULL) ==
	      (uintptr_t)table && (got & 0x3ff) == (GITS_BASER_PAGE_64K |
						      0x000),
	      "GITS_BASER%d 0x%lx", n, (unsigned long)got);
}

/*
 * Tables and queue, then the mappings queued while the ITS is still
 * disabled: they run when GITS_CTLR.Enabled is set.
 */
static void setup_its(int ncpus)
{
	int f = atomic_read(&check_failures);
	uint64_t cbaser = (uintptr_t)cmdq | GITS_CBASER_VALID |
			  1ULL << 10 | 7ULL << 59;
	uint64_t got;

	setup_baser(0, dev_table, GITS_BASER_TYPE_DEVICE);
	setup_baser(1, coll_table, GITS_BASER_TYPE_COLLECTION);
	mmio_write64(ITS + GITS_CBASER, cbaser);
	got = mmio_read64(ITS + GITS_CBASER);
	CHECK((got & GITS_CBASER_VALID) && (got & 0xffffffffff000ULL) ==
	      (uintptr_t)cmdq && (got & 0xff) == 0, "GITS_CBASER 0x%lx",
	      (unsigned long)got);
	CHECK(mmio_read64(ITS + GITS_CREADR) == 0 &&
	      mmio_read64(ITS + GITS_CWRITER) == 0, "queue not empty");

	cmd_mapd(DEV, itt_dev, DEV_BITS);
	cmd_mapd(DEV_MAPI, itt_mapi, DEV_MAPI_BITS);
	cmd_mapd(DEV_CPUS, itt_cpus, DEV_CPUS_BITS);
	/* GITS_TYPER.PTA 0: RDbase is the processor number. */
	for (int t = 0; t < ncpus; t++) {
		uint64_t typer = mmio_read64(gicr_base(t) + GICR_TYPER);

		cmd_mapc((uint32_t)t, GICR_TYPER_PROCNUM(typer));
	}
	cmd_mapc(ICID_LAST, (uint32_t)ncpus - 1);
	for (uint32_t ev = EV_FIRST; ev <= EV_CLEAR; ev++)
		cmd_mapti(DEV, ev, lpi_of(ev), 0);
	cmd_mapti(DEV, EV_PRESET, LPI_PRESET, 0);
	cmd_mapi(DEV_MAPI, LPI_MAPI, 0);
	for (int t = 0; t < ncpus; t++)
		cmd_mapti(DEV_CPUS, (uint32_t)t, LPI_CPUS + (uint32_t)t,
			  (uint32_t)t);
	cmd_sync(0);
	mmio_write64(ITS + GITS_CWRITER, cmd_wr);
	CHECK(mmio_read64(ITS + GITS_CREADR) == 0 &&
	      !(mmio_read32(ITS + GITS_CTLR) & GITS_CTLR_QUIESCENT),
	      "a disabled ITS ran commands");
	mmio_write32(ITS + GITS_CTLR, GITS_CTLR_ENABLED);
	CHECK(mmio_read32(ITS + GITS_CTLR) ==
	      (GITS_CTLR_ENABLED | GITS_CTLR_QUIESCENT), "GITS_CTLR 0x%x",
	      mmio_read32(ITS + GITS_CTLR));
	CHECK(mmio_read64(ITS + GITS_CREADR) == cmd_wr,
	      "GITS_CREADR 0x%lx after enabling, GITS_CWRITER 0x%x",
	      (unsigned long)mmio_read64(ITS + GITS_CREADR), cmd_wr);
	/* Writes to BASER and CBASER are ignored while enabled. */
	mmio_write64(ITS + GITS_CBASER, 0);
	CHECK(mmio_read64(ITS + GITS_CBASER) == got,
	      "GITS_CBASER changed while enabled");
	passed(f, "property table (PROPBASER), pending tables (PENDBASER), EnableLPIs, device and collection tables (GITS_BASER0/1), command queue (GITS_CBASER): MAPD/MAPC/MAPTI/MAPI/SYNC queued while disabled ran at GITS_CTLR.Enabled");
}

/* ---- vCPU 0 --------------------------------------------------------------- */

static void test_preset(void)
{
	int f = atomic_read(&check_failures);

	logs[0].n = 0;
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == LPI_PRESET,
	      "took %d LPI(s) [%u], wanted %u from the pending table",
	      logs[0].n, logs[0].id[0], LPI_PRESET);
	CHECK(!(pend_tables[0][LPI_PRESET / 8] >> (LPI_PRESET % 8) & 1),
	      "the consumed pending bit is still set in RAM");
	passed(f, "LPI 8240 pending in vCPU 0's table at EnableLPIs: taken once, its bit consumed");
}

static void test_msi(void)
{
	int f = atomic_read(&check_failures);

	logs[0].n = 0;
	msi_send(DEV, DOORBELL, EV_FIRST);
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == lpi_of(EV_FIRST) &&
	      logs[0].rpr[0] == 0x80,
	      "MSI: took %d LPI(s) [%u] at RPR 0x%x, wanted %u at 0x80",
	      logs[0].n, logs[0].id[0], logs[0].rpr[0], lpi_of(EV_FIRST));
	/* Nothing for the CPU's own write, an unknown device or event. */
	mmio_write32(DOORBELL, EV_FIRST);
	msi_send(DEV_UNMAPPED, DOORBELL, EV_FIRST);
	msi_send(DEV, DOORBELL, 12);
	msi_send(DEV, DOORBELL + 0x100000, EV_FIRST);	/* not the ITS */
	expect_only_sentinel("stray MSIs");
	logs[0].n = 0;
	msi_send(DEV_MAPI, DOORBELL, LPI_MAPI);
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == LPI_MAPI,
	      "MAPI: took %d LPI(s) [%u], wanted %u", logs[0].n,
	      logs[0].id[0], LPI_MAPI);
	passed(f, "MSIs (DeviceID 1 EventID 0 -> LPI 8192, MAPI DeviceID 2 EventID 8300 -> LPI 8300) through GITS_TRANSLATER; none for a CPU write, unknown DeviceID/EventID");
}

static void test_lpi_order(void)
{
	static const uint32_t want[] = { 8195, 8196, 8194 };
	static const uint32_t want2[] = { 8196, 8194, 8195 };
	int f = atomic_read(&check_failures);
	int i;

	logs[0].n = 0;
	for (i = 0; i < 3; i++)
		msi_send(DEV, DOORBELL, EV_ORDER + i);
	CHECK(icc_read(ICC_HPPIR1) == 8195, "HPPIR1 %lu",
	      (unsigned long)icc_read(ICC_HPPIR1));
	spin_until(&logs[0].n, 3, WAIT_SPINS);
	for (i = 0; i < 3; i++)
		CHECK(logs[0].n == 3 && logs[0].id[i] == want[i],
		      "LPI %d of 3 was %u, wanted %u", i, logs[0].id[i],
		      want[i]);
	CHECK(logs[0].rpr[0] == 0x80 && logs[0].rpr[1] == 0x90 &&
	      logs[0].rpr[2] == 0xa0, "RPR 0x%x 0x%x 0x%x", logs[0].rpr[0],
	      logs[0].rpr[1], logs[0].rpr[2]);

	/* New priorities: INVALL for two, GICR_INVLPIR for the third. */
	set_prop(8194, 0x70, true);
	set_prop(8195, 0xb0, true);
	cmd_invall(0);
	its_flush();
	set_prop(8196, 0x60, true);
	mmio_write64(gicr_base(0) + GICR_INVLPIR, 8196);
	logs[0].n = 0;
	for (i = 0; i < 3; i++)
		msi_send(DEV, DOORBELL, EV_ORDER + i);
	spin_until(&logs[0].n, 3, WAIT_SPINS);
	for (i = 0; i < 3; i++)
		CHECK(logs[0].n == 3 && logs[0].id[i] == want2[i],
		      "after INVALL, LPI %d of 3 was %u, wanted %u", i,
		      logs[0].id[i], want2[i]);

	/* A disabled LPI stays pending until enabled and invalidated. */
	logs[0].n = 0;
	msi_send(DEV, DOORBELL, EV_INV);
	CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS, "a disabled LPI is seen");
	set_prop(lpi_of(EV_INV), 0x80, true);
	cmd_event(ITS_CMD_INV, DEV, EV_INV, 0);
	its_flush();
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == lpi_of(EV_INV),
	      "INV: took %d LPI(s) [%u]", logs[0].n, logs[0].id[0]);
	passed(f, "LPIs 8195/8196/8194 taken in property-table priority order; INVALL and GICR_INVLPIR re-read priorities; a disabled LPI waited for INV");
}

static void test_discard_int_clear(void)
{
	int f = atomic_read(&check_failures);

	/* DISCARD drops a pending LPI and the mapping: later MSIs vanish. */
	msi_send(DEV, DOORBELL, EV_DISCARD);
	CHECK(icc_read(ICC_HPPIR1) == lpi_of(EV_DISCARD), "HPPIR1 %lu",
	      (unsigned long)icc_read(ICC_HPPIR1));
	cmd_event(ITS_CMD_DISCARD, DEV, EV_DISCARD, 0);
	its_flush();
	CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS, "DISCARD left it pending");
	msi_send(DEV, DOORBELL, EV_DISCARD);
	cmd_event(ITS_CMD_INT, DEV, EV_DISCARD, 0);
	its_flush();
	expect_only_sentinel("after DISCARD");

	/* INT makes it pending as an MSI would; CLEAR takes it back. */
	cmd_event(ITS_CMD_INT, DEV, EV_CLEAR, 0);
	its_flush();
	CHECK(icc_read(ICC_HPPIR1) == lpi_of(EV_CLEAR), "INT: HPPIR1 %lu",
	      (unsigned long)icc_read(ICC_HPPIR1));
	cmd_event(ITS_CMD_CLEAR, DEV, EV_CLEAR, 0);
	its_flush();
	CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS, "CLEAR left it pending");
	expect_only_sentinel("after CLEAR");
	logs[0].n = 0;
	cmd_event(ITS_CMD_INT, DEV, EV_CLEAR, 0);
	its_flush();
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == lpi_of(EV_CLEAR),
	      "INT: took %d LPI(s) [%u]", logs[0].n, logs[0].id[0]);
	passed(f, "DISCARD cleared a pending LPI and its mapping; INT raised LPI 8201, CLEAR withdrew it");
}

static void test_bad_commands(int ncpus)
{
	int f = atomic_read(&check_failures);
	/* Each is dropped; the queue goes on to the good MAPTI and INT. */
	cmd_mapti(DEV_UNMAPPED, 0, 8210, 0);
	cmd_mapc(ICID_BAD, (uint32_t)ncpus + 200);	/* no such RDbase */
	cmd_mapti(DEV, EV_LATE, 100, 0);		/* not an LPI */
	cmd_mapti(DEV, EV_LATE, 0x10000, 0);		/* past IDbits */
	cmd_mapti(DEV, 1u << DEV_BITS, 8211, 0);	/* EventID too big */
	its_cmd(0xff, 0, 0, 0);				/* no such command */
	cmd_event(ITS_CMD_INT, DEV_UNMAPPED, 0, 0);
	/* Mapped, but its collection is not: INT and MSIs go nowhere. */
	cmd_mapti(DEV, EV_NO_COLL, lpi_of(EV_NO_COLL), ICID_BAD);
	cmd_event(ITS_CMD_INT, DEV, EV_NO_COLL, 0);
	cmd_mapti(DEV, EV_LATE, lpi_of(EV_LATE), 0);
	cmd_event(ITS_CMD_INT, DEV, EV_LATE, 0);
	its_flush();
	logs[0].n = 0;
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == lpi_of(EV_LATE),
	      "took %d LPI(s) [%u], wanted only %u", logs[0].n, logs[0].id[0],
	      lpi_of(EV_LATE));
	msi_send(DEV_UNMAPPED, DOORBELL, 0);
	msi_send(DEV, DOORBELL, EV_NO_COLL);
	expect_only_sentinel("after the bad commands");

	/* Disabled, the ITS drops MSIs; enabled again, it translates. */
	mmio_write32(ITS + GITS_CTLR, 0);
	msi_send(DEV, DOORBELL, EV_FIRST);
	mmio_write32(ITS + GITS_CTLR, GITS_CTLR_ENABLED);
	expect_only_sentinel("MSI to a disabled ITS");

	/* Enough SYNCs to wrap the 128-slot queue, then one more INT. */
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 50; j++)
			cmd_sync(0);
		its_flush();
	}
	CHECK(nr_cmds > sizeof(cmdq) / 32, "only %u commands", nr_cmds);
	logs[0].n = 0;
	cmd_event(ITS_CMD_INT, DEV, EV_LATE, 0);
	its_flush();
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	CHECK(logs[0].n == 1 && logs[0].id[0] == lpi_of(EV_LATE),
	      "after the wrap: took %d LPI(s)", logs[0].n);
	passed(f, "bad commands (MAPTI for unmapped DeviceID 77, bad RDbase, LPI or EventID out of range, unknown command) dropped, GITS_CREADR went on; queue wrapped");
}

/* ---- every vCPU ------------------------------------------------------- */

static void test_lpi_per_cpu(int cpu, int ncpus)
{
	static int want[MAX_CPUS];
	int f = atomic_read(&check_failures);

	logs[cpu].n = 0;
	want[cpu] = 1;
	if (phase_start(cpu))
		return;
	if (cpu == 0)
		for (int t = 0; t < ncpus; t++)
			msi_send(DEV_CPUS, DOORBELL, (uint32_t)t);
	await_all(cpu, ncpus, want);
	smp_barrier();
	CHECK(logs[cpu].n == 1 && logs[cpu].id[0] == LPI_CPUS + (uint32_t)cpu,
	      "took %d LPI(s) [%u], wanted %u", logs[cpu].n, logs[cpu].id[0],
	      LPI_CPUS + cpu);
	smp_barrier();
	if (cpu == 0)
		passed(f, "MSIs of DeviceID 3 reached each vCPU through its own collection (MAPC RDbase = processor number)");
}

static void test_movi(int cpu, int ncpus)
{
	static int want[MAX_CPUS];
	int last = ncpus - 1, f = atomic_read(&check_failures);

	logs[cpu].n = 0;
	want[cpu] = cpu == last ? 2 : 0;
	if (phase_start(cpu))
		return;
	if (cpu == 0) {
		/* Idle: later MSIs follow the new collection. */
		cmd_event(ITS_CMD_MOVI, DEV, EV_MOVE, ICID_LAST);
		its_flush();
		msi_send(DEV, DOORBELL, EV_MOVE);
		if (last != 0)
			CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS,
			      "moved LPI still comes to vCPU 0");
		/* Pending: the pending state moves along. */
		if (last != 0) {
			cmd_event(ITS_CMD_MOVI, DEV, EV_MOVE_PEND, ICID_LAST);
			msi_send(DEV, DOORBELL, EV_MOVE_PEND);
			CHECK(icc_read(ICC_HPPIR1) == lpi_of(EV_MOVE_PEND),
			      "HPPIR1 %lu before MOVI",
			      (unsigned long)icc_read(ICC_HPPIR1));
			its_flush();
			CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS,
			      "MOVI left the pending LPI on vCPU 0");
		} else {
			msi_send(DEV, DOORBELL, EV_MOVE_PEND);
		}
	}
	await_all(cpu, ncpus, want);
	smp_barrier();
	if (cpu == last) {
		bool a = false, b = false;

		for (int i = 0; i < logs[cpu].n && i < MAX_LOG; i++) {
			a |= logs[cpu].id[i] == lpi_of(EV_MOVE);
			b |= logs[cpu].id[i] == lpi_of(EV_MOVE_PEND);
		}
		CHECK(logs[cpu].n == 2 && a && b,
		      "took %d LPI(s) [%u %u], wanted %u and %u", logs[cpu].n,
		      logs[cpu].id[0], logs[cpu].id[1], lpi_of(EV_MOVE),
		      lpi_of(EV_MOVE_PEND));
	} else {
		CHECK(logs[cpu].n == 0, "took %d LPI(s) [%u], wanted none",
		      logs[cpu].n, logs[cpu].id[0]);
	}
	smp_barrier();
	if (cpu == 0)
		passed(f, "MOVI to the last vCPU's collection: an idle LPI's next MSI and a pending LPI both went there");
}

int main(int cpu, int ncpus)
{
	set_irq_handler(TB_VECTOR_IRQ, gic_irq);
	if (ncpus > MAX_CPUS) {
		if (cpu == 0)
			printf("gicv3-its: at most %d vCPUs\n", MAX_CPUS);
		return 2;
	}
	if (cpu == 0) {
		if (!(mmio_read32(TB_GIC_DIST + GICD_TYPER) & GICD_TYPER_LPIS)) {
			/* vCPU 0's return stops the VM: nobody waits. */
			printf("gicv3-its: no LPIs (GICD_TYPER.LPIS clear): run with --irqchip=gicv3-its\n");
			return 1;
		}
		check_ids(ncpus);
		setup_gic_lpis(ncpus);
	}
	smp_barrier();
	setup_cpu(cpu);
	smp_barrier();
	if (cpu == 0) {
		setup_its(ncpus);
		test_preset();
		test_msi();
		test_lpi_order();
		test_discard_int_clear();
		test_bad_commands(ncpus);
	}
	smp_barrier();
	test_lpi_per_cpu(cpu, ncpus);
	test_movi(cpu, ncpus);
	if (logs[cpu].spurious)
		printf("gicv3-its: vCPU %d read %d spurious INTID(s)\n", cpu,
		       logs[cpu].spurious);
	smp_barrier();
	if (cpu != 0)
		return 0;
	if (check_failures) {
		printf("gicv3-its: %d check(s) failed on %d vCPU(s)\n",
		       check_failures, ncpus);
		return 1;
	}
	printf("gicv3-its: all checks passed on %d vCPU(s)\n", ncpus);
	return 0;
}
