// SPDX-License-Identifier: GPL-2.0
/*
 * FLIC save/restore in the documented order, through the attribute
 * interface only: the same code serves the kernel's FLIC and the model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flic/flic.h"

#define IRQ_SIZE sizeof(struct kvm_s390_irq)
/* Start with room for 64 interrupts; double on -ENOMEM. */
#define SAVE_FIRST_LEN (64 * IRQ_SIZE)
/* ENQUEUE takes at most this many bytes per call. */
#define ENQUEUE_MAX_IRQS (KVM_S390_FLIC_MAX_BUFFER / IRQ_SIZE)

/* Never a valid type: marks the entries GET_ALL_IRQS did not write. */
#define TYPE_UNUSED UINT64_MAX

/*
 * The kernel's ioctl returns the number of interrupts, but the device
 * interface folds success into 0; both backends copy exactly that many
 * entries, so prefill the buffer and count the overwritten ones.
 */
static size_t count_written(const struct kvm_s390_irq *buf, size_t max)
{
	size_t n = 0;

	while (n < max && buf[n].type != TYPE_UNUSED)
		n++;
	return n;
}

static int save_irqs(struct device *flic, struct flic_state *st)
{
	size_t len = SAVE_FIRST_LEN;

	for (;;) {
		size_t max = len / IRQ_SIZE;
		struct kvm_s390_irq *buf = calloc(max, IRQ_SIZE);
		int ret;

		if (!buf)
			return -ENOMEM;
		for (size_t i = 0; i < max; i++)
			buf[i].type = TYPE_UNUSED;
		ret = device_get(flic, KVM_DEV_FLIC_GET_ALL_IRQS, len, buf);
		if (ret == -ENOMEM && len < KVM_S390_FLIC_MAX_BUFFER) {
			free(buf);
			len = len * 2 > KVM_S390_FLIC_MAX_BUFFER ?
				      KVM_S390_FLIC_MAX_BUFFER : len * 2;
			continue;
		}
		if (ret) {
			free(buf);
			return ret;
		}
		st->irqs = buf;
		st->nr_irqs = count_written(buf, max);
		return 0;
	}
}

int flic_save(struct device *flic, struct flic_state *st)
{
	int ret;

	memset(st, 0, sizeof(*st));
	/* Let every pfault init get its completion queued first. */
	ret = device_set(flic, KVM_DEV_FLIC_APF_DISABLE_WAIT, 0, NULL);
	if (ret)
		return ret;
	ret = save_irqs(flic, st);
	if (ret)
		return ret;
	if (device_has(flic, KVM_DEV_FLIC_AISM_ALL, 0) == 0) {
		ret = device_get(flic, KVM_DEV_FLIC_AISM_ALL, sizeof(st->ais),
				 &st->ais);
		if (ret == 0) {
			st->has_ais = true;
		} else if (ret != -EOPNOTSUPP) {
			flic_state_free(st);
			return ret;
		}
	}
	return 0;
}

int flic_restore(struct device *flic, const struct flic_state *st)
{
	int ret;

	ret = device_set(flic, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL);
	if (ret)
		return ret;
	for (size_t done = 0; done < st->nr_irqs;) {
		size_t n = st->nr_irqs - done;

		if (n > ENQUEUE_MAX_IRQS)
			n = ENQUEUE_MAX_IRQS;
		ret = device_set(flic, KVM_DEV_FLIC_ENQUEUE, n * IRQ_SIZE,
				 &st->irqs[done]);
		if (ret)
			return ret;
		done += n;
	}
	if (st->has_ais)
		return device_set(flic, KVM_DEV_FLIC_AISM_ALL, sizeof(st->ais),
				  &st->ais);
	return 0;
}

void flic_state_free(struct flic_state *st)
{
	free(st->irqs);
	memset(st, 0, sizeof(*st));
}
