// SPDX-License-Identifier: GPL-2.0
/*
 * FLIC save/restore helpers: the documented order (APF_DISABLE_WAIT,
 * GET_ALL_IRQS growing on -ENOMEM, AISM_ALL; CLEAR_IRQS, ENQUEUE,
 * AISM_ALL), seen through a recording shim device, and a round trip
 * from one instance into a fresh one giving identical state.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "flic/flic.h"
#include "flic/flic_priv.h"
#include "kvmkit/models.h"

#define IRQ_SZ sizeof(struct kvm_s390_irq)

/* ---- a device that forwards to another one and logs each call ------------ */

enum { OP_SET, OP_GET, OP_HAS };

struct call {
	int op;
	uint32_t group;
	uint64_t attr;
	int ret;
};

struct rec {
	struct device *inner;
	unsigned int n;
	struct call log[64];
};

static int rec_do(struct device *d, const struct kvm_device_attr *a, int op)
{
	struct rec *r = d->priv;
	int ret = op == OP_SET ? device_set_attr(r->inner, a) :
		  op == OP_GET ? device_get_attr(r->inner, a) :
				 device_has_attr(r->inner, a);

	if (r->n < 64)
		r->log[r->n++] = (struct call){ op, a->group, a->attr, ret };
	return ret;
}

static int rec_set(struct device *d, const struct kvm_device_attr *a)
{
	return rec_do(d, a, OP_SET);
}

static int rec_get(struct device *d, const struct kvm_device_attr *a)
{
	return rec_do(d, a, OP_GET);
}

static int rec_has(struct device *d, const struct kvm_device_attr *a)
{
	return rec_do(d, a, OP_HAS);
}

static const struct device_ops rec_ops = {
	.set_attr = rec_set, .get_attr = rec_get, .has_attr = rec_has,
};

static struct device rec_dev(struct rec *r, struct device *inner)
{
	memset(r, 0, sizeof(*r));
	r->inner = inner;
	return (struct device){ .name = "rec", .type = KVM_DEV_TYPE_FLIC,
				.backend = DEV_BACKEND_KERNEL, .fd = -1,
				.ops = &rec_ops, .priv = r };
}

static void assert_call(const struct call *c, int op, uint32_t group,
			uint64_t attr, int ret)
{
	assert_int_equal(c->op, op);
	assert_int_equal(c->group, group);
	assert_int_equal(c->attr, attr);
	assert_int_equal(c->ret, ret);
}

/* ---- fixtures ------------------------------------------------------------ */

struct vmside {
	struct fake_host *fh;
	struct device *flic;
	struct device *vm;	/* optional s390 VM model */
};

static struct vmside vmside_new(bool with_vm)
{
	struct vmside s = { .fh = fake_host_new(0, 0x10000, 0) };

	assert_int_equal(flic_soft_model.create(&s.fh->host, KVM_DEV_TYPE_FLIC,
						&s.flic), 0);
	if (with_vm) {
		assert_int_equal(s390_vm_soft_model.create(
					 &s.fh->host, KVMKIT_DEV_TYPE_S390_VM,
					 &s.vm), 0);
		fake_host_add_device(s.fh, s.vm);
	}
	return s;
}

static void vmside_free(struct vmside *s)
{
	device_destroy(s->flic);
	device_destroy(s->vm);
	fake_host_free(s->fh);
}

static void drop_ais(struct device *vm)
{
	struct kvm_s390_vm_cpu_processor *p = malloc(sizeof(*p));

	assert_int_equal(device_get(vm, KVM_S390_VM_CPU_MODEL,
				    KVM_S390_VM_CPU_PROCESSOR, p), 0);
	s390_bit_clear(p->fac_list, 72);
	assert_int_equal(device_set(vm, KVM_S390_VM_CPU_MODEL,
				    KVM_S390_VM_CPU_PROCESSOR, p), 0);
	free(p);
}

static void enqueue(struct device *dev, const struct kvm_s390_irq *irqs,
		    size_t n)
{
	assert_int_equal(device_set(dev, KVM_DEV_FLIC_ENQUEUE, n * IRQ_SZ,
				    irqs), 0);
}

static struct kvm_s390_irq io_irq(int isc, uint16_t nr, uint32_t parm)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_IO(0, 0, 0, nr) };

	irq.u.io.subchannel_id = 0x0001;
	irq.u.io.subchannel_nr = nr;
	irq.u.io.io_int_parm = parm;
	irq.u.io.io_int_word = (uint32_t)isc << 27;
	return irq;
}

static void fill(struct device *flic, size_t nr_io)
{
	struct kvm_s390_irq k[5] = {
		{ .type = KVM_S390_MCHK },
		{ .type = KVM_S390_INT_SERVICE },
		{ .type = KVM_S390_INT_VIRTIO },
		{ .type = KVM_S390_INT_PFAULT_DONE },
		{ .type = KVM_S390_INT_VIRTIO },
	};
	struct kvm_s390_ais_all ais = { .simm = 0x24, .nimm = 0x04 };

	k[0].u.mchk.cr14 = S390_CR14_CHANNEL_REPORT;
	k[0].u.mchk.mcic = 0x00400f1d40330000ULL;
	k[1].u.ext.ext_params = 0x7f000 | 1;
	k[2].u.ext = (struct kvm_s390_ext_info){ 0x11, 0, 0x1111 };
	k[3].u.ext = (struct kvm_s390_ext_info){ 0x22, 0, 0x2222 };
	k[4].u.ext = (struct kvm_s390_ext_info){ 0x33, 0, 0x3333 };
	enqueue(flic, k, 5);
	for (size_t i = 0; i < nr_io; i++) {
		struct kvm_s390_irq io = io_irq(i % 8, i, i * 3);

		enqueue(flic, &io, 1);
	}
	assert_int_equal(device_set(flic, KVM_DEV_FLIC_AISM_ALL, 2, &ais), 0);
}

/* Every pending interrupt, in GET_ALL_IRQS order, malloc'ed. */
static struct kvm_s390_irq *snapshot(struct device *flic, size_t *n)
{
	struct flic_state st;

	assert_int_equal(flic_save(flic, &st), 0);
	*n = st.nr_irqs;
	return st.irqs;
}

static const struct flic_cpu_state all_on = {
	.psw_mask = S390_PSW_MASK_IO | S390_PSW_MASK_EXT |
		    S390_PSW_MASK_MCHECK,
	.cr0 = S390_CR0_SERVICE_SIGNAL,
	.cr6 = S390_CR6_ALL_ISCS,
	.cr14 = S390_CR14_CHANNEL_REPORT,
};

/* ---- tests --------------------------------------------------------------- */

static void test_round_trip(void **state)
{
	struct vmside a = vmside_new(true), b = vmside_new(true);
	struct kvm_s390_irq *before, *after, oa, ob;
	struct kvm_s390_ais_all ais_a, ais_b;
	struct flic_state st;
	struct rec r;
	struct device shim = rec_dev(&r, a.flic);
	size_t n_before, n_after;

	fill(a.flic, 100);
	before = snapshot(a.flic, &n_before);
	assert_int_equal(n_before, 105);

	/* Save: APF off, GET_ALL from 64 entries doubling, then AIS. */
	assert_int_equal(flic_save(&shim, &st), 0);
	assert_int_equal(st.nr_irqs, 105);
	assert_true(st.has_ais);
	assert_int_equal(st.ais.simm, 0x24);
	assert_int_equal(st.ais.nimm, 0x04);
	assert_int_equal(r.n, 5);
	assert_call(&r.log[0], OP_SET, KVM_DEV_FLIC_APF_DISABLE_WAIT, 0, 0);
	assert_call(&r.log[1], OP_GET, KVM_DEV_FLIC_GET_ALL_IRQS, 64 * IRQ_SZ,
		    -ENOMEM);
	assert_call(&r.log[2], OP_GET, KVM_DEV_FLIC_GET_ALL_IRQS,
		    128 * IRQ_SZ, 0);
	assert_call(&r.log[3], OP_HAS, KVM_DEV_FLIC_AISM_ALL, 0, 0);
	assert_call(&r.log[4], OP_GET, KVM_DEV_FLIC_AISM_ALL, 2, 0);
	/* Saving leaves the source's interrupts pending. */
	assert_memory_equal(st.irqs, before, n_before * IRQ_SZ);

	/* Restore: CLEAR, ENQUEUE everything, AISM_ALL. */
	shim = rec_dev(&r, b.flic);
	assert_int_equal(flic_restore(&shim, &st), 0);
	assert_int_equal(r.n, 3);
	assert_call(&r.log[0], OP_SET, KVM_DEV_FLIC_CLEAR_IRQS, 0, 0);
	assert_call(&r.log[1], OP_SET, KVM_DEV_FLIC_ENQUEUE, 105 * IRQ_SZ, 0);
	assert_call(&r.log[2], OP_SET, KVM_DEV_FLIC_AISM_ALL, 2, 0);
	assert_int_equal(b.fh->lines[0][CPU_LINE_IRQ], 1);

	/* Identical state: same list, same AIS, same delivery sequence. */
	after = snapshot(b.flic, &n_after);
	assert_int_equal(n_after, n_before);
	assert_memory_equal(after, before, n_before * IRQ_SZ);
	assert_int_equal(device_get(a.flic, KVM_DEV_FLIC_AISM_ALL, 2, &ais_a),
			 0);
	assert_int_equal(device_get(b.flic, KVM_DEV_FLIC_AISM_ALL, 2, &ais_b),
			 0);
	assert_memory_equal(&ais_a, &ais_b, sizeof(ais_a));
	for (size_t i = 0; i < n_before + 1; i++) {
		int ra = flic_dequeue(a.flic, &all_on, &oa);
		int rb = flic_dequeue(b.flic, &all_on, &ob);

		assert_int_equal(ra, rb);
		if (ra)
			break;
		assert_memory_equal(&oa, &ob, IRQ_SZ);
	}
	assert_int_equal(flic_dequeue(b.flic, &all_on, &ob), -ENOENT);
	assert_int_equal(b.fh->lines[0][CPU_LINE_IRQ], 0);

	free(before);
	free(after);
	flic_state_free(&st);
	assert_null(st.irqs);
	vmside_free(&a);
	vmside_free(&b);
}

static void test_save_growth(void **state)
{
	struct vmside a = vmside_new(false);
	struct flic_state st;
	struct rec r;
	struct device shim = rec_dev(&r, a.flic);
	uint64_t len = 64 * IRQ_SZ;

	fill(a.flic, 5000);
	assert_int_equal(flic_save(&shim, &st), 0);
	assert_int_equal(st.nr_irqs, 5005);
	/* 64, 128, ... 4096 entries too small; 8192 fits. */
	for (unsigned int i = 1; i <= 7; i++, len *= 2)
		assert_call(&r.log[i], OP_GET, KVM_DEV_FLIC_GET_ALL_IRQS, len,
			    -ENOMEM);
	assert_call(&r.log[8], OP_GET, KVM_DEV_FLIC_GET_ALL_IRQS, len, 0);
	/* I/O entries in ISC order, FIFO within an ISC. */
	assert_int_equal(st.irqs[0].u.io.io_int_parm, 0);
	assert_int_equal(st.irqs[1].u.io.io_int_parm, 8 * 3);
	assert_int_equal(st.irqs[625].u.io.io_int_parm, 1 * 3);
	assert_int_equal(st.irqs[5004].type, KVM_S390_MCHK);
	flic_state_free(&st);
	vmside_free(&a);
}

static void test_save_empty_restore_clears(void **state)
{
	struct vmside a = vmside_new(false), b = vmside_new(false);
	struct flic_state st;
	size_t n;

	assert_int_equal(flic_save(a.flic, &st), 0);
	assert_int_equal(st.nr_irqs, 0);
	assert_true(st.has_ais);
	fill(b.flic, 3);
	assert_int_equal(b.fh->lines[0][CPU_LINE_IRQ], 1);
	assert_int_equal(flic_restore(b.flic, &st), 0);
	free(snapshot(b.flic, &n));
	assert_int_equal(n, 0);
	assert_int_equal(b.fh->lines[0][CPU_LINE_IRQ], 0);
	flic_state_free(&st);
	vmside_free(&a);
	vmside_free(&b);
}

static void test_save_disables_apf(void **state)
{
	struct vmside a = vmside_new(false);
	struct flic_state st;

	assert_int_equal(device_set(a.flic, KVM_DEV_FLIC_APF_ENABLE, 0, NULL),
			 0);
	assert_true(flic_of(a.flic)->apf_enabled);
	assert_int_equal(flic_save(a.flic, &st), 0);
	assert_false(flic_of(a.flic)->apf_enabled);
	flic_state_free(&st);
	vmside_free(&a);
}

/* No AIS in the source: nothing saved, AISM_ALL not replayed. */
static void test_no_ais(void **state)
{
	struct vmside a = vmside_new(true), b = vmside_new(true);
	struct kvm_s390_irq io = io_irq(1, 1, 1);
	struct flic_state st;
	struct rec r;
	struct device shim = rec_dev(&r, a.flic);

	drop_ais(a.vm);
	enqueue(a.flic, &io, 1);
	assert_int_equal(flic_save(&shim, &st), 0);
	assert_false(st.has_ais);
	assert_int_equal(r.n, 4);
	assert_call(&r.log[3], OP_GET, KVM_DEV_FLIC_AISM_ALL, 2, -EOPNOTSUPP);
	shim = rec_dev(&r, b.flic);
	assert_int_equal(flic_restore(&shim, &st), 0);
	assert_int_equal(r.n, 2);
	flic_state_free(&st);

	/* AIS saved but the target has none: the error is reported. */
	fill(b.flic, 0);
	assert_int_equal(flic_save(b.flic, &st), 0);
	assert_true(st.has_ais);
	assert_int_equal(flic_restore(a.flic, &st), -EOPNOTSUPP);
	flic_state_free(&st);
	vmside_free(&a);
	vmside_free(&b);
}

static void test_restore_bad_state(void **state)
{
	struct vmside b = vmside_new(false);
	struct kvm_s390_irq irqs[2] = { io_irq(0, 1, 1),
					{ .type = KVM_S390_RESTART } };
	struct flic_state st = { .irqs = irqs, .nr_irqs = 2 };
	size_t n;

	assert_int_equal(flic_restore(b.flic, &st), -EINVAL);
	free(snapshot(b.flic, &n));
	assert_int_equal(n, 1);
	vmside_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_save_growth),
		cmocka_unit_test(test_save_empty_restore_clears),
		cmocka_unit_test(test_save_disables_apf),
		cmocka_unit_test(test_no_ais),
		cmocka_unit_test(test_restore_bad_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
