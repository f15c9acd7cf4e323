// SPDX-License-Identifier: GPL-2.0
/*
 * Adapter (thin) interrupt sources of the software FLIC, their mappings,
 * and adapter-interruption suppression (AIS).
 *
 * AIS exists when the VM's CPU model has facility 72 (what the kernel's
 * test_kvm_facility(kvm, 72) checks: machine mask and guest list).  The
 * FLIC reads it through the s390 VM device's attribute interface; with
 * no s390 VM device in the VM (unit tests, a bare FLIC) AIS is present.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flic/flic_priv.h"
#include "kvmkit/models.h"

#define AIS_FACILITY 72

/* AIS mode bit of @isc in simm/nimm; ISCs above 7 have none. */
static uint8_t ais_bit(unsigned int isc)
{
	return isc <= S390_MAX_ISC ? 0x80 >> isc : 0;
}

/* Called without f->lock: it calls into another device. */
static bool ais_available(struct flic *f)
{
	struct device *vm = devhost_find_device(f->host,
						 KVMKIT_DEV_TYPE_S390_VM);
	struct kvm_s390_vm_cpu_machine *mach;
	struct kvm_s390_vm_cpu_processor *proc;
	bool ret = false;

	if (!vm)
		return true;
	mach = malloc(sizeof(*mach));
	proc = malloc(sizeof(*proc));
	if (mach && proc &&
	    !device_get(vm, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE,
			mach) &&
	    !device_get(vm, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR,
			proc))
		ret = s390_bit_test(mach->fac_mask, AIS_FACILITY) &&
		      s390_bit_test(proc->fac_list, AIS_FACILITY);
	free(mach);
	free(proc);
	return ret;
}

static struct flic_adapter *get_adapter(struct flic *f, uint64_t id)
{
	return id < FLIC_MAX_ADAPTERS ? f->adapters[id] : NULL;
}

int flic_adapter_register(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvm_s390_io_adapter info;
	struct flic_adapter *a;
	int ret;

	ret = attr_copy_from(attr, &info, sizeof(info));
	if (ret)
		return ret;
	if (info.id >= FLIC_MAX_ADAPTERS)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->id = info.id;
	a->isc = info.isc;
	a->maskable = info.maskable;
	a->swap = info.swap;
	/* Other flag bits are ignored, as documented. */
	a->suppressible = info.flags & KVM_S390_ADAPTER_SUPPRESSIBLE;

	pthread_mutex_lock(&f->lock);
	if (f->adapters[info.id]) {
		ret = -EINVAL;
	} else {
		f->adapters[info.id] = a;
		a = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	free(a);
	return ret;
}

static int adapter_mask(struct flic_adapter *a, bool mask)
{
	if (!a->maskable)
		return -EINVAL;
	a->masked = mask;
	return 0;
}

/* The page must be guest RAM: the kernel pins it, we probe one byte. */
static int adapter_map(struct flic *f, struct flic_adapter *a, uint64_t addr)
{
	uint8_t probe;

	if (!addr)
		return -EINVAL;
	if (devhost_guest_read(f->host, addr, &probe, 1))
		return -EFAULT;
	if (a->nr_maps >= FLIC_MAX_ADAPTER_MAPS)
		return -EINVAL;
	/* Duplicates are allowed (the doc leaves that to the caller). */
	a->maps[a->nr_maps++] = addr;
	return 0;
}

static int adapter_unmap(struct flic_adapter *a, uint64_t addr)
{
	if (!addr)
		return -EINVAL;
	for (unsigned int i = 0; i < a->nr_maps; i++) {
		if (a->maps[i] != addr)
			continue;
		memmove(&a->maps[i], &a->maps[i + 1],
			(a->nr_maps - i - 1) * sizeof(a->maps[0]));
		a->nr_maps--;
		return 0;
	}
	return -EINVAL;
}

int flic_adapter_modify(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvm_s390_io_adapter_req req;
	struct flic_adapter *a;
	int ret;

	ret = attr_copy_from(attr, &req, sizeof(req));
	if (ret)
		return ret;
	pthread_mutex_lock(&f->lock);
	a = get_adapter(f, req.id);
	if (!a)
		ret = -EINVAL;
	else if (req.type == KVM_S390_IO_ADAPTER_MASK)
		ret = adapter_mask(a, req.mask);
	else if (req.type == KVM_S390_IO_ADAPTER_MAP)
		ret = adapter_map(f, a, req.addr);
	else if (req.type == KVM_S390_IO_ADAPTER_UNMAP)
		ret = adapter_unmap(a, req.addr);
	else
		ret = -EINVAL;
	pthread_mutex_unlock(&f->lock);
	return ret;
}

/* KVMKIT_DEV_FLIC_ADAPTER_STATE (flic.h): an adapter as registered. */
int flic_adapter_state(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvmkit_flic_adapter_state *st;
	struct flic_adapter *a;
	int ret = 0;

	if (attr->attr >= FLIC_MAX_ADAPTERS)
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	pthread_mutex_lock(&f->lock);
	a = get_adapter(f, attr->attr);
	if (a) {
		st->io.id = a->id;
		st->io.isc = a->isc;
		st->io.maskable = a->maskable;
		st->io.swap = a->swap;
		st->io.flags = a->suppressible ?
				       KVM_S390_ADAPTER_SUPPRESSIBLE : 0;
		st->masked = a->masked;
		st->nr_maps = a->nr_maps;
		memcpy(st->maps, a->maps, a->nr_maps * sizeof(a->maps[0]));
	} else {
		ret = -ENOENT;
	}
	pthread_mutex_unlock(&f->lock);
	if (!ret)
		ret = attr_copy_to(attr, st, sizeof(*st));
	free(st);
	return ret;
}

int flic_ais_set_mode(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvm_s390_ais_req req;
	uint8_t bit;
	int ret;

	if (!ais_available(f))
		return -EOPNOTSUPP;
	ret = attr_copy_from(attr, &req, sizeof(req));
	if (ret)
		return ret;
	if (req.isc > S390_MAX_ISC)
		return -EINVAL;
	bit = ais_bit(req.isc);
	pthread_mutex_lock(&f->lock);
	switch (req.mode) {
	case KVM_S390_AIS_MODE_ALL:
		f->simm &= ~bit;
		f->nimm &= ~bit;
		break;
	case KVM_S390_AIS_MODE_SINGLE:
		f->simm |= bit;
		f->nimm &= ~bit;
		break;
	default:
		ret = -EINVAL;
	}
	pthread_mutex_unlock(&f->lock);
	return ret;
}

/*
 * An adapter interrupt: I/O, AI bit set, interruption word of the
 * adapter's ISC.  For a suppressible adapter under AIS, SINGLE mode lets
 * one through and then suppresses (NO-interruptions mode) until the
 * guest sets a mode again.  The adapter's mask does not apply here: it
 * gates the irq-routing path, as in the kernel.
 */
int flic_airq_inject(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_IO(1, 0, 0, 0) };
	struct flic_adapter *a;
	bool ais;
	uint8_t bit;
	int ret = 0;

	pthread_mutex_lock(&f->lock);
	a = get_adapter(f, attr->attr);
	ais = a && a->suppressible;
	pthread_mutex_unlock(&f->lock);
	if (!a)
		return -EINVAL;
	/* Adapters are never unregistered, so a stays valid. */
	if (ais)
		ais = ais_available(f);

	irq.u.io.io_int_word = S390_IO_INT_WORD_AI(a->isc);
	bit = ais_bit(a->isc);
	pthread_mutex_lock(&f->lock);
	if (!ais) {
		ret = flic_inject(f, &irq);
	} else if (!(f->nimm & bit)) {
		ret = flic_inject(f, &irq);
		if (!ret && (f->simm & bit))
			f->nimm |= bit;
	}
	flic_update_line(f);
	pthread_mutex_unlock(&f->lock);
	return ret;
}

int flic_ais_get_all(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvm_s390_ais_all ais;

	if (attr->attr < sizeof(ais))
		return -EINVAL;
	if (!ais_available(f))
		return -EOPNOTSUPP;
	pthread_mutex_lock(&f->lock);
	ais.simm = f->simm;
	ais.nimm = f->nimm;
	pthread_mutex_unlock(&f->lock);
	return attr_copy_to(attr, &ais, sizeof(ais));
}

int flic_ais_set_all(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvm_s390_ais_all ais;
	int ret;

	if (!ais_available(f))
		return -EOPNOTSUPP;
	ret = attr_copy_from(attr, &ais, sizeof(ais));
	if (ret)
		return ret;
	pthread_mutex_lock(&f->lock);
	f->simm = ais.simm;
	f->nimm = ais.nimm;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

void flic_adapters_free(struct flic *f)
{
	for (int i = 0; i < FLIC_MAX_ADAPTERS; i++) {
		free(f->adapters[i]);
		f->adapters[i] = NULL;
	}
}
