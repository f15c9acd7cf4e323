// SPDX-License-Identifier: GPL-2.0
/*
 * The FLIC's attribute stream (devices/flic/flic_stream.c): a software
 * FLIC with pending interrupts of every floating kind, adapters (maps,
 * a mask) and AIS modes saved into a stream and restored into a fresh
 * FLIC gives the same pending list, AIS modes, adapters and delivery
 * order; the records are in the documented order; malformed streams
 * give -EBADMSG before anything is applied, never a crash.
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
#include "kvmkit/attr_stream.h"
#include "kvmkit/models.h"

#define IRQ_SZ sizeof(struct kvm_s390_irq)
#define RAM 0x10000

struct side {
	struct fake_host *fh;
	struct device *flic;
	struct device *vm;
};

static struct side side_new(void)
{
	struct side s = { .fh = fake_host_new(0, RAM, 1) };

	assert_int_equal(flic_soft_model.create(&s.fh->host, KVM_DEV_TYPE_FLIC,
						&s.flic), 0);
	assert_int_equal(s390_vm_soft_model.create(&s.fh->host,
						   KVMKIT_DEV_TYPE_S390_VM,
						   &s.vm), 0);
	fake_host_add_device(s.fh, s.vm);
	return s;
}

static void side_free(struct side *s)
{
	device_destroy(s->flic);
	device_destroy(s->vm);
	fake_host_free(s->fh);
}

static void enqueue(struct device *flic, const struct kvm_s390_irq *irq)
{
	assert_int_equal(device_set(flic, KVM_DEV_FLIC_ENQUEUE, IRQ_SZ, irq),
			 0);
}

static void modify(struct device *flic, uint32_t id, uint8_t type,
		   uint8_t mask, uint64_t addr)
{
	struct kvm_s390_io_adapter_req req = {
		.id = id, .type = type, .mask = mask, .addr = addr,
	};

	assert_int_equal(device_set(flic, KVM_DEV_FLIC_ADAPTER_MODIFY, 0,
				    &req), 0);
}

static void program(struct device *flic, size_t nr_io)
{
	struct kvm_s390_io_adapter a1 = { .id = 1, .isc = 3, .maskable = 1,
					  .flags = KVM_S390_ADAPTER_SUPPRESSIBLE };
	struct kvm_s390_io_adapter a9 = { .id = 9, .isc = 6, .swap = 1 };
	struct kvm_s390_ais_all ais = { .simm = 0x24, .nimm = 0x04 };
	struct kvm_s390_irq k = { .type = KVM_S390_INT_SERVICE };

	k.u.ext.ext_params = 0x7f000 | 1;
	enqueue(flic, &k);
	k = (struct kvm_s390_irq){ .type = KVM_S390_MCHK };
	k.u.mchk.cr14 = S390_CR14_CHANNEL_REPORT;
	k.u.mchk.mcic = 0x00400f1d40330000ULL;
	enqueue(flic, &k);
	k = (struct kvm_s390_irq){ .type = KVM_S390_INT_VIRTIO };
	k.u.ext = (struct kvm_s390_ext_info){ 0x11, 0, 0x1111 };
	enqueue(flic, &k);
	for (size_t i = 0; i < nr_io; i++) {
		struct kvm_s390_irq io = {
			.type = KVM_S390_INT_IO(0, 0, 0, (uint16_t)i) };

		io.u.io.subchannel_id = 1;
		io.u.io.subchannel_nr = (uint16_t)i;
		io.u.io.io_int_parm = (uint32_t)i * 7;
		io.u.io.io_int_word = (uint32_t)(i % 8) << 27;
		enqueue(flic, &io);
	}
	assert_int_equal(device_set(flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0,
				    &a1), 0);
	assert_int_equal(device_set(flic, KVM_DEV_FLIC_ADAPTER_REGISTER, 0,
				    &a9), 0);
	modify(flic, 1, KVM_S390_IO_ADAPTER_MAP, 0, 0x3000);
	modify(flic, 1, KVM_S390_IO_ADAPTER_MAP, 0, 0x1000);
	modify(flic, 1, KVM_S390_IO_ADAPTER_MASK, 1, 0);
	modify(flic, 9, KVM_S390_IO_ADAPTER_MAP, 0, 0x8000);
	assert_int_equal(device_set(flic, KVM_DEV_FLIC_AISM_ALL, 2, &ais), 0);
	/* An adapter interrupt through AIS too. */
	assert_int_equal(device_set(flic, KVM_DEV_FLIC_AIRQ_INJECT, 9, NULL),
			 0);
}

static struct kvm_s390_irq *all_irqs(struct device *flic, size_t *n)
{
	struct flic_state st;

	assert_int_equal(flic_save(flic, &st), 0);
	*n = st.nr_irqs;
	return st.irqs;
}

static void save(struct device *flic, struct attr_stream *s)
{
	attr_stream_init(s);
	assert_int_equal(flic_stream_ops.save_stream(flic, s), 0);
	assert_int_equal(s->err, 0);
}

static int restore(struct device *flic, const void *buf, size_t len)
{
	struct attr_stream s;

	attr_stream_open(&s, buf, len);
	return flic_stream_ops.restore_stream(flic, &s);
}

static void assert_same(struct side *a, struct side *b)
{
	struct kvmkit_flic_adapter_state *sa = malloc(sizeof(*sa)),
					 *sb = malloc(sizeof(*sb));
	struct kvm_s390_ais_all aa, ab;
	struct kvm_s390_irq *ia, *ib;
	size_t na, nb;

	ia = all_irqs(a->flic, &na);
	ib = all_irqs(b->flic, &nb);
	assert_int_equal(na, nb);
	assert_memory_equal(ia, ib, na * IRQ_SZ);
	free(ia);
	free(ib);
	assert_int_equal(device_get(a->flic, KVM_DEV_FLIC_AISM_ALL, 2, &aa), 0);
	assert_int_equal(device_get(b->flic, KVM_DEV_FLIC_AISM_ALL, 2, &ab), 0);
	assert_memory_equal(&aa, &ab, sizeof(aa));
	for (uint64_t id = 0; id < KVMKIT_FLIC_MAX_ADAPTERS; id++) {
		int ra, rb;

		memset(sa, 0, sizeof(*sa));
		memset(sb, 0, sizeof(*sb));
		ra = device_get(a->flic, KVMKIT_DEV_FLIC_ADAPTER_STATE, id, sa);
		rb = device_get(b->flic, KVMKIT_DEV_FLIC_ADAPTER_STATE, id, sb);
		assert_int_equal(ra, rb);
		assert_memory_equal(sa, sb, sizeof(*sa));
	}
	free(sa);
	free(sb);
}

static const struct flic_cpu_state all_on = {
	.psw_mask = S390_PSW_MASK_IO | S390_PSW_MASK_EXT |
		    S390_PSW_MASK_MCHECK,
	.cr0 = S390_CR0_SERVICE_SIGNAL,
	.cr6 = S390_CR6_ALL_ISCS,
	.cr14 = S390_CR14_CHANNEL_REPORT,
};

static void test_round_trip(void **state)
{
	struct side a = side_new(), b = side_new();
	struct kvmkit_flic_adapter_state *st = malloc(sizeof(*st));
	struct attr_stream s;
	struct kvm_s390_irq oa, ob;

	program(a.flic, 40);
	save(a.flic, &s);
	assert_int_equal(restore(b.flic, s.buf, s.len), 0);
	assert_same(&a, &b);
	assert_int_equal(device_get(b.flic, KVMKIT_DEV_FLIC_ADAPTER_STATE, 1,
				    st), 0);
	assert_int_equal(st->io.isc, 3);
	assert_int_equal(st->masked, 1);
	assert_int_equal(st->nr_maps, 2);
	assert_int_equal(st->maps[0], 0x3000);
	assert_int_equal(st->maps[1], 0x1000);
	assert_int_equal(device_get(b.flic, KVMKIT_DEV_FLIC_ADAPTER_STATE, 2,
				    st), -ENOENT);
	assert_int_equal(b.fh->lines[0][CPU_LINE_IRQ], 1);
	/* The same delivery order, to the end. */
	for (int i = 0; i < 100; i++) {
		int ra = flic_dequeue(a.flic, &all_on, &oa);

		assert_int_equal(flic_dequeue(b.flic, &all_on, &ob), ra);
		if (ra)
			break;
		assert_memory_equal(&oa, &ob, IRQ_SZ);
	}
	assert_int_equal(b.fh->lines[0][CPU_LINE_IRQ], 0);
	/* AIS carried over: adapter 9 (not suppressible) still injects. */
	assert_int_equal(device_set(b.flic, KVM_DEV_FLIC_AIRQ_INJECT, 9, NULL),
			 0);
	assert_int_equal(flic_dequeue(b.flic, &all_on, &ob), 0);
	free(st);
	attr_stream_free(&s);
	side_free(&a);
	side_free(&b);
}

static void test_record_order(void **state)
{
	static const uint32_t want[] = {
		KVM_DEV_FLIC_CLEAR_IRQS,     KVM_DEV_FLIC_ADAPTER_REGISTER,
		KVM_DEV_FLIC_ADAPTER_MODIFY, KVM_DEV_FLIC_ADAPTER_MODIFY,
		KVM_DEV_FLIC_ADAPTER_MODIFY, KVM_DEV_FLIC_ADAPTER_REGISTER,
		KVM_DEV_FLIC_ADAPTER_MODIFY, KVM_DEV_FLIC_ENQUEUE,
		KVM_DEV_FLIC_AISM_ALL,
	};
	struct side a = side_new();
	struct attr_stream s;
	struct attr_rec r;
	struct kvm_s390_io_adapter_req req;

	program(a.flic, 5);
	save(a.flic, &s);
	attr_stream_rewind(&s);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(attr_stream_next(&s, &r), 1);
		assert_int_equal(r.group, want[i]);
		if (i == 4) {	/* adapter 1's mask after its maps */
			memcpy(&req, r.val, sizeof(req));
			assert_int_equal(req.type, KVM_S390_IO_ADAPTER_MASK);
		}
		if (r.group == KVM_DEV_FLIC_ENQUEUE) {
			assert_int_equal(r.attr, r.len);
			assert_int_equal(r.len, 9 * IRQ_SZ);
		}
	}
	assert_int_equal(attr_stream_next(&s, &r), 0);
	/* Saving leaves the list as it was. */
	{
		size_t n;

		free(all_irqs(a.flic, &n));
		assert_int_equal(n, 9);
	}
	attr_stream_free(&s);
	side_free(&a);
}

/* A long list goes into a restore as it was, whatever GET_ALL needed. */
static void test_big_list(void **state)
{
	struct side a = side_new(), b = side_new();
	struct attr_stream s;

	program(a.flic, 5000);
	save(a.flic, &s);
	assert_int_equal(restore(b.flic, s.buf, s.len), 0);
	assert_same(&a, &b);
	attr_stream_free(&s);
	side_free(&a);
	side_free(&b);
}

static void test_malformed(void **state)
{
	static const uint8_t z[3 * IRQ_SZ];
	struct kvm_s390_io_adapter_req unmap = {
		.id = 1, .type = KVM_S390_IO_ADAPTER_UNMAP, .addr = 0x3000 };
	struct kvm_s390_io_adapter dup = { .id = 1, .isc = 1 };
	const struct attr_rec bad[] = {
		{ KVM_DEV_FLIC_ENQUEUE, IRQ_SZ + 1, IRQ_SZ + 1, z },
		{ KVM_DEV_FLIC_ENQUEUE, 2 * IRQ_SZ, IRQ_SZ, z },
		{ KVM_DEV_FLIC_ENQUEUE, 0, 0, NULL },
		{ KVM_DEV_FLIC_CLEAR_IRQS, 0, 4, z },
		{ KVM_DEV_FLIC_AISM_ALL, 2, 3, z },
		{ KVM_DEV_FLIC_ADAPTER_REGISTER, 0, 4, z },
		{ KVM_DEV_FLIC_ADAPTER_MODIFY, 0, 16,
		  (const uint8_t *)&unmap },
		{ KVM_DEV_FLIC_APF_ENABLE, 0, 0, NULL },
		{ KVM_DEV_FLIC_AIRQ_INJECT, 1, 0, NULL },
		{ KVM_DEV_FLIC_GET_ALL_IRQS, 64, 8, z },
		{ KVMKIT_DEV_FLIC_ADAPTER_STATE, 0, 8, z },
		{ 99, 0, 0, NULL },
	};
	struct side a = side_new(), b;
	struct attr_stream s, m, in;
	struct attr_rec r;
	uint8_t *copy;
	unsigned int seed = 7;
	size_t n;

	program(a.flic, 10);
	save(a.flic, &s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		attr_stream_open(&in, s.buf, s.len);
		attr_stream_init(&m);
		while (attr_stream_next(&in, &r) > 0)
			assert_int_equal(attr_stream_put(&m, r.group, r.attr,
							 r.val, r.len), 0);
		assert_int_equal(attr_stream_put(&m, bad[i].group, bad[i].attr,
						 bad[i].val, bad[i].len), 0);
		b = side_new();
		assert_int_equal(restore(b.flic, m.buf, m.len), -EBADMSG);
		free(all_irqs(b.flic, &n));
		assert_int_equal(n, 0);
		side_free(&b);
		attr_stream_free(&m);
	}
	/* Well-formed but refused by the FLIC: its error (a second
	 * adapter 1: -EINVAL, as the kernel). */
	attr_stream_open(&in, s.buf, s.len);
	attr_stream_init(&m);
	while (attr_stream_next(&in, &r) > 0)
		assert_int_equal(attr_stream_put(&m, r.group, r.attr, r.val,
						 r.len), 0);
	assert_int_equal(attr_stream_put(&m, KVM_DEV_FLIC_ADAPTER_REGISTER, 0,
					 &dup, sizeof(dup)), 0);
	b = side_new();
	assert_int_equal(restore(b.flic, m.buf, m.len), -EINVAL);
	side_free(&b);
	attr_stream_free(&m);
	/* Truncated, then random corruption. */
	b = side_new();
	assert_int_equal(restore(b.flic, s.buf, s.len - 1), -EBADMSG);
	side_free(&b);
	copy = malloc(s.len);
	assert_non_null(copy);
	for (int round = 0; round < 300; round++) {
		struct kvm_s390_irq out;

		memcpy(copy, s.buf, s.len);
		for (int k = 0; k < 1 + round % 3; k++)
			copy[rand_r(&seed) % s.len] ^=
				(uint8_t)(1 + rand_r(&seed) % 255);
		b = side_new();
		(void)restore(b.flic, copy, s.len);
		while (!flic_dequeue(b.flic, &all_on, &out))
			;
		side_free(&b);
	}
	free(copy);
	attr_stream_free(&s);
	side_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_record_order),
		cmocka_unit_test(test_big_list),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
