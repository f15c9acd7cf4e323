/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel's vGIC and kvmkit's models that are
 * kept on purpose.  Each has a name, explained in docs/conformance.md
 * under that name, and matches exactly the operations it names (area
 * and operation, fnmatch patterns): the comparison skips nothing else.
 */
#ifndef CONF_KNOWN_H
#define CONF_KNOWN_H

#include <stddef.h>

#include "conf.h"

struct known_diff {
	const char *name;	/* the heading in docs/conformance.md */
	const char *area;
	const char *op;
	/*
	 * NULL, or the exact shape of the difference: record @i of both
	 * (and the records around it) must look like this.
	 */
	bool (*match)(const struct record *kern, const struct record *soft,
		      size_t i);
};

extern const struct known_diff known_diffs[];
extern const size_t nr_known_diffs;

#endif
