// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot's VM section (configuration, memory file, memory slots),
 * and the checks a restore makes before it creates anything: the
 * options given to `kvmkit restore` and the memory file's size.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "kvmkit/config.h"
#include "kvmkit/snapshot.h"

/* A memory file name the snapshot writer makes: "memory-<digits>". */
static bool memfile_name_ok(const char *name)
{
	size_t pre = strlen(SNAP_MEMFILE_PREFIX);
	const char *d = name + pre;

	if (strncmp(name, SNAP_MEMFILE_PREFIX, pre) || !*d)
		return false;
	for (; *d; d++)
		if (*d < '0' || *d > '9')
			return false;
	return true;
}

static int decode_rec(struct snap_vm_info *info, uint32_t tag,
		      struct snap_cursor *v, struct snap_error *e)
{
	struct snap_slot *s;
	int ret = 0;

	switch (tag) {
	case SNAP_VM_CONFIG:
		info->nr_cpus = (int)snap_get_le32(v);
		info->flags = snap_get_le32(v);
		info->mem_size = snap_get_le64(v);
		break;
	case SNAP_VM_MACHINE:
		ret = snap_get_str(v, info->machine, sizeof(info->machine));
		break;
	case SNAP_VM_IRQCHIP:
		ret = snap_get_str(v, info->irqchip, sizeof(info->irqchip));
		break;
	case SNAP_VM_NAME:
		ret = snap_get_str(v, info->name, sizeof(info->name));
		break;
	case SNAP_VM_MEMFILE:
		info->memfile_size = snap_get_le64(v);
		ret = snap_get_str(v, info->memfile, sizeof(info->memfile));
		break;
	case SNAP_VM_SLOT:
		if (info->nr_slots >= SNAP_MAX_SLOTS)
			return snap_fail(e, SNAP_E_OVERSIZED,
					 "more than %d memory slots",
					 SNAP_MAX_SLOTS);
		s = &info->slots[info->nr_slots++];
		s->gpa = snap_get_le64(v);
		s->size = snap_get_le64(v);
		s->offset = snap_get_le64(v);
		break;
	case SNAP_VM_CONSOLE:
		info->console_bytes = snap_get_le64(v);
		break;
	default:
		if (tag & SNAP_REC_OPTIONAL)
			return 0;
		return snap_fail(e, SNAP_E_FORMAT,
				 "vm section: unknown record %u", tag);
	}
	if (ret || !snap_cursor_done(v))
		return snap_fail(e, SNAP_E_FORMAT,
				 "vm section: record %u is malformed (%zu bytes)",
				 tag & ~SNAP_REC_OPTIONAL, v->len);
	return 0;
}

static int check_info(const struct snap_vm_info *info, struct snap_error *e)
{
	uint64_t total = 0;

	if (info->nr_cpus < 1 || info->nr_cpus > KVMKIT_MAX_CPUS)
		return snap_fail(e, SNAP_E_FORMAT,
				 "vm section: %d vCPUs (1 to %d allowed)",
				 info->nr_cpus, KVMKIT_MAX_CPUS);
	if (!info->machine[0] || !info->memfile[0] || !info->nr_slots)
		return snap_fail(e, SNAP_E_FORMAT,
				 "vm section: machine, memory file or memory slots missing");
	if (!memfile_name_ok(info->memfile))
		return snap_fail(e, SNAP_E_FORMAT,
				 "vm section: bad memory file name '%s'",
				 info->memfile);
	for (int i = 0; i < info->nr_slots; i++) {
		const struct snap_slot *s = &info->slots[i];

		if (!s->size || s->offset > info->memfile_size ||
		    s->size > info->memfile_size - s->offset ||
		    s->gpa + s->size < s->gpa)
			return snap_fail(e, SNAP_E_FORMAT,
					 "vm section: memory slot %d (%llu bytes at file offset %llu) lies outside the %llu-byte memory file",
					 i, (unsigned long long)s->size,
					 (unsigned long long)s->offset,
					 (unsigned long long)info->memfile_size);
		total += s->size;
	}
	if (total != info->mem_size || info->memfile_size != info->mem_size)
		return snap_fail(e, SNAP_E_FORMAT,
				 "vm section: slots hold %llu bytes, RAM is %llu, memory file %llu",
				 (unsigned long long)total,
				 (unsigned long long)info->mem_size,
				 (unsigned long long)info->memfile_size);
	return 0;
}

int snap_vm_info_decode(const struct snap_file *f, struct snap_vm_info *info,
			struct snap_error *e)
{
	const struct snap_section *sec = snap_find_section(f, SNAP_SEC_VM, 0);
	struct snap_cursor c, v;
	uint32_t tag;
	int ret;

	memset(info, 0, sizeof(*info));
	if (!sec)
		return snap_fail(e, SNAP_E_FORMAT, "no vm section");
	if (snap_find_section(f, SNAP_SEC_VM, 1))
		return snap_fail(e, SNAP_E_FORMAT, "more than one vm section");
	snap_cursor_init(&c, sec->data, sec->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0)
		if (decode_rec(info, tag, &v, e))
			return -1;
	if (ret < 0)
		return snap_fail(e, SNAP_E_TRUNCATED, "vm section: truncated record");
	return check_info(info, e);
}

static void size_str(uint64_t n, char *buf, size_t len)
{
	if (n && !(n & ((1ULL << 30) - 1)))
		snprintf(buf, len, "%lluG", (unsigned long long)(n >> 30));
	else if (n && !(n & ((1ULL << 20) - 1)))
		snprintf(buf, len, "%lluM", (unsigned long long)(n >> 20));
	else
		snprintf(buf, len, "%lluB", (unsigned long long)n);
}

int snap_check_options(const struct snap_vm_info *info,
		       const struct snap_restore_opts *o, struct snap_error *e)
{
	const char *chip = o->irqchip && strcmp(o->irqchip, "none") ?
				   o->irqchip : "";
	char have[32], want[32];

	if (o->nr_cpus && o->nr_cpus != info->nr_cpus)
		return snap_fail(e, SNAP_E_CONFIG,
				 "the snapshot has %d vCPU(s); --cpus %d %s",
				 info->nr_cpus, o->nr_cpus,
				 o->nr_cpus < info->nr_cpus ?
					 "is too few to restore it" :
					 "does not match it (vCPUs can't be added on restore)");
	if (o->mem_size && o->mem_size != info->mem_size) {
		size_str(info->mem_size, have, sizeof(have));
		size_str(o->mem_size, want, sizeof(want));
		return snap_fail(e, SNAP_E_CONFIG,
				 "the snapshot has %s of RAM; --mem %s %s", have,
				 want,
				 o->mem_size < info->mem_size ?
					 "can't hold it" :
					 "does not match it (RAM can't grow on restore)");
	}
	if (o->machine && strcmp(o->machine, info->machine))
		return snap_fail(e, SNAP_E_CONFIG,
				 "the snapshot is of machine '%s', not '%s'",
				 info->machine, o->machine);
	if (o->irqchip && strcmp(chip, info->irqchip))
		return snap_fail(e, SNAP_E_CONFIG,
				 "the snapshot's interrupt controller is '%s', not '%s'",
				 info->irqchip[0] ? info->irqchip : "none",
				 o->irqchip);
	return 0;
}

int snap_check_memfile(const struct snap_vm_info *info, int fd,
		       struct snap_error *e)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return snap_fail(e, SNAP_E_MEMFILE, "memory file %s: %s",
				 info->memfile, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return snap_fail(e, SNAP_E_MEMFILE,
				 "memory file %s is not a regular file",
				 info->memfile);
	if ((uint64_t)st.st_size != info->memfile_size)
		return snap_fail(e, SNAP_E_MEMFILE,
				 "memory file %s is %llu bytes; the snapshot needs %llu",
				 info->memfile, (unsigned long long)st.st_size,
				 (unsigned long long)info->memfile_size);
	return 0;
}
