// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 vCPU state for snapshots (docs/snapshot-format.md): every
 * register KVM_GET_REG_LIST offers, read and written with ONE_REG, plus
 * mp_state (secondaries powered off stay off) and the vCPU events (a
 * pending SError).  The GIC's CPU interface (ICC_*) is not among them:
 * it belongs to the GIC's attribute stream.
 *
 * Save: the vCPU's features, then every listed register in the list's
 * order, each as {le64 id, value of KVM_REG_SIZE(id) bytes, padding to
 * 8}, then mp_state and events.
 *
 * Restore, before the GIC's CTRL_INIT and before any vCPU runs (the
 * vCPU was created and KVM_ARM_VCPU_INIT'ed by the machine with the
 * same features): every saved register must be in the new vCPU's list,
 * then they are written in phases:
 *   1. core registers (PC, PSTATE, x0-x30, SPs, FP/SIMD);
 *   2. firmware pseudo-registers (PSCI version, SMCCC workarounds, the
 *      KVM_REG_ARM_FW_FEAT_BMAP bitmaps: KVM refuses changes once the
 *      VM has run, so before the first KVM_RUN);
 *   3. system registers (and SVE, demux) but the timer's;
 *   4. the virtual timer: CNT first (KVM turns it into the VM's counter
 *      offset, so the guest's virtual counter goes on from the saved
 *      value), then CVAL and CTL, which are compared against it.
 * A write KVM refuses is accepted when the vCPU already holds the saved
 * value (read-only ID registers refuse any write, even of their own
 * value, on some kernels); otherwise the restore stops with one line
 * naming the register.  Then mp_state and events.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmkit/log.h"
#include "arm64.h"

/* Records of a vCPU section (SNAP_SEC_VCPU). */
enum arm64_vcpu_tag {
	ARM64_REC_FEATURES = SNAP_REC_ARCH,	/* le32 VCPU_INIT features[0] */
	ARM64_REC_REGS,		/* {le64 id, value, padding to 8}[] */
	ARM64_REC_MP_STATE,	/* le32 */
	ARM64_REC_EVENTS,	/* struct kvm_vcpu_events */
};

#define MAX_REGS 4096		/* a 6.1 vCPU lists ~500 */
#define MAX_REG_BYTES 256	/* KVM_REG_SIZE_U2048: an SVE Z register */

/* Features that describe the vCPU (not its first power state). */
#define FEATURES_KEPT (~(1U << KVM_ARM_VCPU_POWER_OFF))

#define SYSREG_MASK (KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | \
		     KVM_REG_ARM_COPROC_MASK)

enum reg_phase {
	PHASE_CORE,
	PHASE_FW,
	PHASE_SYS,
	PHASE_TIMER_CNT,
	PHASE_TIMER_CVAL,
	PHASE_TIMER_CTL,
	NR_PHASES,
};

static const struct {
	uint64_t id;
	const char *name;
	enum reg_phase phase;
} known_regs[] = {
	{ KVM_REG_ARM_TIMER_CNT, "virtual timer CNT", PHASE_TIMER_CNT },
	{ KVM_REG_ARM_TIMER_CVAL, "virtual timer CVAL", PHASE_TIMER_CVAL },
	{ KVM_REG_ARM_TIMER_CTL, "virtual timer CTL", PHASE_TIMER_CTL },
	{ KVM_REG_ARM_PSCI_VERSION, "PSCI_VERSION", PHASE_FW },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, "SMCCC_ARCH_WORKAROUND_1",
	  PHASE_FW },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, "SMCCC_ARCH_WORKAROUND_2",
	  PHASE_FW },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3, "SMCCC_ARCH_WORKAROUND_3",
	  PHASE_FW },
	{ KVM_REG_ARM_STD_BMAP, "STD_BMAP", PHASE_FW },
	{ KVM_REG_ARM_STD_HYP_BMAP, "STD_HYP_BMAP", PHASE_FW },
	{ KVM_REG_ARM_VENDOR_HYP_BMAP, "VENDOR_HYP_BMAP", PHASE_FW },
	{ ARM64_SYS_REG(3, 0, 0, 0, 5), "MPIDR_EL1", PHASE_SYS },
};

static enum reg_phase reg_phase(uint64_t id)
{
	for (size_t i = 0; i < sizeof(known_regs) / sizeof(known_regs[0]); i++)
		if (known_regs[i].id == id)
			return known_regs[i].phase;
	switch (id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return PHASE_CORE;
	case KVM_REG_ARM_FW:
	case KVM_REG_ARM_FW_FEAT_BMAP:
		return PHASE_FW;
	default:
		return PHASE_SYS;
	}
}

/* "0x6030000000140000 (PSCI_VERSION)", for one-line errors. */
static const char *reg_name(uint64_t id, char *buf, size_t size)
{
	const char *name = NULL;
	int n = snprintf(buf, size, "0x%016llx", (unsigned long long)id);

	for (size_t i = 0; i < sizeof(known_regs) / sizeof(known_regs[0]); i++)
		if (known_regs[i].id == id)
			name = known_regs[i].name;
	if (name) {
		snprintf(buf + n, size - (size_t)n, " (%s)", name);
	} else if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SYSREG) {
		/* The assembler's name for an unnamed system register. */
		snprintf(buf + n, size - (size_t)n, " (S%u_%u_C%u_C%u_%u)",
			 (unsigned int)((id & KVM_REG_ARM64_SYSREG_OP0_MASK) >>
					KVM_REG_ARM64_SYSREG_OP0_SHIFT),
			 (unsigned int)((id & KVM_REG_ARM64_SYSREG_OP1_MASK) >>
					KVM_REG_ARM64_SYSREG_OP1_SHIFT),
			 (unsigned int)((id & KVM_REG_ARM64_SYSREG_CRN_MASK) >>
					KVM_REG_ARM64_SYSREG_CRN_SHIFT),
			 (unsigned int)((id & KVM_REG_ARM64_SYSREG_CRM_MASK) >>
					KVM_REG_ARM64_SYSREG_CRM_SHIFT),
			 (unsigned int)((id & KVM_REG_ARM64_SYSREG_OP2_MASK) >>
					KVM_REG_ARM64_SYSREG_OP2_SHIFT));
	} else if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_CORE) {
		snprintf(buf + n, size - (size_t)n,
			 " (core register at kvm_regs + 0x%llx)",
			 (unsigned long long)(id & 0xffff) * 4);
	}
	return buf;
}

static size_t reg_bytes(uint64_t id)
{
	return (size_t)1 << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

static int one_reg(struct vcpu *vcpu, unsigned long req, uint64_t id,
		   void *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return ioctl(vcpu->fd, req, &r) < 0 ? -errno : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The vCPU's register list, sorted; free() it.  -errno on failure. */
static int reg_list(struct vcpu *vcpu, uint64_t **ids, uint64_t *n)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;

	/* The first call fails with E2BIG and says how many there are. */
	if (ioctl(vcpu->fd, KVM_GET_REG_LIST, &probe) == 0) {
		*n = 0;
		*ids = malloc(sizeof(uint64_t));
		return *ids ? 0 : -ENOMEM;
	}
	if (errno != E2BIG)
		return -errno;
	if (probe.n > MAX_REGS)
		return -E2BIG;
	list = malloc(sizeof(*list) + probe.n * sizeof(uint64_t));
	if (!list)
		return -ENOMEM;
	list->n = probe.n;
	if (ioctl(vcpu->fd, KVM_GET_REG_LIST, list) < 0) {
		free(list);
		return -errno;
	}
	*n = list->n;
	*ids = malloc((list->n ? list->n : 1) * sizeof(uint64_t));
	if (!*ids) {
		free(list);
		return -ENOMEM;
	}
	memcpy(*ids, list->reg, list->n * sizeof(uint64_t));
	free(list);
	qsort(*ids, *n, sizeof(uint64_t), cmp_u64);
	return 0;
}

/* ---- save ------------------------------------------------------------------ */

static int save_regs(struct vcpu *vcpu, struct snap_writer *w)
{
	static const uint8_t zero[8];
	uint8_t val[MAX_REG_BYTES];
	uint64_t *ids = NULL, n = 0;
	char name[80];
	int ret = reg_list(vcpu, &ids, &n);

	if (ret) {
		pr_err("vCPU %d: KVM_GET_REG_LIST: %s", vcpu->id, strerror(-ret));
		return ret;
	}
	snap_rec_begin(w, ARM64_REC_REGS);
	for (uint64_t i = 0; i < n && !ret; i++) {
		size_t len = reg_bytes(ids[i]);

		if (len > sizeof(val)) {
			pr_err("vCPU %d: register %s of %zu bytes is larger than kvmkit saves",
			       vcpu->id, reg_name(ids[i], name, sizeof(name)), len);
			ret = -E2BIG;
			break;
		}
		ret = one_reg(vcpu, KVM_GET_ONE_REG, ids[i], val);
		if (ret) {
			pr_err("vCPU %d: reading register %s: %s", vcpu->id,
			       reg_name(ids[i], name, sizeof(name)),
			       strerror(-ret));
			break;
		}
		snap_put_le64(w, ids[i]);
		snap_put_bytes(w, val, len);
		snap_put_bytes(w, zero, (8 - len % 8) % 8);
	}
	snap_rec_end(w);
	free(ids);
	return ret;
}

int arm64_save_vcpu(struct vcpu *vcpu, struct snap_writer *w)
{
	struct kvm_mp_state mp;
	struct kvm_vcpu_events ev;
	int ret;

	snap_rec_begin(w, ARM64_REC_FEATURES);
	snap_put_le32(w, ARM64_VCPU(vcpu)->features & FEATURES_KEPT);
	snap_rec_end(w);
	ret = save_regs(vcpu, w);
	if (ret)
		return ret;
	if (ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp) < 0) {
		ret = -errno;
		pr_err("vCPU %d: KVM_GET_MP_STATE: %s", vcpu->id, strerror(-ret));
		return ret;
	}
	snap_rec_begin(w, ARM64_REC_MP_STATE);
	snap_put_le32(w, mp.mp_state);
	snap_rec_end(w);
	if (ioctl(vcpu->vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VCPU_EVENTS) > 0) {
		memset(&ev, 0, sizeof(ev));
		if (ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev) < 0) {
			ret = -errno;
			pr_err("vCPU %d: KVM_GET_VCPU_EVENTS: %s", vcpu->id,
			       strerror(-ret));
			return ret;
		}
		snap_put_rec(w, ARM64_REC_EVENTS, &ev, sizeof(ev));
	}
	return w->err;
}

/* ---- restore --------------------------------------------------------------- */

struct saved_reg {
	uint64_t id;
	const uint8_t *val;	/* into the state file */
};

struct saved_vcpu {
	bool have_features, have_regs, have_mp, have_events;
	uint32_t features;
	uint32_t mp_state;
	struct kvm_vcpu_events events;
	struct saved_reg *regs;
	uint32_t nr_regs;
};

static int decode_regs(struct vcpu *vcpu, struct snap_cursor *v,
		       struct saved_vcpu *s, struct snap_error *e)
{
	/* At least 16 bytes per register: a bound for the array. */
	size_t cap = v->len / 16;

	if (cap > MAX_REGS)
		return snap_fail(e, SNAP_E_FORMAT,
				 "vCPU %d: more than %d saved registers",
				 vcpu->id, MAX_REGS);
	s->regs = calloc(cap ? cap : 1, sizeof(*s->regs));
	if (!s->regs)
		return snap_fail(e, SNAP_E_STATE, "out of memory");
	while (v->pos < v->len) {
		uint64_t id = snap_get_le64(v);
		size_t len = reg_bytes(id);
		size_t padded = (len + 7) & ~(size_t)7;

		if ((id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64 ||
		    len > MAX_REG_BYTES || v->bad || padded > v->len - v->pos ||
		    s->nr_regs >= cap)
			return snap_fail(e, SNAP_E_FORMAT,
					 "vCPU %d: malformed register record at byte %zu (id 0x%016llx)",
					 vcpu->id, v->pos, (unsigned long long)id);
		s->regs[s->nr_regs].id = id;
		s->regs[s->nr_regs].val = v->p + v->pos;
		s->nr_regs++;
		v->pos += padded;
	}
	s->have_regs = true;
	return 0;
}

static int decode(struct vcpu *vcpu, const struct snap_section *sec,
		  struct saved_vcpu *s, struct snap_error *e)
{
	struct snap_cursor c, v;
	uint32_t tag;
	int ret;

	snap_cursor_init(&c, sec->data, sec->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0) {
		switch (tag) {
		case SNAP_VCPU_ID:
		case SNAP_VCPU_LINES:
			continue;	/* the core's */
		case ARM64_REC_FEATURES:
			s->features = snap_get_le32(&v);
			s->have_features = true;
			break;
		case ARM64_REC_REGS:
			if (s->have_regs)
				return snap_fail(e, SNAP_E_FORMAT,
						 "vCPU %d: repeated register record",
						 vcpu->id);
			if (decode_regs(vcpu, &v, s, e))
				return -1;
			continue;
		case ARM64_REC_MP_STATE:
			s->mp_state = snap_get_le32(&v);
			s->have_mp = true;
			break;
		case ARM64_REC_EVENTS:
			snap_get_bytes(&v, &s->events, sizeof(s->events));
			s->have_events = true;
			break;
		default:
			if (tag & SNAP_REC_OPTIONAL)
				continue;
			return snap_fail(e, SNAP_E_FORMAT,
					 "vCPU %d: unknown record 0x%x", vcpu->id,
					 tag);
		}
		if (!snap_cursor_done(&v))
			return snap_fail(e, SNAP_E_FORMAT,
					 "vCPU %d: record 0x%x of %zu bytes",
					 vcpu->id, tag, v.len);
	}
	if (ret < 0)
		return snap_fail(e, SNAP_E_TRUNCATED, "vCPU %d: truncated record",
				 vcpu->id);
	if (!s->have_features || !s->have_regs || !s->have_mp)
		return snap_fail(e, SNAP_E_FORMAT,
				 "vCPU %d: no features, registers or mp_state saved",
				 vcpu->id);
	return 0;
}

/* Every saved register must be one this vCPU has. */
static int check_offered(struct vcpu *vcpu, const struct saved_vcpu *s,
			 struct snap_error *e)
{
	uint64_t *ids = NULL, n = 0;
	char name[80];
	int ret = reg_list(vcpu, &ids, &n);

	if (ret)
		return snap_fail(e, SNAP_E_STATE, "vCPU %d: KVM_GET_REG_LIST: %s",
				 vcpu->id, strerror(-ret));
	for (uint32_t i = 0; i < s->nr_regs && !ret; i++)
		if (!bsearch(&s->regs[i].id, ids, n, sizeof(uint64_t), cmp_u64))
			ret = snap_fail(e, SNAP_E_STATE,
					"vCPU %d: this KVM has no register %s, which the snapshot saved",
					vcpu->id, reg_name(s->regs[i].id, name,
							   sizeof(name)));
	free(ids);
	return ret;
}

static int set_saved_reg(struct vcpu *vcpu, const struct saved_reg *r,
			 struct snap_error *e)
{
	uint8_t val[MAX_REG_BYTES], cur[MAX_REG_BYTES];
	size_t len = reg_bytes(r->id);
	char name[80];
	int ret;

	memcpy(val, r->val, len);
	ret = one_reg(vcpu, KVM_SET_ONE_REG, r->id, val);
	if (!ret)
		return 0;
	/* Refused, but already what the snapshot holds: nothing to do. */
	if (!one_reg(vcpu, KVM_GET_ONE_REG, r->id, cur) &&
	    !memcmp(cur, r->val, len)) {
		pr_debug("vCPU %d: register %s refused the write of its own value",
			 vcpu->id, reg_name(r->id, name, sizeof(name)));
		return 0;
	}
	return snap_fail(e, SNAP_E_STATE, "vCPU %d: KVM refused register %s: %s",
			 vcpu->id, reg_name(r->id, name, sizeof(name)),
			 strerror(-ret));
}

static int restore_regs(struct vcpu *vcpu, const struct saved_vcpu *s,
			struct snap_error *e)
{
	for (int phase = 0; phase < NR_PHASES; phase++)
		for (uint32_t i = 0; i < s->nr_regs; i++)
			if (reg_phase(s->regs[i].id) == (enum reg_phase)phase &&
			    set_saved_reg(vcpu, &s->regs[i], e))
				return -1;
	return 0;
}

static int restore_events(struct vcpu *vcpu, struct kvm_vcpu_events *ev,
			  struct snap_error *e)
{
	if (ioctl(vcpu->vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VCPU_EVENTS) <= 0) {
		/* Nothing pending: nothing lost without the capability. */
		if (!ev->exception.serror_pending &&
		    !ev->exception.ext_dabt_pending)
			return 0;
		return snap_fail(e, SNAP_E_STATE,
				 "vCPU %d: a pending SError was saved, and this KVM has no KVM_CAP_VCPU_EVENTS",
				 vcpu->id);
	}
	if (ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, ev) < 0)
		return snap_fail(e, SNAP_E_STATE,
				 "vCPU %d: KVM_SET_VCPU_EVENTS (SError pending %u): %s",
				 vcpu->id, ev->exception.serror_pending,
				 strerror(errno));
	return 0;
}

int arm64_restore_vcpu(struct vcpu *vcpu, const struct snap_section *sec,
		       struct snap_error *e)
{
	struct arm64_vcpu *av = ARM64_VCPU(vcpu);
	struct saved_vcpu s = { .have_features = false };
	struct kvm_mp_state mp;
	uint32_t have = av->features & FEATURES_KEPT;
	int ret = -1;

	if (decode(vcpu, sec, &s, e))
		goto out;
	if (s.features != have) {
		snap_fail(e, SNAP_E_CONFIG,
			  "vCPU %d: the snapshot's vCPU features are 0x%x, this VM's 0x%x (--pmu differs?)",
			  vcpu->id, s.features, have);
		goto out;
	}
	if (check_offered(vcpu, &s, e) || restore_regs(vcpu, &s, e))
		goto out;
	mp.mp_state = s.mp_state;
	if (ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp) < 0) {
		snap_fail(e, SNAP_E_STATE, "vCPU %d: KVM_SET_MP_STATE %u: %s",
			  vcpu->id, s.mp_state, strerror(errno));
		goto out;
	}
	if (s.have_events && restore_events(vcpu, &s.events, e))
		goto out;
	/* A user-space GIC: feed the timer levels afresh at the first run. */
	av->irq_level_seen = ~0ULL;
	pr_debug("vCPU %d: %u registers restored, mp_state %u", vcpu->id,
		 s.nr_regs, s.mp_state);
	ret = 0;
out:
	free(s.regs);
	return ret;
}
