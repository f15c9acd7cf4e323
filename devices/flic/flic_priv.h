/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the software FLIC: state shared by flic*.c. */
#ifndef KVMKIT_FLIC_PRIV_H
#define KVMKIT_FLIC_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "flic/flic.h"

/* Pending lists: one per ISC, then pfault-done and virtio (GET_ALL order). */
#define FLIC_LIST_PFAULT 8
#define FLIC_LIST_VIRTIO 9
#define FLIC_NR_LISTS 10

/* The kernel's limits; exceeding one makes ENQUEUE fail with -EBUSY. */
#define FLIC_MAX_IO KVM_S390_MAX_FLOAT_IRQS
#define FLIC_MAX_VIRTIO 87381		/* 2 MB of 24-byte virtio queues */
#define FLIC_MAX_PFAULT (64 * 255)	/* ASYNC_PF_PER_VCPU * KVM_MAX_VCPUS */

#define FLIC_MAX_ADAPTERS ((S390_MAX_ISC + 1) * 8)
#define FLIC_MAX_ADAPTER_MAPS 256
_Static_assert(FLIC_MAX_ADAPTERS == KVMKIT_FLIC_MAX_ADAPTERS &&
	       FLIC_MAX_ADAPTER_MAPS == KVMKIT_FLIC_MAX_MAPS,
	       "flic.h's extension limits are the model's");

/* Service-signal parameter: SCCB address bits and the event-pending bits. */
#define SCCB_MASK 0xfffffff8u
#define SCCB_EVENT_PENDING 0x3u

/* Floating machine checks keep only the channel-report subclass of CR14. */
#define FLIC_MCHK_CR14_MASK S390_CR14_CHANNEL_REPORT

struct flic_node {
	struct flic_node *next;
	struct kvm_s390_irq irq;	/* exactly as GET_ALL_IRQS reports it */
};

struct flic_list {
	struct flic_node *head;
	struct flic_node **tail;
	unsigned int count;
};

struct flic_adapter {
	uint32_t id;
	uint8_t isc;
	bool maskable;
	bool masked;
	bool swap;
	bool suppressible;
	unsigned int nr_maps;
	uint64_t maps[FLIC_MAX_ADAPTER_MAPS];	/* guest addresses */
};

struct flic {
	pthread_mutex_t lock;
	struct devhost *host;
	struct flic_list lists[FLIC_NR_LISTS];
	unsigned int nr_io;		/* entries over the eight ISC lists */
	/* The single service-signal slot (params merged as the kernel does). */
	uint32_t srv_params;
	bool srv_pending;
	bool srv_ev_pending;
	/* The single floating (channel-report) machine check. */
	bool mchk_pending;
	uint64_t mchk_cr14;
	uint64_t mchk_mcic;
	bool apf_enabled;
	/* AIS: per-ISC single- and no-interruption mode, bit 0x80 >> isc. */
	uint8_t simm;
	uint8_t nimm;
	struct flic_adapter *adapters[FLIC_MAX_ADAPTERS];
	int line;			/* CPU_LINE_IRQ level driven on vCPU 0 */
};

/* flic.c */
struct flic *flic_of(struct device *dev);

/* flic_queue.c: the pending list; callers hold f->lock. */
void flic_lists_init(struct flic *f);
int flic_inject(struct flic *f, const struct kvm_s390_irq *irq);
size_t flic_count(const struct flic *f);
void flic_collect(const struct flic *f, struct kvm_s390_irq *buf);
void flic_clear(struct flic *f);
bool flic_take_io(struct flic *f, uint64_t cr6, uint32_t schid,
		  struct kvm_s390_irq *out);
void flic_update_line(struct flic *f);

/* flic_adapter.c: adapters and AIS; these take f->lock themselves. */
int flic_adapter_register(struct flic *f, const struct kvm_device_attr *attr);
int flic_adapter_modify(struct flic *f, const struct kvm_device_attr *attr);
int flic_adapter_state(struct flic *f, const struct kvm_device_attr *attr);
int flic_ais_set_mode(struct flic *f, const struct kvm_device_attr *attr);
int flic_airq_inject(struct flic *f, const struct kvm_device_attr *attr);
int flic_ais_get_all(struct flic *f, const struct kvm_device_attr *attr);
int flic_ais_set_all(struct flic *f, const struct kvm_device_attr *attr);
void flic_adapters_free(struct flic *f);

#endif
