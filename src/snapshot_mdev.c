// SPDX-License-Identifier: GPL-2.0
/*
 * Machine-device sections of a snapshot: the devices a machine keeps
 * outside the attribute ABI, found by name on restore
 * (docs/snapshot-format.md, machine-device sections).
 */
#include <string.h>

#include "kvmkit/snapshot.h"

void snap_mdev_begin(struct snap_writer *w, const char *name)
{
	snap_begin_section(w, SNAP_SEC_MACHINE_DEV, 0);
	snap_put_rec_str(w, SNAP_MDEV_NAME, name);
}

static int restore_one(struct vm *vm, const struct snap_section *sec,
		       const char *machine, const struct snap_mdev *devs,
		       size_t n, unsigned int *seen, struct snap_error *e)
{
	struct snap_cursor c, v;
	char name[32] = "";
	int dev = -1, ret;
	uint32_t tag;

	snap_cursor_init(&c, sec->data, sec->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0) {
		if (tag == SNAP_MDEV_NAME && dev < 0) {
			if (snap_get_str(&v, name, sizeof(name)))
				name[0] = '\0';
			for (size_t i = 0; i < n; i++)
				if (!strcmp(name, devs[i].name))
					dev = (int)i;
			if (dev < 0 || *seen & 1U << dev)
				return snap_fail(e, SNAP_E_FORMAT,
						 "the %s machine has no device '%s', or it is saved twice",
						 machine, name);
			*seen |= 1U << dev;
		} else if (dev >= 0 && tag == devs[dev].tag) {
			if (devs[dev].restore(vm, &v, e))
				return -1;
		} else if (!(tag & SNAP_REC_OPTIONAL)) {
			return snap_fail(e, SNAP_E_FORMAT,
					 "machine device '%s': unknown record 0x%x",
					 name, tag);
		}
	}
	if (ret < 0)
		return snap_fail(e, SNAP_E_TRUNCATED,
				 "machine device '%s': truncated record", name);
	return 0;
}

int snap_mdev_restore_all(struct vm *vm, const struct snap_file *f,
			  const char *machine, const struct snap_mdev *devs,
			  size_t n, unsigned int *seen, struct snap_error *e)
{
	const struct snap_section *sec;

	*seen = 0;
	for (unsigned int i = 0;
	     (sec = snap_find_section(f, SNAP_SEC_MACHINE_DEV, i)); i++)
		if (restore_one(vm, sec, machine, devs, n, seen, e))
			return -1;
	return 0;
}
