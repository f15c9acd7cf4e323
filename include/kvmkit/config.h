/* SPDX-License-Identifier: GPL-2.0 */
/* What `kvmkit run` was asked for: the parsed command line. */
#ifndef KVMKIT_CONFIG_H
#define KVMKIT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/device.h"

#define KVMKIT_MAX_CPUS 32
#define KVMKIT_DEFAULT_MEM (256ULL << 20)

struct vm_config {
	const char *kernel;
	const char *initrd;
	const char *params;
	const char *name;	/* NULL: "guest-<pid>" */
	const char *console;	/* "serial" (default) */
	const char *machine;	/* NULL: the arch's default */
	const char *irqchip;	/* NULL: none / the arch's default */
	const char *dump_dtb;
	int nr_cpus;
	uint64_t mem_size;
	bool nodefaults;
	bool debug;
	bool pmu;
	bool network_none;
	bool paused;		/* start with vCPUs paused */
	enum backend_choice irqchip_backend;
};

/*
 * Parse `kvmkit run` arguments (argv[0] is "run").  Returns 0, or 2 after
 * printing one line naming the problem (1 for --help, after the usage).
 */
int config_parse_run(struct vm_config *cfg, int argc, char **argv);
void config_usage_run(void);

/*
 * Parse a memory size: "256" (MiB, as lkvm), "256M", "1G", "512K", "2T",
 * "4096B".  Returns 0 or -EINVAL for junk, -ERANGE on overflow.
 */
int parse_size(const char *s, uint64_t *out);
/* Parse a decimal integer in [min, max]; -EINVAL or -ERANGE. */
int parse_int(const char *s, long min, long max, long *out);

#endif
