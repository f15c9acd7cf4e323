// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv2 script (arm-vgic.txt): addresses, NR_IRQS, CTRL_INIT and the
 * implicit initialisation of a register access, every distributor and
 * CPU-interface offset of every vCPU at reset and programmed (groups
 * after GICD_IIDR, enables, priorities, targets, configuration, pending
 * and active latches, SGI pending sources, GICC_PMR's 5-bit format, the
 * APRs), and hostile accesses.
 */
#include <stdio.h>

#include "conf.h"

#define NR_VCPUS 3
#define NR_IRQS 128
#define DIST_BASE 0x08000000ULL
#define CPU_BASE 0x08010000ULL
#define GRP_DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_CPU KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_NR_IRQS KVM_DEV_ARM_VGIC_GRP_NR_IRQS

static uint64_t at(int cpu, uint32_t off)
{
	return (uint64_t)cpu << 32 | off;
}

static void reg_name(char *buf, size_t size, uint32_t grp, int cpu,
		     uint32_t off)
{
	snprintf(buf, size, "%s(cpu%d) 0x%04x",
		 grp == GRP_DIST ? "DIST" : "CPU", cpu, off);
}

static int set(struct ctx *c, struct device *gic, uint32_t grp, int cpu,
	       uint32_t off, uint32_t val)
{
	char name[32];

	reg_name(name, sizeof(name), grp, cpu, off);
	return c_set(c, gic, grp, at(cpu, off), val, 4, name);
}

static int get(struct ctx *c, struct device *gic, uint32_t grp, int cpu,
	       uint32_t off)
{
	char name[32];

	reg_name(name, sizeof(name), grp, cpu, off);
	return c_get(c, gic, grp, at(cpu, off), 4, NULL, name);
}

static void has(struct ctx *c, struct device *gic, uint32_t grp, int cpu,
		uint32_t off)
{
	char name[32];

	reg_name(name, sizeof(name), grp, cpu, off);
	c_has(c, gic, grp, at(cpu, off), name);
}

/* get, then has_attr under the same name (the kernel's word on holes). */
static void sweep(struct ctx *c, struct device *gic, uint32_t grp, int cpu,
		  uint32_t from, uint32_t to)
{
	char name[32];

	for (uint32_t off = from; off < to; off += 4) {
		get(c, gic, grp, cpu, off);
		reg_name(name, sizeof(name), grp, cpu, off);
		c_has(c, gic, grp, at(cpu, off), name);
	}
}

static void dump_state(struct ctx *c, struct device *gic)
{
	for (int cpu = 0; cpu < NR_VCPUS; cpu++) {
		sweep(c, gic, GRP_DIST, cpu, 0x000, 0x1000);
		sweep(c, gic, GRP_CPU, cpu, 0x00, 0x100);
		sweep(c, gic, GRP_CPU, cpu, 0x1000, 0x1004);
	}
}

static struct device *v2_create(struct ctx *c)
{
	struct device *gic = must_create(c->e, KVM_DEV_TYPE_ARM_VGIC_V2);

	c_set(c, gic, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, DIST_BASE, 8,
	      "ADDR DIST");
	c_set(c, gic, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, CPU_BASE, 8,
	      "ADDR CPU");
	c_set(c, gic, GRP_NR_IRQS, 0, NR_IRQS, 4, "NR_IRQS");
	return gic;
}

static void addresses(struct ctx *c, enum backend_choice b)
{
	struct env e;
	struct device *gic;

	rec_area(c->rec, "v2.addr");
	must_open(&e, b, NR_VCPUS);
	c->e = &e;
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V2);
	for (uint64_t t = 0; t < 6; t++) {
		c_has(c, gic, GRP_ADDR, t, "ADDR type");
		c_get(c, gic, GRP_ADDR, t, 8, NULL, "ADDR type");
	}
	c_set(c, gic, GRP_ADDR, 0, DIST_BASE + 0x800, 8, "ADDR DIST");
	c_set(c, gic, GRP_ADDR, 0, 1ULL << 40, 8, "ADDR DIST");
	c_set(c, gic, GRP_ADDR, 0, (1ULL << 40) - 0x1000, 8, "ADDR DIST");
	c_set_badptr(c, gic, GRP_ADDR, 0, "ADDR DIST");
	c_set(c, gic, GRP_ADDR, 0, DIST_BASE, 8, "ADDR DIST");
	c_set(c, gic, GRP_ADDR, 0, DIST_BASE + 0x2000, 8, "ADDR DIST");
	c_set(c, gic, GRP_ADDR, 1, CPU_BASE + 4, 8, "ADDR CPU");
	c_set(c, gic, GRP_ADDR, 1, CPU_BASE, 8, "ADDR CPU");
	c_set(c, gic, GRP_ADDR, 1, CPU_BASE, 8, "ADDR CPU");
	c_set(c, gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x09000000, 8,
	      "ADDR type 2");
	c_set(c, gic, GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, 0x09000000, 8,
	      "ADDR type 4");
	c_get(c, gic, GRP_ADDR, 0, 8, NULL, "ADDR DIST");
	c_get(c, gic, GRP_ADDR, 1, 8, NULL, "ADDR CPU");
	c_get_badptr(c, gic, GRP_ADDR, 1, "ADDR CPU");
	env_close(&e);

	/* The CPU interface over the distributor. */
	must_open(&e, b, 1);
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V2);
	c_set(c, gic, GRP_ADDR, 0, DIST_BASE, 8, "ADDR DIST");
	c_set(c, gic, GRP_ADDR, 1, DIST_BASE, 8, "ADDR CPU");
	env_close(&e);
}

static void nr_irqs_one(struct ctx *c, enum backend_choice b, uint32_t nr)
{
	struct env e;
	struct device *gic;

	must_open(&e, b, 1);
	c->e = &e;
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V2);
	c_set(c, gic, GRP_NR_IRQS, 0, nr, 4, "NR_IRQS");
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	env_close(&e);
}

static void init_rules(struct ctx *c, enum backend_choice b)
{
	static const uint32_t values[] = { 0, 32, 48, 64, 96, 1000, 1023,
					   1024, 1056 };
	struct env e;
	struct device *gic;

	rec_area(c->rec, "v2.nr_irqs");
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		nr_irqs_one(c, b, values[i]);

	rec_area(c->rec, "v2.ctrl");
	must_open(&e, b, 2);
	c->e = &e;
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V2);
	for (uint64_t a = 0; a < 6; a++)
		c_has(c, gic, KVM_DEV_ARM_VGIC_GRP_CTRL, a, "CTRL");
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	c_set(c, gic, GRP_NR_IRQS, 0, 96, 4, "NR_IRQS");
	c_set(c, gic, GRP_NR_IRQS, 0, 96, 4, "NR_IRQS");
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
	       "SAVE_PENDING_TABLES");
	c_ctrl(c, gic, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS_SAVE_TABLES");
	c_ctrl(c, gic, 99, "99");
	c_get(c, gic, KVM_DEV_ARM_VGIC_GRP_CTRL, 0, 8, NULL, "CTRL INIT");
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	c_set(c, gic, GRP_NR_IRQS, 0, 128, 4, "NR_IRQS");
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	get(c, gic, GRP_DIST, 0, 0x4);
	env_close(&e);

	/* A register access before CTRL_INIT. */
	rec_area(c->rec, "v2.implicit-init");
	must_open(&e, b, 2);
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V2);
	c_set(c, gic, GRP_NR_IRQS, 0, 64, 4, "NR_IRQS");
	get(c, gic, GRP_DIST, 0, 0x4);
	c_set(c, gic, GRP_NR_IRQS, 0, 96, 4, "NR_IRQS");
	get(c, gic, GRP_CPU, 1, 0x4);
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	get(c, gic, GRP_DIST, 0, 0x4);
	env_close(&e);
	must_open(&e, b, 2);
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V2);
	set(c, gic, GRP_CPU, 0, 0x4, 0x1f);
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	get(c, gic, GRP_DIST, 1, 0x4);
	get(c, gic, GRP_CPU, 0, 0x4);
	env_close(&e);
}

static void program_dist(struct ctx *c, struct device *gic)
{
	uint64_t iidr = 0;

	/* Groups are read-only until GICD_IIDR is written. */
	set(c, gic, GRP_DIST, 0, 0x84, 0xffff0000);
	get(c, gic, GRP_DIST, 0, 0x84);
	c_get(c, gic, GRP_DIST, 0x8, 4, &iidr, "DIST IIDR");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr ^ 1, 4,
		      "DIST IIDR implementer ^ 1");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr + 0x1000, 4,
		      "DIST IIDR revision + 1");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr & ~0xf000u, 4,
		      "DIST IIDR revision 0");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr, 4, "DIST IIDR as read");
	set(c, gic, GRP_DIST, 0, 0x84, 0xffff0000);
	set(c, gic, GRP_DIST, 1, 0x80, 0x0000ffff);
	set(c, gic, GRP_DIST, 0, 0x0, 0x3);
	get(c, gic, GRP_DIST, 0, 0x0);
	set(c, gic, GRP_DIST, 0, 0x0, 0x1);
	set(c, gic, GRP_DIST, 0, 0x4, 0);
	set(c, gic, GRP_DIST, 0, 0x104, 0x0000ff0f);
	set(c, gic, GRP_DIST, 0, 0x184, 0x00000003);
	set(c, gic, GRP_DIST, 0, 0x10c, 0xffffffff);
	set(c, gic, GRP_DIST, 0, 0x110, 0xffffffff);
	has(c, gic, GRP_DIST, 0, 0x110);
	set(c, gic, GRP_DIST, 0, 0x204, 0x00010003);
	set(c, gic, GRP_DIST, 0, 0x284, 0x00000001);
	set(c, gic, GRP_DIST, 0, 0x304, 0x00000100);
	set(c, gic, GRP_DIST, 0, 0x384, 0x00000000);
	set(c, gic, GRP_DIST, 0, 0x420, 0xff804020);
	set(c, gic, GRP_DIST, 0, 0x424, 0x01020304);
	set(c, gic, GRP_DIST, 0, 0x820, 0x01020487);
	set(c, gic, GRP_DIST, 0, 0x824, 0xffffffff);
	set(c, gic, GRP_DIST, 0, 0x800, 0xffffffff);
	set(c, gic, GRP_DIST, 0, 0xc08, 0xaaaaaaaa);
	set(c, gic, GRP_DIST, 0, 0xc0c, 0x5555000a);
	for (int cpu = 0; cpu < NR_VCPUS; cpu++) {
		set(c, gic, GRP_DIST, cpu, 0x100, 0x00ff00ffu ^ (1u << cpu));
		set(c, gic, GRP_DIST, cpu, 0x180, 0x00000003);
		set(c, gic, GRP_DIST, cpu, 0x200, 0x00010002u << cpu);
		set(c, gic, GRP_DIST, cpu, 0x280, 0x00010000);
		set(c, gic, GRP_DIST, cpu, 0x300, 0x00020004u << cpu);
		set(c, gic, GRP_DIST, cpu, 0x400, 0x10203040u + (uint32_t)cpu);
		set(c, gic, GRP_DIST, cpu, 0x41c, 0xffffffff);
		set(c, gic, GRP_DIST, cpu, 0xc00, 0xffffffff);
		set(c, gic, GRP_DIST, cpu, 0xc04, 0xaaaaaaaa);
		set(c, gic, GRP_DIST, cpu, 0xf20, 0x01020304u << cpu);
		set(c, gic, GRP_DIST, cpu, 0xf10, 0x00000001);
		get(c, gic, GRP_DIST, cpu, 0xf20);
	}
	/* GICD_SGIR is write-only; through the attribute interface? */
	set(c, gic, GRP_DIST, 0, 0xf00, 0x00020005);
	get(c, gic, GRP_DIST, 1, 0xf24);
}

static void program_cpu(struct ctx *c, struct device *gic, int cpu)
{
	set(c, gic, GRP_CPU, cpu, 0x00, 0xffffffff);
	get(c, gic, GRP_CPU, cpu, 0x00);
	set(c, gic, GRP_CPU, cpu, 0x00, 0x201);
	set(c, gic, GRP_CPU, cpu, 0x04, 0xff);
	get(c, gic, GRP_CPU, cpu, 0x04);
	set(c, gic, GRP_CPU, cpu, 0x04, 0x1e - (uint32_t)cpu);
	set(c, gic, GRP_CPU, cpu, 0x08, 0);
	get(c, gic, GRP_CPU, cpu, 0x08);
	set(c, gic, GRP_CPU, cpu, 0x08, 5);
	set(c, gic, GRP_CPU, cpu, 0x1c, 0);
	get(c, gic, GRP_CPU, cpu, 0x1c);
	set(c, gic, GRP_CPU, cpu, 0x1c, 6);
	set(c, gic, GRP_CPU, cpu, 0x0c, 0);
	has(c, gic, GRP_CPU, cpu, 0x0c);
	set(c, gic, GRP_CPU, cpu, 0x10, 0x20);
	has(c, gic, GRP_CPU, cpu, 0x10);
	set(c, gic, GRP_CPU, cpu, 0xd0, 0x80000001u >> cpu);
	set(c, gic, GRP_CPU, cpu, 0xd4, 0x1);
	set(c, gic, GRP_CPU, cpu, 0xdc, 0xffffffff);
	set(c, gic, GRP_CPU, cpu, 0xe0, 0x1);
	has(c, gic, GRP_CPU, cpu, 0xe0);
	set(c, gic, GRP_CPU, cpu, 0xfc, 0);
	set(c, gic, GRP_CPU, cpu, 0x1000, 0x21);
	has(c, gic, GRP_CPU, cpu, 0x1000);
}

static void hostile(struct ctx *c, struct device *gic)
{
	rec_area(c->rec, "v2.hostile");
	get(c, gic, GRP_DIST, NR_VCPUS, 0x4);
	set(c, gic, GRP_DIST, NR_VCPUS, 0x100, 1);
	get(c, gic, GRP_CPU, NR_VCPUS, 0x4);
	get(c, gic, GRP_DIST, 255, 0x4);
	c_get(c, gic, GRP_DIST, 1ULL << 40 | 0x4, 4, NULL,
	      "DIST(reserved bit 40) TYPER");
	has(c, gic, GRP_DIST, NR_VCPUS, 0x4);
	has(c, gic, GRP_CPU, 7, 0x4);
	get(c, gic, GRP_DIST, 0, 0x102);
	has(c, gic, GRP_DIST, 0, 0x102);
	set(c, gic, GRP_DIST, 0, 0x101, 1);
	has(c, gic, GRP_DIST, 0, 0x101);
	get(c, gic, GRP_DIST, 0, 0x1000);
	has(c, gic, GRP_DIST, 0, 0x1000);
	get(c, gic, GRP_CPU, 0, 0x2000);
	has(c, gic, GRP_CPU, 0, 0x2000);
	get(c, gic, GRP_CPU, 0, 0x6);
	has(c, gic, GRP_CPU, 0, 0x6);
	for (uint32_t grp = 0; grp < 12; grp++)
		c_has(c, gic, grp, 0, "group, attr 0");
	c_get(c, gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, 0, 4, NULL,
	      "REDIST_REGS 0");
	c_get(c, gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS, 0xc230, 8, NULL,
	      "CPU_SYSREGS PMR");
	c_get(c, gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, 32, 4, NULL,
	      "LEVEL_INFO 32");
	c_set(c, gic, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0, 0, 8, "ITS_REGS 0");
	c_set(c, gic, 99, 0, 0, 4, "group 99");
	c_set_badptr(c, gic, GRP_DIST, 0x0, "DIST CTLR");
	c_get_badptr(c, gic, GRP_DIST, 0x0, "DIST CTLR");
	c_set_badptr(c, gic, GRP_CPU, 0x4, "CPU PMR");
	c_get_badptr(c, gic, GRP_CPU, 0x4, "CPU PMR");
	c_set_badptr(c, gic, GRP_NR_IRQS, 0, "NR_IRQS");
	c_get_badptr(c, gic, GRP_NR_IRQS, 0, "NR_IRQS");
}

int script_v2(struct record *rec, enum backend_choice b)
{
	struct ctx c = { .rec = rec };
	struct env e;
	struct device *gic;

	addresses(&c, b);
	init_rules(&c, b);

	must_open(&e, b, NR_VCPUS);
	c.e = &e;
	rec_area(rec, "v2.setup");
	gic = v2_create(&c);
	c_ctrl(&c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	rec_area(rec, "v2.reset-state");
	dump_state(&c, gic);
	rec_area(rec, "v2.program-dist");
	program_dist(&c, gic);
	rec_area(rec, "v2.program-cpu");
	for (int cpu = 0; cpu < NR_VCPUS; cpu++)
		program_cpu(&c, gic, cpu);
	rec_area(rec, "v2.programmed-state");
	dump_state(&c, gic);
	hostile(&c, gic);
	env_close(&e);
	return 0;
}
