// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal flattened-device-tree walker: what the tests need from the
 * DTB kvmkit hands over in x0 (cpus, memory, chosen/bootargs, the GIC).
 */
#include "guest.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static bool prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return false;
	return true;
}

/* Does a compatible list (NUL-separated) name @want? */
static bool compatible(const char *list, uint32_t len, const char *want)
{
	for (uint32_t i = 0; i < len; i += (uint32_t)strlen(list + i) + 1)
		if (!strcmp(list + i, want))
			return true;
	return false;
}

static void prop(const char *node, const char *parent, const char *name,
		 const uint8_t *val, uint32_t len)
{
	if (!strcmp(node, "chosen") && !strcmp(name, "bootargs")) {
		plat.bootargs = (const char *)val;
	} else if (!strcmp(parent, "cpus") && prefix(node, "cpu@") &&
		   !strcmp(name, "reg") && len == 8 && plat.ncpus < MAX_CPUS) {
		plat.mpidr[plat.ncpus++] = be64(val);
	} else if (prefix(node, "memory") && !strcmp(name, "reg") && len >= 16) {
		plat.ram_base = be64(val);
		plat.ram_size = be64(val + 8);
	} else if (prefix(node, "intc") && !strcmp(name, "compatible")) {
		if (compatible((const char *)val, len, "arm,gic-v3"))
			plat.gic_version = 3;
		else if (compatible((const char *)val, len, "arm,cortex-a15-gic"))
			plat.gic_version = 2;
	} else if (prefix(node, "intc") && !strcmp(name, "reg") && len >= 32) {
		plat.gicd = be64(val);
		plat.gicc = plat.gicr = be64(val + 16);
		plat.gicr_size = be64(val + 24);
	} else if (prefix(node, "msic") && !strcmp(name, "reg") && len >= 16) {
		plat.its = be64(val);
	}
}

int fdt_parse(const void *dtb)
{
	const uint8_t *base = dtb, *p;
	const char *strings, *path[8] = { "", "", "", "", "", "", "", "" };
	int depth = 0;

	if (be32(base) != FDT_MAGIC)
		return -1;
	p = base + be32(base + 8);
	strings = (const char *)base + be32(base + 12);
	for (;;) {
		uint32_t tok = be32(p), len;
		const char *name;

		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = (const char *)p;
			if (depth < 7)
				path[++depth] = name;
			p += (strlen(name) + 4) & ~3UL;
			break;
		case FDT_END_NODE:
			if (depth > 0)
				depth--;
			break;
		case FDT_PROP:
			len = be32(p);
			name = strings + be32(p + 4);
			prop(path[depth], depth > 0 ? path[depth - 1] : "",
			     name, p + 8, len);
			p += 8 + ((len + 3) & ~3U);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return plat.ncpus ? 0 : -1;
		default:
			return -1;
		}
	}
}
