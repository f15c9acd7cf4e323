// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 script (arm-vgic-v3.txt): addresses and their errors,
 * NR_IRQS, CTRL_INIT, every distributor/redistributor offset and ICC_*
 * encoding at reset, then programmed state (groups, enables, priorities,
 * configuration, IROUTER, pending and active latches, STATUSR, IIDR),
 * LEVEL_INFO, CPU-interface registers, and hostile accesses.  Operations
 * whose outcome could differ and change later state run in a VM of
 * their own, so one difference never hides or fakes another.
 */
#include <stdio.h>
#include <stdlib.h>

#include "conf.h"

#define NR_VCPUS 4
#define GRP_DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_REDIST KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_SYSREGS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_LEVEL KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_NR_IRQS KVM_DEV_ARM_VGIC_GRP_NR_IRQS

#define SYSREG(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
#define ICC_PMR SYSREG(3, 0, 4, 6, 0)
#define ICC_BPR0 SYSREG(3, 0, 12, 8, 3)
#define ICC_AP0R0 SYSREG(3, 0, 12, 8, 4)
#define ICC_AP1R0 SYSREG(3, 0, 12, 9, 0)
#define ICC_IAR1 SYSREG(3, 0, 12, 12, 0)
#define ICC_BPR1 SYSREG(3, 0, 12, 12, 3)
#define ICC_CTLR SYSREG(3, 0, 12, 12, 4)
#define ICC_SRE SYSREG(3, 0, 12, 12, 5)
#define ICC_IGRPEN0 SYSREG(3, 0, 12, 12, 6)
#define ICC_IGRPEN1 SYSREG(3, 0, 12, 12, 7)

void must_open(struct env *e, enum backend_choice backend, int nr_vcpus)
{
	int ret = env_open(e, backend, nr_vcpus);

	if (ret) {
		printf("Bail out! cannot set up a VM with %d vCPUs: %d\n",
		       nr_vcpus, ret);
		exit(1);
	}
}

struct device *must_create(struct env *e, uint32_t type)
{
	struct device *d;
	int ret = env_device(e, type, &d);

	if (ret) {
		printf("Bail out! cannot create %s (%s backend): %d\n",
		       device_type_name(type),
		       e->backend == BACKEND_KERNEL ? "kernel" : "software",
		       ret);
		exit(1);
	}
	return d;
}

uint64_t v3_mpidr_attr(struct env *e, int cpu)
{
	uint64_t m = cpu < e->nr_vcpus ? e->mpidr[cpu] : (uint64_t)cpu;
	uint64_t aff = (m >> 32 & 0xff) << 24 | (m & 0xffffff);

	return aff << 32;
}

int v3_dist_set(struct ctx *c, struct device *gic, uint32_t off, uint32_t val)
{
	char name[32];

	snprintf(name, sizeof(name), "DIST 0x%04x", off);
	return c_set(c, gic, GRP_DIST, off, val, 4, name);
}

int v3_dist_get(struct ctx *c, struct device *gic, uint32_t off)
{
	char name[32];

	snprintf(name, sizeof(name), "DIST 0x%04x", off);
	return c_get(c, gic, GRP_DIST, off, 4, NULL, name);
}

int v3_rd_set(struct ctx *c, struct device *gic, int cpu, uint32_t off,
	      uint32_t val)
{
	char name[40];

	snprintf(name, sizeof(name), "REDIST(cpu%d) 0x%05x", cpu, off);
	return c_set(c, gic, GRP_REDIST, v3_mpidr_attr(c->e, cpu) | off, val,
		     4, name);
}

int v3_rd_get(struct ctx *c, struct device *gic, int cpu, uint32_t off)
{
	char name[40];

	snprintf(name, sizeof(name), "REDIST(cpu%d) 0x%05x", cpu, off);
	return c_get(c, gic, GRP_REDIST, v3_mpidr_attr(c->e, cpu) | off, 4,
		     NULL, name);
}

static int sys_set(struct ctx *c, struct device *gic, int cpu, uint32_t instr,
		   uint64_t val)
{
	char name[40];

	snprintf(name, sizeof(name), "SYSREG(cpu%d) 0x%04x", cpu, instr);
	return c_set(c, gic, GRP_SYSREGS, v3_mpidr_attr(c->e, cpu) | instr,
		     val, 8, name);
}

/* A write of a value derived from a get, named by @how. */
static int sys_set_d(struct ctx *c, struct device *gic, int cpu,
		     uint32_t instr, uint64_t val, const char *how)
{
	char name[64];

	snprintf(name, sizeof(name), "SYSREG(cpu%d) 0x%04x %s", cpu, instr,
		 how);
	return c_set_derived(c, gic, GRP_SYSREGS,
			     v3_mpidr_attr(c->e, cpu) | instr, val, 8, name);
}

static int sys_get(struct ctx *c, struct device *gic, int cpu, uint32_t instr,
		   uint64_t *val)
{
	char name[40];

	snprintf(name, sizeof(name), "SYSREG(cpu%d) 0x%04x", cpu, instr);
	return c_get(c, gic, GRP_SYSREGS, v3_mpidr_attr(c->e, cpu) | instr, 8,
		     val, name);
}

static int level_set(struct ctx *c, struct device *gic, int cpu,
		     uint32_t info, uint32_t intid, uint32_t val)
{
	char name[48];

	snprintf(name, sizeof(name), "LEVEL_INFO(cpu%d) info %u intid %u",
		 cpu, info, intid);
	return c_set(c, gic, GRP_LEVEL,
		     v3_mpidr_attr(c->e, cpu) | (uint64_t)info << 10 | intid,
		     val, 4, name);
}

static int level_get(struct ctx *c, struct device *gic, int cpu,
		     uint32_t info, uint32_t intid)
{
	char name[48];

	snprintf(name, sizeof(name), "LEVEL_INFO(cpu%d) info %u intid %u",
		 cpu, info, intid);
	return c_get(c, gic, GRP_LEVEL,
		     v3_mpidr_attr(c->e, cpu) | (uint64_t)info << 10 | intid,
		     4, NULL, name);
}

static int addr_set(struct ctx *c, struct device *gic, uint64_t type,
		    uint64_t val)
{
	char name[32];

	snprintf(name, sizeof(name), "ADDR type %llu",
		 (unsigned long long)type);
	return c_set(c, gic, GRP_ADDR, type, val, 8, name);
}

static int addr_get(struct ctx *c, struct device *gic, uint64_t type,
		    uint64_t preset)
{
	uint64_t v = preset;
	struct kvm_device_attr a = { .group = GRP_ADDR, .attr = type,
				     .addr = (uint64_t)(uintptr_t)&v };
	int ret = device_get_attr(gic, &a);

	rec_val(c->rec, ret, v, "get ADDR type %llu (preset 0x%llx)",
		(unsigned long long)type, (unsigned long long)preset);
	return ret;
}

static uint64_t region(uint64_t count, uint64_t base, uint64_t flags,
		       uint64_t index)
{
	return count << 52 | base | flags << 12 | index;
}

struct device *v3_create(struct ctx *c)
{
	struct device *gic = must_create(c->e, KVM_DEV_TYPE_ARM_VGIC_V3);

	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, V3_DIST_BASE);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
		 region(2, V3_REDIST_BASE, 0, 0));
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
		 region(2, V3_REDIST2_BASE, 0, 1));
	c_set(c, gic, GRP_NR_IRQS, 0, V3_NR_IRQS, 4, "NR_IRQS");
	return gic;
}

/* ---- addresses ---------------------------------------------------------- */

static void addresses(struct ctx *c, enum backend_choice b)
{
	struct env e;
	struct device *gic;
	uint64_t rd = KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION;

	rec_area(c->rec, "v3.addr");
	must_open(&e, b, NR_VCPUS);
	c->e = &e;
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V3);
	addr_get(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, 0);
	addr_get(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0);
	addr_get(c, gic, rd, 0);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, V3_DIST_BASE + 0x1000);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, 1ULL << 40);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, (1ULL << 40) - 0x10000);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, V3_DIST_BASE);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, V3_DIST_BASE + 0x10000);
	addr_get(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, 0);
	addr_set(c, gic, rd, region(0, V3_REDIST_BASE, 0, 0));
	addr_set(c, gic, rd, region(2, V3_REDIST_BASE, 1, 0));
	addr_set(c, gic, rd, region(2, V3_REDIST_BASE, 0, 1));
	addr_set(c, gic, rd, region(2, V3_REDIST_BASE + 0x1000, 0, 0));
	addr_set(c, gic, rd, region(2, V3_REDIST_BASE, 0, 0));
	addr_set(c, gic, rd, region(2, V3_REDIST2_BASE, 0, 0));
	addr_set(c, gic, rd, region(1, 0xffffff0000ULL, 0, 1));
	addr_set(c, gic, rd, region(2, V3_REDIST2_BASE, 0, 1));
	addr_set(c, gic, rd, region(2, 0x09000000, 0, 3));
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x09000000);
	for (uint64_t i = 0; i < 4; i++)
		addr_get(c, gic, rd, i);
	addr_get(c, gic, rd, 1ULL << 52 | 1);
	addr_get(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0);
	for (uint64_t t = 0; t < 8; t++)
		c_has(c, gic, GRP_ADDR, t, "ADDR");
	addr_set(c, gic, KVM_VGIC_V2_ADDR_TYPE_DIST, 0x09000000);
	addr_set(c, gic, KVM_VGIC_ITS_ADDR_TYPE, 0x09000000);
	addr_set(c, gic, 99, 0x09000000);
	addr_get(c, gic, 99, 0);
	c_set_badptr(c, gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, "ADDR");
	c_get_badptr(c, gic, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, "ADDR");
	env_close(&e);

	/* REDIST (the legacy single region) and its mixing. */
	rec_area(c->rec, "v3.addr-redist");
	must_open(&e, b, NR_VCPUS);
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V3);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, V3_REDIST_BASE + 0x8000);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, V3_REDIST_BASE);
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, V3_REDIST2_BASE);
	addr_get(c, gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0);
	addr_get(c, gic, rd, 0);
	addr_set(c, gic, rd, region(1, V3_REDIST2_BASE, 0, 0));
	/* The distributor inside the redistributors' range. */
	addr_set(c, gic, KVM_VGIC_V3_ADDR_TYPE_DIST, V3_REDIST_BASE + 0x20000);
	env_close(&e);
}

/* ---- NR_IRQS and CTRL --------------------------------------------------- */

static void nr_irqs_one(struct ctx *c, enum backend_choice b, uint32_t nr)
{
	struct env e;
	struct device *gic;

	must_open(&e, b, 1);
	c->e = &e;
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V3);
	c_set(c, gic, GRP_NR_IRQS, 0, nr, 4, "NR_IRQS");
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	env_close(&e);
}

static void nr_irqs_ctrl(struct ctx *c, enum backend_choice b)
{
	static const uint32_t values[] = { 0, 32, 48, 64, 96, 1000, 1023,
					   1024, 1056, 0x80000000 };
	struct env e;
	struct device *gic;

	rec_area(c->rec, "v3.nr_irqs");
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		nr_irqs_one(c, b, values[i]);

	must_open(&e, b, 2);
	c->e = &e;
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V3);
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	c_has(c, gic, GRP_NR_IRQS, 0, "NR_IRQS");
	c_set_badptr(c, gic, GRP_NR_IRQS, 0, "NR_IRQS");
	c_set(c, gic, GRP_NR_IRQS, 0, 96, 4, "NR_IRQS");
	c_set(c, gic, GRP_NR_IRQS, 0, 96, 4, "NR_IRQS");
	c_set(c, gic, GRP_NR_IRQS, 0, 128, 4, "NR_IRQS");
	c_get_badptr(c, gic, GRP_NR_IRQS, 0, "NR_IRQS");

	rec_area(c->rec, "v3.ctrl");
	for (uint64_t a = 0; a < 6; a++)
		c_has(c, gic, KVM_DEV_ARM_VGIC_GRP_CTRL, a, "CTRL");
	c_get(c, gic, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, 8,
	      NULL, "CTRL INIT");
	/* Registers before CTRL_INIT. */
	v3_dist_get(c, gic, 0x0);
	v3_rd_get(c, gic, 0, 0x8);
	sys_get(c, gic, 0, ICC_PMR, NULL);
	level_get(c, gic, 0, 0, 32);
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
	       "SAVE_PENDING_TABLES");
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	c_set(c, gic, GRP_NR_IRQS, 0, 128, 4, "NR_IRQS");
	c_ctrl(c, gic, KVM_DEV_ARM_ITS_SAVE_TABLES, "ITS_SAVE_TABLES");
	c_ctrl(c, gic, KVM_DEV_ARM_ITS_CTRL_RESET, "ITS_CTRL_RESET");
	c_ctrl(c, gic, 99, "99");
	/* No ITS, no LPIs: nothing to save. */
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
	       "SAVE_PENDING_TABLES");
	env_close(&e);

	/* CTRL_INIT without NR_IRQS: the default. */
	must_open(&e, b, 1);
	gic = must_create(&e, KVM_DEV_TYPE_ARM_VGIC_V3);
	c_ctrl(c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	c_get(c, gic, GRP_NR_IRQS, 0, 4, NULL, "NR_IRQS");
	v3_dist_get(c, gic, 0x4);
	env_close(&e);
}

/* ---- register sweeps ---------------------------------------------------- */

static void sweep_dist(struct ctx *c, struct device *gic, uint32_t from,
		       uint32_t to)
{
	char name[32];

	/* has_attr next to each get: the kernel's word on holes. */
	for (uint32_t off = from; off < to; off += 4) {
		v3_dist_get(c, gic, off);
		snprintf(name, sizeof(name), "DIST 0x%04x", off);
		c_has(c, gic, GRP_DIST, off, name);
	}
}

static void sweep_rd(struct ctx *c, struct device *gic, int cpu,
		     uint32_t from, uint32_t to)
{
	char name[40];

	for (uint32_t off = from; off < to; off += 4) {
		v3_rd_get(c, gic, cpu, off);
		snprintf(name, sizeof(name), "REDIST(cpu%d) 0x%05x", cpu, off);
		c_has(c, gic, GRP_REDIST, v3_mpidr_attr(c->e, cpu) | off,
		      name);
	}
}

static void sweep_sysregs(struct ctx *c, struct device *gic, int cpu)
{
	static const uint32_t crn[] = { 4, 12 };

	for (int n = 0; n < 2; n++)
		for (uint32_t crm = 0; crm < 16; crm++)
			for (uint32_t op2 = 0; op2 < 8; op2++)
				sys_get(c, gic, cpu,
					SYSREG(3, 0, crn[n], crm, op2), NULL);
}

/* Every register the state lives in (and the holes between them). */
static void dump_state(struct ctx *c, struct device *gic)
{
	sweep_dist(c, gic, 0x0000, 0x1000);
	sweep_dist(c, gic, 0x6000, 0x6000 + 8 * 160);
	sweep_dist(c, gic, 0xffd0, 0x10000);
	for (int cpu = 0; cpu < c->e->nr_vcpus; cpu++) {
		sweep_rd(c, gic, cpu, 0x0000, 0x0100);
		sweep_rd(c, gic, cpu, 0xffd0, 0x10000);
		sweep_rd(c, gic, cpu, 0x10000, 0x10d04);
		sweep_rd(c, gic, cpu, 0x10e00, 0x10e04);
		sweep_sysregs(c, gic, cpu);
		for (uint32_t intid = 0; intid < V3_NR_IRQS + 64; intid += 32)
			level_get(c, gic, cpu, 0, intid);
	}
}

/* ---- programmed state --------------------------------------------------- */

static void program_dist(struct ctx *c, struct device *gic)
{
	uint64_t iidr = 0;

	c_get(c, gic, GRP_DIST, 0x8, 4, &iidr, "DIST IIDR");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr, 4, "DIST IIDR as read");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr & ~0xf000u, 4,
		      "DIST IIDR revision 0");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr + 0x1000, 4,
		      "DIST IIDR revision + 1");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr ^ 1, 4,
		      "DIST IIDR implementer ^ 1");
	c_set_derived(c, gic, GRP_DIST, 0x8, iidr, 4, "DIST IIDR as read");
	v3_dist_set(c, gic, 0x0, 0x13);
	v3_dist_get(c, gic, 0x0);
	v3_dist_set(c, gic, 0x0, 0x2);
	v3_dist_set(c, gic, 0x4, 0);
	v3_dist_set(c, gic, 0xc, 0);
	v3_dist_set(c, gic, 0xc, 1);
	v3_dist_set(c, gic, 0x10, 0x5);
	v3_dist_get(c, gic, 0x10);
	v3_dist_set(c, gic, 0x10, 0xffffffff);
	v3_dist_set(c, gic, 0x80, 0);
	v3_dist_set(c, gic, 0x84, 0xffff0000);
	v3_dist_set(c, gic, 0x88, 0x12345678);
	v3_dist_set(c, gic, 0x104, 0x0000ff0f);
	v3_dist_set(c, gic, 0x184, 0x00000003);
	v3_dist_set(c, gic, 0x10c, 0xffffffff);
	v3_dist_set(c, gic, 0x110, 0xffffffff);
	c_has(c, gic, GRP_DIST, 0x110, "DIST 0x0110");
	v3_dist_set(c, gic, 0x420, 0xff804020);
	v3_dist_set(c, gic, 0x424, 0x01020304);
	v3_dist_set(c, gic, 0x47c, 0xa0b0c0d0);
	v3_dist_set(c, gic, 0x800, 0xffffffff);
	v3_dist_set(c, gic, 0x820, 0x01020304);
	v3_dist_set(c, gic, 0xc08, 0xaaaaaaaa);
	v3_dist_set(c, gic, 0xc0c, 0x5555000a);
	v3_dist_set(c, gic, 0xd04, 0xffffffff);
	/* IROUTER of SPIs 40..43: a vCPU, a missing one, Aff3, IRM. */
	v3_dist_set(c, gic, 0x6000 + 8 * 40,
		    (uint32_t)(v3_mpidr_attr(c->e, 2) >> 32));
	v3_dist_set(c, gic, 0x6000 + 8 * 40 + 4, 0);
	v3_dist_set(c, gic, 0x6000 + 8 * 41, 0x0000ff03);
	v3_dist_set(c, gic, 0x6000 + 8 * 42, 0x80000001);
	v3_dist_set(c, gic, 0x6000 + 8 * 42 + 4, 0x1);
	v3_dist_set(c, gic, 0x6000 + 8 * 43, 0x00ffffff);
	v3_dist_set(c, gic, 0x6000 + 8 * 43 + 4, 0xffffffff);
	v3_dist_set(c, gic, 0x6000 + 8 * 10, 0x3);
	/* Pending and active latches, and the RAZ/WI ICPENDR. */
	v3_dist_set(c, gic, 0x204, 0x00010003);
	v3_dist_get(c, gic, 0x284);
	v3_dist_set(c, gic, 0x284, 0x00000001);
	v3_dist_get(c, gic, 0x204);
	v3_dist_set(c, gic, 0x208, 0x80000000);
	v3_dist_set(c, gic, 0x304, 0x00000100);
	v3_dist_set(c, gic, 0x384, 0x00000000);
	v3_dist_set(c, gic, 0x308, 0x00000003);
	v3_dist_set(c, gic, 0x388, 0x00000001);
	/* Line levels of SPIs: level and edge ones. */
	level_set(c, gic, 0, 0, 32, 0x0003f000);
	level_set(c, gic, 3, 0, 64, 0x00000030);
	level_get(c, gic, 1, 0, 32);
	v3_dist_get(c, gic, 0x204);
	v3_dist_get(c, gic, 0x208);
}

static void program_redist(struct ctx *c, struct device *gic, int cpu)
{
	v3_rd_get(c, gic, cpu, 0x0);
	v3_rd_set(c, gic, cpu, 0x0, 0);
	v3_rd_get(c, gic, cpu, 0x14);
	v3_rd_set(c, gic, cpu, 0x14, 0x2);
	v3_rd_get(c, gic, cpu, 0x14);
	v3_rd_set(c, gic, cpu, 0x14, 0);
	v3_rd_set(c, gic, cpu, 0x8, 0);
	v3_rd_set(c, gic, cpu, 0x10, 0x3);
	v3_rd_get(c, gic, cpu, 0x10);
	v3_rd_set(c, gic, cpu, 0x10080, 0xffff00ffu ^ (uint32_t)cpu);
	v3_rd_set(c, gic, cpu, 0x10100, 0x0000ffffu | 1u << (16 + cpu));
	v3_rd_set(c, gic, cpu, 0x10180, 0x3);
	v3_rd_set(c, gic, cpu, 0x10400, 0x10203040u + (uint32_t)cpu);
	v3_rd_set(c, gic, cpu, 0x1041c, 0xffffffff);
	v3_rd_set(c, gic, cpu, 0x10c00, 0);
	v3_rd_set(c, gic, cpu, 0x10c04, 0xaaaaaaaa);
	v3_rd_set(c, gic, cpu, 0x10200, 1u << 1 | 1u << (20 + cpu));
	v3_rd_set(c, gic, cpu, 0x10280, 1u << 1);
	v3_rd_set(c, gic, cpu, 0x10300, 1u << 2 | 1u << 27);
	v3_rd_set(c, gic, cpu, 0x10380, 1u << 27);
	v3_rd_set(c, gic, cpu, 0x10d00, 0xffffffff);
	v3_rd_set(c, gic, cpu, 0x10e00, 0xffffffff);
	level_set(c, gic, cpu, 0, 0, 1u << (24 + cpu) | 0xffff);
	level_get(c, gic, cpu, 0, 0);
	v3_rd_get(c, gic, cpu, 0x10200);
}

static void program_sysregs(struct ctx *c, struct device *gic, int cpu)
{
	uint64_t ctlr = 0;

	sys_get(c, gic, cpu, ICC_SRE, NULL);
	sys_set(c, gic, cpu, ICC_SRE, 0x7);
	sys_set(c, gic, cpu, ICC_SRE, 0x0);
	sys_set(c, gic, cpu, ICC_SRE, 0x1);
	sys_get(c, gic, cpu, ICC_CTLR, &ctlr);
	sys_set_d(c, gic, cpu, ICC_CTLR, ctlr | 0x2, "read | EOImode");
	sys_set_d(c, gic, cpu, ICC_CTLR, ctlr | 7 << 8, "read | PRIbits 7");
	sys_set_d(c, gic, cpu, ICC_CTLR, (ctlr & ~(7ULL << 8)) | 3 << 8,
		  "read, PRIbits 3");
	sys_get(c, gic, cpu, ICC_CTLR, NULL);
	sys_set_d(c, gic, cpu, ICC_CTLR, ctlr | 1 << 14, "read | SEIS");
	sys_set_d(c, gic, cpu, ICC_CTLR, ctlr | 1 << 15, "read | A3V");
	sys_set_d(c, gic, cpu, ICC_CTLR, ctlr | 1 << 11, "read | IDbits 1");
	sys_set_d(c, gic, cpu, ICC_CTLR, ctlr | 0x3, "read | CBPR | EOImode");
	sys_set(c, gic, cpu, ICC_PMR, 0xf0);
	sys_get(c, gic, cpu, ICC_PMR, NULL);
	sys_set(c, gic, cpu, ICC_PMR, 0x1ff);
	sys_set(c, gic, cpu, ICC_BPR0, 0);
	sys_get(c, gic, cpu, ICC_BPR0, NULL);
	sys_set(c, gic, cpu, ICC_BPR1, 4);
	sys_get(c, gic, cpu, ICC_BPR1, NULL);
	sys_set(c, gic, cpu, ICC_BPR0, 5);
	sys_set(c, gic, cpu, ICC_AP0R0, 0x1);
	sys_set(c, gic, cpu, ICC_AP1R0, 0x80000000 >> cpu);
	sys_set(c, gic, cpu, ICC_AP0R0 + 1, 0x1);
	sys_set(c, gic, cpu, ICC_AP1R0 + 3, 0x1);
	sys_set(c, gic, cpu, ICC_IGRPEN0, 1);
	sys_set(c, gic, cpu, ICC_IGRPEN1, 3);
	sys_set(c, gic, cpu, ICC_IAR1, 0);
	sys_get(c, gic, cpu, ICC_IAR1, NULL);
	sys_set_d(c, gic, cpu, ICC_CTLR, ctlr, "as read");
}

/* Offsets with no register, each with the kernel's has_attr after it. */
static void bad_offsets(struct ctx *c, struct device *gic)
{
	static const uint32_t dist_bad[] = { 0x102, 0x10000, 0xfffffffc };
	static const uint32_t rd_bad[] = { 0x20000, 0x10003 };
	char name[40];

	for (size_t i = 0; i < 3; i++) {
		v3_dist_get(c, gic, dist_bad[i]);
		snprintf(name, sizeof(name), "DIST 0x%04x", dist_bad[i]);
		c_has(c, gic, GRP_DIST, dist_bad[i], name);
	}
	v3_dist_set(c, gic, 0x101, 1);
	c_has(c, gic, GRP_DIST, 0x101, "DIST 0x0101");
	for (size_t i = 0; i < 2; i++) {
		v3_rd_get(c, gic, 0, rd_bad[i]);
		snprintf(name, sizeof(name), "REDIST(cpu0) 0x%05x", rd_bad[i]);
		c_has(c, gic, GRP_REDIST, v3_mpidr_attr(c->e, 0) | rd_bad[i],
		      name);
	}
}

static void hostile(struct ctx *c, struct device *gic)
{
	uint64_t m9 = 9ULL << 32;

	rec_area(c->rec, "v3.hostile");
	bad_offsets(c, gic);
	c_get(c, gic, GRP_REDIST, m9 | 0x8, 4, NULL, "REDIST(aff 9) TYPER");
	c_set(c, gic, GRP_REDIST, m9 | 0x14, 0, 4, "REDIST(aff 9) WAKER");
	c_get(c, gic, GRP_REDIST, 1ULL << 40 | 0x8, 4, NULL,
	      "REDIST(aff1 1) TYPER");
	c_get(c, gic, GRP_SYSREGS, m9 | ICC_PMR, 8, NULL, "SYSREG(aff 9) PMR");
	c_set(c, gic, GRP_SYSREGS, m9 | ICC_PMR, 0, 8, "SYSREG(aff 9) PMR");
	c_get(c, gic, GRP_SYSREGS, 0x10000 | ICC_PMR, 8, NULL,
	      "SYSREG(cpu0, bit 16) PMR");
	c_get(c, gic, GRP_LEVEL, m9 | 32, 4, NULL, "LEVEL_INFO(aff 9) 32");
	c_get(c, gic, GRP_DIST, 1ULL << 32 | 0x4, 4, NULL,
	      "DIST(mpidr 1) TYPER");
	c_get(c, gic, GRP_DIST, m9 | 0x4, 4, NULL, "DIST(mpidr 9) TYPER");
	level_get(c, gic, 0, 0, 33);
	level_set(c, gic, 0, 0, 33, 1);
	level_get(c, gic, 0, 1, 32);
	level_set(c, gic, 0, 1, 32, 1);
	level_get(c, gic, 0, 0, 1024);
	level_set(c, gic, 0, 0, V3_NR_IRQS + 32, 0xffffffff);
	level_get(c, gic, 0, 0, V3_NR_IRQS + 32);
	for (uint32_t grp = 0; grp < 12; grp++)
		c_has(c, gic, grp, 0, "group 0 attr");
	c_has(c, gic, GRP_DIST, 0x4, "DIST TYPER");
	c_has(c, gic, GRP_DIST, 0x102, "DIST 0x102");
	c_has(c, gic, GRP_DIST, 0x8000, "DIST 0x8000");
	c_has(c, gic, GRP_DIST, 0x110, "DIST ISENABLER4");
	c_has(c, gic, GRP_REDIST, v3_mpidr_attr(c->e, 1) | 0x10100,
	      "REDIST(cpu1) ISENABLER0");
	c_has(c, gic, GRP_REDIST, m9 | 0x10100, "REDIST(aff 9) ISENABLER0");
	c_has(c, gic, GRP_SYSREGS, v3_mpidr_attr(c->e, 1) | ICC_PMR,
	      "SYSREG(cpu1) PMR");
	c_has(c, gic, GRP_SYSREGS, ICC_IAR1, "SYSREG(cpu0) IAR1");
	c_has(c, gic, GRP_SYSREGS, m9 | ICC_PMR, "SYSREG(aff 9) PMR");
	c_has(c, gic, GRP_LEVEL, 32, "LEVEL_INFO 32");
	c_has(c, gic, GRP_LEVEL, 33, "LEVEL_INFO 33");
	c_has(c, gic, GRP_LEVEL, 1 << 10 | 32, "LEVEL_INFO info 1");
	c_set(c, gic, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, 0, 0, 4, "CPU_REGS 0");
	c_get(c, gic, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0, 8, NULL, "ITS_REGS 0");
	c_set(c, gic, 99, 0, 0, 4, "group 99");
	c_get(c, gic, 99, 0, 4, NULL, "group 99");
	c_set_badptr(c, gic, GRP_DIST, 0x0, "DIST CTLR");
	c_get_badptr(c, gic, GRP_DIST, 0x0, "DIST CTLR");
	c_set_badptr(c, gic, GRP_REDIST, 0x14, "REDIST(cpu0) WAKER");
	c_get_badptr(c, gic, GRP_SYSREGS, ICC_PMR, "SYSREG(cpu0) PMR");
	c_set_badptr(c, gic, GRP_LEVEL, 32, "LEVEL_INFO 32");
}

int script_v3(struct record *rec, enum backend_choice b)
{
	struct ctx c = { .rec = rec };
	struct env e;
	struct device *gic;

	addresses(&c, b);
	nr_irqs_ctrl(&c, b);

	/* The main VM: 4 vCPUs in two redistributor regions, no ITS. */
	must_open(&e, b, NR_VCPUS);
	c.e = &e;
	rec_area(rec, "v3.setup");
	gic = v3_create(&c);
	c_ctrl(&c, gic, KVM_DEV_ARM_VGIC_CTRL_INIT, "INIT");
	rec_area(rec, "v3.reset-dist");
	sweep_dist(&c, gic, 0, 0x10000);
	rec_area(rec, "v3.reset-state");
	dump_state(&c, gic);
	rec_area(rec, "v3.program-dist");
	program_dist(&c, gic);
	rec_area(rec, "v3.program-redist");
	for (int cpu = 0; cpu < NR_VCPUS; cpu++)
		program_redist(&c, gic, cpu);
	rec_area(rec, "v3.program-sysregs");
	for (int cpu = 0; cpu < NR_VCPUS; cpu++)
		program_sysregs(&c, gic, cpu);
	rec_area(rec, "v3.programmed-state");
	dump_state(&c, gic);
	hostile(&c, gic);
	env_close(&e);
	return 0;
}
