// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS script (arm-vgic-its.txt, and the LPI parts of arm-vgic-v3.txt):
 * ITS address and register errors, registers at reset and programmed,
 * PROPBASER/PENDBASER and EnableLPIs, a command queue in guest RAM with
 * good and bad MAPD/MAPC/MAPTI/MAPI/MOVI/INV/INVALL/DISCARD/INT/CLEAR/
 * MOVALL/SYNC, MSIs, SAVE_PENDING_TABLES and ITS SAVE_TABLES (every table
 * byte recorded), RESTORE_TABLES into a fresh VM, and tables outside RAM.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"

#define NR_VCPUS 4
#define GRP_ITS KVM_DEV_ARM_VGIC_GRP_ITS_REGS
#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR

/* Guest RAM layout. */
#define PROP_TABLE (CONF_RAM_BASE + 0x10000)
#define PEND_TABLE(cpu) (CONF_RAM_BASE + 0x20000 + 0x10000ULL * (cpu))
#define PEND_SIZE 0x2000	/* 2^16 LPI bits */
#define CMDQ (CONF_RAM_BASE + 0x60000)
#define DEV_TABLE (CONF_RAM_BASE + 0x70000)
#define COLL_TABLE (CONF_RAM_BASE + 0x80000)
#define ITT(n) (CONF_RAM_BASE + 0x100000 + 0x20000ULL * (n))
#define DOORBELL (V3_ITS_BASE + 0x10040)

#define GITS_CTLR 0x0
#define GITS_IIDR 0x4
#define GITS_TYPER 0x8
#define GITS_CBASER 0x80
#define GITS_CWRITER 0x88
#define GITS_CREADR 0x90
#define GITS_BASER(n) (0x100 + 8 * (n))

#define V63 (1ULL << 63)
/* Inner shareable, inner RaWaWb: what Linux programs. */
#define ATTRS (1ULL << 10 | 7ULL << 59)

enum { MOVI = 1, INT = 3, CLEAR = 4, SYNC = 5, MAPD = 8, MAPC = 9,
       MAPTI = 0xa, MAPI = 0xb, INV = 0xc, INVALL = 0xd, MOVALL = 0xe,
       DISCARD = 0xf };

struct its_run {
	struct ctx *c;
	struct device *gic;
	struct device *its;
	uint32_t cwriter;
};

static int its_set(struct ctx *c, struct device *its, uint32_t off,
		   uint64_t val)
{
	char name[32];

	snprintf(name, sizeof(name), "ITS 0x%05x", off);
	return c_set(c, its, GRP_ITS, off, val, 8, name);
}

static int its_get(struct ctx *c, struct device *its, uint32_t off,
		   uint64_t *val)
{
	char name[32];

	snprintf(name, sizeof(name), "ITS 0x%05x", off);
	return c_get(c, its, GRP_ITS, off, 8, val, name);
}

static void its_sweep(struct ctx *c, struct device *its)
{
	char name[32];

	for (uint32_t off = 0; off < 0x140; off += 4) {
		snprintf(name, sizeof(name), "ITS 0x%05x", off);
		c_get(c, its, GRP_ITS, off, 8, NULL, name);
		c_has(c, its, GRP_ITS, off, name);
	}
	for (uint32_t off = 0xffd0; off < 0x10000; off += 4) {
		snprintf(name, sizeof(name), "ITS 0x%05x", off);
		c_get(c, its, GRP_ITS, off, 8, NULL, name);
		c_has(c, its, GRP_ITS, off, name);
	}
	its_get(c, its, 0x10040, NULL);
	its_get(c, its, 0x20000, NULL);
}

/* 32-bit halves, as the doc asks for 64-bit redistributor registers. */
static void rd_set64(struct ctx *c, struct device *gic, int cpu,
		     uint32_t off, uint64_t val)
{
	v3_rd_set(c, gic, cpu, off, (uint32_t)val);
	v3_rd_set(c, gic, cpu, off + 4, (uint32_t)(val >> 32));
}

static void rd_dump(struct ctx *c, struct device *gic)
{
	static const uint32_t offs[] = { 0x0, 0x8, 0xc, 0x70, 0x74, 0x78,
					 0x7c };

	for (int cpu = 0; cpu < c->e->nr_vcpus; cpu++)
		for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
			v3_rd_get(c, gic, cpu, offs[i]);
	v3_dist_get(c, gic, 0x4);
}

static void cmd(struct its_run *r, uint64_t d0, uint64_t d1, uint64_t d2,
		uint64_t d3)
{
	uint64_t w[4] = { d0, d1, d2, d3 };
	uint8_t *p = env_ram(r->c->e, CMDQ + r->cwriter);

	for (int i = 0; i < 32; i++)
		p[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
	r->cwriter = (r->cwriter + 32) % 0x1000;
}

static void mapd(struct its_run *r, uint32_t dev, uint32_t bits, uint64_t itt,
		 bool valid)
{
	cmd(r, MAPD | (uint64_t)dev << 32, bits - 1,
	    (valid ? V63 : 0) | itt, 0);
}

static void mapc(struct its_run *r, uint32_t icid, uint32_t rd, bool valid)
{
	cmd(r, MAPC, 0, (valid ? V63 : 0) | (uint64_t)rd << 16 | icid, 0);
}

static void mapti(struct its_run *r, uint32_t dev, uint32_t ev, uint32_t lpi,
		  uint32_t icid)
{
	cmd(r, MAPTI | (uint64_t)dev << 32, ev | (uint64_t)lpi << 32, icid, 0);
}

static void ev_cmd(struct its_run *r, int nr, uint32_t dev, uint32_t ev,
		   uint32_t icid)
{
	cmd(r, (uint64_t)nr | (uint64_t)dev << 32, ev, icid, 0);
}

/* Run the queued commands: CWRITER, then where CREADR got to. */
static void run_cmds(struct its_run *r)
{
	its_set(r->c, r->its, GITS_CWRITER, r->cwriter);
	its_get(r->c, r->its, GITS_CREADR, NULL);
	its_get(r->c, r->its, GITS_CWRITER, NULL);
	its_get(r->c, r->its, GITS_CTLR, NULL);
}

static void msi(struct its_run *r, uint64_t addr, uint32_t dev, uint32_t ev)
{
	int ret = env_msi(r->c->e, r->its, addr, ev, dev);

	rec_val(r->c->rec, ret, 0, "MSI addr 0x%llx devid %u event %u",
		(unsigned long long)addr, dev, ev);
}

/* Property table, pending tables (first kB a pattern, LPI 8200 preset). */
static void fill_tables(struct env *e)
{
	uint8_t *prop = env_ram(e, PROP_TABLE);

	for (int i = 0; i < 512; i++)
		prop[i] = (uint8_t)(0xa1 - (i % 4) * 0x10);
	prop[8195 - 8192] = 0xa0;	/* disabled */
	for (int cpu = 0; cpu < NR_VCPUS; cpu++)
		memset(env_ram(e, PEND_TABLE(cpu)), 0x5a, 1024);
	((uint8_t *)env_ram(e, PEND_TABLE(0)))[8200 / 8] |= 1 << (8200 % 8);
}

/* GIC + ITS with addresses, both initialised; redistributors' LPIs on. */
static void its_vm(struct its_run *r, bool enable_lpis)
{
	struct ctx *c = r->c;

	r->gic = v3_create(c);
	r->its = must_create(c->e, KVM_DEV_TYPE_ARM_VGIC_ITS);
	c_set(c, r->its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, V3_ITS_BASE, 8,
	      "ITS ADDR");
	c_ctrl(c, r->gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "GIC INIT");
	c_ctrl(c, r->its, KVM_DEV_ARM_VGIC_CTRL_INIT, "ITS INIT");
	r->cwriter = 0;
	if (!enable_lpis)
		return;
	/* IDbits 15: 16-bit INTIDs. */
	rd_set64(c, r->gic, 0, 0x70, PROP_TABLE | ATTRS | 15);
	for (int cpu = 0; cpu < NR_VCPUS; cpu++)
		rd_set64(c, r->gic, cpu, 0x78, PEND_TABLE(cpu) | ATTRS |
			 (cpu == 2 ? 1ULL << 62 : 0));
	/* vCPU 3 keeps its LPIs off. */
	for (int cpu = 0; cpu < NR_VCPUS - 1; cpu++)
		v3_rd_set(c, r->gic, cpu, 0x0, 1);
}

static void its_tables_on(struct its_run *r)
{
	struct ctx *c = r->c;

	its_set(c, r->its, GITS_BASER(0), V63 | DEV_TABLE | ATTRS);
	its_set(c, r->its, GITS_BASER(1), V63 | COLL_TABLE | ATTRS);
	its_set(c, r->its, GITS_CBASER, V63 | CMDQ | ATTRS);
	its_set(c, r->its, GITS_CTLR, 1);
}

static void addr_errors(struct ctx *c, enum backend_choice b)
{
	struct env e;
	struct device *gic, *its;

	rec_area(c->rec, "its.addr");
	must_open(&e, b, 1);
	c->e = &e;
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V3);
	its = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_ITS);
	c_get(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, 8, NULL, "ITS ADDR");
	its_get(c, its, GITS_CTLR, NULL);
	c_ctrl(c, its, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS SAVE_TABLES");
	c_ctrl(c, its, KVM_DEV_ARM_ITS_RESTORE_TABLES, "ITS RESTORE_TABLES");
	for (uint64_t t = 0; t < 6; t++)
		c_has(c, its, GRP_ADDR, t, "ITS ADDR type");
	c_set(c, its, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, V3_ITS_BASE, 8,
	      "ITS ADDR type 2");
	c_get(c, its, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 8, NULL,
	      "ITS ADDR type 2");
	c_set(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, V3_ITS_BASE + 0x1000,
	      8, "ITS ADDR");
	c_set(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, 1ULL << 40, 8,
	      "ITS ADDR");
	c_set(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, (1ULL << 40) - 0x10000,
	      8, "ITS ADDR");
	c_set_badptr(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, "ITS ADDR");
	c_set(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, V3_ITS_BASE, 8,
	      "ITS ADDR");
	c_set(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, V3_ITS_BASE + 0x40000,
	      8, "ITS ADDR");
	c_get(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, 8, NULL, "ITS ADDR");
	c_get_badptr(c, its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, "ITS ADDR");
	/* Register and CTRL errors. */
	rec_area(c->rec, "its.attr-errors");
	for (uint64_t a = 0; a < 6; a++)
		c_has(c, its, KVM_DEV_ARM_VGIC_GRP_CTRL, a, "ITS CTRL");
	c_ctrl(c, its, 3, "ITS 3");
	c_ctrl(c, its, 99, "ITS 99");
	c_get(c, its, KVM_DEV_ARM_VGIC_GRP_CTRL, 0, 8, NULL, "ITS CTRL 0");
	its_get(c, its, 0x84, NULL);
	its_get(c, its, 0x102, NULL);
	its_get(c, its, 0x2, NULL);
	its_get(c, its, 0x40, NULL);
	its_set(c, its, 0x40, 0);
	its_set(c, its, 0x104, 0);
	c_has(c, its, GRP_ITS, 0x104, "ITS 0x00104");
	c_has(c, its, GRP_ITS, 0x2, "ITS 0x00002");
	c_set_badptr(c, its, GRP_ITS, GITS_CBASER, "ITS CBASER");
	c_get_badptr(c, its, GRP_ITS, GITS_CBASER, "ITS CBASER");
	for (uint32_t grp = 0; grp < 12; grp++)
		c_has(c, its, grp, 0, "ITS group, attr 0");
	c_set(c, its, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0, 0, 4, "ITS DIST 0");
	c_set(c, its, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 64, 4, "ITS NR_IRQS");
	/* Before the GIC's CTRL_INIT. */
	c_ctrl(c, its, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS SAVE_TABLES");
	c_ctrl(c, its, KVM_DEV_ARM_ITS_RESTORE_TABLES, "ITS RESTORE_TABLES");
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "GIC INIT");
	c_ctrl(c, its, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS SAVE_TABLES");
	c_ctrl(c, its, KVM_DEV_ARM_ITS_RESTORE_TABLES, "ITS RESTORE_TABLES");
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
	       "GIC SAVE_PENDING_TABLES");
	env_close(&e);
}

static void regs(struct its_run *r)
{
	struct ctx *c = r->c;
	struct device *its = r->its;
	uint64_t iidr = 0;

	rec_area(c->rec, "its.reset");
	its_sweep(c, its);
	rec_area(c->rec, "its.regs");
	its_get(c, its, GITS_IIDR, &iidr);
	its_set(c, its, GITS_IIDR, 0x1000);
	its_set(c, its, GITS_IIDR, 0);
	c_set_derived(c, its, GRP_ITS, GITS_IIDR, iidr ^ 1, 8,
		      "ITS IIDR implementer ^ 1");
	its_get(c, its, GITS_IIDR, NULL);
	its_set(c, its, GITS_TYPER, 0);
	its_set(c, its, GITS_CTLR, 1);
	its_get(c, its, GITS_CTLR, NULL);
	/* BASER: page size, shareability, cacheability, type, indirect. */
	its_set(c, its, GITS_BASER(0), V63 | DEV_TABLE | 2ULL << 10);
	its_get(c, its, GITS_BASER(0), NULL);
	its_set(c, its, GITS_BASER(0), ~0ULL);
	its_get(c, its, GITS_BASER(0), NULL);
	its_set(c, its, GITS_BASER(1), V63 | 1ULL << 62 | COLL_TABLE |
		7ULL << 53 | 1ULL << 8 | 3);
	its_get(c, its, GITS_BASER(1), NULL);
	its_set(c, its, GITS_BASER(2), V63 | 0x40000000);
	its_get(c, its, GITS_BASER(2), NULL);
	its_set(c, its, GITS_CBASER, V63 | CMDQ | 2ULL << 10 | 0xf000 | 1);
	its_get(c, its, GITS_CBASER, NULL);
	its_set(c, its, GITS_CBASER, ~0ULL);
	its_get(c, its, GITS_CBASER, NULL);
	its_set(c, its, GITS_CBASER, V63 | CMDQ | ATTRS);
	its_set(c, its, GITS_CREADR, 0x40);
	its_get(c, its, GITS_CREADR, NULL);
	its_set(c, its, GITS_CREADR, 0x47);
	its_get(c, its, GITS_CREADR, NULL);
	its_set(c, its, GITS_CREADR, 0x1000);
	its_set(c, its, GITS_CREADR, 0x100000);
	its_get(c, its, GITS_CREADR, NULL);
	its_set(c, its, GITS_CWRITER, 0x2000);
	its_get(c, its, GITS_CWRITER, NULL);
	its_set(c, its, GITS_CBASER, V63 | CMDQ | ATTRS);
	its_get(c, its, GITS_CREADR, NULL);
	its_get(c, its, GITS_CWRITER, NULL);
	its_set(c, its, GITS_BASER(0), V63 | DEV_TABLE | ATTRS);
	its_set(c, its, GITS_BASER(1), V63 | COLL_TABLE | ATTRS);
	its_set(c, its, GITS_CTLR, 1);
	its_get(c, its, GITS_CTLR, NULL);
	/* Enabled: CBASER, BASER and CREADR are frozen. */
	its_set(c, its, GITS_CBASER, V63 | (CMDQ + 0x10000) | ATTRS);
	its_set(c, its, GITS_BASER(1), V63 | (COLL_TABLE + 0x10000) | ATTRS);
	its_set(c, its, GITS_CREADR, 0x20);
	rec_area(c->rec, "its.programmed");
	its_sweep(c, its);
}

static void commands(struct its_run *r)
{
	struct ctx *c = r->c;

	rec_area(c->rec, "its.cmds");
	mapc(r, 0, 0, true);
	mapc(r, 1, 1, true);
	mapc(r, 2, 3, true);
	mapc(r, 3, 2, true);
	mapd(r, 1, 5, ITT(0), true);
	mapd(r, 5, 14, ITT(1), true);
	mapd(r, 1000, 2, ITT(2), true);
	mapti(r, 1, 0, 8192, 0);
	mapti(r, 1, 1, 8193, 1);
	mapti(r, 1, 3, 8195, 0);
	mapti(r, 1, 4, 8196, 2);
	mapti(r, 1, 5, 8197, 3);
	ev_cmd(r, MAPI, 5, 8200, 0);
	mapti(r, 1000, 0, 8300, 1);
	mapti(r, 1000, 1, 8301, 1);
	cmd(r, SYNC, 0, 0, 0);
	run_cmds(r);

	rec_area(c->rec, "its.bad-cmds");
	mapd(r, 0x10000, 2, ITT(3), true);
	mapd(r, 9000, 2, ITT(3), true);
	mapd(r, 2, 20, ITT(3), true);
	mapti(r, 1, 2, 100, 0);
	mapti(r, 7, 0, 8210, 0);
	mapti(r, 1, 40, 8211, 0);
	mapti(r, 1, 0, 8220, 0);
	mapc(r, 5, 9, true);
	mapti(r, 1, 6, 70000, 0);
	cmd(r, 0xff, 0, 0, 0);
	mapti(r, 1, 7, 8198, 7);
	ev_cmd(r, INT, 1, 7, 0);
	ev_cmd(r, MOVI, 1, 0, 9);
	ev_cmd(r, INV, 1, 30, 0);
	cmd(r, INVALL, 0, 9, 0);
	cmd(r, MOVALL, 0, 9ULL << 16, 0);
	run_cmds(r);

	rec_area(c->rec, "its.msi");
	msi(r, DOORBELL, 1, 0);
	msi(r, DOORBELL, 1, 1);
	msi(r, DOORBELL, 1, 4);
	msi(r, DOORBELL, 1, 9);
	msi(r, DOORBELL, 77, 0);
	msi(r, DOORBELL, 1000, 1);
	msi(r, DOORBELL, 1, 5);
	msi(r, V3_ITS_BASE, 1, 3);
	msi(r, V3_ITS_BASE + 0x20000, 1, 0);
	msi(r, 0x1000, 1, 0);

	rec_area(c->rec, "its.cmds2");
	ev_cmd(r, MOVI, 1, 0, 1);
	ev_cmd(r, INT, 1, 3, 0);
	ev_cmd(r, CLEAR, 1, 1, 0);
	ev_cmd(r, DISCARD, 1000, 0, 0);
	ev_cmd(r, INV, 1, 3, 0);
	cmd(r, INVALL, 0, 0, 0);
	mapd(r, 5, 14, ITT(1), false);
	ev_cmd(r, INT, 1000, 1, 0);
	cmd(r, MOVALL, 0, 1ULL << 16, 2ULL << 16);
	mapc(r, 3, 2, false);
	cmd(r, SYNC, 0, 0, 0);
	run_cmds(r);
}

/* Every table in guest RAM, after the two saves. */
static void save(struct its_run *r)
{
	struct ctx *c = r->c;

	c_ctrl(c, r->gic, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
	       "GIC SAVE_PENDING_TABLES");
	c_ctrl(c, r->its, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS SAVE_TABLES");
	for (int cpu = 0; cpu < NR_VCPUS; cpu++) {
		char name[32];

		snprintf(name, sizeof(name), "pending table of cpu%d", cpu);
		c_ram(c, PEND_TABLE(cpu), PEND_SIZE, name);
	}
	c_ram(c, DEV_TABLE, 0x10000, "device table");
	c_ram(c, COLL_TABLE, 0x10000, "collection table");
	c_ram(c, ITT(0), 0x100, "ITT of device 1");
	c_ram(c, ITT(1), 0x20000, "ITT of device 5");
	c_ram(c, ITT(2), 0x100, "ITT of device 1000");
	c_ram(c, PROP_TABLE, 0x200, "property table");
	rd_dump(c, r->gic);
	its_sweep(c, r->its);
}

static void sub_area(struct record *rec, const char *area, const char *sub)
{
	char name[24];

	snprintf(name, sizeof(name), "%s%s", area, sub);
	rec_area(rec, name);
}

/*
 * The ITS restore sequence into a fresh VM with RAM copied, of backend
 * @b: the same one, or the other one (a snapshot moving between them).
 */
static void restore(struct its_run *old, enum backend_choice b,
		    const char *area)
{
	struct ctx *c = old->c, nc = { .rec = c->rec };
	struct its_run r = { .c = &nc };
	struct env e;
	uint64_t v[6] = { 0 };
	static const uint32_t offs[] = { GITS_IIDR, GITS_CBASER,
					 GITS_CWRITER, GITS_CREADR,
					 GITS_BASER(0), GITS_BASER(1) };

	sub_area(c->rec, area, "");
	for (int i = 0; i < 6; i++)
		its_get(c, old->its, offs[i], &v[i]);
	must_open(&e, b, NR_VCPUS);
	nc.e = &e;
	memcpy(e.ram, c->e->ram, CONF_RAM_SIZE);
	its_vm(&r, true);
	for (int i = 0; i < 6; i++) {
		char name[40];

		snprintf(name, sizeof(name), "ITS 0x%05x as saved", offs[i]);
		c_set_derived(&nc, r.its, GRP_ITS, offs[i], v[i], 8, name);
	}
	c_ctrl(&nc, r.its, KVM_DEV_ARM_ITS_RESTORE_TABLES,
	       "ITS RESTORE_TABLES");
	its_set(&nc, r.its, GITS_CTLR, 1);
	its_sweep(&nc, r.its);
	/* The restored translations work. */
	msi(&r, DOORBELL, 1, 3);
	msi(&r, DOORBELL, 1000, 0);
	msi(&r, DOORBELL, 1, 5);
	r.cwriter = (uint32_t)v[2];
	ev_cmd(&r, INT, 1, 1, 0);
	mapti(&r, 1000, 0, 8310, 0);
	run_cmds(&r);
	sub_area(c->rec, area, "-save");
	save(&r);
	sub_area(c->rec, area, "-twice");
	c_ctrl(&nc, r.its, KVM_DEV_ARM_ITS_RESTORE_TABLES,
	       "ITS RESTORE_TABLES again, enabled");
	its_set(&nc, r.its, GITS_CTLR, 0);
	c_ctrl(&nc, r.its, KVM_DEV_ARM_ITS_RESTORE_TABLES,
	       "ITS RESTORE_TABLES a third time, disabled");
	c_ctrl(&nc, r.its, KVM_DEV_ARM_ITS_CTRL_RESET, "ITS RESET");
	its_sweep(&nc, r.its);
	env_close(&e);
}

/* Tables and queues outside guest RAM. */
static void outside_ram(struct ctx *c, enum backend_choice b)
{
	struct its_run r = { .c = c };
	struct env e;

	rec_area(c->rec, "its.outside-ram");
	must_open(&e, b, NR_VCPUS);
	c->e = &e;
	fill_tables(&e);
	its_vm(&r, true);
	/* vCPU 1's pending table is outside RAM (set before EnableLPIs). */
	its_tables_on(&r);
	mapc(&r, 0, 0, true);
	mapc(&r, 1, 1, true);
	mapd(&r, 1, 2, ITT(0), true);
	mapti(&r, 1, 0, 8192, 0);
	mapti(&r, 1, 1, 8193, 1);
	mapd(&r, 2, 2, CONF_OUTSIDE_RAM, true);
	mapti(&r, 2, 0, 8194, 0);
	ev_cmd(&r, INT, 1, 0, 0);
	ev_cmd(&r, INT, 1, 1, 0);
	run_cmds(&r);
	msi(&r, DOORBELL, 2, 0);
	its_set(c, r.its, GITS_CTLR, 0);
	its_set(c, r.its, GITS_BASER(1), V63 | CONF_OUTSIDE_RAM | ATTRS);
	c_ctrl(c, r.its, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS SAVE_TABLES");
	its_set(c, r.its, GITS_BASER(1), V63 | COLL_TABLE | ATTRS);
	its_set(c, r.its, GITS_BASER(0), V63 | CONF_OUTSIDE_RAM | ATTRS);
	c_ctrl(c, r.its, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS SAVE_TABLES");
	c_ctrl(c, r.its, KVM_DEV_ARM_ITS_RESTORE_TABLES, "ITS RESTORE_TABLES");
	its_set(c, r.its, GITS_BASER(0), V63 | DEV_TABLE | ATTRS);
	c_ctrl(c, r.its, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS SAVE_TABLES");
	c_ram(c, DEV_TABLE, 0x40, "device table");
	/* A command queue outside RAM drains without effect. */
	its_set(c, r.its, GITS_CBASER, V63 | CONF_OUTSIDE_RAM | ATTRS);
	its_set(c, r.its, GITS_CTLR, 1);
	its_set(c, r.its, GITS_CWRITER, 0x60);
	its_get(c, r.its, GITS_CREADR, NULL);
	env_close(&e);

	/* BASER0 invalidated under a device with a pending LPI. */
	rec_area(c->rec, "its.baser-invalid");
	must_open(&e, b, 2);
	c->e = &e;
	fill_tables(&e);
	its_vm(&r, true);
	its_tables_on(&r);
	mapc(&r, 0, 0, true);
	mapd(&r, 1, 2, ITT(0), true);
	mapti(&r, 1, 0, 8192, 0);
	mapti(&r, 1, 1, 8193, 0);
	ev_cmd(&r, INT, 1, 0, 0);
	run_cmds(&r);
	its_set(c, r.its, GITS_CTLR, 0);
	its_set(c, r.its, GITS_BASER(0), DEV_TABLE | ATTRS);
	its_set(c, r.its, GITS_BASER(0), V63 | DEV_TABLE | ATTRS);
	its_set(c, r.its, GITS_CTLR, 1);
	msi(&r, DOORBELL, 1, 1);
	c_ctrl(c, r.gic, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
	       "GIC SAVE_PENDING_TABLES");
	c_ram(c, PEND_TABLE(0), PEND_SIZE, "pending table of cpu0");
	env_close(&e);

	rec_area(c->rec, "its.pend-outside-ram");
	must_open(&e, b, 2);
	c->e = &e;
	fill_tables(&e);
	r.gic = v3_create(c);
	r.its = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_ITS);
	c_set(c, r.its, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, V3_ITS_BASE, 8,
	      "ITS ADDR");
	c_ctrl(c, r.gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "GIC INIT");
	r.cwriter = 0;
	rd_set64(c, r.gic, 0, 0x70, PROP_TABLE | ATTRS | 15);
	rd_set64(c, r.gic, 0, 0x78, CONF_OUTSIDE_RAM | ATTRS);
	rd_set64(c, r.gic, 1, 0x78, PEND_TABLE(1) | ATTRS);
	v3_rd_set(c, r.gic, 0, 0x0, 1);
	v3_rd_set(c, r.gic, 1, 0x0, 1);
	its_tables_on(&r);
	mapc(&r, 0, 0, true);
	mapd(&r, 1, 2, ITT(0), true);
	mapti(&r, 1, 0, 8192, 0);
	ev_cmd(&r, INT, 1, 0, 0);
	run_cmds(&r);
	c_ctrl(c, r.gic, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
	       "GIC SAVE_PENDING_TABLES");
	env_close(&e);
}

int script_its(struct record *rec, enum backend_choice b)
{
	struct ctx c = { .rec = rec };
	struct its_run r = { .c = &c };
	struct env e;

	addr_errors(&c, b);

	rec_area(rec, "its.setup");
	must_open(&e, b, NR_VCPUS);
	c.e = &e;
	fill_tables(&e);
	its_vm(&r, false);
	rec_area(rec, "its.lpi-regs");
	rd_dump(&c, r.gic);
	rd_set64(&c, r.gic, 1, 0x70, ~0ULL);
	rd_dump(&c, r.gic);
	rd_set64(&c, r.gic, 0, 0x70, PROP_TABLE | 2ULL << 10 | 15);
	rd_set64(&c, r.gic, 0, 0x70, PROP_TABLE | ATTRS | 15);
	for (int cpu = 0; cpu < NR_VCPUS; cpu++)
		rd_set64(&c, r.gic, cpu, 0x78, PEND_TABLE(cpu) | ATTRS |
			 (cpu == 2 ? 1ULL << 62 : 0));
	for (int cpu = 0; cpu < NR_VCPUS - 1; cpu++)
		v3_rd_set(&c, r.gic, cpu, 0x0, 1);
	rd_dump(&c, r.gic);
	/* Frozen while LPIs are on. */
	rd_set64(&c, r.gic, 0, 0x70, (PROP_TABLE + 0x10000) | ATTRS | 15);
	rd_set64(&c, r.gic, 0, 0x78, PEND_TABLE(3) | ATTRS);
	rd_dump(&c, r.gic);

	regs(&r);
	commands(&r);
	rec_area(rec, "its.save");
	save(&r);
	restore(&r, b, "its.restore");
	restore(&r, b == BACKEND_KERNEL ? BACKEND_SOFT : BACKEND_KERNEL,
		"its.cross");
	env_close(&e);

	outside_ram(&c, b);
	return 0;
}
