// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a snapshot (docs/snapshot-format.md).
 *
 * Save order:
 *  1. refuse early what can't be saved (machine without hooks, a device
 *     without an attribute-stream save), before touching the directory;
 *  2. create DIR/memory-N (a new name: never overwrite a memory file, a
 *     VM restored from it may still map it) at the RAM's size;
 *  3. live: dirty logging on, copy all of RAM while the guest runs, then
 *     the pages dirtied meanwhile, round after round, until few remain;
 *  4. pause every vCPU (each finishes its pending I/O first);
 *  5. vCPU state, the machine's state, then every device's attribute
 *     stream (on arm64 that saves the GIC/ITS tables into guest RAM, so
 *     it comes before the last memory copy);
 *  6. the last memory copy: the dirty pages (live, into a memory buffer
 *     so that page-cache writeback can't stall it) or all of RAM;
 *  7. resume (unless the VM was paused already): downtime ends here;
 *     then write the buffered pages;
 *  8. write DIR/.state.tmp.PID, fsync it and the memory file, rename it
 *     to DIR/state (the commit), fsync DIR, remove older memory files.
 * Any failure before 8's rename removes what this snapshot created, so
 * the previous snapshot in DIR stays whole.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kvmkit/arch.h"
#include "kvmkit/attr_stream.h"
#include "kvmkit/log.h"
#include "kvmkit/snapshot.h"
#include "kvmkit/snapshot_mem.h"

/* Live rounds end when this few pages are dirty, or after MAX_ROUNDS. */
#define LIVE_DONE_PAGES 512
#define LIVE_MAX_ROUNDS 30
#define LIVE_STALL_ROUNDS 4	/* rounds without progress before giving up */

const char *kvmkit_version = "unknown";

#if defined(__x86_64__)
#define SNAP_ARCH "x86_64"
#elif defined(__aarch64__)
#define SNAP_ARCH "arm64"
#elif defined(__powerpc64__)
#define SNAP_ARCH "ppc64"
#elif defined(__s390x__)
#define SNAP_ARCH "s390x"
#else
#define SNAP_ARCH "unknown"
#endif

const char *const snap_host_arch = SNAP_ARCH;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* KVMKIT_SNAPSHOT_FAIL=memory|state: a failure for the tests to see. */
static bool injected(const char *stage)
{
	const char *v = getenv("KVMKIT_SNAPSHOT_FAIL");

	return v && !strcmp(v, stage);
}

/* What one snapshot has made so far, to undo on failure. */
struct snap_job {
	struct vm *vm;
	const char *dir;
	int dirfd;
	int memfd;
	char memname[64];
	char tmpname[64];
	bool paused_by_us;
	bool logging;
	struct snap_writer w;
	struct snap_mem mem;
};

static int check_supported(struct vm *vm, struct snap_error *e)
{
	const struct arch_machine *m = vm->machine;

	if (!m->save_vcpu || !m->save_machine)
		return snap_fail(e, SNAP_E_UNSUPPORTED,
				 "the %s machine can't be snapshotted", m->name);
	for (int i = 0; i < vm->nr_devices; i++) {
		struct device *dev = vm->devices[i];

		if (!attr_stream_ops_find(dev->type))
			return snap_fail(e, SNAP_E_UNSUPPORTED,
					 "device %s (%s) has no attribute-stream save yet, so this VM can't be snapshotted",
					 dev->name, device_type_name(dev->type));
	}
	return 0;
}

/* Highest N of the DIR/memory-N files, or 0. */
static unsigned long last_generation(int dirfd)
{
	size_t pre = strlen(SNAP_MEMFILE_PREFIX);
	unsigned long max = 0;
	int fd = dup(dirfd);
	struct dirent *de;
	DIR *d;

	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	rewinddir(d);	/* a dup shares the offset of an earlier walk */
	while ((de = readdir(d))) {
		char *end;
		unsigned long n;

		if (strncmp(de->d_name, SNAP_MEMFILE_PREFIX, pre))
			continue;
		n = strtoul(de->d_name + pre, &end, 10);
		if (!*end && n > max)
			max = n;
	}
	closedir(d);
	return max;
}

static int open_dir(struct snap_job *j, struct snap_error *e)
{
	if (mkdir(j->dir, 0700) < 0 && errno != EEXIST)
		return snap_fail(e, SNAP_E_IO, "cannot create %s: %s", j->dir,
				 strerror(errno));
	j->dirfd = open(j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (j->dirfd < 0)
		return snap_fail(e, SNAP_E_IO, "%s: %s", j->dir,
				 strerror(errno));
	return 0;
}

static int create_memfile(struct snap_job *j, struct snap_error *e)
{
	unsigned long gen = last_generation(j->dirfd);

	for (int tries = 0; tries < 100; tries++) {
		snprintf(j->memname, sizeof(j->memname), "%s%lu",
			 SNAP_MEMFILE_PREFIX, ++gen);
		j->memfd = openat(j->dirfd, j->memname,
				  O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (j->memfd >= 0 || errno != EEXIST)
			break;
	}
	if (j->memfd < 0) {
		j->memname[0] = '\0';
		return snap_fail(e, SNAP_E_IO, "%s: cannot create a memory file: %s",
				 j->dir, strerror(errno));
	}
	if (ftruncate(j->memfd, (off_t)j->vm->mem_size) < 0)
		return snap_fail(e, SNAP_E_IO, "%s/%s: %s", j->dir, j->memname,
				 strerror(errno));
	if (snap_mem_open(&j->mem, j->vm, j->memfd))
		return snap_fail(e, SNAP_E_IO, "out of memory");
	return 0;
}

static int mem_error(struct snap_job *j, int err, struct snap_error *e)
{
	return snap_fail(e, SNAP_E_IO, "writing %s/%s: %s", j->dir, j->memname,
			 strerror(-err));
}

static int pause_vm(struct snap_job *j, struct snap_error *e)
{
	int ret = vm_pause(j->vm);

	if (ret == -ESHUTDOWN)
		return snap_fail(e, SNAP_E_VM, "the VM is stopping");
	j->paused_by_us = ret == 0;
	return 0;
}

/* Step 3: copy RAM while the guest runs, until the dirty set is small. */
static int live_rounds(struct snap_job *j, struct snap_result *res,
		       struct snap_error *e)
{
	int64_t best = INT64_MAX, pages;
	int ret, stall = 0;

	ret = vm_set_dirty_log(j->vm, true);
	if (ret)
		return snap_fail(e, SNAP_E_STATE, "cannot start dirty logging: %s",
				 strerror(-ret));
	j->logging = true;
	ret = snap_mem_copy_all(&j->mem);
	if (ret)
		return mem_error(j, ret, e);
	while (res->rounds < LIVE_MAX_ROUNDS && stall < LIVE_STALL_ROUNDS) {
		if (__atomic_load_n(&j->vm->state, __ATOMIC_SEQ_CST) == VM_STOPPING)
			return snap_fail(e, SNAP_E_VM,
					 "the VM stopped during the snapshot");
		pages = snap_mem_copy_dirty(&j->mem);
		if (pages < 0)
			return mem_error(j, (int)pages, e);
		res->rounds++;
		pr_debug("snapshot: live round %u: %lld dirty pages", res->rounds,
			 (long long)pages);
		if (pages <= LIVE_DONE_PAGES)
			break;
		if (pages < best) {
			best = pages;
			stall = 0;
		} else {
			stall++;
		}
	}
	return 0;
}

static void save_vcpu(struct snap_job *j, struct vcpu *v, struct snap_error *e)
{
	struct snap_writer *w = &j->w;
	int ret;

	snap_begin_section(w, SNAP_SEC_VCPU, 0);
	snap_rec_begin(w, SNAP_VCPU_ID);
	snap_put_le32(w, (uint32_t)v->id);
	snap_rec_end(w);
	snap_rec_begin(w, SNAP_VCPU_LINES);
	for (int l = 0; l < CPU_LINE_NR; l++)
		snap_put_le32(w, (uint32_t)__atomic_load_n(&v->lines[l],
							   __ATOMIC_SEQ_CST));
	snap_rec_end(w);
	ret = j->vm->machine->save_vcpu(v, w);
	snap_end_section(w);
	if (ret)
		snap_fail(e, SNAP_E_STATE, "vCPU %d: cannot read its state: %s",
			  v->id, strerror(ret < 0 ? -ret : EIO));
}

static void save_devices(struct snap_job *j, struct snap_error *e)
{
	for (int i = 0; i < j->vm->nr_devices && e->code == SNAP_OK; i++) {
		struct device *dev = j->vm->devices[i];
		const struct attr_stream_ops *ops = attr_stream_ops_find(dev->type);
		struct attr_stream s;
		int ret;

		attr_stream_init(&s);
		ret = ops->save_stream(dev, &s);
		if (ret || s.err) {
			snap_fail(e, SNAP_E_STATE, "device %s: saving its state: %s",
				  dev->name, strerror(-(ret ?: s.err)));
		} else {
			snap_begin_section(&j->w, SNAP_SEC_DEVICE, 0);
			snap_rec_begin(&j->w, SNAP_DEV_TYPE);
			snap_put_le32(&j->w, dev->type);
			snap_rec_end(&j->w);
			snap_put_rec_str(&j->w, SNAP_DEV_NAME, dev->name);
			snap_put_rec(&j->w, SNAP_DEV_STREAM, s.buf, s.len);
			snap_end_section(&j->w);
		}
		attr_stream_free(&s);
	}
}

/* Step 5: everything but memory, into j->w. */
static int save_state(struct snap_job *j, struct snap_result *res,
		      bool was_paused, struct snap_error *e)
{
	struct vm *vm = j->vm;
	struct snap_writer *w = &j->w;
	struct snap_save ss = { .w = w };
	uint32_t flags = (vm->cfg.name ? SNAP_VM_F_NAMED : 0) |
			 (was_paused ? SNAP_VM_F_PAUSED : 0) |
			 (vm->cfg.pmu ? SNAP_VM_F_PMU : 0);

	for (int i = 0; i < vm->nr_vcpus && e->code == SNAP_OK; i++)
		save_vcpu(j, &vm->vcpus[i], e);
	if (e->code == SNAP_OK && vm->machine->save_machine(vm, &ss))
		snap_fail(e, SNAP_E_STATE, "cannot save the %s machine's state",
			  vm->machine->name);
	save_devices(j, e);
	if (e->code != SNAP_OK)
		return -1;
	res->console_bytes = ss.console_bytes;

	/* The VM section goes last in the file; readers find it by type. */
	snap_begin_section(w, SNAP_SEC_VM, 0);
	snap_rec_begin(w, SNAP_VM_CONFIG);
	snap_put_le32(w, (uint32_t)vm->nr_vcpus);
	snap_put_le32(w, flags);
	snap_put_le64(w, vm->mem_size);
	snap_rec_end(w);
	snap_put_rec_str(w, SNAP_VM_MACHINE, vm->machine->name);
	snap_put_rec_str(w, SNAP_VM_IRQCHIP,
			 vm->cfg.irqchip && strcmp(vm->cfg.irqchip, "none") ?
				 vm->cfg.irqchip : "");
	snap_put_rec_str(w, SNAP_VM_NAME, vm->name);
	snap_rec_begin(w, SNAP_VM_MEMFILE);
	snap_put_le64(w, vm->mem_size);
	snap_put_bytes(w, j->memname, strlen(j->memname));
	snap_rec_end(w);
	for (int i = 0; i < vm->nr_slots; i++) {
		snap_rec_begin(w, SNAP_VM_SLOT);
		snap_put_le64(w, vm->slots[i].gpa);
		snap_put_le64(w, vm->slots[i].size);
		snap_put_le64(w, vm->slots[i].file_offset);
		snap_rec_end(w);
	}
	snap_rec_begin(w, SNAP_VM_CONSOLE);
	snap_put_le64(w, ss.console_bytes);
	snap_rec_end(w);
	snap_end_section(w);
	if (w->err)
		return snap_fail(e, SNAP_E_STATE, "building the state file: %s",
				 strerror(-w->err));
	return 0;
}

static int write_file(int dirfd, const char *name, const uint8_t *buf,
		      size_t len)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			0600);
	int err = 0;

	if (fd < 0)
		return -errno;
	while (len && !err) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? -errno : -EIO;
		else
			buf += n, len -= (size_t)n;
	}
	if (!err && fsync(fd) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Step 8: the state file, then the commit. */
static int commit(struct snap_job *j, struct snap_error *e)
{
	uint8_t *state;
	size_t len;
	int ret;

	ret = snap_writer_finish(&j->w, snap_host_arch, kvmkit_version, &state,
				 &len);
	if (ret)
		return snap_fail(e, SNAP_E_STATE, "building the state file: %s",
				 strerror(-ret));
	snprintf(j->tmpname, sizeof(j->tmpname), ".state.tmp.%d", (int)getpid());
	unlinkat(j->dirfd, j->tmpname, 0);	/* our own, from a crash */
	ret = write_file(j->dirfd, j->tmpname, state, len);
	free(state);
	if (ret)
		return snap_fail(e, SNAP_E_IO, "writing %s/%s: %s", j->dir,
				 j->tmpname, strerror(-ret));
	if (fsync(j->memfd) < 0)
		return snap_fail(e, SNAP_E_IO, "flushing %s/%s: %s", j->dir,
				 j->memname, strerror(errno));
	if (injected("state"))
		return snap_fail(e, SNAP_E_IO, "injected failure before the commit");
	if (renameat(j->dirfd, j->tmpname, j->dirfd, SNAP_STATE_FILE) < 0)
		return snap_fail(e, SNAP_E_IO, "committing %s/%s: %s", j->dir,
				 SNAP_STATE_FILE, strerror(errno));
	j->tmpname[0] = '\0';
	if (fsync(j->dirfd) < 0)
		pr_warn("snapshot: fsync of %s: %s", j->dir, strerror(errno));
	return 0;
}

/* After the commit: the memory files older snapshots here used. */
static void remove_old_memfiles(struct snap_job *j)
{
	size_t pre = strlen(SNAP_MEMFILE_PREFIX);
	int fd = dup(j->dirfd);
	struct dirent *de;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		const char *n = de->d_name + pre;

		if (strncmp(de->d_name, SNAP_MEMFILE_PREFIX, pre) ||
		    !strcmp(de->d_name, j->memname) || !*n ||
		    strspn(n, "0123456789") != strlen(n))
			continue;
		/* A VM restored from it keeps its mapping: unlink is safe. */
		unlinkat(j->dirfd, de->d_name, 0);
	}
	closedir(d);
}

static void undo(struct snap_job *j)
{
	if (j->tmpname[0])
		unlinkat(j->dirfd, j->tmpname, 0);
	if (j->memname[0])
		unlinkat(j->dirfd, j->memname, 0);
}

static int take(struct snap_job *j, bool live, struct snap_result *res,
		struct snap_error *e)
{
	struct vm *vm = j->vm;
	double t_pause, t_state, t_mem;
	bool was_paused;
	int ret;

	if (open_dir(j, e) || create_memfile(j, e))
		return -1;
	was_paused = __atomic_load_n(&vm->state, __ATOMIC_SEQ_CST) == VM_PAUSED;
	if (live && !was_paused && live_rounds(j, res, e))
		return -1;
	t_pause = now();
	if (pause_vm(j, e))
		return -1;
	t_state = now();
	was_paused = !j->paused_by_us;
	if (save_state(j, res, was_paused, e))
		return -1;
	t_mem = now();
	if (j->logging) {
		int64_t pages;

		/* To memory: disk writeback must not lengthen the pause. */
		j->mem.stashing = true;
		pages = snap_mem_copy_dirty(&j->mem);
		if (pages < 0)
			return mem_error(j, (int)pages, e);
		res->final_pages = (uint64_t)pages;
	} else {
		ret = snap_mem_copy_all(&j->mem);
		if (ret)
			return mem_error(j, ret, e);
	}
	if (j->paused_by_us) {
		vm_resume(vm);
		j->paused_by_us = false;
		res->downtime_ms = (now() - t_pause) * 1e3;
		pr_debug("snapshot: paused in %.3f ms, state %.3f ms, memory %.3f ms",
			 (t_state - t_pause) * 1e3, (t_mem - t_state) * 1e3,
			 res->downtime_ms - (t_mem - t_pause) * 1e3);
	}
	ret = snap_mem_flush(&j->mem);
	if (ret)
		return mem_error(j, ret, e);
	if (injected("memory"))
		return snap_fail(e, SNAP_E_IO, "injected failure after the memory copy");
	return commit(j, e);
}

int vm_snapshot(struct vm *vm, const char *dir, bool live,
		struct snap_result *res, struct snap_error *e)
{
	struct snap_job j = { .vm = vm, .dir = dir, .dirfd = -1, .memfd = -1,
			      .mem = { .pagemap_fd = -1 } };
	double t0 = now();
	int ret;

	memset(res, 0, sizeof(*res));
	res->live = live;
	res->mem_bytes = vm->mem_size;
	if (check_supported(vm, e))
		return -1;
	if (__atomic_load_n(&vm->state, __ATOMIC_SEQ_CST) == VM_STOPPING)
		return snap_fail(e, SNAP_E_VM, "the VM is stopping");
	snap_writer_init(&j.w);
	ret = take(&j, live, res, e);
	if (j.paused_by_us)
		vm_resume(vm);
	if (j.logging)
		vm_set_dirty_log(vm, false);
	if (ret)
		undo(&j);
	else
		remove_old_memfiles(&j);
	snap_mem_close(&j.mem);
	snap_writer_free(&j.w);
	if (j.memfd >= 0)
		close(j.memfd);
	if (j.dirfd >= 0)
		close(j.dirfd);
	res->written_bytes = j.mem.written;
	res->total_ms = (now() - t0) * 1e3;
	if (ret)
		return ret;
	pr_info("snapshot of '%s' in %s: %s, %u round(s), downtime %.2f ms, total %.1f ms, %llu of %llu RAM bytes written, console at byte %llu",
		vm->name, dir, live ? "live" : "paused", res->rounds,
		res->downtime_ms, res->total_ms,
		(unsigned long long)res->written_bytes,
		(unsigned long long)res->mem_bytes,
		(unsigned long long)res->console_bytes);
	return 0;
}
