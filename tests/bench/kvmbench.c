// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark helpers for scripts/bench.
 *
 *   kvmbench bare pio|mmio N   a bare KVM loop: one vCPU in real mode doing
 *                              N port or MMIO writes; prints exits/second
 *                              measured around the KVM_RUN loop only.
 *   kvmbench spawn CMD ARGS... runs CMD; prints "wall_s maxrss_kib status".
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int bare(int mmio, uint32_t n)
{
	/* mov ecx, n; mov dx, 0x510; 1: out dx, eax | mov [0x8000], eax;
	 * dec ecx; jnz 1b; hlt */
	uint8_t code[32] = { 0x66, 0xb9 }, *p = code + 6;
	struct kvm_userspace_memory_region mr;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int kvm, vm, vcpu, loop_len;
	uint64_t exits = 0;
	double t0, t1;
	uint8_t *mem;

	memcpy(code + 2, &n, 4);
	*p++ = 0xba;
	*p++ = 0x10;
	*p++ = 0x05;
	if (mmio) {
		memcpy(p, (uint8_t[]){ 0x66, 0xa3, 0x00, 0x80 }, 4);
		p += 4;
		loop_len = 4;
	} else {
		memcpy(p, (uint8_t[]){ 0x66, 0xef }, 2);
		p += 2;
		loop_len = 2;
	}
	*p++ = 0x66;
	*p++ = 0x49;
	*p++ = 0x75;
	*p++ = (uint8_t)-(loop_len + 4);
	*p++ = 0xf4;

	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || mem == MAP_FAILED)
		die("vm");
	memcpy(mem, code, sizeof(code));
	mr = (struct kvm_userspace_memory_region){ .memory_size = 0x4000,
		.userspace_addr = (uintptr_t)mem };
	if (ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000UL) < 0 ||
	    ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
		die("memory");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	run = mmap(NULL, (size_t)ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
		   PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (vcpu < 0 || run == MAP_FAILED)
		die("vcpu");
	ioctl(vcpu, KVM_GET_SREGS, &sregs);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	ioctl(vcpu, KVM_SET_SREGS, &sregs);
	regs = (struct kvm_regs){ .rip = 0, .rflags = 2 };
	ioctl(vcpu, KVM_SET_REGS, &regs);

	t0 = now();
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			die("KVM_RUN");
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason != KVM_EXIT_IO &&
		    run->exit_reason != KVM_EXIT_MMIO) {
			fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
			return 1;
		}
		exits++;
	}
	t1 = now();
	printf("%.0f\n", exits / (t1 - t0));
	return 0;
}

static int spawn(char **argv)
{
	struct rusage ru;
	double t0 = now();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4");
	printf("%.6f %ld %d\n", now() - t0, ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "bare"))
		return bare(!strcmp(argv[2], "mmio"),
			    (uint32_t)strtoul(argv[3], NULL, 0));
	if (argc >= 3 && !strcmp(argv[1], "spawn"))
		return spawn(argv + 2);
	fprintf(stderr, "usage: kvmbench bare pio|mmio N | spawn CMD...\n");
	return 2;
}
