// SPDX-License-Identifier: GPL-2.0
/*
 * `kvmkit run`: the ordered start-up and tear-down of one VM, and the
 * main thread's event loop (control socket, console input, stop).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <string.h>
#include <unistd.h>

#include "kvmkit/arch.h"
#include "kvmkit/control.h"
#include "kvmkit/log.h"
#include "kvmkit/run.h"
#include "kvmkit/snapshot.h"

/*
 * SIGINT, SIGTERM and SIGHUP stop the VM with status 128 + signal.  They
 * are blocked in every thread (vCPU threads inherit the mask from the
 * main thread, which blocks them before starting any) and read from a
 * signalfd in the event loop, so none is lost between a check and poll().
 */
static int block_stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void event_loop(struct vm *vm, int ctl_fd, int sig_fd)
{
	bool stdin_open = vm->console_in != NULL;

	for (;;) {
		struct pollfd p[4] = {
			{ vm->stop_efd, POLLIN, 0 },
			{ ctl_fd, POLLIN, 0 },
			{ stdin_open ? STDIN_FILENO : -1, POLLIN, 0 },
			{ sig_fd, POLLIN, 0 },
		};
		struct signalfd_siginfo si;

		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("poll: %s", strerror(errno));
			vm_request_stop(vm, EXIT_SETUP_ERROR);
			return;
		}
		if (p[0].revents)
			return;
		if (p[3].revents && read(sig_fd, &si, sizeof(si)) == sizeof(si)) {
			pr_info("signal %u: stopping the VM", si.ssi_signo);
			vm_request_stop(vm, 128 + (int)si.ssi_signo);
		}
		if (p[1].revents)
			control_serve(vm, ctl_fd);
		if (p[2].revents && !vm->console_in(vm))
			stdin_open = false;
	}
}

/*
 * The stages of one VM's life, shared by `kvmkit run` and `kvmkit
 * restore`.  A restore (@img) maps the snapshot's memory instead of
 * loading images, then puts back vCPU and device state before the vCPU
 * threads start.
 */
int run_vm(const struct vm_config *cfg, struct snap_image *img)
{
	struct vm vm;
	int status, ctl_fd = -1, sig_fd;

	sig_fd = block_stop_signals();
	if (sig_fd < 0) {
		pr_err("signalfd: %s", strerror(errno));
		return EXIT_SETUP_ERROR;
	}
	if (vm_create(&vm, cfg)) {
		vm_destroy(&vm);
		return EXIT_SETUP_ERROR;
	}
	if (img) {
		vm.restoring = true;
		vm.ram_file_fd = img->mem_fd;	/* the VM owns it now */
		img->mem_fd = -1;
	}
	if (vm.machine->setup(&vm) || vm_create_vcpus(&vm) ||
	    (img && snap_restore_vcpus(&vm, img))) {
		vm_destroy(&vm);
		return EXIT_SETUP_ERROR;
	}
	ctl_fd = control_listen(&vm);
	if (ctl_fd < 0 || vm_finalize(&vm) ||
	    (img && snap_restore_devices(&vm, img)) || vm_start(&vm)) {
		vm_request_stop(&vm, EXIT_SETUP_ERROR);
		vm_join(&vm);
		control_close(&vm, ctl_fd);
		vm_destroy(&vm);
		return EXIT_SETUP_ERROR;
	}
	if (img)
		snap_restore_done(&vm, img);
	pr_debug("VM '%s' started: %d vCPU(s), %lluM", vm.name, vm.nr_vcpus,
		 (unsigned long long)(vm.mem_size >> 20));
	event_loop(&vm, ctl_fd, sig_fd);
	close(sig_fd);
	status = vm_join(&vm);
	control_close(&vm, ctl_fd);
	vm_destroy(&vm);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct vm_config cfg;
	int ret;

	ret = config_parse_run(&cfg, argc, argv);
	if (ret)
		return ret == 1 ? 0 : EXIT_USAGE;
	return run_vm(&cfg, NULL);
}
