/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The s390 floating interrupt controller (s390_flic.txt).
 *
 * Attribute interface: both backends (KVM_DEV_TYPE_FLIC fd, or the
 * software model, flic_soft_model).  The software model also offers the
 * vCPU side below: the s390 vCPU code asks for the highest-priority
 * floating interrupt its PSW and control registers enable.
 *
 * While any floating interrupt is pending the model holds CPU_LINE_IRQ of
 * vCPU 0 high (the kernel kicks one vCPU; kvmkit's is vCPU 0).  The line
 * means "call flic_dequeue()"; every vCPU may call it at any exit, a
 * floating interrupt is taken by whichever enabled vCPU asks first.
 */
#ifndef KVMKIT_FLIC_H
#define KVMKIT_FLIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvmkit/abi/s390.h"
#include "kvmkit/device.h"

/* z/Architecture PSW mask bits and control-register subclass masks. */
#define S390_PSW_MASK_IO 0x0200000000000000ULL
#define S390_PSW_MASK_EXT 0x0100000000000000ULL
#define S390_PSW_MASK_MCHECK 0x0004000000000000ULL
/* CR0 bit 54: service-signal subclass. */
#define S390_CR0_SERVICE_SIGNAL 0x0000000000000200ULL
/* CR6 bits 32-39: I/O interruption subclass mask, ISC 0 is bit 32. */
#define S390_CR6_ISC(isc) ((0x80ULL >> (isc)) << 24)
#define S390_CR6_ALL_ISCS 0x00000000ff000000ULL
/* CR14 bit 35: channel-report-pending subclass. */
#define S390_CR14_CHANNEL_REPORT 0x0000000010000000ULL

#define S390_MAX_ISC 7
/* The I/O interruption word for an adapter interrupt on @isc. */
#define S390_IO_INT_WORD_AI(isc) (0x80000000u | (uint32_t)(isc) << 27)

/* What a vCPU has enabled: its PSW mask and control registers 0/6/14. */
struct flic_cpu_state {
	uint64_t psw_mask;
	uint64_t cr0;
	uint64_t cr6;
	uint64_t cr14;
};

/*
 * Take the highest-priority floating interrupt @cpu has enabled, in the
 * kernel's order: floating machine check (channel report), service
 * signal event, service signal, pfault done, virtio, then I/O by ISC 0
 * (highest) to 7, each FIFO.  On success *out holds it as a
 * kvm_s390_irq (type and payload as KVM_DEV_FLIC_GET_ALL_IRQS shows it;
 * a service-signal event comes as KVM_S390_INT_SERVICE with
 * ext_params 3).  -ENOENT when nothing is deliverable, -EINVAL when
 * @flic is not a software FLIC.
 */
int flic_dequeue(struct device *flic, const struct flic_cpu_state *cpu,
		 struct kvm_s390_irq *out);
/* As flic_dequeue() but only tells whether something is deliverable. */
bool flic_deliverable(struct device *flic, const struct flic_cpu_state *cpu);
/*
 * TEST PENDING INTERRUPTION / TSCH: take the oldest I/O interrupt of the
 * highest-priority ISC in @cr6 (S390_CR6_ISC bits), for subchannel @schid
 * (subchannel id << 16 | number) or any subchannel when @schid is 0,
 * regardless of the PSW.  -ENOENT when there is none.
 */
int flic_dequeue_io(struct device *flic, uint64_t cr6, uint32_t schid,
		    struct kvm_s390_irq *out);

/*
 * Save/restore through the attribute interface only, so they work with
 * both backends (and a state saved from one restores into the other).
 *
 * flic_save: KVM_DEV_FLIC_APF_DISABLE_WAIT (so every pfault init has its
 * completion queued), KVM_DEV_FLIC_GET_ALL_IRQS growing the buffer on
 * -ENOMEM, then KVM_DEV_FLIC_AISM_ALL when the FLIC has AIS.  Async page
 * faults stay disabled: a source that keeps running re-enables them with
 * KVM_DEV_FLIC_APF_ENABLE.
 *
 * flic_restore: KVM_DEV_FLIC_CLEAR_IRQS, KVM_DEV_FLIC_ENQUEUE of the saved
 * list in its order, then KVM_DEV_FLIC_AISM_ALL when saved.  Adapters are
 * not FLIC state the interface can read back: the VMM registers them
 * again from its device configuration.
 */
/*
 * KVMKIT_DEV_FLIC_ADAPTER_STATE: a kvmkit extension (KVM's FLIC cannot
 * read adapters back), get only.  attr: an adapter id; the value is a
 * struct kvmkit_flic_adapter_state; -ENOENT when no adapter has that
 * id, -EINVAL for an id the FLIC can never have.  The snapshot stream
 * turns it into ADAPTER_REGISTER and ADAPTER_MODIFY records, which any
 * FLIC takes.
 */
#define KVMKIT_DEV_FLIC_ADAPTER_STATE 0x4b4b0002
#define KVMKIT_FLIC_MAX_ADAPTERS 64
#define KVMKIT_FLIC_MAX_MAPS 256

struct kvmkit_flic_adapter_state {
	struct kvm_s390_io_adapter io;	/* as registered */
	uint8_t masked;
	uint8_t pad[3];
	uint32_t nr_maps;
	uint64_t maps[KVMKIT_FLIC_MAX_MAPS];	/* guest addresses, in order */
};

struct flic_state {
	struct kvm_s390_irq *irqs;	/* malloc'ed, nr_irqs entries */
	size_t nr_irqs;
	bool has_ais;			/* ais is valid */
	struct kvm_s390_ais_all ais;
};

int flic_save(struct device *flic, struct flic_state *st);
int flic_restore(struct device *flic, const struct flic_state *st);
void flic_state_free(struct flic_state *st);

#endif
