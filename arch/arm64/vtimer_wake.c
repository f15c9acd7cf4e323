// SPDX-License-Identifier: GPL-2.0
/*
 * Waking WFI for the software GIC.  With no in-kernel GIC, KVM (6.1)
 * does not end a vCPU's WFI when the vCPU's own timer fires: its
 * kvm_cpu_has_pending_timer() counts only WFIT, and nothing is
 * "runnable" until we raise the IRQ line, which needs the timer level,
 * which KVM reports only when the vCPU leaves KVM_RUN.  Measured: timer
 * interrupts ~10 ms late.  So before each KVM_RUN we read the virtual
 * timer (ONE_REG) and arm a timerfd for its deadline; a helper thread
 * kicks the vCPU out of KVM_RUN when it expires (plus a little slack,
 * SLACK_NS), and KVM then reports the level in device_irq_level.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "kvmkit/log.h"
#include "arm64.h"

#define CTL_ENABLE 1ULL
#define CTL_IMASK 2ULL
#define CTL_ISTATUS 4ULL
#define MAX_WAIT_NS (60ULL * 1000000000ULL)	/* re-read at least then */
/*
 * A vCPU that is running when its timer fires exits by itself (KVM
 * notices the level): the kick is for one asleep in WFI.  This slack
 * lets the running case disarm the timerfd first.
 */
#define SLACK_NS 500000ULL

static uint64_t counter_hz(void)
{
	uint64_t hz;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz ? hz : 1;
}

static void *waker_thread(void *arg)
{
	struct vm *vm = arg;
	struct arm64_machine *m = ARM64(vm);
	struct pollfd *p = calloc((size_t)vm->nr_vcpus + 1, sizeof(*p));
	uint64_t n;

	if (!p)
		return NULL;
	p[0] = (struct pollfd){ m->waker_stop, POLLIN, 0 };
	for (int i = 0; i < vm->nr_vcpus; i++)
		p[i + 1] = (struct pollfd){ ARM64_VCPU(&vm->vcpus[i])->tfd,
					    POLLIN, 0 };
	while (poll(p, (nfds_t)vm->nr_vcpus + 1, -1) >= 0 || errno == EINTR) {
		if (p[0].revents)
			break;
		for (int i = 0; i < vm->nr_vcpus; i++) {
			if (!p[i + 1].revents)
				continue;
			if (read(p[i + 1].fd, &n, sizeof(n)) == sizeof(n))
				vcpu_kick(&vm->vcpus[i]);
		}
	}
	free(p);
	return NULL;
}

int arm64_vtimer_waker_start(struct vm *vm)
{
	struct arm64_machine *m = ARM64(vm);
	int err;

	m->hz = counter_hz();
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct arm64_vcpu *av = ARM64_VCPU(&vm->vcpus[i]);

		av->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (av->tfd < 0) {
			pr_err("timerfd for vCPU %d: %s", i, strerror(errno));
			return -1;
		}
	}
	m->waker_stop = eventfd(0, EFD_CLOEXEC);
	if (m->waker_stop < 0) {
		pr_err("eventfd: %s", strerror(errno));
		return -1;
	}
	err = pthread_create(&m->waker, NULL, waker_thread, vm);
	if (err) {
		pr_err("cannot start the timer waker thread: %s", strerror(err));
		return -1;
	}
	m->waker_running = true;
	return 0;
}

void arm64_vtimer_waker_stop(struct vm *vm)
{
	struct arm64_machine *m = ARM64(vm);
	uint64_t one = 1;

	if (m->waker_running) {
		if (write(m->waker_stop, &one, sizeof(one)) != sizeof(one))
			pr_warn("stopping the timer waker: %s", strerror(errno));
		pthread_join(m->waker, NULL);
		m->waker_running = false;
	}
	if (m->waker_stop > 0)
		close(m->waker_stop);
	m->waker_stop = -1;
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct arm64_vcpu *av = vm->vcpus[i].arch;

		if (av && av->tfd > 0)
			close(av->tfd);
		if (av)
			av->tfd = -1;
	}
}

/* Before KVM_RUN: a timerfd at the virtual timer's deadline, or none. */
void arm64_vtimer_waker_arm(struct vcpu *vcpu)
{
	struct arm64_machine *m = ARM64(vcpu->vm);
	struct arm64_vcpu *av = ARM64_VCPU(vcpu);
	struct itimerspec its = { 0 };
	uint64_t ctl, cval = 0, cnt, ns, ticks;

	if (av->tfd < 0 || arm64_get_reg(vcpu, KVM_REG_ARM_TIMER_CTL, &ctl))
		return;
	/* Enabled, unmasked, not yet fired: KVM reports a fired one. */
	if ((ctl & (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS)) == CTL_ENABLE) {
		if (arm64_get_reg(vcpu, KVM_REG_ARM_TIMER_CVAL, &cval) ||
		    arm64_get_reg(vcpu, KVM_REG_ARM_TIMER_CNT, &cnt))
			return;
		if (cval == av->armed_cval)
			return;
		ticks = cval > cnt ? cval - cnt : 0;
		ns = ticks / m->hz * 1000000000ULL +
		     ticks % m->hz * 1000000000ULL / m->hz;
		if (ticks / m->hz >= MAX_WAIT_NS / 1000000000ULL)
			ns = MAX_WAIT_NS;
		ns += SLACK_NS;
		its.it_value.tv_sec = (time_t)(ns / 1000000000ULL);
		its.it_value.tv_nsec = (long)(ns % 1000000000ULL);
	} else if (!av->armed_cval) {
		return;
	}
	av->armed_cval = cval;
	if (timerfd_settime(av->tfd, 0, &its, NULL) < 0)
		pr_warn("vCPU %d: timerfd: %s", vcpu->id, strerror(errno));
}
