// SPDX-License-Identifier: GPL-2.0
/*
 * `kvmkit run` option parsing (src/config.c) with lkvm's option names,
 * and the number/size parsers behind it (src/parse.c).  Every rejected
 * command line returns 2 with exactly one line on stderr and nothing on
 * stdout.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kvmkit/config.h"
#include "kvmkit/log.h"

#define MIB (1ULL << 20)
#define MAX_ARGS 24

/* What one config_parse_run call printed. */
struct parsed {
	int ret;
	struct vm_config cfg;
	char out[8192];
	char err[1024];
};

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Parse "run" followed by the NULL-terminated words, capturing output. */
static struct parsed *parse_v(const char *first, va_list ap)
{
	static struct parsed p;
	char *argv[MAX_ARGS + 2];
	int argc = 0, saved_out, saved_err;
	FILE *out = tmpfile(), *err = tmpfile();
	const char *w;

	assert_non_null(out);
	assert_non_null(err);
	argv[argc++] = "run";
	for (w = first; w; w = va_arg(ap, const char *)) {
		assert_true(argc < MAX_ARGS);
		argv[argc++] = (char *)w;
	}
	argv[argc] = NULL;

	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(fileno(out), STDOUT_FILENO);
	dup2(fileno(err), STDERR_FILENO);
	memset(&p.cfg, 0xa5, sizeof(p.cfg));	/* must be fully reset */
	p.ret = config_parse_run(&p.cfg, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	slurp(out, p.out, sizeof(p.out));
	slurp(err, p.err, sizeof(p.err));
	return &p;
}

static struct parsed *parse(const char *first, ...)
{
	struct parsed *p;
	va_list ap;

	va_start(ap, first);
	p = parse_v(first, ap);
	va_end(ap);
	return p;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Parsed fine: 0, silent. */
static struct parsed *parse_ok_v(const char *first, va_list ap)
{
	struct parsed *p = parse_v(first, ap);

	if (p->ret != 0)
		fail_msg("expected success, got %d: %s", p->ret, p->err);
	assert_string_equal(p->out, "");
	assert_string_equal(p->err, "");
	return p;
}

static struct parsed *parse_ok(const char *first, ...)
{
	struct parsed *p;
	va_list ap;

	va_start(ap, first);
	p = parse_ok_v(first, ap);
	va_end(ap);
	return p;
}

/* Rejected: 2, one line "kvmkit run: ...@needle..." and an empty stdout. */
static void parse_bad(const char *needle, const char *first, ...)
{
	struct parsed *p;
	va_list ap;

	va_start(ap, first);
	p = parse_v(first, ap);
	va_end(ap);
	if (p->ret != 2)
		fail_msg("%s: expected 2, got %d", first, p->ret);
	assert_string_equal(p->out, "");
	if (count_lines(p->err) != 1 || p->err[strlen(p->err) - 1] != '\n')
		fail_msg("%s: want one line on stderr, got '%s'", first,
			 p->err);
	if (strncmp(p->err, "kvmkit run: ", 12))
		fail_msg("%s: message lacks the prefix: '%s'", first, p->err);
	if (needle && !strstr(p->err, needle))
		fail_msg("%s: message '%s' lacks '%s'", first, p->err, needle);
	/* Only printable text: no stray bytes from a bad format. */
	for (const char *c = p->err; *c; c++)
		if ((*c < 0x20 || *c > 0x7e) && *c != '\n' && *c != '\t')
			fail_msg("%s: non-printable byte 0x%02x in '%s'", first,
				 (unsigned char)*c, p->err);
}

static int reset_log(void **state)
{
	log_level = LOG_WARN;
	return 0;
}

/* ---- config_parse_run: accepted command lines ---------------------------- */

static void test_defaults(void **state)
{
	struct parsed *p = parse_ok("guest.elf", NULL);

	assert_string_equal(p->cfg.kernel, "guest.elf");
	assert_null(p->cfg.initrd);
	assert_null(p->cfg.params);
	assert_null(p->cfg.name);
	assert_string_equal(p->cfg.console, "serial");
	assert_null(p->cfg.machine);
	assert_null(p->cfg.irqchip);
	assert_null(p->cfg.dump_dtb);
	assert_int_equal(p->cfg.nr_cpus, 1);
	assert_int_equal(p->cfg.mem_size, KVMKIT_DEFAULT_MEM);
	assert_int_equal(p->cfg.mem_size, 256 * MIB);
	assert_false(p->cfg.nodefaults);
	assert_false(p->cfg.debug);
	assert_false(p->cfg.pmu);
	assert_false(p->cfg.network_none);
	assert_false(p->cfg.paused);
	assert_int_equal(p->cfg.irqchip_backend, BACKEND_AUTO);

	/* No kernel at all parses (the machine reports it later). */
	p = parse_ok(NULL);
	assert_null(p->cfg.kernel);
	assert_int_equal(p->cfg.nr_cpus, 1);
}

static void test_short_options(void **state)
{
	struct parsed *p = parse_ok("-k", "vmlinux", "-i", "initrd.img", "-p",
				    "console=ttyS0 quiet", "-c", "4", "-m",
				    "512", "-n", "mode=none", NULL);

	assert_string_equal(p->cfg.kernel, "vmlinux");
	assert_string_equal(p->cfg.initrd, "initrd.img");
	assert_string_equal(p->cfg.params, "console=ttyS0 quiet");
	assert_int_equal(p->cfg.nr_cpus, 4);
	assert_int_equal(p->cfg.mem_size, 512 * MIB);	/* lkvm: MiB */
	assert_true(p->cfg.network_none);

	/* Values glued to the letter, as getopt allows. */
	p = parse_ok("-c8", "-m1G", "-kimg", NULL);
	assert_int_equal(p->cfg.nr_cpus, 8);
	assert_int_equal(p->cfg.mem_size, 1ULL << 30);
	assert_string_equal(p->cfg.kernel, "img");
}

static void test_long_options(void **state)
{
	struct parsed *p = parse_ok("--kernel", "vmlinux", "--initrd", "rd",
				    "--params", "root=/dev/vda", "--cpus", "32",
				    "--mem", "2G", "--network", "mode=none",
				    "--name", "vm-1", "--console", "serial",
				    "--nodefaults", NULL);

	assert_string_equal(p->cfg.kernel, "vmlinux");
	assert_string_equal(p->cfg.initrd, "rd");
	assert_string_equal(p->cfg.params, "root=/dev/vda");
	assert_int_equal(p->cfg.nr_cpus, KVMKIT_MAX_CPUS);
	assert_int_equal(p->cfg.mem_size, 2ULL << 30);
	assert_true(p->cfg.network_none);
	assert_string_equal(p->cfg.name, "vm-1");
	assert_string_equal(p->cfg.console, "serial");
	assert_true(p->cfg.nodefaults);

	p = parse_ok("--irqchip", "gicv3-its", "--irqchip-backend", "soft",
		     "--machine", "testbench", "--pmu", "--paused",
		     "--dump-dtb", "out.dtb", "--kernel=img", NULL);
	assert_string_equal(p->cfg.irqchip, "gicv3-its");
	assert_int_equal(p->cfg.irqchip_backend, BACKEND_SOFT);
	assert_string_equal(p->cfg.machine, "testbench");
	assert_true(p->cfg.pmu);
	assert_true(p->cfg.paused);
	assert_string_equal(p->cfg.dump_dtb, "out.dtb");
	assert_string_equal(p->cfg.kernel, "img");
	assert_false(p->cfg.debug);
	assert_int_equal(log_level, LOG_WARN);

	p = parse_ok("--irqchip-backend=kernel", "img", NULL);
	assert_int_equal(p->cfg.irqchip_backend, BACKEND_KERNEL);
	p = parse_ok("--irqchip-backend", "auto", "img", NULL);
	assert_int_equal(p->cfg.irqchip_backend, BACKEND_AUTO);
}

static void test_loglevel_and_debug(void **state)
{
	static const struct {
		const char *name;
		enum log_level level;
	} levels[] = {
		{ "error", LOG_ERROR }, { "warning", LOG_WARN },
		{ "warn", LOG_WARN },   { "info", LOG_INFO },
		{ "debug", LOG_DEBUG },
	};
	struct parsed *p;

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		log_level = LOG_WARN;
		parse_ok("--loglevel", levels[i].name, "img", NULL);
		assert_int_equal(log_level, levels[i].level);
	}
	log_level = LOG_WARN;
	p = parse_ok("--debug", "img", NULL);
	assert_true(p->cfg.debug);
	assert_int_equal(log_level, LOG_DEBUG);
	log_level = LOG_WARN;
	parse_bad("--loglevel wants error, warning, info or debug, not 'loud'",
		  "--loglevel", "loud", "img", NULL);
	parse_bad("'Info'", "--loglevel", "Info", "img", NULL);
	assert_int_equal(log_level, LOG_WARN);
}

static void test_positional_kernel(void **state)
{
	struct parsed *p = parse_ok("-c", "2", "guests/hello.elf", NULL);

	assert_string_equal(p->cfg.kernel, "guests/hello.elf");
	assert_int_equal(p->cfg.nr_cpus, 2);

	/* "--" ends the options: a kernel may start with '-'. */
	p = parse_ok("--", "-odd-name.elf", NULL);
	assert_string_equal(p->cfg.kernel, "-odd-name.elf");
}

static void test_later_option_wins(void **state)
{
	struct parsed *p = parse_ok("-c", "2", "--cpus", "3", "-m", "64",
				    "--mem", "128M", "-p", "a", "-p", "b",
				    "img", NULL);

	assert_int_equal(p->cfg.nr_cpus, 3);
	assert_int_equal(p->cfg.mem_size, 128 * MIB);
	assert_string_equal(p->cfg.params, "b");
}

static void test_name_limits(void **state)
{
	char name64[65], name65[66];

	memset(name64, 'n', 64);
	name64[64] = '\0';
	memset(name65, 'n', 65);
	name65[65] = '\0';
	assert_string_equal(parse_ok("--name", name64, "img", NULL)->cfg.name,
			    name64);
	parse_bad("--name wants", "--name", name65, "img", NULL);
	parse_bad("--name wants", "--name", "", "img", NULL);
	parse_bad("--name wants", "--name", "a/b", "img", NULL);
	parse_bad("--name wants", "--name", "a b", "img", NULL);
	parse_bad("--name wants", "--name", "a\tb", "img", NULL);
}

static void test_help(void **state)
{
	static const char *const forms[] = { "-h", "--help" };

	for (size_t i = 0; i < 2; i++) {
		struct parsed *p = parse(forms[i], "img", NULL);

		assert_int_equal(p->ret, 1);
		assert_string_equal(p->err, "");
		assert_non_null(strstr(p->out, "usage: kvmkit run"));
		/* lkvm's names are all documented. */
		assert_non_null(strstr(p->out, "-k, --kernel"));
		assert_non_null(strstr(p->out, "-m, --mem"));
		assert_non_null(strstr(p->out, "--irqchip-backend"));
	}
}

/* ---- config_parse_run: rejected command lines ---------------------------- */

static void test_unknown_options(void **state)
{
	parse_bad("unknown option '--no-such-option'", "--no-such-option",
		  "img", NULL);
	parse_bad("unknown option '-x'", "-x", "img", NULL);
	parse_bad("unknown option '-Z'", "-c", "1", "-Z", "img", NULL);
	/* An unknown letter inside a cluster of options. */
	parse_bad("unknown option '-q'", "-qk", "img", NULL);
	/* lkvm options kvmkit lacks. */
	parse_bad("unknown option '--disk'", "--disk", "d.img", "img", NULL);
	parse_bad("unknown option '--balloon'", "--balloon", "img", NULL);
	/* A value given to an option that takes none. */
	parse_bad("--debug", "--debug=1", "img", NULL);
	parse_bad("--paused", "--paused=yes", "img", NULL);
	parse_bad("--help", "--help=x", "img", NULL);
	parse_bad("--nodefaults", "--nodefaults=0", "img", NULL);
}

static void test_missing_values(void **state)
{
	parse_bad("option '-k' needs a value", "-k", NULL);
	parse_bad("option '--kernel' needs a value", "--kernel", NULL);
	parse_bad("option '--cpus' needs a value", "--cpus", NULL);
	parse_bad("option '-m' needs a value", "-m", NULL);
	parse_bad("option '--name' needs a value", "-c", "1", "--name", NULL);
	parse_bad("option '--irqchip-backend' needs a value",
		  "--irqchip-backend", NULL);
	parse_bad("option '--loglevel' needs a value", "-c", "1", "--loglevel",
		  NULL);
}

static void test_bad_numbers(void **state)
{
	static const char *const cpus[] = { "0", "33", "-1", "abc", "", " 2",
					    "2 ", "2x", "0x2", "1.5",
					    "99999999999999999999999" };
	static const char *const mems[] = { "0", "512K", "1048575B", "12Q",
					    "junk", "", "-1", "1.5G", "G",
					    "99999999999999999999999",
					    "17179869184G" };

	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++)
		parse_bad("--cpus wants a number from 1 to 32", "-c", cpus[i],
			  "img", NULL);
	for (size_t i = 0; i < sizeof(mems) / sizeof(mems[0]); i++)
		parse_bad("--mem wants a size", "--mem", mems[i], "img", NULL);
	/* The smallest accepted size. */
	assert_int_equal(parse_ok("-m", "1M", "img", NULL)->cfg.mem_size, MIB);
	assert_int_equal(parse_ok("-m", "1048576B", "img", NULL)->cfg.mem_size,
			 MIB);
	assert_int_equal(parse_ok("-c", "1", "img", NULL)->cfg.nr_cpus, 1);
}

static void test_bad_values(void **state)
{
	parse_bad("--network supports only mode=none, not 'mode=user'",
		  "--network", "mode=user", "img", NULL);
	parse_bad("--network", "-n", "none", "img", NULL);
	parse_bad("--console supports only serial, not 'virtio'", "--console",
		  "virtio", "img", NULL);
	parse_bad("--irqchip-backend wants auto, kernel or soft, not 'both'",
		  "--irqchip-backend", "both", "img", NULL);
	parse_bad("--irqchip-backend", "--irqchip-backend", "", "img", NULL);
}

static void test_kernel_twice_and_extra_args(void **state)
{
	parse_bad("kernel given twice ('b.elf' and -k)", "-k", "a.elf", "b.elf",
		  NULL);
	parse_bad("kernel given twice", "--kernel=a.elf", "b.elf", NULL);
	parse_bad("unexpected argument 'b.elf'", "a.elf", "b.elf", NULL);
	/* Options stop at the kernel (lkvm order): what follows is extra. */
	parse_bad("unexpected argument '-c'", "a.elf", "-c", "2", NULL);
}

static void test_reparse_after_error(void **state)
{
	struct parsed *p;

	/*
	 * A failure in the middle of a cluster of short options must not
	 * leak into the next parse (getopt's state is reset each time).
	 */
	parse_bad("unknown option '-q'", "-qk", "x.elf", NULL);
	p = parse_ok("-c", "2", "img", NULL);
	assert_int_equal(p->cfg.nr_cpus, 2);
	assert_string_equal(p->cfg.kernel, "img");

	parse_bad("unknown option '-q'", "-c2", "-qp", "params", NULL);
	p = parse_ok("-m", "64", "img2", NULL);
	assert_int_equal(p->cfg.mem_size, 64 * MIB);
	assert_string_equal(p->cfg.kernel, "img2");
	assert_null(p->cfg.params);
}

/* ---- parse_size ---------------------------------------------------------- */

static void test_parse_size_good(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} cases[] = {
		{ "256", 256 * MIB },	/* bare number: MiB, as lkvm */
		{ "0", 0 },
		{ "1", MIB },
		{ "256M", 256 * MIB },
		{ "256m", 256 * MIB },
		{ "256MB", 256 * MIB },
		{ "256MiB", 256 * MIB },
		{ "1G", 1ULL << 30 },
		{ "1g", 1ULL << 30 },
		{ "1gb", 1ULL << 30 },
		{ "1GiB", 1ULL << 30 },
		{ "1gib", 1ULL << 30 },
		{ "3G", 3ULL << 30 },
		{ "512K", 512ULL << 10 },
		{ "512k", 512ULL << 10 },
		{ "512KiB", 512ULL << 10 },
		{ "2T", 2ULL << 40 },
		{ "2TB", 2ULL << 40 },
		{ "4096B", 4096 },
		{ "4096b", 4096 },
		{ "0B", 0 },
		{ "007M", 7 * MIB },
		/* The largest representable values of each unit. */
		{ "18446744073709551615B", UINT64_MAX },
		{ "18014398509481983K", 18014398509481983ULL << 10 },
		{ "17592186044415", 17592186044415ULL << 20 },
		{ "17179869183G", 17179869183ULL << 30 },
		{ "16777215T", 16777215ULL << 40 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0xdead;
		int ret = parse_size(cases[i].s, &v);

		if (ret || v != cases[i].v)
			fail_msg("parse_size(\"%s\"): %d, 0x%llx; want 0x%llx",
				 cases[i].s, ret, (unsigned long long)v,
				 (unsigned long long)cases[i].v);
	}
}

static void test_parse_size_bad(void **state)
{
	static const struct {
		const char *s;
		int err;
	} cases[] = {
		{ "", -EINVAL },
		{ "junk", -EINVAL },
		{ "-1", -EINVAL },
		{ "+1", -EINVAL },
		{ " 1", -EINVAL },
		{ "1 ", -EINVAL },
		{ "1 G", -EINVAL },
		{ "G", -EINVAL },
		{ "1.5G", -EINVAL },
		{ "0x10", -EINVAL },
		{ "12Q", -EINVAL },
		{ "1GG", -EINVAL },
		{ "1GBx", -EINVAL },
		{ "1GiBB", -EINVAL },
		{ "1iB", -EINVAL },
		{ "1Bi", -EINVAL },
		{ "4096BB", -EINVAL },
		{ "1P", -EINVAL },
		/* Overflow: of strtoull, then of the unit shift. */
		{ "18446744073709551616B", -ERANGE },
		{ "99999999999999999999999", -ERANGE },
		{ "18446744073709551615", -ERANGE },
		{ "17592186044416", -ERANGE },
		{ "18014398509481984K", -ERANGE },
		{ "17179869184G", -ERANGE },
		{ "16777216T", -ERANGE },
		{ "18446744073709551615T", -ERANGE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0xdead;
		int ret = parse_size(cases[i].s, &v);

		if (ret != cases[i].err)
			fail_msg("parse_size(\"%s\"): %d, want %d", cases[i].s,
				 ret, cases[i].err);
		/* The output is left alone on failure. */
		assert_int_equal(v, 0xdead);
	}
	assert_int_equal(parse_size(NULL, &(uint64_t){ 0 }), -EINVAL);
}

/* ---- parse_int ----------------------------------------------------------- */

static void test_parse_int(void **state)
{
	long v = 0;
	char buf[64];

	assert_int_equal(parse_int("5", 1, 32, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(parse_int("1", 1, 32, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_int("32", 1, 32, &v), 0);
	assert_int_equal(v, 32);
	assert_int_equal(parse_int("-7", -10, 10, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(parse_int("0", 0, 0, &v), 0);
	assert_int_equal(v, 0);

	v = 99;
	assert_int_equal(parse_int("0", 1, 32, &v), -ERANGE);
	assert_int_equal(parse_int("33", 1, 32, &v), -ERANGE);
	assert_int_equal(parse_int("-1", 0, 255, &v), -ERANGE);
	assert_int_equal(parse_int("99999999999999999999999", 0, LONG_MAX, &v),
			 -ERANGE);
	assert_int_equal(parse_int("-99999999999999999999999", LONG_MIN, 0, &v),
			 -ERANGE);
	assert_int_equal(parse_int("", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int(NULL, 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int("abc", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int(" 5", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int("5 ", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int("5x", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int("0x5", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_int("1e3", 0, 10000, &v), -EINVAL);
	assert_int_equal(parse_int("-", -10, 10, &v), -EINVAL);
	assert_int_equal(v, 99);	/* untouched on failure */

	/* The extremes of long are reachable. */
	snprintf(buf, sizeof(buf), "%ld", LONG_MAX);
	assert_int_equal(parse_int(buf, 0, LONG_MAX, &v), 0);
	assert_int_equal(v, LONG_MAX);
	snprintf(buf, sizeof(buf), "%ld", LONG_MIN);
	assert_int_equal(parse_int(buf, LONG_MIN, 0, &v), 0);
	assert_int_equal(v, LONG_MIN);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, reset_log, reset_log)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_short_options),
		T(test_long_options),
		T(test_loglevel_and_debug),
		T(test_positional_kernel),
		T(test_later_option_wins),
		T(test_name_limits),
		T(test_help),
		T(test_unknown_options),
		T(test_missing_values),
		T(test_bad_numbers),
		T(test_bad_values),
		T(test_kernel_twice_and_extra_args),
		T(test_reparse_after_error),
		T(test_parse_size_good),
		T(test_parse_size_bad),
		T(test_parse_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
