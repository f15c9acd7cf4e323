/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshots: a VM's memory and state in a directory, restored later by a
 * new kvmkit process (docs/snapshot-format.md).
 *
 *   DIR/state        header, section table, sections, CRC32C trailer
 *   DIR/memory-N     guest RAM, raw and sparse; the state file names it
 *
 * The state file is built in memory by a snap_writer, written to a
 * temporary name, fsynced and renamed over DIR/state: that rename is the
 * commit, so a failed snapshot leaves the previous one intact.  Readers
 * check everything (magic, version, architecture, CRC, every section and
 * record bound) and reject a bad file with a typed, one-line error.
 */
#ifndef KVMKIT_SNAPSHOT_H
#define KVMKIT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct vcpu;

#define SNAP_MAGIC "KVMKSNAP"
#define SNAP_FORMAT_VERSION 1
#define SNAP_STATE_FILE "state"
#define SNAP_MEMFILE_PREFIX "memory-"
#define SNAP_HEADER_SIZE 96
#define SNAP_SECTION_ENTRY_SIZE 24
#define SNAP_TRAILER_SIZE 8
#define SNAP_MAX_STATE (128U << 20)
#define SNAP_MAX_SECTIONS 4096
#define SNAP_MAX_SLOTS 8
#define SNAP_DIR_MAX 1024	/* longest directory path a request carries */

/* Section types.  A reader skips an unknown section marked optional. */
enum snap_section_type {
	SNAP_SEC_VM = 1,	  /* configuration, memory file, slots */
	SNAP_SEC_VCPU = 2,	  /* one per vCPU: lines + the arch's records */
	SNAP_SEC_ARCH_VM = 3,	  /* VM-wide arch state (x86: kvmclock) */
	SNAP_SEC_DEVICE = 4,	  /* a device attribute stream */
	SNAP_SEC_MACHINE_DEV = 5, /* a machine's own device (the UART) */
};
#define SNAP_SEC_F_OPTIONAL 0x1U

/*
 * Sections hold records: le32 tag, le32 length, value, padding to 8.
 * A reader skips an unknown record whose tag has SNAP_REC_OPTIONAL.
 */
#define SNAP_REC_OPTIONAL 0x80000000U
#define SNAP_REC_ARCH 0x100U	/* first tag an arch or machine defines */

enum snap_vm_tag {
	SNAP_VM_CONFIG = 1,	/* le32 nr_cpus, le32 flags, le64 mem_size */
	SNAP_VM_MACHINE = 2,	/* string */
	SNAP_VM_IRQCHIP = 3,	/* string, empty for none */
	SNAP_VM_NAME = 4,	/* string */
	SNAP_VM_MEMFILE = 5,	/* le64 size, then the file name */
	SNAP_VM_SLOT = 6,	/* le64 gpa, le64 size, le64 file offset */
	SNAP_VM_CONSOLE = 7 | SNAP_REC_OPTIONAL, /* le64 console bytes */
};
#define SNAP_VM_F_NAMED 0x1U	/* the VM was given --name */
#define SNAP_VM_F_PAUSED 0x2U	/* it was paused when the snapshot began */
#define SNAP_VM_F_PMU 0x4U	/* arm64 --pmu: a vCPU feature, set at creation */

enum snap_vcpu_tag {
	SNAP_VCPU_ID = 1,	/* le32 index */
	SNAP_VCPU_LINES = 2,	/* le32 level per enum cpu_line */
};

enum snap_device_tag {
	SNAP_DEV_TYPE = 1,	/* le32 KVM_DEV_TYPE_* */
	SNAP_DEV_NAME = 2,	/* string: the instance (struct device.name) */
	SNAP_DEV_STREAM = 3,	/* attribute stream (attr_stream.h) */
};

enum snap_machine_dev_tag {
	SNAP_MDEV_NAME = 1,	/* string; the machine's records follow */
};

/* ---- errors -------------------------------------------------------------- */

enum snap_err {
	SNAP_OK,
	SNAP_E_IO,		/* cannot read or write a file */
	SNAP_E_MAGIC,		/* not a kvmkit state file */
	SNAP_E_VERSION,		/* a format version newer than ours */
	SNAP_E_ARCH,		/* saved on another architecture */
	SNAP_E_CRC,		/* contents do not match the CRC */
	SNAP_E_TRUNCATED,	/* a section or record runs past its end */
	SNAP_E_OVERSIZED,	/* a file, section or record over its limit */
	SNAP_E_FORMAT,		/* malformed or missing contents */
	SNAP_E_MEMFILE,		/* memory file missing or of the wrong size */
	SNAP_E_CONFIG,		/* options that can't match the snapshot */
	SNAP_E_STATE,		/* KVM or a device refused a saved state */
	SNAP_E_UNSUPPORTED,	/* this VM can't be snapshotted */
	SNAP_E_VM,		/* the VM stopped, or is in no state to save */
};

struct snap_error {
	enum snap_err code;
	char msg[240];		/* one line, no trailing newline */
};

/* Record an error (the first one wins); returns -1. */
int snap_fail(struct snap_error *e, enum snap_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *snap_err_name(enum snap_err code);

uint32_t snap_crc32c(uint32_t crc, const void *buf, size_t len);

/* ---- writer -------------------------------------------------------------- */

struct snap_writer {
	uint8_t *buf;		/* section payloads */
	size_t len, cap;
	struct snap_sec_ent {
		uint32_t type, flags;
		uint64_t offset, size;	/* in buf */
	} *secs;
	uint32_t nr_secs, cap_secs;
	bool in_sec;
	size_t rec_start;	/* open record's header offset, or SIZE_MAX */
	int err;		/* sticky: -ENOMEM or -EINVAL (misuse) */
};

void snap_writer_init(struct snap_writer *w);
void snap_writer_free(struct snap_writer *w);
void snap_begin_section(struct snap_writer *w, uint32_t type, uint32_t flags);
void snap_end_section(struct snap_writer *w);
/* A whole record in one call. */
void snap_put_rec(struct snap_writer *w, uint32_t tag, const void *val,
		  size_t len);
void snap_put_rec_str(struct snap_writer *w, uint32_t tag, const char *s);
/* Or piecewise: begin, any number of puts, end. */
void snap_rec_begin(struct snap_writer *w, uint32_t tag);
void snap_put_le32(struct snap_writer *w, uint32_t v);
void snap_put_le64(struct snap_writer *w, uint64_t v);
void snap_put_bytes(struct snap_writer *w, const void *p, size_t len);
void snap_rec_end(struct snap_writer *w);
/*
 * Assemble the state file: header (@arch, kvmkit @version), section
 * table, sections, CRC.  *out is malloc'd.  Returns 0 or w->err.
 */
int snap_writer_finish(struct snap_writer *w, const char *arch,
		       const char *version, uint8_t **out, size_t *len);

/* ---- reader -------------------------------------------------------------- */

struct snap_section {
	uint32_t type, flags;
	const uint8_t *data;
	size_t len;
};

struct snap_file {
	uint32_t format;
	char arch[17];
	char version[49];
	struct snap_section *secs;
	uint32_t nr_secs;
};

/*
 * Check and index a state file held in @buf (which must outlive @f):
 * magic, format version (newer: rejected), header size, architecture
 * (@arch; NULL accepts any), total size, CRC, section table bounds and
 * per-type size limits, and each known section's record framing.
 * Unknown optional sections are dropped from the index.
 */
int snap_parse(const void *buf, size_t len, const char *arch,
	       struct snap_file *f, struct snap_error *e);
void snap_file_free(struct snap_file *f);
/* The @n-th section of @type (0-based), or NULL. */
const struct snap_section *snap_find_section(const struct snap_file *f,
					     uint32_t type, unsigned int n);
const char *snap_section_name(uint32_t type);

/* A bounded view of bytes: a section, or one record's value. */
struct snap_cursor {
	const uint8_t *p;
	size_t len, pos;
	bool bad;		/* a read ran past the end */
};

void snap_cursor_init(struct snap_cursor *c, const void *p, size_t len);
/* Next record: 1 (tag, value in *val), 0 at the end, -1 if malformed. */
int snap_next_rec(struct snap_cursor *c, uint32_t *tag,
		  struct snap_cursor *val);
uint32_t snap_get_le32(struct snap_cursor *c);
uint64_t snap_get_le64(struct snap_cursor *c);
void snap_get_bytes(struct snap_cursor *c, void *out, size_t len);
/* The rest of @c as a NUL-terminated string: -1 if too long or has NUL. */
int snap_get_str(struct snap_cursor *c, char *out, size_t size);
/* True when every byte was consumed and no read failed. */
bool snap_cursor_done(const struct snap_cursor *c);

/* ---- the VM section, and what restore may change --------------------------- */

struct snap_vm_info {
	int nr_cpus;
	uint32_t flags;		/* SNAP_VM_F_* */
	uint64_t mem_size;
	char machine[32];
	char irqchip[32];
	char name[80];
	char memfile[64];
	uint64_t memfile_size;
	struct snap_slot {
		uint64_t gpa, size, offset;
	} slots[SNAP_MAX_SLOTS];
	int nr_slots;
	uint64_t console_bytes;
};

int snap_vm_info_decode(const struct snap_file *f, struct snap_vm_info *info,
			struct snap_error *e);

/* Options given to `kvmkit restore` that must match the snapshot. */
struct snap_restore_opts {
	int nr_cpus;		/* 0: not given */
	uint64_t mem_size;	/* 0: not given */
	const char *machine;	/* NULL: not given */
	const char *irqchip;	/* NULL: not given */
};

int snap_check_options(const struct snap_vm_info *info,
		       const struct snap_restore_opts *opts,
		       struct snap_error *e);
/* The memory file @fd must be a regular file of the recorded size. */
int snap_check_memfile(const struct snap_vm_info *info, int fd,
		       struct snap_error *e);

/* ---- taking a snapshot (src/snapshot.c) ------------------------------------ */

/* What a machine's save hook reports besides its sections. */
struct snap_save {
	struct snap_writer *w;
	uint64_t console_bytes;	/* console bytes the guest has emitted */
};

struct snap_result {
	bool live;
	unsigned int rounds;	/* live: dirty-log rounds before the pause */
	uint64_t final_pages;	/* live: dirty pages copied while paused */
	double downtime_ms;	/* vCPUs paused (0 if it was paused already) */
	double total_ms;
	uint64_t console_bytes;
	uint64_t mem_bytes;	/* guest RAM */
	uint64_t written_bytes;	/* RAM bytes written (sparse, all rounds) */
};

/* kvmkit's version, for the state header (main sets it). */
extern const char *kvmkit_version;
/* The architecture name snapshots of this build record ("x86_64"). */
extern const char *const snap_host_arch;

/*
 * Snapshot @vm into @dir (created if missing).  Leaves the VM running
 * or paused as it found it.  Runs on the main thread.
 */
int vm_snapshot(struct vm *vm, const char *dir, bool live,
		struct snap_result *res, struct snap_error *e);

/* ---- restoring (src/restore.c) ---------------------------------------------- */

/* A parsed, checked snapshot on its way into a new VM. */
struct snap_image {
	char dir[4096];
	uint8_t *state;		/* the state file's bytes */
	size_t state_len;
	struct snap_file file;
	struct snap_vm_info info;
	int mem_fd;		/* the memory file, mapped MAP_PRIVATE */
	double t_start;		/* CLOCK_MONOTONIC seconds at `restore` */
};

/* Stages of run_vm for a restore, in this order. */
int snap_restore_vcpus(struct vm *vm, struct snap_image *img);
int snap_restore_devices(struct vm *vm, struct snap_image *img);
void snap_restore_done(struct vm *vm, struct snap_image *img);

/*
 * A machine's own devices outside the attribute ABI (the console UART,
 * test devices): one SNAP_SEC_MACHINE_DEV section each, a SNAP_MDEV_NAME
 * record and the device's record (src/snapshot_mdev.c).
 */
struct snap_mdev {
	const char *name;	/* "uart@0x3f8" */
	uint32_t tag;		/* its record */
	int (*restore)(struct vm *vm, struct snap_cursor *v,
		       struct snap_error *e);
};

/* Open a device's section: its name record is written. */
void snap_mdev_begin(struct snap_writer *w, const char *name);
/*
 * Restore every machine-device section of @f into the entry of @devs
 * (@n of them, at most 32) it names; sets bit i of *seen for devs[i].
 * An unknown or repeated device, or an unknown mandatory record, is an
 * error naming @machine.
 */
int snap_mdev_restore_all(struct vm *vm, const struct snap_file *f,
			  const char *machine, const struct snap_mdev *devs,
			  size_t n, unsigned int *seen, struct snap_error *e);

/* Commands. */
int cmd_snapshot(int argc, char **argv);
int cmd_restore(int argc, char **argv);

#endif
