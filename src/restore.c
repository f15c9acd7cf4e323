// SPDX-License-Identifier: GPL-2.0
/*
 * `kvmkit restore [options] DIR`: a snapshot back into a new VM, through
 * the same stages as `kvmkit run` (run_vm).
 *
 * Everything is checked before a VM exists: the state file whole (magic,
 * version, architecture, CRC, sections), the options against the
 * snapshot, the memory file's size.  Then guest RAM is the memory file
 * mapped MAP_PRIVATE, so nothing is read up front and restore-to-running
 * does not grow with the RAM: pages load on first touch, and guest
 * writes stay in this process.
 *
 * Restore order: RAM (vm_add_ram), vCPUs created, their state (the
 * arch's order), the machine's finalize (irqchip init), every device's
 * attribute stream in the saved order, the machine's own state (clock,
 * UART), then the vCPU threads start.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kvmkit/arch.h"
#include "kvmkit/attr_stream.h"
#include "kvmkit/log.h"
#include "kvmkit/run.h"
#include "kvmkit/snapshot.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int restore_error(struct vm *vm, const struct snap_error *e)
{
	pr_err("restore: %s", e->msg);
	return -1;
}

static int check_slots(struct vm *vm, const struct snap_vm_info *info,
		       struct snap_error *e)
{
	bool same = vm->nr_slots == info->nr_slots;

	for (int i = 0; same && i < vm->nr_slots; i++)
		same = vm->slots[i].gpa == info->slots[i].gpa &&
		       vm->slots[i].size == info->slots[i].size &&
		       vm->slots[i].file_offset == info->slots[i].offset;
	if (!same)
		return snap_fail(e, SNAP_E_CONFIG,
				 "the %s machine laid out RAM differently from the snapshot (%d slots, %d saved)",
				 vm->machine->name, vm->nr_slots, info->nr_slots);
	return 0;
}

/* The vCPU section's index, or -1. */
static int vcpu_section_id(const struct snap_section *sec)
{
	struct snap_cursor c, v;
	uint32_t tag;

	snap_cursor_init(&c, sec->data, sec->len);
	while (snap_next_rec(&c, &tag, &v) > 0)
		if (tag == SNAP_VCPU_ID && v.len == 4)
			return (int)snap_get_le32(&v);
	return -1;
}

static int restore_lines(struct vcpu *vcpu, const struct snap_section *sec,
			 struct snap_error *e)
{
	struct snap_cursor c, v;
	uint32_t tag;

	snap_cursor_init(&c, sec->data, sec->len);
	while (snap_next_rec(&c, &tag, &v) > 0) {
		if (tag != SNAP_VCPU_LINES)
			continue;
		if (v.len > CPU_LINE_NR * 4 || v.len % 4)
			return snap_fail(e, SNAP_E_FORMAT,
					 "vCPU %d: %zu bytes of interrupt lines",
					 vcpu->id, v.len);
		/* Not yet running: no kick needed, pre_run delivers them. */
		for (size_t l = 0; l < v.len / 4; l++)
			vcpu->lines[l] = snap_get_le32(&v) != 0;
	}
	return 0;
}

int snap_restore_vcpus(struct vm *vm, struct snap_image *img)
{
	const struct arch_machine *m = vm->machine;
	const struct snap_section *by_id[KVMKIT_MAX_CPUS] = { NULL };
	const struct snap_section *sec;
	struct snap_error e = { 0 };

	if (!m->restore_vcpu || !m->restore_machine) {
		snap_fail(&e, SNAP_E_UNSUPPORTED,
			  "the %s machine can't be restored", m->name);
		return restore_error(vm, &e);
	}
	if (check_slots(vm, &img->info, &e))
		return restore_error(vm, &e);
	for (unsigned int i = 0; (sec = snap_find_section(&img->file,
							  SNAP_SEC_VCPU, i)); i++) {
		int id = vcpu_section_id(sec);

		if (id < 0 || id >= vm->nr_vcpus || by_id[id]) {
			snap_fail(&e, SNAP_E_FORMAT,
				  "vCPU section %u has a missing, repeated or out-of-range index (%d)",
				  i, id);
			return restore_error(vm, &e);
		}
		by_id[id] = sec;
	}
	for (int i = 0; i < vm->nr_vcpus; i++) {
		if (!by_id[i]) {
			snap_fail(&e, SNAP_E_FORMAT, "no state for vCPU %d", i);
			return restore_error(vm, &e);
		}
		if (restore_lines(&vm->vcpus[i], by_id[i], &e) ||
		    m->restore_vcpu(&vm->vcpus[i], by_id[i], &e))
			return restore_error(vm, &e);
	}
	return 0;
}

struct saved_device {
	uint32_t type;
	char name[32];
	struct snap_cursor stream;
};

static int decode_device(const struct snap_section *sec,
			 struct saved_device *d, struct snap_error *e)
{
	struct snap_cursor c, v;
	bool have_stream = false;
	uint32_t tag;

	memset(d, 0, sizeof(*d));
	snap_cursor_init(&c, sec->data, sec->len);
	while (snap_next_rec(&c, &tag, &v) > 0) {
		if (tag == SNAP_DEV_TYPE) {
			d->type = snap_get_le32(&v);
		} else if (tag == SNAP_DEV_NAME) {
			snap_get_str(&v, d->name, sizeof(d->name));
		} else if (tag == SNAP_DEV_STREAM) {
			d->stream = v;
			have_stream = true;
			continue;
		} else if (!(tag & SNAP_REC_OPTIONAL)) {
			return snap_fail(e, SNAP_E_FORMAT,
					 "device section: unknown record %u", tag);
		}
		if (!snap_cursor_done(&v))
			return snap_fail(e, SNAP_E_FORMAT,
					 "device section: record %u malformed", tag);
	}
	if (!d->type || !d->name[0] || !have_stream)
		return snap_fail(e, SNAP_E_FORMAT,
				 "device section without type, name or stream");
	if (attr_stream_validate(d->stream.p, d->stream.len) < 0)
		return snap_fail(e, SNAP_E_FORMAT,
				 "device %s: malformed attribute stream", d->name);
	return 0;
}

static int restore_device(struct vm *vm, const struct saved_device *d,
			  struct snap_error *e)
{
	const struct attr_stream_ops *ops;
	struct device *dev = NULL;
	struct attr_stream s;
	struct attr_rec bad = { 0 };
	int ret;

	for (int i = 0; i < vm->nr_devices && !dev; i++)
		if (vm->devices[i]->type == d->type &&
		    !strcmp(vm->devices[i]->name, d->name))
			dev = vm->devices[i];
	if (!dev)
		return snap_fail(e, SNAP_E_CONFIG,
				 "the snapshot has device %s (%s), which this VM lacks",
				 d->name, device_type_name(d->type));
	ops = attr_stream_ops_find(d->type);
	attr_stream_open(&s, d->stream.p, d->stream.len);
	if (ops && ops->restore_stream) {
		/* Its own order and checks: no single record to name. */
		ret = ops->restore_stream(dev, &s);
		if (ret)
			return snap_fail(e, SNAP_E_STATE,
					 "device %s refused its saved state: %s",
					 d->name, strerror(-ret));
		return 0;
	}
	ret = attr_stream_replay(&s, dev, &bad);
	if (ret)
		return snap_fail(e, SNAP_E_STATE,
				 "device %s refused its saved state (record %u: group %u attr 0x%llx): %s",
				 d->name, s.count, bad.group,
				 (unsigned long long)bad.attr, strerror(-ret));
	return 0;
}

int snap_restore_devices(struct vm *vm, struct snap_image *img)
{
	const struct snap_section *sec;
	struct snap_error e = { 0 };
	unsigned int n = 0;

	for (; (sec = snap_find_section(&img->file, SNAP_SEC_DEVICE, n)); n++) {
		struct saved_device d;

		if (decode_device(sec, &d, &e) || restore_device(vm, &d, &e))
			return restore_error(vm, &e);
	}
	if (n != (unsigned int)vm->nr_devices) {
		snap_fail(&e, SNAP_E_CONFIG,
			  "this VM has %d device(s), the snapshot saved %u",
			  vm->nr_devices, n);
		return restore_error(vm, &e);
	}
	if (vm->machine->restore_machine(vm, &img->file, &e))
		return restore_error(vm, &e);
	return 0;
}

void snap_restore_done(struct vm *vm, struct snap_image *img)
{
	pr_info("restored '%s' from %s: running after %.2f ms", vm->name,
		img->dir, (now() - img->t_start) * 1e3);
}

/* ---- the command ------------------------------------------------------------ */

enum {
	OPT_NAME = 0x100, OPT_CONSOLE, OPT_PAUSED, OPT_MACHINE, OPT_IRQCHIP,
	OPT_BACKEND, OPT_LOGLEVEL, OPT_DEBUG,
};

static const struct option restore_options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "paused", no_argument, NULL, OPT_PAUSED },
	{ "cpus", required_argument, NULL, 'c' },
	{ "mem", required_argument, NULL, 'm' },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "irqchip", required_argument, NULL, OPT_IRQCHIP },
	{ "irqchip-backend", required_argument, NULL, OPT_BACKEND },
	{ "loglevel", required_argument, NULL, OPT_LOGLEVEL },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static void usage(void)
{
	puts("usage: kvmkit restore [options] DIR\n"
	     "\n"
	     "Restore the snapshot in DIR (kvmkit snapshot) into a new VM.\n"
	     "\n"
	     "      --name NAME          VM name (default: the saved --name, else guest-<pid>)\n"
	     "      --console serial     console device (serial)\n"
	     "      --paused             restore with all vCPUs paused\n"
	     "      --irqchip-backend B  auto (default), kernel, soft\n"
	     "      --loglevel LEVEL     error, warning (default), info, debug\n"
	     "      --debug              log every exit and set-up step\n"
	     "  -c, --cpus N, -m, --mem SIZE, --machine NAME, --irqchip CHIP\n"
	     "                           must match the snapshot if given\n"
	     "  -h, --help               this text");
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "kvmkit restore: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int parse(int argc, char **argv, struct vm_config *cfg,
		 struct snap_restore_opts *o, const char **dir)
{
	int opt, level;
	long n;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:c:m:h", restore_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage();
			return -1;
		case OPT_NAME:
			if (!*optarg || strlen(optarg) > 64 ||
			    strpbrk(optarg, "/ \t\n"))
				return bad("--name wants up to 64 characters without '/' or blanks, not '%s'",
					   optarg);
			cfg->name = optarg;
			break;
		case OPT_CONSOLE:
			if (strcmp(optarg, "serial"))
				return bad("--console supports only serial, not '%s'",
					   optarg);
			cfg->console = optarg;
			break;
		case OPT_PAUSED:
			cfg->paused = true;
			break;
		case 'c':
			if (parse_int(optarg, 1, KVMKIT_MAX_CPUS, &n))
				return bad("--cpus wants a number from 1 to 32, not '%s'",
					   optarg);
			o->nr_cpus = (int)n;
			break;
		case 'm':
			if (parse_size(optarg, &o->mem_size) || !o->mem_size)
				return bad("--mem wants a size such as 256, 256M or 1G, not '%s'",
					   optarg);
			break;
		case OPT_MACHINE:
			o->machine = optarg;
			break;
		case OPT_IRQCHIP:
			o->irqchip = optarg;
			break;
		case OPT_BACKEND:
			if (!strcmp(optarg, "auto"))
				cfg->irqchip_backend = BACKEND_AUTO;
			else if (!strcmp(optarg, "kernel"))
				cfg->irqchip_backend = BACKEND_KERNEL;
			else if (!strcmp(optarg, "soft"))
				cfg->irqchip_backend = BACKEND_SOFT;
			else
				return bad("--irqchip-backend wants auto, kernel or soft, not '%s'",
					   optarg);
			break;
		case OPT_LOGLEVEL:
			level = log_parse_level(optarg);
			if (level < 0)
				return bad("--loglevel wants error, warning, info or debug, not '%s'",
					   optarg);
			log_level = level;
			break;
		case OPT_DEBUG:
			cfg->debug = true;
			log_level = LOG_DEBUG;
			break;
		case ':':
			return bad("option '%s' needs a value", argv[optind - 1]);
		default:
			return bad("unknown or misplaced option '%s' (see kvmkit restore --help)",
				   argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return bad("%s", optind >= argc ?
			   "give the snapshot directory (kvmkit restore [options] DIR)" :
			   "give exactly one snapshot directory");
	*dir = argv[optind];
	return 0;
}

/* Read DIR/state whole, within the size limit. */
static int read_state(struct snap_image *img, struct snap_error *e)
{
	char path[4200];
	struct stat st;
	size_t got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", img->dir, SNAP_STATE_FILE);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snap_fail(e, SNAP_E_IO, "cannot read %s: %s", path,
			  strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > SNAP_MAX_STATE) {
		snap_fail(e, S_ISREG(st.st_mode) ? SNAP_E_OVERSIZED : SNAP_E_IO,
			  "%s is not a regular file of at most %u bytes", path,
			  SNAP_MAX_STATE);
		goto fail;
	}
	img->state = malloc((size_t)st.st_size + 1);
	if (!img->state) {
		snap_fail(e, SNAP_E_IO, "out of memory");
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, img->state + got, (size_t)st.st_size - got);

		if (n <= 0) {
			snap_fail(e, SNAP_E_IO, "reading %s: %s", path,
				  n ? strerror(errno) : "file shrank");
			goto fail;
		}
		got += (size_t)n;
	}
	img->state_len = got;
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Everything a restore checks before it creates a VM. */
static int load_image(struct snap_image *img,
		      const struct snap_restore_opts *opts,
		      struct snap_error *e)
{
	if (read_state(img, e) ||
	    snap_parse(img->state, img->state_len, snap_host_arch, &img->file,
		       e) ||
	    snap_vm_info_decode(&img->file, &img->info, e) ||
	    snap_check_options(&img->info, opts, e))
		return -1;
	img->mem_fd = open(img->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (img->mem_fd >= 0) {
		int dirfd = img->mem_fd;

		img->mem_fd = openat(dirfd, img->info.memfile,
				     O_RDONLY | O_CLOEXEC);
		close(dirfd);
	}
	if (img->mem_fd < 0)
		return snap_fail(e, SNAP_E_MEMFILE, "memory file %s/%s: %s",
				 img->dir, img->info.memfile, strerror(errno));
	return snap_check_memfile(&img->info, img->mem_fd, e);
}

int cmd_restore(int argc, char **argv)
{
	struct vm_config cfg = { .console = "serial",
				 .irqchip_backend = BACKEND_AUTO };
	struct snap_restore_opts opts = { 0 };
	struct snap_error e = { 0 };
	struct snap_image *img;
	const char *dir;
	int ret;

	ret = parse(argc, argv, &cfg, &opts, &dir);
	if (ret)
		return ret < 0 ? 0 : ret;
	img = calloc(1, sizeof(*img));
	if (!img)
		return EXIT_SETUP_ERROR;
	img->t_start = now();
	img->mem_fd = -1;
	snprintf(img->dir, sizeof(img->dir), "%s", dir);
	if (load_image(img, &opts, &e)) {
		fprintf(stderr, "kvmkit restore: %s: %s\n", dir, e.msg);
		ret = EXIT_SETUP_ERROR;
		goto out;
	}
	cfg.nr_cpus = img->info.nr_cpus;
	cfg.mem_size = img->info.mem_size;
	cfg.machine = img->info.machine;
	cfg.irqchip = img->info.irqchip[0] ? img->info.irqchip : NULL;
	cfg.pmu = img->info.flags & SNAP_VM_F_PMU;
	if (!cfg.name && (img->info.flags & SNAP_VM_F_NAMED))
		cfg.name = img->info.name;
	ret = run_vm(&cfg, img);
out:
	if (img->mem_fd >= 0)
		close(img->mem_fd);
	snap_file_free(&img->file);
	free(img->state);
	free(img);
	return ret;
}
