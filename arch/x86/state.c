// SPDX-License-Identifier: GPL-2.0
/*
 * x86 vCPU and VM state for snapshots: everything KVM keeps for a vCPU,
 * saved as raw KVM structures in records of the vCPU's section, and the
 * VM's kvmclock.
 *
 * Restore order (as QEMU's, for the same reasons): CPUID first (it
 * decides which MSRs and XSAVE features are valid), then general
 * registers, XSAVE, XCRs, special registers (EFER, control registers;
 * also a pending KVM_INTERRUPT vector), MSRs (the TSC among them), events
 * (exceptions, NMI, interrupt shadow), mp_state, debug registers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmkit/log.h"
#include "state.h"

#define MAX_CPUID 256
#define XSAVE_LEGACY 4096	/* sizeof(struct kvm_xsave) */

/* The MSRs KVM lists that a vCPU accepts, probed once at first use. */
static struct {
	uint32_t *index;
	uint32_t nr;
	bool probed;
} msr_set;

static int probe_msrs(struct vcpu *vcpu)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *list;
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} one;

	if (msr_set.probed)
		return 0;
	/* The first call fails with E2BIG and says how many there are. */
	if (ioctl(vcpu->vm->kvm_fd, KVM_GET_MSR_INDEX_LIST, &probe) < 0 &&
	    errno != E2BIG)
		return -errno;
	list = calloc(1, sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
	msr_set.index = calloc(probe.nmsrs ? probe.nmsrs : 1, sizeof(uint32_t));
	if (!list || !msr_set.index) {
		free(list);
		return -ENOMEM;
	}
	list->nmsrs = probe.nmsrs;
	if (ioctl(vcpu->vm->kvm_fd, KVM_GET_MSR_INDEX_LIST, list) < 0) {
		free(list);
		return -errno;
	}
	/* Listed is not accepted: some need features this vCPU lacks. */
	for (uint32_t i = 0; i < list->nmsrs; i++) {
		memset(&one, 0, sizeof(one));
		one.hdr.nmsrs = 1;
		one.e.index = list->indices[i];
		if (ioctl(vcpu->fd, KVM_GET_MSRS, &one) == 1)
			msr_set.index[msr_set.nr++] = list->indices[i];
	}
	free(list);
	msr_set.probed = true;
	pr_debug("x86: %u MSRs saved per vCPU", msr_set.nr);
	return 0;
}

/* XSAVE buffer size KVM wants (KVM_CAP_XSAVE2), 0 without XSAVE. */
static int xsave_size(struct vm *vm)
{
	int n = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);

	if (n >= XSAVE_LEGACY)
		return n;
	return ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE) > 0 ?
		       XSAVE_LEGACY : 0;
}

static int get(struct vcpu *vcpu, unsigned long req, void *buf,
	       const char *what)
{
	if (ioctl(vcpu->fd, req, buf) < 0) {
		int err = -errno;

		pr_err("vCPU %d: %s: %s", vcpu->id, what, strerror(errno));
		return err;
	}
	return 0;
}

static int save_cpuid(struct vcpu *vcpu, struct snap_writer *w)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) +
					    MAX_CPUID * sizeof(c->entries[0]));
	int ret;

	if (!c)
		return -ENOMEM;
	c->nent = MAX_CPUID;
	ret = get(vcpu, KVM_GET_CPUID2, c, "KVM_GET_CPUID2");
	if (!ret) {
		snap_rec_begin(w, X86_REC_CPUID);
		snap_put_le32(w, c->nent);
		snap_put_bytes(w, c->entries, c->nent * sizeof(c->entries[0]));
		snap_rec_end(w);
	}
	free(c);
	return ret;
}

static int save_fpu(struct vcpu *vcpu, struct snap_writer *w)
{
	int size = xsave_size(vcpu->vm);
	struct kvm_fpu fpu;
	void *buf;
	int ret;

	if (!size) {
		ret = get(vcpu, KVM_GET_FPU, &fpu, "KVM_GET_FPU");
		if (!ret)
			snap_put_rec(w, X86_REC_FPU, &fpu, sizeof(fpu));
		return ret;
	}
	buf = calloc(1, (size_t)size);
	if (!buf)
		return -ENOMEM;
	ret = size > XSAVE_LEGACY ?
		      get(vcpu, KVM_GET_XSAVE2, buf, "KVM_GET_XSAVE2") :
		      get(vcpu, KVM_GET_XSAVE, buf, "KVM_GET_XSAVE");
	if (!ret)
		snap_put_rec(w, X86_REC_XSAVE, buf, (size_t)size);
	free(buf);
	return ret;
}

static int save_msrs(struct vcpu *vcpu, struct snap_writer *w)
{
	struct kvm_msrs *m;
	int ret = probe_msrs(vcpu), n;

	if (ret) {
		pr_err("vCPU %d: listing MSRs: %s", vcpu->id, strerror(-ret));
		return ret;
	}
	m = calloc(1, sizeof(*m) + msr_set.nr * sizeof(m->entries[0]));
	if (!m)
		return -ENOMEM;
	m->nmsrs = msr_set.nr;
	for (uint32_t i = 0; i < msr_set.nr; i++)
		m->entries[i].index = msr_set.index[i];
	n = ioctl(vcpu->fd, KVM_GET_MSRS, m);
	if (n != (int)msr_set.nr) {
		pr_err("vCPU %d: KVM_GET_MSRS read %d of %u MSRs", vcpu->id, n,
		       msr_set.nr);
		free(m);
		return -EIO;
	}
	snap_rec_begin(w, X86_REC_MSRS);
	for (uint32_t i = 0; i < msr_set.nr; i++) {
		snap_put_le32(w, m->entries[i].index);
		snap_put_le32(w, 0);
		snap_put_le64(w, m->entries[i].data);
	}
	snap_rec_end(w);
	free(m);
	return 0;
}

int x86_save_vcpu(struct vcpu *vcpu, struct snap_writer *w)
{
	struct kvm_vcpu_events events;
	struct kvm_debugregs dbg;
	struct kvm_mp_state mp;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_xcrs xcrs;
	int ret, khz;

	ret = save_cpuid(vcpu, w) ?:
	      get(vcpu, KVM_GET_REGS, &regs, "KVM_GET_REGS") ?:
	      get(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS") ?:
	      save_fpu(vcpu, w) ?: save_msrs(vcpu, w) ?:
	      get(vcpu, KVM_GET_VCPU_EVENTS, &events, "KVM_GET_VCPU_EVENTS") ?:
	      get(vcpu, KVM_GET_DEBUGREGS, &dbg, "KVM_GET_DEBUGREGS") ?:
	      get(vcpu, KVM_GET_MP_STATE, &mp, "KVM_GET_MP_STATE");
	if (ret)
		return ret;
	snap_put_rec(w, X86_REC_REGS, &regs, sizeof(regs));
	snap_put_rec(w, X86_REC_SREGS, &sregs, sizeof(sregs));
	if (ioctl(vcpu->vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) > 0) {
		ret = get(vcpu, KVM_GET_XCRS, &xcrs, "KVM_GET_XCRS");
		if (ret)
			return ret;
		snap_put_rec(w, X86_REC_XCRS, &xcrs, sizeof(xcrs));
	}
	snap_put_rec(w, X86_REC_EVENTS, &events, sizeof(events));
	snap_put_rec(w, X86_REC_DEBUGREGS, &dbg, sizeof(dbg));
	snap_rec_begin(w, X86_REC_MP_STATE);
	snap_put_le32(w, mp.mp_state);
	snap_rec_end(w);
	khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	if (khz > 0) {
		snap_rec_begin(w, X86_REC_TSC_KHZ);
		snap_put_le32(w, (uint32_t)khz);
		snap_rec_end(w);
	}
	return w->err;
}

/* ---- restore ---------------------------------------------------------------- */

struct x86_saved {
	struct snap_cursor rec[X86_REC_MP_STATE - SNAP_REC_ARCH + 1];
	bool have[X86_REC_MP_STATE - SNAP_REC_ARCH + 1];
	uint32_t tsc_khz;
};

static const struct {
	const char *name;
	size_t size;		/* exact size; 0: checked by its reader */
	bool required;
} rec_info[] = {
	[X86_REC_CPUID - SNAP_REC_ARCH] = { "cpuid", 0, true },
	[X86_REC_REGS - SNAP_REC_ARCH] = { "regs", sizeof(struct kvm_regs), true },
	[X86_REC_SREGS - SNAP_REC_ARCH] = { "sregs", sizeof(struct kvm_sregs), true },
	[X86_REC_XSAVE - SNAP_REC_ARCH] = { "xsave", 0, false },
	[X86_REC_FPU - SNAP_REC_ARCH] = { "fpu", sizeof(struct kvm_fpu), false },
	[X86_REC_XCRS - SNAP_REC_ARCH] = { "xcrs", sizeof(struct kvm_xcrs), false },
	[X86_REC_MSRS - SNAP_REC_ARCH] = { "msrs", 0, true },
	[X86_REC_EVENTS - SNAP_REC_ARCH] = { "events", sizeof(struct kvm_vcpu_events), true },
	[X86_REC_DEBUGREGS - SNAP_REC_ARCH] = { "debugregs", sizeof(struct kvm_debugregs), true },
	[X86_REC_MP_STATE - SNAP_REC_ARCH] = { "mp_state", 4, true },
};

static int collect(struct vcpu *vcpu, const struct snap_section *sec,
		   struct x86_saved *s, struct snap_error *e)
{
	struct snap_cursor c, v;
	uint32_t tag;
	int ret;

	memset(s, 0, sizeof(*s));
	snap_cursor_init(&c, sec->data, sec->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0) {
		unsigned int i = tag - SNAP_REC_ARCH;

		if (tag < SNAP_REC_ARCH)
			continue;	/* the core's records */
		if (tag == X86_REC_TSC_KHZ) {
			s->tsc_khz = snap_get_le32(&v);
			continue;
		}
		if (i >= sizeof(rec_info) / sizeof(rec_info[0])) {
			if (tag & SNAP_REC_OPTIONAL)
				continue;
			return snap_fail(e, SNAP_E_FORMAT,
					 "vCPU %d: unknown x86 record 0x%x",
					 vcpu->id, tag);
		}
		if (s->have[i] ||
		    (rec_info[i].size && v.len != rec_info[i].size))
			return snap_fail(e, SNAP_E_FORMAT,
					 "vCPU %d: x86 record %s is %zu bytes (want %zu) or repeated",
					 vcpu->id, rec_info[i].name, v.len,
					 rec_info[i].size);
		s->rec[i] = v;
		s->have[i] = true;
	}
	if (ret < 0)
		return snap_fail(e, SNAP_E_TRUNCATED, "vCPU %d: truncated record",
				 vcpu->id);
	for (size_t i = 0; i < sizeof(rec_info) / sizeof(rec_info[0]); i++)
		if (rec_info[i].required && !s->have[i])
			return snap_fail(e, SNAP_E_FORMAT,
					 "vCPU %d: x86 record %s missing",
					 vcpu->id, rec_info[i].name);
	if (!s->have[X86_REC_XSAVE - SNAP_REC_ARCH] &&
	    !s->have[X86_REC_FPU - SNAP_REC_ARCH])
		return snap_fail(e, SNAP_E_FORMAT, "vCPU %d: no FPU state",
				 vcpu->id);
	return 0;
}

static int set(struct vcpu *vcpu, unsigned long req, const void *buf,
	       const char *what, struct snap_error *e)
{
	if (ioctl(vcpu->fd, req, buf) < 0)
		return snap_fail(e, SNAP_E_STATE, "vCPU %d: %s: %s", vcpu->id,
				 what, strerror(errno));
	return 0;
}

static int restore_cpuid(struct vcpu *vcpu, struct snap_cursor *v,
			 struct snap_error *e)
{
	uint32_t nent = snap_get_le32(v);
	struct kvm_cpuid2 *c;
	int ret;

	if (nent > MAX_CPUID || v->len - v->pos != nent * sizeof(c->entries[0]))
		return snap_fail(e, SNAP_E_FORMAT,
				 "vCPU %d: CPUID record of %zu bytes for %u entries",
				 vcpu->id, v->len, nent);
	c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
	if (!c)
		return snap_fail(e, SNAP_E_STATE, "out of memory");
	c->nent = nent;
	snap_get_bytes(v, c->entries, nent * sizeof(c->entries[0]));
	ret = set(vcpu, KVM_SET_CPUID2, c, "KVM_SET_CPUID2", e);
	free(c);
	return ret;
}

static int restore_xsave(struct vcpu *vcpu, struct snap_cursor *v,
			 struct snap_error *e)
{
	size_t want = (size_t)xsave_size(vcpu->vm);
	size_t size = want > v->len ? want : v->len;
	void *buf;
	int ret;

	if (!want)
		return snap_fail(e, SNAP_E_STATE,
				 "vCPU %d: the snapshot has XSAVE state; this host's KVM has no XSAVE",
				 vcpu->id);
	if (v->len < XSAVE_LEGACY || v->len > (1 << 20))
		return snap_fail(e, SNAP_E_FORMAT,
				 "vCPU %d: XSAVE record of %zu bytes", vcpu->id,
				 v->len);
	/* KVM reads as many bytes as it uses: pad a shorter area with 0. */
	buf = calloc(1, size);
	if (!buf)
		return snap_fail(e, SNAP_E_STATE, "out of memory");
	snap_get_bytes(v, buf, v->len);
	ret = set(vcpu, KVM_SET_XSAVE, buf, "KVM_SET_XSAVE", e);
	free(buf);
	return ret;
}

/* Does the vCPU's MSR @index read as @data? */
static bool msr_holds(struct vcpu *vcpu, uint32_t index, uint64_t data)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} one = { .hdr.nmsrs = 1, .e.index = index };

	return ioctl(vcpu->fd, KVM_GET_MSRS, &one) == 1 && one.e.data == data;
}

static int restore_msrs(struct vcpu *vcpu, struct snap_cursor *v,
			struct snap_error *e)
{
	size_t nr = v->len / 16;
	struct kvm_msrs *m;
	int n;

	if (v->len % 16 || nr > 4096)
		return snap_fail(e, SNAP_E_FORMAT,
				 "vCPU %d: MSR record of %zu bytes", vcpu->id,
				 v->len);
	m = calloc(1, sizeof(*m) + nr * sizeof(m->entries[0]));
	if (!m)
		return snap_fail(e, SNAP_E_STATE, "out of memory");
	m->nmsrs = (uint32_t)nr;
	for (size_t i = 0; i < nr; i++) {
		m->entries[i].index = snap_get_le32(v);
		snap_get_le32(v);
		m->entries[i].data = snap_get_le64(v);
	}
	/*
	 * KVM_SET_MSRS stops at the first MSR it refuses.  Some read fine
	 * but can't be written here (MSR_KVM_ASYNC_PF_INT without an
	 * in-kernel LAPIC): one whose value the vCPU already holds is no
	 * loss; any other refusal fails the restore.
	 */
	for (size_t done = 0; done < nr;) {
		struct kvm_msr_entry *bad;
		struct kvm_msrs *rest;

		rest = calloc(1, sizeof(*rest) + (nr - done) * sizeof(m->entries[0]));
		if (!rest)
			break;
		rest->nmsrs = (uint32_t)(nr - done);
		memcpy(rest->entries, &m->entries[done],
		       (nr - done) * sizeof(m->entries[0]));
		n = ioctl(vcpu->fd, KVM_SET_MSRS, rest);
		free(rest);
		if (n < 0 || (size_t)n > nr - done) {
			snap_fail(e, SNAP_E_STATE, "vCPU %d: KVM_SET_MSRS: %s",
				  vcpu->id, strerror(errno));
			break;
		}
		done += (size_t)n;
		if (done == nr)
			break;
		bad = &m->entries[done];
		if (!msr_holds(vcpu, bad->index, bad->data)) {
			snap_fail(e, SNAP_E_STATE,
				  "vCPU %d: KVM refused MSR 0x%x = 0x%llx",
				  vcpu->id, bad->index,
				  (unsigned long long)bad->data);
			break;
		}
		pr_debug("vCPU %d: MSR 0x%x is read-only here, already 0x%llx",
			 vcpu->id, bad->index, (unsigned long long)bad->data);
		done++;
	}
	free(m);
	return e->code == SNAP_OK ? 0 : -1;
}

int x86_restore_vcpu(struct vcpu *vcpu, const struct snap_section *sec,
		     struct snap_error *e)
{
	struct kvm_vcpu_events events;
	struct kvm_debugregs dbg;
	struct kvm_mp_state mp;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_xcrs xcrs;
	struct kvm_fpu fpu;
	struct x86_saved s;
	int khz;

#define REC(t) (&s.rec[(t) - SNAP_REC_ARCH])
#define HAVE(t) (s.have[(t) - SNAP_REC_ARCH])
	if (collect(vcpu, sec, &s, e))
		return -1;
	snap_get_bytes(REC(X86_REC_REGS), &regs, sizeof(regs));
	snap_get_bytes(REC(X86_REC_SREGS), &sregs, sizeof(sregs));
	snap_get_bytes(REC(X86_REC_EVENTS), &events, sizeof(events));
	snap_get_bytes(REC(X86_REC_DEBUGREGS), &dbg, sizeof(dbg));
	mp.mp_state = snap_get_le32(REC(X86_REC_MP_STATE));
	/* Restore what GET reported, and the NMI and SIPI fields too. */
	events.flags |= KVM_VCPUEVENT_VALID_NMI_PENDING |
			KVM_VCPUEVENT_VALID_SIPI_VECTOR;
	dbg.flags = 0;

	if (restore_cpuid(vcpu, REC(X86_REC_CPUID), e) ||
	    set(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS", e))
		return -1;
	if (HAVE(X86_REC_XSAVE)) {
		if (restore_xsave(vcpu, REC(X86_REC_XSAVE), e))
			return -1;
	} else {
		snap_get_bytes(REC(X86_REC_FPU), &fpu, sizeof(fpu));
		if (set(vcpu, KVM_SET_FPU, &fpu, "KVM_SET_FPU", e))
			return -1;
	}
	if (HAVE(X86_REC_XCRS)) {
		snap_get_bytes(REC(X86_REC_XCRS), &xcrs, sizeof(xcrs));
		if (set(vcpu, KVM_SET_XCRS, &xcrs, "KVM_SET_XCRS", e))
			return -1;
	}
	if (set(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS", e) ||
	    restore_msrs(vcpu, REC(X86_REC_MSRS), e) ||
	    set(vcpu, KVM_SET_VCPU_EVENTS, &events, "KVM_SET_VCPU_EVENTS", e) ||
	    set(vcpu, KVM_SET_MP_STATE, &mp, "KVM_SET_MP_STATE", e) ||
	    set(vcpu, KVM_SET_DEBUGREGS, &dbg, "KVM_SET_DEBUGREGS", e))
		return -1;
#undef REC
#undef HAVE
	khz = ioctl(vcpu->fd, KVM_GET_TSC_KHZ, 0);
	if (s.tsc_khz && khz > 0 && (uint32_t)khz != s.tsc_khz)
		pr_warn("vCPU %d: TSC runs at %d kHz here, %u kHz where the snapshot was taken",
			vcpu->id, khz, s.tsc_khz);
	/* A guest on kvmclock learns it was stopped (no soft lockups). */
	ioctl(vcpu->fd, KVM_KVMCLOCK_CTRL, 0);
	return 0;
}

/* ---- VM ------------------------------------------------------------------------ */

int x86_save_vm(struct vm *vm, struct snap_writer *w)
{
	struct kvm_clock_data clock = { 0 };

	if (ioctl(vm->vm_fd, KVM_GET_CLOCK, &clock) < 0) {
		pr_err("KVM_GET_CLOCK: %s", strerror(errno));
		return -errno;
	}
	snap_begin_section(w, SNAP_SEC_ARCH_VM, 0);
	snap_rec_begin(w, X86_REC_CLOCK);
	snap_put_le64(w, clock.clock);
	snap_put_le32(w, clock.flags);
	snap_rec_end(w);
	snap_end_section(w);
	return w->err;
}

int x86_restore_vm(struct vm *vm, const struct snap_file *f,
		   struct snap_error *e)
{
	const struct snap_section *sec = snap_find_section(f, SNAP_SEC_ARCH_VM, 0);
	struct kvm_clock_data clock = { 0 };
	struct snap_cursor c, v;
	bool have_clock = false;
	uint32_t tag;
	int ret;

	if (!sec)
		return snap_fail(e, SNAP_E_FORMAT, "no x86 VM section");
	snap_cursor_init(&c, sec->data, sec->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0) {
		if (tag == X86_REC_CLOCK) {
			clock.clock = snap_get_le64(&v);
			snap_get_le32(&v);	/* flags: informative */
			if (!snap_cursor_done(&v))
				return snap_fail(e, SNAP_E_FORMAT,
						 "x86 clock record of %zu bytes",
						 v.len);
			have_clock = true;
		} else if (!(tag & SNAP_REC_OPTIONAL)) {
			return snap_fail(e, SNAP_E_FORMAT,
					 "unknown x86 VM record 0x%x", tag);
		}
	}
	if (ret < 0 || !have_clock)
		return snap_fail(e, SNAP_E_FORMAT,
				 "x86 VM section: truncated, or no clock");
	/* kvmclock goes on from where it stood: the snapshot's time on
	 * disk does not pass for the guest. */
	if (ioctl(vm->vm_fd, KVM_SET_CLOCK, &clock) < 0)
		return snap_fail(e, SNAP_E_STATE, "KVM_SET_CLOCK: %s",
				 strerror(errno));
	return 0;
}
