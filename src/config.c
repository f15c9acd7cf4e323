// SPDX-License-Identifier: GPL-2.0
/* `kvmkit run` options: lkvm's names and meanings, plus kvmkit's own. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "kvmkit/config.h"
#include "kvmkit/log.h"

enum {
	OPT_NAME = 0x100,
	OPT_CONSOLE,
	OPT_NODEFAULTS,
	OPT_LOGLEVEL,
	OPT_IRQCHIP,
	OPT_IRQCHIP_BACKEND,
	OPT_DEBUG,
	OPT_MACHINE,
	OPT_DUMP_DTB,
	OPT_PMU,
	OPT_PAUSED,
};

/* The ':' after '+': a missing value is reported as ':', not '?'. */
#define RUN_SHORT_OPTS "+:k:i:p:c:m:n:h"

static const struct option run_options[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "params", required_argument, NULL, 'p' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "mem", required_argument, NULL, 'm' },
	{ "network", required_argument, NULL, 'n' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "nodefaults", no_argument, NULL, OPT_NODEFAULTS },
	{ "loglevel", required_argument, NULL, OPT_LOGLEVEL },
	{ "irqchip", required_argument, NULL, OPT_IRQCHIP },
	{ "irqchip-backend", required_argument, NULL, OPT_IRQCHIP_BACKEND },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "machine", required_argument, NULL, OPT_MACHINE },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "pmu", no_argument, NULL, OPT_PMU },
	{ "paused", no_argument, NULL, OPT_PAUSED },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

void config_usage_run(void)
{
	puts("usage: kvmkit run [options] [kernel]\n"
	     "\n"
	     "  -k, --kernel FILE        guest kernel or bare-metal image (ELF64 or flat)\n"
	     "  -i, --initrd FILE        initial ramdisk\n"
	     "  -p, --params STRING      kernel command line\n"
	     "  -c, --cpus N             number of vCPUs (default 1, at most 32)\n"
	     "  -m, --mem SIZE           guest RAM: 256 (MiB), 256M, 1G (default 256M)\n"
	     "  -n, --network mode=none  networking (only mode=none so far)\n"
	     "      --name NAME          VM name for list/pause/resume/stop\n"
	     "      --console serial     console device (serial)\n"
	     "      --nodefaults         no default devices or kernel parameters\n"
	     "      --irqchip CHIP       none, gicv2, gicv3, gicv3-its, mpic, auto\n"
	     "      --irqchip-backend B  auto (default), kernel, soft\n"
	     "      --machine NAME       machine model (x86: testbench)\n"
	     "      --dump-dtb FILE      write the generated device tree (arm64)\n"
	     "      --pmu                give the guest a PMUv3 (arm64)\n"
	     "      --paused             start with all vCPUs paused\n"
	     "      --loglevel LEVEL     error, warning (default), info, debug\n"
	     "      --debug              log every exit and set-up step\n"
	     "  -h, --help               this text");
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "kvmkit run: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int parse_backend(const char *s, enum backend_choice *out)
{
	if (!strcmp(s, "auto"))
		*out = BACKEND_AUTO;
	else if (!strcmp(s, "kernel"))
		*out = BACKEND_KERNEL;
	else if (!strcmp(s, "soft"))
		*out = BACKEND_SOFT;
	else
		return -EINVAL;
	return 0;
}

static int parse_one(struct vm_config *cfg, int opt, const char *arg)
{
	long n;
	int level;

	switch (opt) {
	case 'k':
		cfg->kernel = arg;
		break;
	case 'i':
		cfg->initrd = arg;
		break;
	case 'p':
		cfg->params = arg;
		break;
	case 'c':
		if (parse_int(arg, 1, KVMKIT_MAX_CPUS, &n))
			return bad("--cpus wants a number from 1 to 32, not '%s'", arg);
		cfg->nr_cpus = (int)n;
		break;
	case 'm':
		if (parse_size(arg, &cfg->mem_size) || cfg->mem_size < (1 << 20))
			return bad("--mem wants a size of at least 1M such as 256, 256M or 1G, not '%s'",
				   arg);
		break;
	case 'n':
		if (strcmp(arg, "mode=none"))
			return bad("--network supports only mode=none, not '%s'", arg);
		cfg->network_none = true;
		break;
	case OPT_NAME:
		if (!*arg || strlen(arg) > 64 || strpbrk(arg, "/ \t\n"))
			return bad("--name wants up to 64 characters without '/' or blanks, not '%s'",
				   arg);
		cfg->name = arg;
		break;
	case OPT_CONSOLE:
		if (strcmp(arg, "serial"))
			return bad("--console supports only serial, not '%s'", arg);
		cfg->console = arg;
		break;
	case OPT_NODEFAULTS:
		cfg->nodefaults = true;
		break;
	case OPT_LOGLEVEL:
		level = log_parse_level(arg);
		if (level < 0)
			return bad("--loglevel wants error, warning, info or debug, not '%s'", arg);
		log_level = level;
		break;
	case OPT_IRQCHIP:
		cfg->irqchip = arg;
		break;
	case OPT_IRQCHIP_BACKEND:
		if (parse_backend(arg, &cfg->irqchip_backend))
			return bad("--irqchip-backend wants auto, kernel or soft, not '%s'", arg);
		break;
	case OPT_DEBUG:
		cfg->debug = true;
		log_level = LOG_DEBUG;
		break;
	case OPT_MACHINE:
		cfg->machine = arg;
		break;
	case OPT_DUMP_DTB:
		cfg->dump_dtb = arg;
		break;
	case OPT_PMU:
		cfg->pmu = true;
		break;
	case OPT_PAUSED:
		cfg->paused = true;
		break;
	default:
		return 2;
	}
	return 0;
}

int config_parse_run(struct vm_config *cfg, int argc, char **argv)
{
	int opt, ret;

	*cfg = (struct vm_config){ .nr_cpus = 1,
				   .mem_size = KVMKIT_DEFAULT_MEM,
				   .console = "serial",
				   .irqchip_backend = BACKEND_AUTO };
	/* 0, not 1: glibc then also forgets a half-parsed option cluster. */
	optind = 0;
	opterr = 0;
	/* '+' stops at the first non-option, so argv stays in order. */
	while ((opt = getopt_long(argc, argv, RUN_SHORT_OPTS, run_options,
				  NULL)) != -1) {
		if (opt == 'h') {
			config_usage_run();
			return 1;
		}
		if (opt == '?') {
			/*
			 * optopt is an unknown letter, or a long option's val
			 * (given a value it takes none): name that by its word.
			 */
			if (optopt > 0 && optopt < 0x100 &&
			    !strchr(RUN_SHORT_OPTS, optopt))
				return bad("unknown option '-%s' (see kvmkit run --help)",
					   (char[]){ (char)optopt, 0 });
			return bad("unknown option '%s' (see kvmkit run --help)",
				   argv[optind - 1]);
		}
		if (opt == ':')
			return bad("option '%s' needs a value", argv[optind - 1]);
		ret = parse_one(cfg, opt, optarg);
		if (ret)
			return ret;
	}
	if (optind < argc) {
		if (cfg->kernel)
			return bad("kernel given twice ('%s' and -k)", argv[optind]);
		cfg->kernel = argv[optind++];
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	return 0;
}
