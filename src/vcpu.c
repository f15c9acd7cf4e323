// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU threads: the run loop, exit dispatch through the buses, pause and
 * resume (immediate_exit + a signal), and ordered stop.
 *
 * Kick protocol: a kicker first publishes its request (state, a line
 * level), then sets run->immediate_exit and signals the thread.  The
 * vCPU thread clears immediate_exit *before* it looks at requests, so a
 * request made after that look still makes the next KVM_RUN return at
 * once, and one made before it is seen by the look.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvmkit/arch.h"
#include "kvmkit/log.h"
#include "kvmkit/vm.h"

#define SIG_KICK SIGUSR1

static const char *const exit_names[] = {
	[KVM_EXIT_UNKNOWN] = "UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "EXCEPTION",
	[KVM_EXIT_IO] = "IO",
	[KVM_EXIT_HYPERCALL] = "HYPERCALL",
	[KVM_EXIT_DEBUG] = "DEBUG",
	[KVM_EXIT_HLT] = "HLT",
	[KVM_EXIT_MMIO] = "MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	[KVM_EXIT_INTR] = "INTR",
	[KVM_EXIT_SET_TPR] = "SET_TPR",
	[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
	[KVM_EXIT_S390_SIEIC] = "S390_SIEIC",
	[KVM_EXIT_S390_RESET] = "S390_RESET",
	[KVM_EXIT_DCR] = "DCR",
	[KVM_EXIT_NMI] = "NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	[KVM_EXIT_OSI] = "OSI",
	[KVM_EXIT_PAPR_HCALL] = "PAPR_HCALL",
	[KVM_EXIT_S390_UCONTROL] = "S390_UCONTROL",
	[KVM_EXIT_WATCHDOG] = "WATCHDOG",
	[KVM_EXIT_S390_TSCH] = "S390_TSCH",
	[KVM_EXIT_EPR] = "EPR",
	[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	[KVM_EXIT_S390_STSI] = "S390_STSI",
	[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
	[KVM_EXIT_HYPERV] = "HYPERV",
};

const char *kvm_exit_name(uint32_t reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) &&
	    exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

static void kick_handler(int sig)
{
	(void)sig;
}

int vm_create_vcpus(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick_handler };

	sigemptyset(&sa.sa_mask);
	sigaction(SIG_KICK, &sa, NULL);

	vm->vcpus = calloc((size_t)vm->cfg.nr_cpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (int i = 0; i < vm->cfg.nr_cpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, i);
		if (v->fd < 0) {
			pr_err("KVM_CREATE_VCPU %d failed: %s", i, strerror(errno));
			return -1;
		}
		/* Counted as soon as it exists: models see vCPUs created so far. */
		vm->nr_vcpus = i + 1;
		v->run = mmap(NULL, (size_t)vm->run_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			v->run = NULL;
			pr_err("mmap of vCPU %d's kvm_run failed: %s", i,
			       strerror(errno));
			return -1;
		}
		if (vm->machine->vcpu_setup && vm->machine->vcpu_setup(v))
			return -1;
	}
	return 0;
}

/*
 * The signal goes only to a thread that has not returned: once it has,
 * vm_join may free it, and pthread_kill on a joined thread is undefined
 * (the timer waker crashed kvmkit so at an SMP guest's exit).  vm->lock
 * held: the thread clears ->live under it before returning.
 */
static void vcpu_kick_locked(struct vcpu *vcpu)
{
	__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (vcpu->live)
		pthread_kill(vcpu->thread, SIG_KICK);
}

void vcpu_kick(struct vcpu *vcpu)
{
	pthread_mutex_lock(&vcpu->vm->lock);
	vcpu_kick_locked(vcpu);
	pthread_mutex_unlock(&vcpu->vm->lock);
}

void vcpu_set_line(struct vcpu *vcpu, int line, int level)
{
	struct vm *vm = vcpu->vm;

	level = !!level;
	if (__atomic_exchange_n(&vcpu->lines[line], level, __ATOMIC_SEQ_CST) ==
	    level)
		return;
	if (!level)
		return;
	/* A rising line wakes a halted vCPU or kicks a running one. */
	pthread_mutex_lock(&vm->lock);
	pthread_cond_broadcast(&vm->cond);
	vcpu_kick_locked(vcpu);
	pthread_mutex_unlock(&vm->lock);
}

static bool vcpu_line_pending(struct vcpu *vcpu)
{
	for (int i = 0; i < CPU_LINE_NR; i++)
		if (__atomic_load_n(&vcpu->lines[i], __ATOMIC_SEQ_CST))
			return true;
	return false;
}

void vm_request_stop(struct vm *vm, int status)
{
	uint64_t one = 1;

	pthread_mutex_lock(&vm->lock);
	if (vm->state != VM_STOPPING) {
		vm->state = VM_STOPPING;
		vm->exit_status = status;
		if (write(vm->stop_efd, &one, sizeof(one)) < 0)
			pr_warn("stop eventfd: %s", strerror(errno));
	}
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	for (int i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
}

int vm_pause(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->state != VM_RUNNING) {
		int ret = vm->state == VM_PAUSED ? -EALREADY : -ESHUTDOWN;

		pthread_mutex_unlock(&vm->lock);
		return ret;
	}
	vm->state = VM_PAUSED;
	pthread_cond_broadcast(&vm->cond);	/* halted vCPUs park too */
	pthread_mutex_unlock(&vm->lock);
	for (int i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
	/* Wait until every live vCPU thread is parked. */
	pthread_mutex_lock(&vm->lock);
	while (vm->state == VM_PAUSED &&
	       vm->nr_parked + vm->nr_exited < vm->nr_vcpus)
		pthread_cond_wait(&vm->cond, &vm->lock);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

int vm_resume(struct vm *vm)
{
	int ret = 0;

	pthread_mutex_lock(&vm->lock);
	if (vm->state == VM_PAUSED) {
		vm->state = VM_RUNNING;
		pthread_cond_broadcast(&vm->cond);
	} else {
		ret = vm->state == VM_RUNNING ? -EALREADY : -ESHUTDOWN;
	}
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

static void vcpu_crash(struct vcpu *vcpu, const char *what)
{
	pr_err("vCPU %d: %s; stopping the VM", vcpu->id, what);
	arch_dump_regs(vcpu);
	vm_request_stop(vcpu->vm, EXIT_GUEST_CRASH);
}

static int handle_io(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool is_write = run->io.direction == KVM_EXIT_IO_OUT;

	/* String I/O arrives as count back-to-back items. */
	for (uint32_t i = 0; i < run->io.count; i++, data += run->io.size) {
		if (bus_access(vcpu->vm->pio, vcpu->id, run->io.port, data,
			       run->io.size, is_write) == -ENOENT) {
			pr_debug("vCPU %d: unclaimed port %s 0x%x", vcpu->id,
				 is_write ? "write" : "read", run->io.port);
			if (!is_write)
				memset(data, 0xff, run->io.size);
		}
	}
	return 0;
}

static int handle_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint32_t len = run->mmio.len;
	int ret;

	if (len > sizeof(run->mmio.data))
		len = sizeof(run->mmio.data);
	ret = bus_access(vcpu->vm->mmio, vcpu->id, run->mmio.phys_addr,
			 run->mmio.data, len, run->mmio.is_write);
	if (ret < 0) {
		if (ret == -ENOENT)
			pr_debug("vCPU %d: unclaimed MMIO %s 0x%llx", vcpu->id,
				 run->mmio.is_write ? "write" : "read",
				 (unsigned long long)run->mmio.phys_addr);
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0, len);
	}
	return 0;
}

/* True when no vCPU can make progress: every live one halted for good. */
static bool all_halted_for_good(struct vm *vm)
{
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!v->halted)
			return false;
		if (vm->machine->can_wake && vm->machine->can_wake(v))
			return false;
	}
	return true;
}

/* HLT without an in-kernel irqchip: sleep until a line rises. */
static void handle_hlt(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	pthread_mutex_lock(&vm->lock);
	vcpu->halted = true;
	if (all_halted_for_good(vm)) {
		pthread_mutex_unlock(&vm->lock);
		pr_info("all vCPUs halted with no interrupt to wake them");
		vm_request_stop(vm, 0);
		return;
	}
	while (vm->state == VM_RUNNING && !vcpu_line_pending(vcpu))
		pthread_cond_wait(&vm->cond, &vm->lock);
	vcpu->halted = false;
	pthread_mutex_unlock(&vm->lock);
}

static int handle_system_event(struct vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		pr_info("guest powered off");
		vm_request_stop(vcpu->vm, 0);
		return 1;
	case KVM_SYSTEM_EVENT_RESET:
		pr_info("guest requested a reset; stopping");
		vm_request_stop(vcpu->vm, 0);
		return 1;
	default:
		vcpu_crash(vcpu, "guest reported a crash (system event)");
		return 1;
	}
}

/* Returns 0 to run again, 1 to leave the loop. */
static int handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	char what[96];
	int ret;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(vcpu);
	case KVM_EXIT_MMIO:
		return handle_mmio(vcpu);
	case KVM_EXIT_INTR:
	case KVM_EXIT_IRQ_WINDOW_OPEN:
		return 0;
	case KVM_EXIT_HLT:
		handle_hlt(vcpu);
		return 0;
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(vcpu);
	case KVM_EXIT_SHUTDOWN:
		vcpu_crash(vcpu, "guest shut down the CPU (triple fault)");
		return 1;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(what, sizeof(what), "VM entry failed (reason 0x%llx)",
			 (unsigned long long)
			 run->fail_entry.hardware_entry_failure_reason);
		vcpu_crash(vcpu, what);
		return 1;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(what, sizeof(what), "KVM internal error (suberror %u)",
			 run->internal.suberror);
		vcpu_crash(vcpu, what);
		return 1;
	}
	if (vcpu->vm->machine->handle_exit) {
		ret = vcpu->vm->machine->handle_exit(vcpu);
		if (ret >= 0)
			return ret;
	}
	snprintf(what, sizeof(what), "unhandled exit %s (%u)",
		 kvm_exit_name(run->exit_reason), run->exit_reason);
	vcpu_crash(vcpu, what);
	return 1;
}

/*
 * KVM finishes an exit's I/O (an IN's data, the RIP step past an OUT)
 * only on the next KVM_RUN.  Before parking, re-enter with
 * immediate_exit set: KVM completes it and returns at once, so the
 * registers a snapshot reads are consistent (api.rst, KVM_RUN).
 */
static void vcpu_complete_io(struct vcpu *vcpu)
{
	__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	/* Completing a string I/O may need another exit: serve it. */
	while (ioctl(vcpu->fd, KVM_RUN, 0) == 0) {
		vcpu->exits++;
		if (handle_exit(vcpu))
			break;
	}
	__atomic_store_n(&vcpu->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
}

/* Park while paused; false once the VM stops. */
static bool vcpu_check_state(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool go;

	__atomic_store_n(&vcpu->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&vm->state, __ATOMIC_SEQ_CST) == VM_RUNNING)
		return true;
	if (__atomic_load_n(&vm->state, __ATOMIC_SEQ_CST) == VM_PAUSED)
		vcpu_complete_io(vcpu);
	pthread_mutex_lock(&vm->lock);
	if (vm->state == VM_PAUSED) {
		vm->nr_parked++;
		pthread_cond_broadcast(&vm->cond);
		while (vm->state == VM_PAUSED)
			pthread_cond_wait(&vm->cond, &vm->lock);
		vm->nr_parked--;
	}
	go = vm->state == VM_RUNNING;
	pthread_mutex_unlock(&vm->lock);
	return go;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	char name[16];

	snprintf(name, sizeof(name), "vcpu%d", vcpu->id);
	pthread_setname_np(pthread_self(), name);

	while (vcpu_check_state(vcpu)) {
		if (vm->machine->pre_run)
			vm->machine->pre_run(vcpu);
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			pr_err("vCPU %d: KVM_RUN failed: %s", vcpu->id,
			       strerror(errno));
			vm_request_stop(vm, EXIT_GUEST_CRASH);
			break;
		}
		vcpu->exits++;
		if (handle_exit(vcpu))
			break;
	}
	pthread_mutex_lock(&vm->lock);
	vcpu->live = false;
	vm->nr_exited++;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	return NULL;
}

int vm_finalize(struct vm *vm)
{
	if (vm->machine->finalize && vm->machine->finalize(vm))
		return -1;
	return 0;
}

int vm_start(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	vm->any_ran = true;
	if (vm->cfg.paused)
		vm->state = VM_PAUSED;
	pthread_cond_broadcast(&vm->cond);	/* halted vCPUs park too */
	pthread_mutex_unlock(&vm->lock);
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		int err;

		/* The thread can't clear ->live before we set it. */
		pthread_mutex_lock(&vm->lock);
		err = pthread_create(&v->thread, NULL, vcpu_thread, v);
		v->live = !err;
		pthread_mutex_unlock(&vm->lock);
		if (err) {
			pr_err("cannot start vCPU %d's thread: %s", i, strerror(err));
			vm_request_stop(vm, EXIT_SETUP_ERROR);
			return -1;
		}
		v->started = true;
	}
	return 0;
}

int vm_join(struct vm *vm)
{
	for (int i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].started) {
			pthread_join(vm->vcpus[i].thread, NULL);
			vm->vcpus[i].started = false;
		}
	}
	return vm->exit_status;
}
