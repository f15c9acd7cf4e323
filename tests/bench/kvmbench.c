// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark helpers for scripts/bench.
 *
 *   kvmbench bare pio|mmio N [real|long]
 *                              a bare KVM loop: one vCPU doing N port or
 *                              MMIO writes, in real mode or, as kvmkit's
 *                              testbench guests, in 64-bit mode with
 *                              identity paging; prints exits/second
 *                              measured around the KVM_RUN loop only.
 *   kvmbench spawn CMD ARGS... runs CMD; prints "wall_s maxrss_kib status".
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdbool.h>
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

/* Where the loop writes: the port and the MMIO address outside RAM. */
#define BARE_PORT 0x510
#define BARE_MMIO 0x8000

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

/*
 * The loop, the same three instructions as guests/x86/bench.c:
 *   mov ecx, n; mov edx, port|addr; 1: out dx, eax | mov [rdx], eax;
 *   dec ecx; jnz 1b; hlt
 * (0x66 prefixes make the 32-bit forms in real mode).
 */
static size_t bare_code(uint8_t *code, bool mmio, bool longmode, uint32_t n)
{
	uint32_t target = mmio ? BARE_MMIO : BARE_PORT;
	uint8_t *p = code, *loop;

	if (!longmode)
		*p++ = 0x66;
	*p++ = 0xb9;
	memcpy(p, &n, 4);
	p += 4;
	if (!longmode)
		*p++ = 0x66;
	*p++ = 0xba;
	memcpy(p, &target, 4);
	p += 4;
	loop = p;
	if (!longmode)
		*p++ = 0x66;
	if (mmio) {
		if (!longmode)
			*p++ = 0x67;	/* [edx] */
		*p++ = 0x89;
		*p++ = 0x02;
	} else {
		*p++ = 0xef;
	}
	if (!longmode)
		*p++ = 0x66;
	*p++ = longmode ? 0xff : 0x49;	/* dec ecx */
	if (longmode)
		*p++ = 0xc9;
	*p++ = 0x75;
	*p = (uint8_t)(loop - (p + 1));
	p++;
	*p++ = 0xf4;
	return (size_t)(p - code);
}

/* 64-bit mode: PML4 -> PDPT -> one 2 MiB page at 0, flat code segment. */
static void bare_longmode(uint8_t *mem, struct kvm_sregs *sregs)
{
	uint64_t *pml4 = (uint64_t *)(mem + 0x1000);
	uint64_t *pdpt = (uint64_t *)(mem + 0x2000);
	uint64_t *pd = (uint64_t *)(mem + 0x3000);

	pml4[0] = 0x2000 | 3;
	pdpt[0] = 0x3000 | 3;
	pd[0] = 0x83;		/* present, writable, 2 MiB */
	sregs->cs = (struct kvm_segment){ .selector = 8, .type = 11,
		.present = 1, .s = 1, .l = 1, .g = 1, .limit = 0xffffffff };
	sregs->ds = sregs->es = sregs->ss = (struct kvm_segment){
		.selector = 16, .type = 3, .present = 1, .s = 1, .db = 1,
		.g = 1, .limit = 0xffffffff };
	sregs->cr3 = 0x1000;
	sregs->cr4 = 0x20;			/* PAE */
	sregs->cr0 = 0x80000011;		/* PG, ET, PE */
	sregs->efer = 0x500;			/* LMA, LME */
}

static int bare(bool mmio, bool longmode, uint32_t n)
{
	struct kvm_userspace_memory_region mr;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int kvm, vm, vcpu;
	uint64_t exits = 0;
	double t0, t1;
	uint8_t *mem;

	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || mem == MAP_FAILED)
		die("vm");
	bare_code(mem, mmio, longmode, n);
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
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		die("KVM_GET_SREGS");
	if (longmode) {
		bare_longmode(mem, &sregs);
	} else {
		sregs.cs.base = 0;
		sregs.cs.selector = 0;
	}
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		die("KVM_SET_SREGS");
	regs = (struct kvm_regs){ .rip = 0, .rflags = 2 };
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		die("KVM_SET_REGS");

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
	if (exits != n) {
		fprintf(stderr, "kvmbench: %llu exits, wanted %u\n",
			(unsigned long long)exits, n);
		return 1;
	}
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
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "bare"))
		return bare(!strcmp(argv[2], "mmio"),
			    argc == 5 && !strcmp(argv[4], "long"),
			    (uint32_t)strtoul(argv[3], NULL, 0));
	if (argc >= 3 && !strcmp(argv[1], "spawn"))
		return spawn(argv + 2);
	fprintf(stderr, "usage: kvmbench bare pio|mmio N [real|long] | spawn CMD...\n");
	return 2;
}
