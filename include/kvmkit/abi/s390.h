/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The s390 KVM uapi (arch/s390/include/uapi/asm/kvm.h and the s390 part
 * of <linux/kvm.h>) on every host, so the software FLIC and the s390 VM
 * attribute model build and are tested everywhere.  Each block is
 * guarded by a macro the real header defines alongside its structs, so
 * on s390 (and with headers that still carry the s390 structs in
 * <linux/kvm.h>) the kernel's definitions win.
 *
 * All structs are host-endian, exactly as the kernel's: on an s390 host
 * the values are big-endian, here they are in the host's order.
 */
#ifndef KVMKIT_ABI_S390_H
#define KVMKIT_ABI_S390_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <linux/types.h>

/* ---- interrupt types and payloads (<linux/kvm.h> before 6.9) ---------- */

#ifndef KVM_S390_SIGP_STOP
#define KVM_S390_SIGP_STOP 0xfffe0000u
#define KVM_S390_PROGRAM_INT 0xfffe0001u
#define KVM_S390_SIGP_SET_PREFIX 0xfffe0002u
#define KVM_S390_RESTART 0xfffe0003u
#define KVM_S390_INT_PFAULT_INIT 0xfffe0004u
#define KVM_S390_INT_PFAULT_DONE 0xfffe0005u
#define KVM_S390_MCHK 0xfffe1000u
#define KVM_S390_INT_CLOCK_COMP 0xffff1004u
#define KVM_S390_INT_CPU_TIMER 0xffff1005u
#define KVM_S390_INT_VIRTIO 0xffff2603u
#define KVM_S390_INT_SERVICE 0xffff2401u
#define KVM_S390_INT_EMERGENCY 0xffff1201u
#define KVM_S390_INT_EXTERNAL_CALL 0xffff1202u
/* Anything below 0xfffe0000u is taken by INT_IO */
#define KVM_S390_INT_IO(ai, cssid, ssid, schid) \
	(((schid)) | ((ssid) << 16) | ((cssid) << 18) | ((ai) << 26))
#define KVM_S390_INT_IO_MIN 0x00000000u
#define KVM_S390_INT_IO_MAX 0xfffdffffu
#define KVM_S390_INT_IO_AI_MASK 0x04000000u

struct kvm_s390_interrupt {
	__u32 type;
	__u32 parm;
	__u64 parm64;
};

struct kvm_s390_io_info {
	__u16 subchannel_id;
	__u16 subchannel_nr;
	__u32 io_int_parm;
	__u32 io_int_word;
};

struct kvm_s390_ext_info {
	__u32 ext_params;
	__u32 pad;
	__u64 ext_params2;
};

struct kvm_s390_pgm_info {
	__u64 trans_exc_code;
	__u64 mon_code;
	__u64 per_address;
	__u32 data_exc_code;
	__u16 code;
	__u16 mon_class_nr;
	__u8 per_code;
	__u8 per_atmid;
	__u8 exc_access_id;
	__u8 per_access_id;
	__u8 op_access_id;
#define KVM_S390_PGM_FLAGS_ILC_VALID 0x01
#define KVM_S390_PGM_FLAGS_ILC_0 0x02
#define KVM_S390_PGM_FLAGS_ILC_1 0x04
#define KVM_S390_PGM_FLAGS_ILC_MASK 0x06
#define KVM_S390_PGM_FLAGS_NO_REWIND 0x08
	__u8 flags;
	__u8 pad[2];
};

struct kvm_s390_prefix_info {
	__u32 address;
};

struct kvm_s390_extcall_info {
	__u16 code;
};

struct kvm_s390_emerg_info {
	__u16 code;
};

#define KVM_S390_STOP_FLAG_STORE_STATUS 0x01
struct kvm_s390_stop_info {
	__u32 flags;
};

struct kvm_s390_mchk_info {
	__u64 cr14;
	__u64 mcic;
	__u64 failing_storage_address;
	__u32 ext_damage_code;
	__u32 pad;
	__u8 fixed_logout[16];
};

struct kvm_s390_irq {
	__u64 type;
	union {
		struct kvm_s390_io_info io;
		struct kvm_s390_ext_info ext;
		struct kvm_s390_pgm_info pgm;
		struct kvm_s390_emerg_info emerg;
		struct kvm_s390_extcall_info extcall;
		struct kvm_s390_prefix_info prefix;
		struct kvm_s390_stop_info stop;
		struct kvm_s390_mchk_info mchk;
		char reserved[64];
	} u;
};

struct kvm_s390_irq_state {
	__u64 buf;
	__u32 flags;
	__u32 len;
	__u32 reserved[4];
};
#endif /* KVM_S390_SIGP_STOP */

/* ---- FLIC device attributes (asm/kvm.h) -------------------------------- */

#ifndef KVM_DEV_FLIC_GET_ALL_IRQS
#define KVM_DEV_FLIC_GET_ALL_IRQS 1
#define KVM_DEV_FLIC_ENQUEUE 2
#define KVM_DEV_FLIC_CLEAR_IRQS 3
#define KVM_DEV_FLIC_APF_ENABLE 4
#define KVM_DEV_FLIC_APF_DISABLE_WAIT 5
#define KVM_DEV_FLIC_ADAPTER_REGISTER 6
#define KVM_DEV_FLIC_ADAPTER_MODIFY 7
#define KVM_DEV_FLIC_CLEAR_IO_IRQ 8
#define KVM_DEV_FLIC_AISM 9
#define KVM_DEV_FLIC_AIRQ_INJECT 10
#define KVM_DEV_FLIC_AISM_ALL 11

#define KVM_S390_MAX_FLOAT_IRQS 266250
#define KVM_S390_FLIC_MAX_BUFFER 0x2000000

struct kvm_s390_io_adapter {
	__u32 id;
	__u8 isc;
	__u8 maskable;
	__u8 swap;
	__u8 flags;
};

#define KVM_S390_ADAPTER_SUPPRESSIBLE 0x01

struct kvm_s390_ais_req {
	__u8 isc;
	__u16 mode;
};

struct kvm_s390_ais_all {
	__u8 simm;
	__u8 nimm;
};

#define KVM_S390_IO_ADAPTER_MASK 1
#define KVM_S390_IO_ADAPTER_MAP 2
#define KVM_S390_IO_ADAPTER_UNMAP 3

struct kvm_s390_io_adapter_req {
	__u32 id;
	__u8 type;
	__u8 mask;
	__u16 pad0;
	__u64 addr;
};
#endif /* KVM_DEV_FLIC_GET_ALL_IRQS */

/* AIS modes of KVM_DEV_FLIC_AISM (the kernel keeps them in kvm_host.h). */
#ifndef KVM_S390_AIS_MODE_ALL
#define KVM_S390_AIS_MODE_ALL 0
#define KVM_S390_AIS_MODE_SINGLE 1
#endif

/* ---- VM attributes (asm/kvm.h) ----------------------------------------- */

#ifndef KVM_S390_VM_MEM_CTRL
#define KVM_S390_VM_MEM_CTRL 0
#define KVM_S390_VM_TOD 1
#define KVM_S390_VM_CRYPTO 2
#define KVM_S390_VM_CPU_MODEL 3
#define KVM_S390_VM_MIGRATION 4

#define KVM_S390_VM_MEM_ENABLE_CMMA 0
#define KVM_S390_VM_MEM_CLR_CMMA 1
#define KVM_S390_VM_MEM_LIMIT_SIZE 2

#define KVM_S390_NO_MEM_LIMIT U64_MAX

#define KVM_S390_VM_TOD_LOW 0
#define KVM_S390_VM_TOD_HIGH 1
#define KVM_S390_VM_TOD_EXT 2

struct kvm_s390_vm_tod_clock {
	__u8 epoch_idx;
	__u64 tod;
};

#define KVM_S390_VM_CPU_PROCESSOR 0
struct kvm_s390_vm_cpu_processor {
	__u64 cpuid;
	__u16 ibc;
	__u8 pad[6];
	__u64 fac_list[256];
};

#define KVM_S390_VM_CPU_MACHINE 1
struct kvm_s390_vm_cpu_machine {
	__u64 cpuid;
	__u32 ibc;
	__u8 pad[4];
	__u64 fac_mask[256];
	__u64 fac_list[256];
};

#define KVM_S390_VM_CPU_PROCESSOR_FEAT 2
#define KVM_S390_VM_CPU_MACHINE_FEAT 3

#define KVM_S390_VM_CPU_FEAT_NR_BITS 1024
#define KVM_S390_VM_CPU_FEAT_ESOP 0
#define KVM_S390_VM_CPU_FEAT_SIEF2 1
#define KVM_S390_VM_CPU_FEAT_64BSCAO 2
#define KVM_S390_VM_CPU_FEAT_SIIF 3
#define KVM_S390_VM_CPU_FEAT_GPERE 4
#define KVM_S390_VM_CPU_FEAT_GSLS 5
#define KVM_S390_VM_CPU_FEAT_IB 6
#define KVM_S390_VM_CPU_FEAT_CEI 7
#define KVM_S390_VM_CPU_FEAT_IBS 8
#define KVM_S390_VM_CPU_FEAT_SKEY 9
#define KVM_S390_VM_CPU_FEAT_CMMA 10
#define KVM_S390_VM_CPU_FEAT_PFMFI 11
#define KVM_S390_VM_CPU_FEAT_SIGPIF 12
#define KVM_S390_VM_CPU_FEAT_KSS 13
struct kvm_s390_vm_cpu_feat {
	__u64 feat[16];
};

#define KVM_S390_VM_CPU_PROCESSOR_SUBFUNC 4
#define KVM_S390_VM_CPU_MACHINE_SUBFUNC 5
/* for "test bit" instructions MSB 0 bit ordering, for "query" raw blocks */
struct kvm_s390_vm_cpu_subfunc {
	__u8 plo[32];		/* always */
	__u8 ptff[16];		/* with TOD-clock steering */
	__u8 kmac[16];		/* with MSA */
	__u8 kmc[16];		/* with MSA */
	__u8 km[16];		/* with MSA */
	__u8 kimd[16];		/* with MSA */
	__u8 klmd[16];		/* with MSA */
	__u8 pckmo[16];		/* with MSA3 */
	__u8 kmctr[16];		/* with MSA4 */
	__u8 kmf[16];		/* with MSA4 */
	__u8 kmo[16];		/* with MSA4 */
	__u8 pcc[16];		/* with MSA4 */
	__u8 ppno[16];		/* with MSA5 */
	__u8 kma[16];		/* with MSA8 */
	__u8 kdsa[16];		/* with MSA9 */
	__u8 sortl[32];		/* with STFLE.150 */
	__u8 dfltcc[32];	/* with STFLE.151 */
	__u8 pfcr[16];		/* with STFLE.201 */
	__u8 reserved[1712];
};

#define KVM_S390_VM_CRYPTO_ENABLE_AES_KW 0
#define KVM_S390_VM_CRYPTO_ENABLE_DEA_KW 1
#define KVM_S390_VM_CRYPTO_DISABLE_AES_KW 2
#define KVM_S390_VM_CRYPTO_DISABLE_DEA_KW 3

#define KVM_S390_VM_MIGRATION_STOP 0
#define KVM_S390_VM_MIGRATION_START 1
#define KVM_S390_VM_MIGRATION_STATUS 2
#endif /* KVM_S390_VM_MEM_CTRL */

/* Newer than vm.txt (kernel 4.20+); older s390 headers lack them. */
#ifndef KVM_S390_VM_CRYPTO_ENABLE_APIE
#define KVM_S390_VM_CRYPTO_ENABLE_APIE 4
#define KVM_S390_VM_CRYPTO_DISABLE_APIE 5
#endif

/* The uapi spells "no limit" with the kernel-only U64_MAX. */
#ifndef U64_MAX
#define U64_MAX UINT64_MAX
#endif

/* ---- layouts: must match the kernel's byte for byte -------------------- */

_Static_assert(sizeof(struct kvm_s390_io_info) == 12, "io_info");
_Static_assert(sizeof(struct kvm_s390_ext_info) == 16, "ext_info");
_Static_assert(sizeof(struct kvm_s390_pgm_info) == 40, "pgm_info");
_Static_assert(sizeof(struct kvm_s390_mchk_info) == 48, "mchk_info");
_Static_assert(sizeof(struct kvm_s390_irq) == 72, "kvm_s390_irq");
_Static_assert(offsetof(struct kvm_s390_irq, u) == 8, "kvm_s390_irq.u");
_Static_assert(offsetof(struct kvm_s390_mchk_info, fixed_logout) == 32,
	       "mchk_info.fixed_logout");
_Static_assert(sizeof(struct kvm_s390_io_adapter) == 8, "io_adapter");
_Static_assert(sizeof(struct kvm_s390_io_adapter_req) == 16, "adapter_req");
_Static_assert(offsetof(struct kvm_s390_io_adapter_req, addr) == 8,
	       "adapter_req.addr");
_Static_assert(sizeof(struct kvm_s390_ais_req) == 4, "ais_req");
_Static_assert(offsetof(struct kvm_s390_ais_req, mode) == 2, "ais_req.mode");
_Static_assert(sizeof(struct kvm_s390_ais_all) == 2, "ais_all");
_Static_assert(sizeof(struct kvm_s390_vm_tod_clock) == 16, "tod_clock");
_Static_assert(offsetof(struct kvm_s390_vm_tod_clock, tod) == 8,
	       "tod_clock.tod");
_Static_assert(sizeof(struct kvm_s390_vm_cpu_processor) == 2064, "processor");
_Static_assert(offsetof(struct kvm_s390_vm_cpu_processor, fac_list) == 16,
	       "processor.fac_list");
_Static_assert(sizeof(struct kvm_s390_vm_cpu_machine) == 4112, "machine");
_Static_assert(offsetof(struct kvm_s390_vm_cpu_machine, fac_mask) == 16,
	       "machine.fac_mask");
_Static_assert(offsetof(struct kvm_s390_vm_cpu_machine, fac_list) == 2064,
	       "machine.fac_list");
_Static_assert(sizeof(struct kvm_s390_vm_cpu_feat) == 128, "cpu_feat");
_Static_assert(sizeof(struct kvm_s390_vm_cpu_subfunc) == 2048, "subfunc");
_Static_assert(offsetof(struct kvm_s390_vm_cpu_subfunc, kma) == 224,
	       "subfunc.kma");
_Static_assert(offsetof(struct kvm_s390_vm_cpu_subfunc, kdsa) == 240,
	       "subfunc.kdsa");
_Static_assert(offsetof(struct kvm_s390_vm_cpu_subfunc, sortl) == 256,
	       "subfunc.sortl");
_Static_assert(offsetof(struct kvm_s390_vm_cpu_subfunc, dfltcc) == 288,
	       "subfunc.dfltcc");

/* ---- helpers for the MSB-0 bitmaps (facility lists, cpu features) ------ */

/*
 * Facility and feature @nr is bit 63 - nr % 64 of the 64-bit value
 * words[nr / 64]: the kernel's MSB-0 numbering, independent of the
 * host's byte order because the words hold host-order values.
 */
static inline bool s390_bit_test(const __u64 *words, unsigned int nr)
{
	return words[nr / 64] >> (63 - nr % 64) & 1;
}

static inline void s390_bit_set(__u64 *words, unsigned int nr)
{
	words[nr / 64] |= 1ULL << (63 - nr % 64);
}

static inline void s390_bit_clear(__u64 *words, unsigned int nr)
{
	words[nr / 64] &= ~(1ULL << (63 - nr % 64));
}

#endif
