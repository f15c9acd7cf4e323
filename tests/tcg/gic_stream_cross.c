// SPDX-License-Identifier: GPL-2.0
/*
 * gic-stream-cross v3|v2: the GIC attribute streams (gicv2_stream_ops,
 * gicv3_stream_ops) between the kernel's vGIC and kvmkit's software
 * model, inside the QEMU arm64 host (tests/tcg/arm64-gic-stream.sh).
 *
 * The same state is programmed through the attribute ABI into a
 * kernel-backed and a model-backed GIC on a 2-vCPU VM (tests/tcg/
 * conformance/env.c): enables, groups, priorities, routing, level lines,
 * pending latches, active state, SGI sources (v2), LPI tables with
 * EnableLPIs and an ITS (v3), the CPU interfaces.  Each is saved into a
 * stream; the two streams must be the same records.  Then every stream
 * is restored into a fresh GIC of each backend, set up as a machine does
 * (addresses, NR_IRQS, CTRL_INIT), with the source's RAM copied (v3's
 * pending tables), and saving that GIC again must give the source's
 * stream back: kernel->kernel, kernel->model, model->kernel and
 * model->model.  TAP out; exit 0 all passed, 1 some failed, 77 when the
 * kernel lacks the GIC.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conformance/conf.h"
#include "kvmkit/attr_stream.h"
#include "kvmkit/log.h"

#define NR_VCPUS 2
#define NR_IRQS 128
#define V2_DIST 0x08000000ULL
#define V2_CPU 0x08010000ULL
#define PROPBASE (CONF_RAM_BASE + 0x100000)
#define PENDBASE(cpu) (CONF_RAM_BASE + 0x200000 + (cpu) * 0x10000ULL)
#define BASER_ATTRS (1ULL << 10 | 7ULL << 7)	/* InnerShareable, RaWaWb */

#define DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define CPU KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define REDIST KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define SYSREGS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define LEVEL KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define SYSREG(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

struct side {
	struct env e;
	struct device *gic, *its;
};

static bool v3;
static int tap, failed, errors;

static void set32(struct side *s, uint32_t grp, uint64_t attr, uint32_t v)
{
	int ret = device_set(s->gic, grp, attr, &v);

	if (ret && !errors++)
		printf("# %s: set group %u attr 0x%llx: %s\n", s->gic->name,
		       grp, (unsigned long long)attr, strerror(-ret));
}

static void set64(struct side *s, uint32_t grp, uint64_t attr, uint64_t v)
{
	int ret = device_set(s->gic, grp, attr, &v);

	if (ret && !errors++)
		printf("# %s: set group %u attr 0x%llx: %s\n", s->gic->name,
		       grp, (unsigned long long)attr, strerror(-ret));
}

static uint64_t vcpu_attr(struct side *s, int cpu)
{
	uint64_t m = s->e.mpidr[cpu];

	if (!v3)
		return (uint64_t)cpu << KVM_DEV_ARM_VGIC_CPUID_SHIFT;
	return ((m >> 32 & 0xff) << 24 | (m & 0xffffff)) << 32;
}

/* A VM and its GIC as a machine leaves them before the streams. */
static int side_open(struct side *s, enum backend_choice b)
{
	uint32_t type = v3 ? KVM_DEV_TYPE_ARM_VGIC_V3 : KVM_DEV_TYPE_ARM_VGIC_V2;
	uint64_t a;
	uint32_t nr = NR_IRQS;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = env_open(&s->e, b, NR_VCPUS) ?: env_device(&s->e, type, &s->gic);
	if (ret)
		return ret;
	a = v3 ? V3_DIST_BASE : V2_DIST;
	ret = device_set(s->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
			 v3 ? KVM_VGIC_V3_ADDR_TYPE_DIST :
			      KVM_VGIC_V2_ADDR_TYPE_DIST, &a);
	a = v3 ? V3_REDIST_BASE : V2_CPU;
	ret = ret ?: device_set(s->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				v3 ? KVM_VGIC_V3_ADDR_TYPE_REDIST :
				     KVM_VGIC_V2_ADDR_TYPE_CPU, &a);
	ret = ret ?: device_set(s->gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr);
	if (!ret && v3) {
		a = V3_ITS_BASE;
		ret = env_device(&s->e, KVM_DEV_TYPE_ARM_VGIC_ITS, &s->its) ?:
		      device_set(s->its, KVM_DEV_ARM_VGIC_GRP_ADDR,
				 KVM_VGIC_ITS_ADDR_TYPE, &a);
	}
	ret = ret ?: device_set(s->gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	if (!ret && s->its)
		ret = device_set(s->its, KVM_DEV_ARM_VGIC_GRP_CTRL,
				 KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	return ret;
}

static void program_v2(struct side *s)
{
	uint32_t iidr = 0;

	device_get(s->gic, DIST, 0x8, &iidr);
	set32(s, DIST, 0x8, iidr);
	set32(s, DIST, 0x0, 1);
	for (uint32_t i = 32; i < NR_IRQS; i += 4) {
		set32(s, DIST, 0x400 + i, 0x10203040u + i * 0x01010101u);
		set32(s, DIST, 0x800 + i, i & 4 ? 0x02010201 : 0x01020102);
	}
	set32(s, DIST, 0x084, 0xf0f0f0f0);
	set32(s, DIST, 0xc08, 0xaaaa0000);
	set32(s, DIST, 0x104, 0xffff00ff);
	set32(s, DIST, 0x108, 0x0000ffff);
	set32(s, DIST, 0x204, 1u << 10 | 1u << 20);	/* 42, 52 latched */
	set32(s, DIST, 0x208, 1u << 3);			/* 67 */
	set32(s, DIST, 0x304, 1u << 5);			/* 37 active */
	for (int c = 0; c < NR_VCPUS; c++) {
		uint64_t v = vcpu_attr(s, c);

		set32(s, DIST, v | 0x100, 0x00ff00ffu);
		set32(s, DIST, v | 0x404, 0x50607080u + (uint32_t)c);
		set32(s, DIST, v | 0x418, 0x90a0b0c0u);
		set32(s, DIST, v | 0x200, 1u << 27);	/* PPI 27 latched */
		set32(s, DIST, v | 0x300, 1u << 26);	/* PPI 26 active */
		/* SGI 2 from the other vCPU */
		set32(s, DIST, v | 0xf20, (uint32_t)(1u << (1 - c)) << 16);
		set32(s, CPU, v | 0x00, c ? 0x3 : 0x1);
		set32(s, CPU, v | 0x04, 0x1e - (uint32_t)c);	/* VMCR format */
		set32(s, CPU, v | 0x08, 3);
		set32(s, CPU, v | 0x1c, 4);
		set32(s, CPU, v | 0xd0, 1u << (2 + c));
	}
}

static void program_v3(struct side *s)
{
	set32(s, DIST, 0x0, 2);
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		set32(s, DIST, 0x400 + i, 0x10203040u + i * 0x01010101u);
	set32(s, DIST, 0x084, 0xf0f0f0f0);
	set32(s, DIST, 0xc08, 0xaaaa0000);		/* 40..47 edge */
	set32(s, DIST, 0x104, 0xffff00ff);
	set32(s, DIST, 0x108, 0x0000ffff);
	set32(s, DIST, 0x6000 + 8 * 40, 1);		/* to vCPU 1 */
	set32(s, DIST, 0x6000 + 8 * 100, 1);
	set32(s, LEVEL, 32, 1u << 1 | 1u << 3);		/* 33, 35 high */
	set32(s, DIST, 0x204, 1u << 10 | 1u << 3);	/* 42, 35 latched */
	set32(s, DIST, 0x208, 1u << 4);			/* 68 */
	set32(s, DIST, 0x304, 1u << 5);			/* 37 active */
	for (int c = 0; c < NR_VCPUS; c++) {
		uint64_t v = vcpu_attr(s, c);

		set32(s, LEVEL, v | 0, 1u << 23);	/* PPI 23 line */
		set32(s, REDIST, v | 0x10080, 0xfffffff0);
		set32(s, REDIST, v | 0x10404, 0x50607080u + (uint32_t)c);
		set32(s, REDIST, v | 0x10418, 0x90a0b0c0u);
		set32(s, REDIST, v | 0x10180, 1u << 4);	/* SGI 4 off */
		set32(s, REDIST, v | 0x10100, 1u << 27 | 1u << 23);
		set32(s, REDIST, v | 0x10200, 1u << 3 | 1u << 27);
		set32(s, REDIST, v | 0x10300, 1u << 26);
		set64(s, SYSREGS, v | SYSREG(3, 0, 4, 6, 0), 0xf0 - 8 * c);
		set64(s, SYSREGS, v | SYSREG(3, 0, 12, 8, 3), 3);
		set64(s, SYSREGS, v | SYSREG(3, 0, 12, 12, 3), 4);
		set64(s, SYSREGS, v | SYSREG(3, 0, 12, 9, 0), 1u << (2 + c));
		set64(s, SYSREGS, v | SYSREG(3, 0, 12, 12, 6), (uint64_t)c);
		set64(s, SYSREGS, v | SYSREG(3, 0, 12, 12, 7), 1);
		set32(s, REDIST, v | 0x70, (uint32_t)(PROPBASE | BASER_ATTRS | 15));
		set32(s, REDIST, v | 0x74, (uint32_t)(PROPBASE >> 32));
		set32(s, REDIST, v | 0x78, (uint32_t)(PENDBASE(c) | BASER_ATTRS));
		set32(s, REDIST, v | 0x7c, (uint32_t)(PENDBASE(c) >> 32));
		set32(s, REDIST, v | 0x0, 1);		/* EnableLPIs */
	}
	/* Bytes of the pending tables: the first kB must survive. */
	memset(env_ram(&s->e, PENDBASE(0)), 0x5a, 1024);
}

static void report(bool ok, const char *fmt, const char *a, const char *b)
{
	tap++;
	printf("%s %d - ", ok ? "ok" : "not ok", tap);
	printf(fmt, a, b);
	printf("\n");
	failed += !ok;
}

/*
 * GICv3 STATUSR: error reporting, which KVM does not implement (GICD's
 * reads all-ones, there is no GICR's); the model keeps what is set.
 */
static bool ignored(const struct attr_rec *r)
{
	uint32_t off = (uint32_t)r->attr;

	return v3 && off == 0x10 && (r->group == DIST || r->group == REDIST);
}

static int next_compared(struct attr_stream *s, struct attr_rec *r)
{
	int ret;

	while ((ret = attr_stream_next(s, r)) > 0 && ignored(r))
		;
	return ret;
}

/*
 * Record-by-record comparison, STATUSR left out; ICC_CTLR compared in
 * its guest-visible bits only (CBPR, EOImode: the rest describes the
 * CPU interface, and follows the restoring GIC's).  The first
 * differences as '#' lines.
 */
static bool same(const struct attr_stream *x, const struct attr_stream *y)
{
	struct attr_stream a, b;
	struct attr_rec ra, rb;
	int na, nb, shown = 0;
	bool eq = true;

	attr_stream_open(&a, x->buf, x->len);
	attr_stream_open(&b, y->buf, y->len);
	for (;;) {
		uint64_t va = 0, vb = 0;

		na = next_compared(&a, &ra);
		nb = next_compared(&b, &rb);
		if (na <= 0 || nb <= 0)
			break;
		memcpy(&va, ra.val, ra.len > 8 ? 8 : ra.len);
		memcpy(&vb, rb.val, rb.len > 8 ? 8 : rb.len);
		if (v3 && ra.group == SYSREGS && (uint16_t)ra.attr ==
		    SYSREG(3, 0, 12, 12, 4)) {
			va &= 3;
			vb &= 3;
		}
		if (ra.group == rb.group && ra.attr == rb.attr &&
		    ra.len == rb.len && va == vb)
			continue;
		eq = false;
		if (shown++ < 12)
			printf("#   record %u: group %u attr 0x%llx = 0x%llx | group %u attr 0x%llx = 0x%llx\n",
			       a.count, ra.group, (unsigned long long)ra.attr,
			       (unsigned long long)va, rb.group,
			       (unsigned long long)rb.attr,
			       (unsigned long long)vb);
	}
	if (na != nb) {
		printf("#   %d vs %d records\n",
		       attr_stream_validate(x->buf, x->len),
		       attr_stream_validate(y->buf, y->len));
		eq = false;
	}
	return eq;
}

/* vCPU 0's saved ICC_CTLR_EL1. */
static uint64_t icc_ctlr(const struct attr_stream *x)
{
	struct attr_stream a;
	struct attr_rec r;
	uint64_t v = 0;

	attr_stream_open(&a, x->buf, x->len);
	while (attr_stream_next(&a, &r) > 0)
		if (r.group == SYSREGS && r.attr == SYSREG(3, 0, 12, 12, 4))
			memcpy(&v, r.val, 8);
	return v;
}

/* Named, not looked up: a static library only brings in what is named. */
static const struct attr_stream_ops *stream_ops(void)
{
	return v3 ? &gicv3_stream_ops : &gicv2_stream_ops;
}

static const char *bname(enum backend_choice b)
{
	return b == BACKEND_KERNEL ? "kernel" : "model";
}

static int saved(enum backend_choice b, struct attr_stream *s,
		 uint8_t *ram)
{
	const struct attr_stream_ops *ops = stream_ops();
	struct side src;
	int ret = side_open(&src, b);

	attr_stream_init(s);
	if (!ret) {
		errors = 0;
		if (v3)
			program_v3(&src);
		else
			program_v2(&src);
		ret = errors ? -EIO : ops->save_stream(src.gic, s) ?: s->err;
		memcpy(ram, src.e.ram, CONF_RAM_SIZE);
	}
	env_close(&src.e);
	return ret;
}

static void cross(enum backend_choice from, enum backend_choice to,
		  const struct attr_stream *s, const uint8_t *ram)
{
	const struct attr_stream_ops *ops = stream_ops();
	struct attr_stream r, again;
	struct side dst;
	int ret = side_open(&dst, to);

	attr_stream_init(&again);
	if (!ret) {
		memcpy(dst.e.ram, ram, CONF_RAM_SIZE);
		attr_stream_open(&r, s->buf, s->len);
		ret = ops->restore_stream(dst.gic, &r);
		if (ret)
			printf("#   restore stopped at record %u: %s\n", r.count,
			       strerror(-ret));
	}
	report(!ret, "%s stream restores into the %s GIC", bname(from),
	       bname(to));
	ret = ret ?: ops->save_stream(dst.gic, &again);
	report(!ret && same(s, &again),
	       "%s stream restored into the %s GIC saves the same records", bname(from),
	       bname(to));
	if (v3 && !ret) {
		bool eq = !memcmp(env_ram(&dst.e, CONF_RAM_BASE),
				  ram, CONF_RAM_SIZE);

		report(eq, "%s -> %s: guest RAM (pending tables) unchanged by the restore and save",
		       bname(from), bname(to));
	}
	attr_stream_free(&again);
	env_close(&dst.e);
}

int main(int argc, char **argv)
{
	static uint8_t ram_k[CONF_RAM_SIZE], ram_s[CONF_RAM_SIZE];
	struct attr_stream sk, ss;
	int rk, rs;

	if (argc != 2 || (strcmp(argv[1], "v3") && strcmp(argv[1], "v2"))) {
		fprintf(stderr, "usage: gic-stream-cross v3|v2\n");
		return 2;
	}
	log_level = LOG_ERROR;
	v3 = !strcmp(argv[1], "v3");
	if (!kernel_has_device(v3 ? KVM_DEV_TYPE_ARM_VGIC_V3 :
				    KVM_DEV_TYPE_ARM_VGIC_V2)) {
		printf("1..0 # SKIP the kernel has no %s device\n",
		       v3 ? "vGICv3" : "vGICv2");
		return 77;
	}
	rk = saved(BACKEND_KERNEL, &sk, ram_k);
	report(!rk, "the %s GIC, programmed, saves its stream%s", "kernel", "");
	if (rk)
		printf("#   %s\n", strerror(-rk));
	rs = saved(BACKEND_SOFT, &ss, ram_s);
	report(!rs, "the %s GIC, programmed, saves its stream%s", "model", "");
	if (rs)
		printf("#   %s\n", strerror(-rs));
	if (!rk && !rs) {
		printf("# %d records\n", attr_stream_validate(sk.buf, sk.len));
		if (v3)
			printf("# vCPU 0's ICC_CTLR_EL1: kernel 0x%llx, model 0x%llx\n",
			       (unsigned long long)icc_ctlr(&sk),
			       (unsigned long long)icc_ctlr(&ss));
		report(same(&sk, &ss), "the %s and %s streams are the same records",
		       "kernel", "model");
	}
	if (!rk) {
		cross(BACKEND_KERNEL, BACKEND_KERNEL, &sk, ram_k);
		cross(BACKEND_KERNEL, BACKEND_SOFT, &sk, ram_k);
	}
	if (!rs) {
		cross(BACKEND_SOFT, BACKEND_KERNEL, &ss, ram_s);
		cross(BACKEND_SOFT, BACKEND_SOFT, &ss, ram_s);
	}
	attr_stream_free(&sk);
	attr_stream_free(&ss);
	printf("1..%d\n", tap);
	return failed ? 1 : 0;
}
