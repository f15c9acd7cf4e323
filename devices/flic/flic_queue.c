// SPDX-License-Identifier: GPL-2.0
/*
 * The software FLIC's list of pending floating interrupts: injection
 * with the kernel's merging rules and limits, the GET_ALL_IRQS view,
 * and delivery to a vCPU by priority under its PSW and CR masks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flic/flic_priv.h"

void flic_lists_init(struct flic *f)
{
	for (int i = 0; i < FLIC_NR_LISTS; i++) {
		f->lists[i].head = NULL;
		f->lists[i].tail = &f->lists[i].head;
		f->lists[i].count = 0;
	}
}

static int list_append(struct flic_list *l, const struct kvm_s390_irq *irq)
{
	struct flic_node *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->irq = *irq;
	*l->tail = n;
	l->tail = &n->next;
	l->count++;
	return 0;
}

/* Unlink *pp (a node of @l) and return it. */
static struct flic_node *list_unlink(struct flic_list *l,
				     struct flic_node **pp)
{
	struct flic_node *n = *pp;

	*pp = n->next;
	if (l->tail == &n->next)
		l->tail = pp;
	l->count--;
	return n;
}

static void list_free(struct flic_list *l)
{
	while (l->head)
		free(list_unlink(l, &l->head));
}

static int io_isc(const struct kvm_s390_irq *irq)
{
	return (irq->u.io.io_int_word & 0x38000000u) >> 27;
}

static int inject_io(struct flic *f, const struct kvm_s390_irq *irq)
{
	struct kvm_s390_irq e = { .type = irq->type, .u.io = irq->u.io };
	int ret;

	if (f->nr_io >= FLIC_MAX_IO)
		return -EBUSY;
	ret = list_append(&f->lists[io_isc(irq)], &e);
	if (!ret)
		f->nr_io++;
	return ret;
}

static int inject_ext_list(struct flic *f, int list, unsigned int max,
			   const struct kvm_s390_irq *irq)
{
	struct kvm_s390_irq e = { .type = irq->type, .u.ext = irq->u.ext };

	if (f->lists[list].count >= max)
		return -EBUSY;
	return list_append(&f->lists[list], &e);
}

/*
 * One service-signal slot: event bits always accumulate; a second SCCB
 * while one is pending is dropped, as the kernel does for old firmware
 * that injects without waiting.
 */
static int inject_service(struct flic *f, const struct kvm_s390_irq *irq)
{
	uint32_t parm = irq->u.ext.ext_params;

	f->srv_params |= parm & SCCB_EVENT_PENDING;
	if (f->srv_params & SCCB_EVENT_PENDING)
		f->srv_ev_pending = true;
	if (f->srv_params & SCCB_MASK)
		return 0;
	f->srv_params |= parm & SCCB_MASK;
	f->srv_pending = true;
	return 0;
}

static int inject_mchk(struct flic *f, const struct kvm_s390_irq *irq)
{
	f->mchk_cr14 |= irq->u.mchk.cr14 & FLIC_MCHK_CR14_MASK;
	f->mchk_mcic |= irq->u.mchk.mcic;
	f->mchk_pending = true;
	return 0;
}

/* The kernel's __inject_vm: floating types only, -EINVAL for others. */
int flic_inject(struct flic *f, const struct kvm_s390_irq *irq)
{
	switch (irq->type) {
	case KVM_S390_MCHK:
		return inject_mchk(f, irq);
	case KVM_S390_INT_VIRTIO:
		return inject_ext_list(f, FLIC_LIST_VIRTIO, FLIC_MAX_VIRTIO,
				       irq);
	case KVM_S390_INT_SERVICE:
		return inject_service(f, irq);
	case KVM_S390_INT_PFAULT_DONE:
		return inject_ext_list(f, FLIC_LIST_PFAULT, FLIC_MAX_PFAULT,
				       irq);
	default:
		if (irq->type <= KVM_S390_INT_IO_MAX)
			return inject_io(f, irq);
		return -EINVAL;
	}
}

size_t flic_count(const struct flic *f)
{
	size_t n = f->srv_pending || f->srv_ev_pending;

	n += f->mchk_pending;
	for (int i = 0; i < FLIC_NR_LISTS; i++)
		n += f->lists[i].count;
	return n;
}

/* GET_ALL_IRQS order: ISC 0..7, pfault done, virtio, service, mchk. */
void flic_collect(const struct flic *f, struct kvm_s390_irq *buf)
{
	size_t n = 0;

	for (int i = 0; i < FLIC_NR_LISTS; i++)
		for (struct flic_node *e = f->lists[i].head; e; e = e->next)
			buf[n++] = e->irq;
	if (f->srv_pending || f->srv_ev_pending) {
		memset(&buf[n], 0, sizeof(buf[n]));
		buf[n].type = KVM_S390_INT_SERVICE;
		buf[n++].u.ext.ext_params = f->srv_params;
	}
	if (f->mchk_pending) {
		memset(&buf[n], 0, sizeof(buf[n]));
		buf[n].type = KVM_S390_MCHK;
		buf[n].u.mchk.cr14 = f->mchk_cr14;
		buf[n].u.mchk.mcic = f->mchk_mcic;
	}
}

void flic_clear(struct flic *f)
{
	for (int i = 0; i < FLIC_NR_LISTS; i++)
		list_free(&f->lists[i]);
	f->nr_io = 0;
	f->srv_params = 0;
	f->srv_pending = false;
	f->srv_ev_pending = false;
	f->mchk_pending = false;
	f->mchk_cr14 = 0;
	f->mchk_mcic = 0;
}

static bool io_matches(const struct kvm_s390_irq *irq, uint32_t schid)
{
	return !schid || (irq->u.io.subchannel_id == schid >> 16 &&
			  irq->u.io.subchannel_nr == (schid & 0xffff));
}

bool flic_take_io(struct flic *f, uint64_t cr6, uint32_t schid,
		  struct kvm_s390_irq *out)
{
	for (int isc = 0; isc <= S390_MAX_ISC; isc++) {
		struct flic_list *l = &f->lists[isc];

		if (!(cr6 & S390_CR6_ISC(isc)))
			continue;
		for (struct flic_node **pp = &l->head; *pp; pp = &(*pp)->next) {
			struct flic_node *n;

			if (!io_matches(&(*pp)->irq, schid))
				continue;
			n = list_unlink(l, pp);
			f->nr_io--;
			if (out)
				*out = n->irq;
			free(n);
			return true;
		}
	}
	return false;
}

static bool flic_any_pending(const struct flic *f)
{
	return flic_count(f) != 0;
}

void flic_update_line(struct flic *f)
{
	int level = flic_any_pending(f);

	if (level == f->line)
		return;
	f->line = level;
	devhost_set_cpu_line(f->host, 0, CPU_LINE_IRQ, level);
}

/* ---- delivery: the kernel's priority order, highest first ------------- */

struct flic_source {
	bool (*ready)(const struct flic *f, const struct flic_cpu_state *cpu,
		      int arg);
	void (*take)(struct flic *f, int arg, struct kvm_s390_irq *out);
	int arg;
};

static bool ext_enabled(const struct flic_cpu_state *cpu)
{
	return cpu->psw_mask & S390_PSW_MASK_EXT;
}

static bool mchk_ready(const struct flic *f, const struct flic_cpu_state *cpu,
		       int arg)
{
	return f->mchk_pending && (cpu->psw_mask & S390_PSW_MASK_MCHECK) &&
	       (cpu->cr14 & f->mchk_cr14);
}

static void mchk_take(struct flic *f, int arg, struct kvm_s390_irq *out)
{
	memset(out, 0, sizeof(*out));
	out->type = KVM_S390_MCHK;
	out->u.mchk.cr14 = f->mchk_cr14;
	out->u.mchk.mcic = f->mchk_mcic;
	f->mchk_pending = false;
	f->mchk_cr14 = 0;
	f->mchk_mcic = 0;
}

static bool srv_ready(const struct flic *f, const struct flic_cpu_state *cpu,
		      int event)
{
	if (!ext_enabled(cpu) || !(cpu->cr0 & S390_CR0_SERVICE_SIGNAL))
		return false;
	return event ? f->srv_ev_pending : f->srv_pending;
}

/* An event is delivered alone (parm 3); the SCCB one takes everything. */
static void srv_take(struct flic *f, int event, struct kvm_s390_irq *out)
{
	memset(out, 0, sizeof(*out));
	out->type = KVM_S390_INT_SERVICE;
	if (event) {
		out->u.ext.ext_params = SCCB_EVENT_PENDING;
		f->srv_params &= ~SCCB_EVENT_PENDING;
		f->srv_ev_pending = false;
		return;
	}
	out->u.ext.ext_params = f->srv_params;
	f->srv_params = 0;
	f->srv_pending = false;
	f->srv_ev_pending = false;
}

static bool ext_list_ready(const struct flic *f,
			   const struct flic_cpu_state *cpu, int list)
{
	return ext_enabled(cpu) && f->lists[list].head;
}

static bool io_ready(const struct flic *f, const struct flic_cpu_state *cpu,
		     int isc)
{
	return (cpu->psw_mask & S390_PSW_MASK_IO) &&
	       (cpu->cr6 & S390_CR6_ISC(isc)) && f->lists[isc].head;
}

static void list_take(struct flic *f, int list, struct kvm_s390_irq *out)
{
	struct flic_node *n = list_unlink(&f->lists[list], &f->lists[list].head);

	if (list <= S390_MAX_ISC)
		f->nr_io--;
	*out = n->irq;
	free(n);
}

static const struct flic_source flic_sources[] = {
	{ mchk_ready, mchk_take, 0 },
	{ srv_ready, srv_take, 1 },
	{ srv_ready, srv_take, 0 },
	{ ext_list_ready, list_take, FLIC_LIST_PFAULT },
	{ ext_list_ready, list_take, FLIC_LIST_VIRTIO },
	{ io_ready, list_take, 0 },
	{ io_ready, list_take, 1 },
	{ io_ready, list_take, 2 },
	{ io_ready, list_take, 3 },
	{ io_ready, list_take, 4 },
	{ io_ready, list_take, 5 },
	{ io_ready, list_take, 6 },
	{ io_ready, list_take, 7 },
};

static const struct flic_source *pick(const struct flic *f,
				      const struct flic_cpu_state *cpu)
{
	for (size_t i = 0; i < sizeof(flic_sources) / sizeof(flic_sources[0]);
	     i++)
		if (flic_sources[i].ready(f, cpu, flic_sources[i].arg))
			return &flic_sources[i];
	return NULL;
}

int flic_dequeue(struct device *dev, const struct flic_cpu_state *cpu,
		 struct kvm_s390_irq *out)
{
	struct flic *f = flic_of(dev);
	const struct flic_source *s;

	if (!f || !cpu || !out)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	s = pick(f, cpu);
	if (s) {
		s->take(f, s->arg, out);
		flic_update_line(f);
	}
	pthread_mutex_unlock(&f->lock);
	return s ? 0 : -ENOENT;
}

bool flic_deliverable(struct device *dev, const struct flic_cpu_state *cpu)
{
	struct flic *f = flic_of(dev);
	bool ret;

	if (!f || !cpu)
		return false;
	pthread_mutex_lock(&f->lock);
	ret = pick(f, cpu) != NULL;
	pthread_mutex_unlock(&f->lock);
	return ret;
}

int flic_dequeue_io(struct device *dev, uint64_t cr6, uint32_t schid,
		    struct kvm_s390_irq *out)
{
	struct flic *f = flic_of(dev);
	bool found;

	if (!f || !out)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	found = flic_take_io(f, cr6, schid, out);
	if (found)
		flic_update_line(f);
	pthread_mutex_unlock(&f->lock);
	return found ? 0 : -ENOENT;
}
