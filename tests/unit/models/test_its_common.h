/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture for the ITS model tests: a fake host with guest RAM, a
 * fake GICv3 (a struct device of type ARM_VGIC_V3 whose iface is a
 * recording struct gicv3_lpi_ops with per-vCPU pending bits), the ITS
 * under test, and helpers to build commands in the guest's queue.
 */
#ifndef TEST_ITS_COMMON_H
#define TEST_ITS_COMMON_H

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
#include "gic/gicv3_lpi.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE 0x400000ULL	/* 4 MiB */
#define ITS_BASE 0x08080000ULL
#define CMDQ (RAM_BASE + 0x10000)	/* 4 KiB queue: 128 commands */
#define DEV_TBL (RAM_BASE + 0x20000)
#define COLL_TBL (RAM_BASE + 0x30000)
#define ITT_BASE (RAM_BASE + 0x40000)
#define L2_TBL (RAM_BASE + 0x50000)	/* level-2 device table page */
#define NR_CPUS 4

#define R_CTLR 0x0000
#define R_IIDR 0x0004
#define R_TYPER 0x0008
#define R_CBASER 0x0080
#define R_CWRITER 0x0088
#define R_CREADR 0x0090
#define R_BASER0 0x0100
#define R_BASER1 0x0108
#define R_PIDR2 0xffe8
#define TRANSLATER 0x10040

#define V63 (1ULL << 63)
/* GITS_BASER<n> as KVM resets them: RaWb, inner shareable, 64K, 8 B. */
#define BASER_DEV_RESET 0x1907000000000600ULL
#define BASER_COLL_RESET 0x1c07000000000600ULL
#define BASER_DEV(addr) (V63 | BASER_DEV_RESET | (addr))
#define BASER_COLL(addr) (V63 | BASER_COLL_RESET | (addr))
/* Valid, inner RaWb (what KVM turns non-cacheable into), one 4 KiB page. */
#define CBASER(addr) (V63 | 3ULL << 59 | (addr))

#define CMD_MOVI 0x01
#define CMD_INT 0x03
#define CMD_CLEAR 0x04
#define CMD_SYNC 0x05
#define CMD_MAPD 0x08
#define CMD_MAPC 0x09
#define CMD_MAPTI 0x0a
#define CMD_MAPI 0x0b
#define CMD_INV 0x0c
#define CMD_INVALL 0x0d
#define CMD_MOVALL 0x0e
#define CMD_DISCARD 0x0f

/* ---- fake GICv3 ------------------------------------------------------ */

enum fg_op { FG_SET, FG_CLEAR, FG_MOVE, FG_MOVE_ALL, FG_INV, FG_INVALL };

struct fg_call {
	enum fg_op op;
	int a, b;		/* vCPU, or from/to */
	uint32_t intid;
};

#define FG_MAX_CALLS 256
#define FG_NR_LPIS 65536

struct fake_gic {
	struct device dev;
	struct gicv3_lpi_ops ops;
	int nr;
	unsigned int id_bits;
	bool lpis_on[NR_CPUS];
	uint8_t pending[NR_CPUS][FG_NR_LPIS / 8];
	struct fg_call calls[FG_MAX_CALLS];
	int nr_calls;
	int inv_ret;		/* what invalidate answers */
};

static inline struct fake_gic *fg_of(struct device *d)
{
	return (struct fake_gic *)d;
}

static inline void fg_log(struct fake_gic *g, enum fg_op op, int a, int b,
			  uint32_t intid)
{
	if (g->nr_calls < FG_MAX_CALLS)
		g->calls[g->nr_calls++] = (struct fg_call){ op, a, b, intid };
}

static inline bool fg_bit(struct fake_gic *g, int cpu, uint32_t intid)
{
	return g->pending[cpu][intid / 8] & (1 << (intid % 8));
}

static inline void fg_setbit(struct fake_gic *g, int cpu, uint32_t intid,
			     bool v)
{
	if (v)
		g->pending[cpu][intid / 8] |= 1 << (intid % 8);
	else
		g->pending[cpu][intid / 8] &= ~(1 << (intid % 8));
}

static inline int fg_nr(struct device *d)
{
	return fg_of(d)->nr;
}

static inline unsigned int fg_id_bits(struct device *d)
{
	return fg_of(d)->id_bits;
}

static inline bool fg_lpis(struct device *d, int cpu)
{
	assert_true(cpu >= 0 && cpu < NR_CPUS);
	return fg_of(d)->lpis_on[cpu];
}

static inline int fg_set(struct device *d, int cpu, uint32_t intid)
{
	assert_true(cpu >= 0 && cpu < NR_CPUS && intid < FG_NR_LPIS);
	fg_log(fg_of(d), FG_SET, cpu, 0, intid);
	fg_setbit(fg_of(d), cpu, intid, true);
	return 0;
}

static inline int fg_clear(struct device *d, int cpu, uint32_t intid)
{
	assert_true(cpu >= 0 && cpu < NR_CPUS && intid < FG_NR_LPIS);
	fg_log(fg_of(d), FG_CLEAR, cpu, 0, intid);
	fg_setbit(fg_of(d), cpu, intid, false);
	return 0;
}

static inline bool fg_is(struct device *d, int cpu, uint32_t intid)
{
	return fg_bit(fg_of(d), cpu, intid);
}

static inline int fg_move(struct device *d, uint32_t intid, int from, int to)
{
	struct fake_gic *g = fg_of(d);

	assert_true(from >= 0 && from < NR_CPUS && to >= 0 && to < NR_CPUS);
	fg_log(g, FG_MOVE, from, to, intid);
	if (fg_bit(g, from, intid)) {
		fg_setbit(g, from, intid, false);
		fg_setbit(g, to, intid, true);
	}
	return 0;
}

static inline int fg_move_all(struct device *d, int from, int to)
{
	struct fake_gic *g = fg_of(d);

	assert_true(from >= 0 && from < NR_CPUS && to >= 0 && to < NR_CPUS);
	fg_log(g, FG_MOVE_ALL, from, to, 0);
	for (size_t i = 0; i < sizeof(g->pending[0]); i++) {
		g->pending[to][i] |= g->pending[from][i];
		g->pending[from][i] = 0;
	}
	return 0;
}

static inline int fg_inv(struct device *d, uint32_t intid)
{
	fg_log(fg_of(d), FG_INV, 0, 0, intid);
	return fg_of(d)->inv_ret;
}

static inline int fg_invall(struct device *d, int cpu)
{
	fg_log(fg_of(d), FG_INVALL, cpu, 0, 0);
	return 0;
}

static inline struct fake_gic *fake_gic_new(void)
{
	struct fake_gic *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	g->dev.type = KVM_DEV_TYPE_ARM_VGIC_V3;
	g->dev.backend = DEV_BACKEND_SOFT;
	g->dev.iface = &g->ops;
	strcpy(g->dev.name, "fake-gicv3");
	g->ops = (struct gicv3_lpi_ops){
		.nr_redists = fg_nr,
		.lpi_id_bits = fg_id_bits,
		.lpis_enabled = fg_lpis,
		.set_pending = fg_set,
		.clear_pending = fg_clear,
		.is_pending = fg_is,
		.move = fg_move,
		.move_all = fg_move_all,
		.invalidate = fg_inv,
		.invalidate_all = fg_invall,
	};
	g->nr = NR_CPUS;
	g->id_bits = 16;
	for (int i = 0; i < NR_CPUS; i++)
		g->lpis_on[i] = true;
	return g;
}

/* The index of the first logged call of @op, or -1. */
static inline int fg_find(struct fake_gic *g, enum fg_op op)
{
	for (int i = 0; i < g->nr_calls; i++)
		if (g->calls[i].op == op)
			return i;
	return -1;
}

/* ---- fixture --------------------------------------------------------- */

struct its_fx {
	struct fake_host *fh;
	struct fake_gic *gic;
	struct device *its;
	uint64_t base;
	uint64_t cmdq;
};

static inline uint64_t ram_get64(struct its_fx *fx, uint64_t gpa)
{
	uint8_t *p = fake_ram(fx->fh, gpa);
	uint64_t v = 0;

	assert_non_null(p);
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline void ram_put64(struct its_fx *fx, uint64_t gpa, uint64_t v)
{
	uint8_t *p = fake_ram(fx->fh, gpa);

	assert_non_null(p);
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline struct device *its_new(struct fake_host *fh)
{
	struct device *its = NULL;

	assert_int_equal(its_soft_model.create(&fh->host,
					       KVM_DEV_TYPE_ARM_VGIC_ITS, &its),
			 0);
	assert_non_null(its);
	return its;
}

static inline int its_set(struct device *its, uint32_t group, uint64_t attr,
			  uint64_t val)
{
	return device_set(its, group, attr, &val);
}

static inline int its_set_base(struct device *its, uint64_t base)
{
	return its_set(its, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
		       base);
}

static inline int its_ctrl(struct device *its, uint64_t attr)
{
	return device_set(its, KVM_DEV_ARM_VGIC_GRP_CTRL, attr, NULL);
}

static inline int its_wreg(struct device *its, uint64_t off, uint64_t val)
{
	return its_set(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off, val);
}

/* Read a register through the attribute interface; must succeed. */
static inline uint64_t its_rreg(struct device *its, uint64_t off)
{
	uint64_t v = 0xdeadbeefdeadbeefULL;

	assert_int_equal(device_get(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off,
				    &v),
			 0);
	return v;
}

/* Guest MMIO to the ITS frame. */
static inline uint64_t mmio_r64(struct its_fx *fx, uint64_t off)
{
	return fake_mmio_read64(fx->fh, 0, fx->base + off);
}

static inline uint32_t mmio_r32(struct its_fx *fx, uint64_t off)
{
	return fake_mmio_read32(fx->fh, 0, fx->base + off);
}

static inline void mmio_w64(struct its_fx *fx, uint64_t off, uint64_t v)
{
	fake_mmio_write64(fx->fh, 0, fx->base + off, v);
}

static inline void mmio_w32(struct its_fx *fx, uint64_t off, uint32_t v)
{
	fake_mmio_write32(fx->fh, 0, fx->base + off, v);
}

/* Host, fake GIC and an ITS at ITS_BASE, not yet programmed. */
static inline struct its_fx *fx_new(void)
{
	struct its_fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->fh = fake_host_new(RAM_BASE, RAM_SIZE, NR_CPUS);
	fx->gic = fake_gic_new();
	fake_host_add_device(fx->fh, &fx->gic->dev);
	fx->its = its_new(fx->fh);
	fx->base = ITS_BASE;
	fx->cmdq = CMDQ;
	assert_int_equal(its_set_base(fx->its, ITS_BASE), 0);
	return fx;
}

/* Tables and queue valid, ITS enabled, as a guest driver would. */
static inline void fx_enable(struct its_fx *fx)
{
	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL));
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CBASER(fx->cmdq));
	mmio_w32(fx, R_CTLR, 1);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
}

static inline struct its_fx *fx_new_enabled(void)
{
	struct its_fx *fx = fx_new();

	fx_enable(fx);
	return fx;
}

static inline void fx_free(struct its_fx *fx)
{
	device_destroy(fx->its);
	free(fx->gic);
	fake_host_free(fx->fh);
	free(fx);
}

/* Queue one command at CWRITER and publish it (the ITS runs it now). */
static inline void its_cmd(struct its_fx *fx, uint64_t w0, uint64_t w1,
			   uint64_t w2, uint64_t w3)
{
	uint64_t cbaser = mmio_r64(fx, R_CBASER);
	uint64_t qsize = ((cbaser & 0xff) + 1) * 0x1000;
	uint64_t base = cbaser & 0x000ffffffffff000ULL;
	uint64_t cw = mmio_r64(fx, R_CWRITER);

	ram_put64(fx, base + cw, w0);
	ram_put64(fx, base + cw + 8, w1);
	ram_put64(fx, base + cw + 16, w2);
	ram_put64(fx, base + cw + 24, w3);
	mmio_w64(fx, R_CWRITER, (cw + 32) % qsize);
}

static inline void cmd_mapd(struct its_fx *fx, uint32_t devid,
			    uint32_t nbits, uint64_t itt, bool valid)
{
	its_cmd(fx, CMD_MAPD | (uint64_t)devid << 32, nbits - 1,
		(valid ? V63 : 0) | (itt & 0xffffffffff00ULL), 0);
}

static inline void cmd_mapc(struct its_fx *fx, uint32_t icid, uint32_t rd,
			    bool valid)
{
	its_cmd(fx, CMD_MAPC, 0, (valid ? V63 : 0) | (uint64_t)rd << 16 | icid,
		0);
}

static inline void cmd_mapti(struct its_fx *fx, uint32_t devid,
			     uint32_t event, uint32_t intid, uint32_t icid)
{
	its_cmd(fx, CMD_MAPTI | (uint64_t)devid << 32,
		(uint64_t)intid << 32 | event, icid, 0);
}

static inline void cmd_mapi(struct its_fx *fx, uint32_t devid, uint32_t event,
			    uint32_t icid)
{
	its_cmd(fx, CMD_MAPI | (uint64_t)devid << 32, event, icid, 0);
}

/* INT, CLEAR, INV, DISCARD: DeviceID + EventID. */
static inline void cmd_dev_ev(struct its_fx *fx, uint8_t nr, uint32_t devid,
			      uint32_t event)
{
	its_cmd(fx, nr | (uint64_t)devid << 32, event, 0, 0);
}

static inline void cmd_movi(struct its_fx *fx, uint32_t devid, uint32_t event,
			    uint32_t icid)
{
	its_cmd(fx, CMD_MOVI | (uint64_t)devid << 32, event, icid, 0);
}

static inline void cmd_invall(struct its_fx *fx, uint32_t icid)
{
	its_cmd(fx, CMD_INVALL, 0, icid, 0);
}

static inline void cmd_movall(struct its_fx *fx, uint32_t rd1, uint32_t rd2)
{
	its_cmd(fx, CMD_MOVALL, 0, (uint64_t)rd1 << 16, (uint64_t)rd2 << 16);
}

static inline int msi(struct its_fx *fx, uint32_t devid, uint32_t event)
{
	return device_signal_msi(fx->its, fx->base + TRANSLATER, event, devid);
}

#endif
