/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A programmed software GICv3 for the save/restore tests
 * (test_gicv3_restore.c: the documented order by hand;
 * test_gicv3_stream.c: through gicv3_stream_ops): two instances A and B
 * on fake hosts with an ITS present (so LPIs exist), A programmed like a
 * busy guest (SPIs, PPIs, SGIs, active state, LPIs pending, a changed
 * IIDR revision), a dump of every readable register in restore order,
 * and its comparison.
 */
#ifndef TEST_GICV3_STATE_H
#define TEST_GICV3_STATE_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "kvmkit/abi/arm.h"
#include "kvmkit/models.h"
#include "gic/gicv3.h"
#include "gic/gicv3_lpi.h"

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x80000ULL
#define DIST		0x08000000ULL
#define REDIST		0x080a0000ULL
#define RD_SIZE		0x20000ULL
#define SGI_BASE	0x10000u
#define PROP		(RAM_BASE + 0x10000)
#define PEND(cpu)	(RAM_BASE + 0x20000 + (cpu) * 0x10000ULL)
#define PEND_BYTES	8192
#define BASER_ATTRS	(3ULL << 7 | 1ULL << 10)
#define NCPUS		3
#define NR_IRQS		128

#define GRP_DIST	KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_REDIST	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_SYSREGS	KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_LEVEL	KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define MPIDR(cpu)	((uint64_t)(cpu) << 32)

/* A saved attribute; "clear" is a register written all-ones first. */
struct rec {
	uint32_t group;
	uint64_t attr;
	uint64_t val;
	int64_t clear;		/* offset to write 0xffffffff first, or -1 */
	bool compare_only;	/* read-only: compared, not replayed */
};

struct dump {
	struct rec r[2048];
	unsigned int n;
};

struct vm {
	struct fake_host *fh;
	struct device *gic;
};

static struct device its_dummy = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };
static struct vm a, b;
static struct dump da, db;

static inline void vm_create(struct vm *vm)
{
	uint64_t addr;
	uint32_t nr = NR_IRQS;

	vm->fh = fake_host_new(RAM_BASE, RAM_SIZE, NCPUS);
	assert_int_equal(gicv3_soft_model.create(&vm->fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &vm->gic), 0);
	fake_host_add_device(vm->fh, vm->gic);
	fake_host_add_device(vm->fh, &its_dummy);
	addr = DIST;
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_DIST, &addr), 0);
	addr = 1ULL << 52 | REDIST;		/* one region per vCPU ... */
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &addr),
			 0);
	addr = 2ULL << 52 | (REDIST + RD_SIZE) | 1;	/* ... and two */
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &addr),
			 0);
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
				    &nr), 0);
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
}

static inline void vm_destroy(struct vm *vm)
{
	device_destroy(vm->gic);
	fake_host_free(vm->fh);
}

/* ---- programming instance A like a busy guest ---------------------------- */

static inline void wr32(int cpu, uint64_t gpa, uint32_t v)
{
	fake_mmio_write32(a.fh, cpu, gpa, v);
}

static inline void wr8(int cpu, uint64_t gpa, uint8_t v)
{
	fake_mmio_access(a.fh, cpu, gpa, &v, 1, true);
}

static inline void guest_sysreg(int cpu, uint32_t instr, uint64_t v)
{
	assert_int_equal(gicv3_cpuif_sysreg(a.gic, cpu, instr, &v, true), 0);
}

static inline uint64_t rd(int cpu)
{
	return REDIST + cpu * RD_SIZE;
}

static inline void program_a(void)
{
	const struct gicv3_lpi_ops *ops = gicv3_lpi_ops_of(a.gic);
	uint32_t iidr;

	/* an older revision, chosen through the attribute interface */
	assert_int_equal(device_get(a.gic, GRP_DIST, 0x8, &iidr), 0);
	iidr = (iidr & ~0xf000u) | 2 << 12;
	assert_int_equal(device_set(a.gic, GRP_DIST, 0x8, &iidr), 0);
	{
		uint32_t st = 0x5;

		assert_int_equal(device_set(a.gic, GRP_DIST, 0x10, &st), 0);
	}
	wr32(0, DIST, 2);
	/* SPIs 32..127 */
	for (uint32_t i = 32; i < NR_IRQS; i++)
		wr8(0, DIST + 0x400 + i, (uint8_t)(i * 8));
	wr32(0, DIST + 0x84, 0xfff0ffff);	/* 48..51 Group 0 */
	wr32(0, DIST + 0x104, 0x0f0f0f0f);
	wr32(0, DIST + 0x108, 0xffff0000);
	wr32(0, DIST + 0x10c, 0x80000001);
	wr32(0, DIST + 0xc08, 0xaaaa0000);	/* 40..47 edge */
	wr32(0, DIST + 0xc0c, 0x0000aaaa);	/* 48..55 edge */
	wr32(0, DIST + 0xc1c, 0xa0000000);	/* 126, 127 edge */
	fake_mmio_write64(a.fh, 0, DIST + 0x6000 + 8 * 33, 1);
	fake_mmio_write64(a.fh, 0, DIST + 0x6000 + 8 * 34, 2);
	fake_mmio_write64(a.fh, 0, DIST + 0x6000 + 8 * 35, 0x010203);
	fake_mmio_write64(a.fh, 0, DIST + 0x6000 + 8 * 127, 2);
	assert_int_equal(device_set_irq(a.gic, 33, 1), 0);	/* level */
	assert_int_equal(device_set_irq(a.gic, 34, 1), 0);
	assert_int_equal(device_set_irq(a.gic, 40, 1), 0);	/* edge */
	assert_int_equal(device_set_irq(a.gic, 41, 1), 0);
	assert_int_equal(device_set_irq(a.gic, 96, 1), 0);
	assert_int_equal(device_set_irq(a.gic, 127, 1), 0);
	wr32(0, DIST + 0x208, 1 << 4 | 1 << 20);	/* 68, 84 latched */
	wr32(0, DIST + 0x204, 1 << 2);			/* 34 latched too */
	wr32(0, DIST + 0x30c, 1 << 5);			/* 101 active */
	/* private interrupts */
	for (int c = 0; c < NCPUS; c++) {
		uint64_t sgi = rd(c) + SGI_BASE;

		wr32(c, sgi + 0x180, 1u << (c + 3));	/* disable an SGI */
		wr32(c, sgi + 0x100, 1u << 27 | 1u << 30);
		wr32(c, sgi + 0x80, ~(1u << (c + 1)));
		for (int i = 0; i < 32; i++)
			wr8(c, sgi + 0x400 + i, (uint8_t)(0x40 + 8 * i + c));
		assert_int_equal(gicv3_set_ppi(a.gic, c, 27, c & 1), 0);
		assert_int_equal(gicv3_set_ppi(a.gic, c, 23, 1), 0);
		wr32(c, sgi + 0x300, 1u << 30);		/* PPI 30 active */
		wr32(c, rd(c) + 0x14, c == 2 ? 2 : 0);	/* WAKER */
		wr32(c, rd(c) + 0x10, 0);
		/* CPU interface */
		guest_sysreg(c, ICC_PMR_EL1, 0xe0 - 8 * c);
		guest_sysreg(c, ICC_BPR0_EL1, 2 + c);
		guest_sysreg(c, ICC_BPR1_EL1, 3 + c);
		guest_sysreg(c, ICC_IGRPEN1_EL1, 1);
		guest_sysreg(c, ICC_IGRPEN0_EL1, c != 1);
		guest_sysreg(c, ICC_CTLR_EL1, c == 2 ? 2 : 0);
		/* LPI tables */
		fake_mmio_write64(a.fh, c, rd(c) + 0x70,
				  PROP | BASER_ATTRS | 15);
		fake_mmio_write64(a.fh, c, rd(c) + 0x78, PEND(c) | BASER_ATTRS);
	}
	{
		uint32_t st = 0xa;

		assert_int_equal(device_set(a.gic, GRP_REDIST, MPIDR(1) | 0x10,
					    &st), 0);
	}
	/* SGIs between vCPUs */
	guest_sysreg(0, ICC_SGI1R_EL1, 1ULL << 24 | 0x6);
	guest_sysreg(2, ICC_SGI1R_EL1, 9ULL << 24 | 1ULL << 40);
	/* something acknowledged: active state and active priorities */
	assert_int_not_equal(gicv3_cpuif_ack(a.gic, 1, 1), 1023);
	assert_int_not_equal(gicv3_cpuif_ack(a.gic, 0, 1), 1023);
	/* LPIs on vCPUs 0 and 1 */
	memset(fake_ram(a.fh, PROP), 0xa1, 0x1000);
	for (int c = 0; c < 2; c++)
		wr32(c, rd(c), 1);
	assert_int_equal(ops->set_pending(a.gic, 0, 8192), 0);
	assert_int_equal(ops->set_pending(a.gic, 0, 9000), 0);
	assert_int_equal(ops->set_pending(a.gic, 1, 65535), 0);
	assert_int_equal(ops->set_pending(a.gic, 1, 8193), 0);
	/* RAM outside the pending tables' LPI part: must survive as is */
	for (int c = 0; c < NCPUS; c++)
		memset(fake_ram(a.fh, PEND(c)), 0x11 * (c + 1), 1024);
}

/* ---- dump --------------------------------------------------------------- */

static inline void add(struct dump *d, struct device *gic,
		       uint32_t group, uint64_t attr, int64_t clear,
		       bool compare_only)
{
	struct rec *r = &d->r[d->n++];
	uint32_t v32 = 0;
	uint64_t v64 = 0;

	assert_true(d->n <= sizeof(d->r) / sizeof(d->r[0]));
	*r = (struct rec){ .group = group, .attr = attr, .clear = clear,
			   .compare_only = compare_only };
	if (group == GRP_SYSREGS) {
		assert_int_equal(device_get(gic, group, attr, &v64), 0);
		r->val = v64;
	} else {
		assert_int_equal(device_get(gic, group, attr, &v32), 0);
		r->val = v32;
	}
}

/* Every readable register, in the order a restore must write them. */
static inline void dump(struct dump *d, struct device *gic)
{
	static const uint32_t sysregs[] = {
		ICC_CTLR_EL1, ICC_PMR_EL1, ICC_BPR0_EL1, ICC_BPR1_EL1,
		ICC_AP0R0_EL1, ICC_AP1R0_EL1, ICC_IGRPEN0_EL1,
		ICC_IGRPEN1_EL1, ICC_SRE_EL1,
	};

	d->n = 0;
	/* GICD_IIDR before anything else */
	add(d, gic, GRP_DIST, 0x8, -1, false);
	add(d, gic, GRP_DIST, 0x0, -1, false);
	add(d, gic, GRP_DIST, 0x4, -1, true);
	add(d, gic, GRP_DIST, 0xc, -1, false);
	add(d, gic, GRP_DIST, 0x10, -1, false);
	add(d, gic, GRP_DIST, 0xffe8, -1, true);
	/* line levels and configuration before pending state */
	for (int c = 0; c < NCPUS; c++)
		add(d, gic, GRP_LEVEL, MPIDR(c) | 0, -1, false);
	for (uint32_t i = 32; i < NR_IRQS; i += 32)
		add(d, gic, GRP_LEVEL, i, -1, false);
	for (uint32_t i = 32; i < NR_IRQS; i += 16)
		add(d, gic, GRP_DIST, 0xc00 + i / 4, -1, false);
	/* routing before pending state */
	for (uint32_t i = 32; i < NR_IRQS; i++) {
		add(d, gic, GRP_DIST, 0x6000 + 8 * i, -1, false);
		add(d, gic, GRP_DIST, 0x6000 + 8 * i + 4, -1, false);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 32) {
		add(d, gic, GRP_DIST, 0x80 + i / 8, -1, false);
		add(d, gic, GRP_DIST, 0x100 + i / 8, 0x180 + i / 8, false);
		add(d, gic, GRP_DIST, 0x200 + i / 8, -1, false);
		add(d, gic, GRP_DIST, 0x300 + i / 8, 0x380 + i / 8, false);
	}
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		add(d, gic, GRP_DIST, 0x400 + i, -1, false);
	for (int c = 0; c < NCPUS; c++) {
		uint64_t m = MPIDR(c);

		add(d, gic, GRP_REDIST, m | 0x4, -1, true);	/* IIDR */
		add(d, gic, GRP_REDIST, m | 0x8, -1, true);	/* TYPER */
		add(d, gic, GRP_REDIST, m | 0xc, -1, true);
		add(d, gic, GRP_REDIST, m | 0x10, -1, false);
		add(d, gic, GRP_REDIST, m | 0x14, -1, false);
		add(d, gic, GRP_REDIST, m | 0x70, -1, false);
		add(d, gic, GRP_REDIST, m | 0x74, -1, false);
		add(d, gic, GRP_REDIST, m | 0x78, -1, false);
		add(d, gic, GRP_REDIST, m | 0x7c, -1, false);
		add(d, gic, GRP_REDIST, m | (SGI_BASE + 0x80), -1, false);
		add(d, gic, GRP_REDIST, m | (SGI_BASE + 0xc00), -1, false);
		add(d, gic, GRP_REDIST, m | (SGI_BASE + 0xc04), -1, false);
		for (uint32_t i = 0; i < 32; i += 4)
			add(d, gic, GRP_REDIST, m | (SGI_BASE + 0x400 + i), -1,
			    false);
		add(d, gic, GRP_REDIST, m | (SGI_BASE + 0x100),
		    SGI_BASE + 0x180, false);
		add(d, gic, GRP_REDIST, m | (SGI_BASE + 0x200), -1, false);
		add(d, gic, GRP_REDIST, m | (SGI_BASE + 0x300),
		    SGI_BASE + 0x380, false);
		/* EnableLPIs once the tables are in place */
		add(d, gic, GRP_REDIST, m | 0x0, -1, false);
		for (size_t i = 0; i < sizeof(sysregs) / sizeof(sysregs[0]);
		     i++)
			add(d, gic, GRP_SYSREGS, m | sysregs[i], -1, false);
	}
}

static inline void compare(const struct dump *x, const struct dump *y)
{
	assert_int_equal(x->n, y->n);
	for (unsigned int i = 0; i < x->n; i++) {
		if (x->r[i].val != y->r[i].val)
			print_error("group %u attr %#llx: %#llx != %#llx\n",
				    x->r[i].group,
				    (unsigned long long)x->r[i].attr,
				    (unsigned long long)x->r[i].val,
				    (unsigned long long)y->r[i].val);
		assert_int_equal(x->r[i].attr, y->r[i].attr);
		assert_int_equal(x->r[i].val, y->r[i].val);
	}
}

static inline int setup(void **state)
{
	vm_create(&a);
	return 0;
}

static inline int teardown(void **state)
{
	vm_destroy(&a);
	if (b.gic)
		vm_destroy(&b);
	b.gic = NULL;
	return 0;
}

static inline void save_tables(struct vm *vm)
{
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				    NULL), 0);
}

/* A's pending bits in its tables' LPI part; their first kB untouched. */
static inline void check_saved_tables(void)
{
	for (int c = 0; c < NCPUS; c++)
		for (int i = 0; i < 1024; i++)
			assert_int_equal(((uint8_t *)fake_ram(a.fh,
							      PEND(c)))[i],
					 0x11 * (c + 1));
	assert_int_equal(*(uint8_t *)fake_ram(a.fh, PEND(0) + 1024), 1);
	assert_int_equal(*(uint8_t *)fake_ram(a.fh, PEND(1) + 8191), 0x80);
	assert_int_equal(*(uint8_t *)fake_ram(a.fh, PEND(1) + 1024), 2);
}

/*
 * B restored from A (whose RAM @saved holds after its save): the same
 * registers, pending state, lines, LPIs, pending-table bytes, and the
 * same interrupts acknowledged on every vCPU.
 */
static inline void check_restored(const uint8_t *saved)
{
	const struct gicv3_lpi_ops *ops;

	dump(&db, b.gic);
	compare(&da, &db);

	/* same guest-visible pending state and output lines */
	for (uint32_t off = 0x204; off < 0x200 + NR_IRQS / 8; off += 4)
		assert_int_equal(fake_mmio_read32(a.fh, 0, DIST + off),
				 fake_mmio_read32(b.fh, 0, DIST + off));
	for (int c = 0; c < NCPUS; c++) {
		assert_int_equal(fake_mmio_read32(a.fh, c, rd(c) + SGI_BASE +
						  0x200),
				 fake_mmio_read32(b.fh, c, rd(c) + SGI_BASE +
						  0x200));
		assert_int_equal(a.fh->lines[c][CPU_LINE_IRQ],
				 b.fh->lines[c][CPU_LINE_IRQ]);
		assert_int_equal(a.fh->lines[c][CPU_LINE_FIQ],
				 b.fh->lines[c][CPU_LINE_FIQ]);
	}
	ops = gicv3_lpi_ops_of(b.gic);
	assert_true(ops->is_pending(b.gic, 0, 8192));
	assert_true(ops->is_pending(b.gic, 0, 9000));
	assert_true(ops->is_pending(b.gic, 1, 65535));
	assert_false(ops->is_pending(b.gic, 1, 9000));

	/* saving B gives the same pending-table bytes as saving A */
	save_tables(&b);
	for (int c = 0; c < NCPUS; c++)
		assert_memory_equal(fake_ram(a.fh, PEND(c)),
				    fake_ram(b.fh, PEND(c)), PEND_BYTES);
	assert_memory_equal(saved, b.fh->ram, RAM_SIZE);

	/* and both behave alike from here: acknowledge on every vCPU */
	for (int c = 0; c < NCPUS; c++) {
		for (int grp = 0; grp < 2; grp++) {
			uint32_t ia = gicv3_cpuif_ack(a.gic, c, grp);

			assert_int_equal(ia, gicv3_cpuif_ack(b.gic, c, grp));
		}
	}
}

#endif
