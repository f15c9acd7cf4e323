// SPDX-License-Identifier: GPL-2.0
/* x86 vCPU state: 64-bit entry state, CPUID, register dumps. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmkit/arch.h"
#include "kvmkit/log.h"
#include "testbench.h"

#define CR0_PE 0x1ULL
#define CR0_MP 0x2ULL
#define CR0_ET 0x10ULL
#define CR0_NE 0x20ULL
#define CR0_WP 0x10000ULL
#define CR0_PG 0x80000000ULL
#define CR4_PAE 0x20ULL
#define CR4_OSFXSR 0x200ULL
#define CR4_OSXMMEXCPT 0x400ULL
#define EFER_SCE 0x1ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MTRR_ENABLE 0x800ULL
#define MTRR_TYPE_WB 0x6ULL

static void set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t id)
{
	for (uint32_t i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffff) | id << 24;
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = id;
	}
}

/*
 * Firmware leaves memory write-back cacheable; without this the MTRRs
 * reset to "disabled", which makes all of RAM uncached.
 */
static int set_mtrrs(struct vcpu *vcpu)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[1];
	} msrs = { .hdr.nmsrs = 1,
		   .e[0] = { .index = MSR_MTRR_DEF_TYPE,
			     .data = MTRR_ENABLE | MTRR_TYPE_WB } };

	if (ioctl(vcpu->fd, KVM_SET_MSRS, &msrs) != 1) {
		pr_err("vCPU %d: cannot set MTRRdefType", vcpu->id);
		return -1;
	}
	return 0;
}

static struct kvm_segment seg(uint16_t sel, uint8_t type, bool code)
{
	return (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.present = 1, .dpl = 0, .db = code ? 0 : 1, .s = 1,
		.l = code ? 1 : 0, .g = 1,
	};
}

int x86_vcpu_setup_longmode(struct vcpu *vcpu, struct kvm_cpuid2 *cpuid,
			    uint64_t entry)
{
	struct vm *vm = vcpu->vm;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	set_apic_id(cpuid, (uint32_t)vcpu->id);
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid) < 0) {
		pr_err("vCPU %d: KVM_SET_CPUID2: %s", vcpu->id, strerror(errno));
		return -1;
	}
	if (set_mtrrs(vcpu))
		return -1;
	if (ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0) {
		pr_err("vCPU %d: KVM_GET_SREGS: %s", vcpu->id, strerror(errno));
		return -1;
	}
	sregs.cs = seg(TB_SEL_CODE, 0xb, true);
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss =
		seg(TB_SEL_DATA, 0x3, false);
	sregs.tr = (struct kvm_segment){ .limit = 0x67, .type = 0xb,
					 .present = 1 };
	sregs.ldt = (struct kvm_segment){ .type = 0x2, .present = 1,
					  .unusable = 1 };
	sregs.gdt.base = TB_GDT;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.cr3 = TB_PML4;
	sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sregs.efer = EFER_LME | EFER_LMA | EFER_SCE;
	if (ioctl(vcpu->fd, KVM_SET_SREGS, &sregs) < 0) {
		pr_err("vCPU %d: KVM_SET_SREGS: %s", vcpu->id, strerror(errno));
		return -1;
	}
	/* Entry ABI: rdi = vCPU index, rsi = vCPUs, rdx = RAM, rcx = cmdline. */
	regs = (struct kvm_regs){
		.rip = entry,
		.rsp = TB_STACKS + (uint64_t)(vcpu->id + 1) * TB_STACK_SIZE,
		.rflags = 0x2,
		.rdi = (uint64_t)vcpu->id,
		.rsi = (uint64_t)vm->cfg.nr_cpus,
		.rdx = vm->mem_size,
		.rcx = vm->cfg.params ? TB_CMDLINE : 0,
	};
	if (ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0) {
		pr_err("vCPU %d: KVM_SET_REGS: %s", vcpu->id, strerror(errno));
		return -1;
	}
	return 0;
}

static void dump_seg(const char *name, const struct kvm_segment *s)
{
	fprintf(stderr, "  %-3s sel=%04x base=%016llx limit=%08x type=%x l=%d db=%d\n",
		name, s->selector, (unsigned long long)s->base, s->limit,
		s->type, s->l, s->db);
}

void arch_dump_regs(struct vcpu *vcpu)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(vcpu->fd, KVM_GET_REGS, &r) < 0 ||
	    ioctl(vcpu->fd, KVM_GET_SREGS, &s) < 0) {
		fprintf(stderr, "  (registers unavailable: %s)\n", strerror(errno));
		return;
	}
	fprintf(stderr,
		"  rip=%016llx rsp=%016llx rflags=%016llx\n"
		"  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n"
		"  rsi=%016llx rdi=%016llx rbp=%016llx\n"
		"  r8 =%016llx r9 =%016llx r10=%016llx r11=%016llx\n"
		"  r12=%016llx r13=%016llx r14=%016llx r15=%016llx\n"
		"  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx efer=%016llx\n",
		r.rip, r.rsp, r.rflags, r.rax, r.rbx, r.rcx, r.rdx, r.rsi,
		r.rdi, r.rbp, r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14,
		r.r15, s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
	dump_seg("cs", &s.cs);
	dump_seg("ss", &s.ss);
	fprintf(stderr, "  gdt=%016llx/%x idt=%016llx/%x exits=%llu\n",
		(unsigned long long)s.gdt.base, s.gdt.limit,
		(unsigned long long)s.idt.base, s.idt.limit,
		(unsigned long long)vcpu->exits);
}
