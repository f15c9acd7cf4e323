// SPDX-License-Identifier: GPL-2.0
/*
 * `kvmkit test [-j N] [-v] [--guest-dir DIR] MANIFEST...`: boots each
 * manifest's guests with `kvmkit run`, in parallel, and prints TAP in
 * manifest order plus a closing "N passed, N failed, N skipped" line.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kvmkit/config.h"
#include "kvmkit/loader.h"
#include "kvmkit/manifest.h"
#include "kvmkit/run.h"

#define OUTPUT_MAX (1 << 20)
#define MAX_ARGS 64

enum result { R_PENDING, R_RUNNING, R_PASS, R_FAIL, R_SKIP };

struct job {
	struct test_case *t;
	const char *guests;
	enum result result;
	char why[160];
	pid_t pid;
	int fd;
	double deadline;
	bool timed_out;
	char *out;
	size_t out_len;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int start_job(struct job *j, const char *self)
{
	char buf[4096], *argv[MAX_ARGS + 3];
	int n, p[2];

	argv[0] = "kvmkit";
	argv[1] = "run";
	n = manifest_split_args(j->t->args, j->guests, buf, sizeof(buf),
				argv + 2, MAX_ARGS);
	if (n < 0) {
		j->result = R_FAIL;
		snprintf(j->why, sizeof(j->why), "cannot split args");
		return -1;
	}
	argv[n + 2] = NULL;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	j->pid = fork();
	if (j->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (j->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		execv(self, argv);
		_exit(127);
	}
	setpgid(j->pid, j->pid);
	close(p[1]);
	j->fd = p[0];
	fcntl(j->fd, F_SETFL, O_NONBLOCK);
	j->deadline = now() + j->t->timeout;
	j->result = R_RUNNING;
	j->out = malloc(OUTPUT_MAX + 1);
	j->out_len = 0;
	return j->out ? 0 : -1;
}

static bool matches(const char *pattern, const char *text)
{
	regex_t re;
	bool m;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE))
		return false;
	m = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return m;
}

static void judge(struct job *j, int status)
{
	struct test_case *t = j->t;
	int code;

	j->out[j->out_len] = '\0';
	j->result = R_FAIL;
	if (j->timed_out) {
		snprintf(j->why, sizeof(j->why), "timed out after %d s, VM killed",
			 t->timeout);
		return;
	}
	if (WIFSIGNALED(status)) {
		snprintf(j->why, sizeof(j->why), "kvmkit died of signal %d",
			 WTERMSIG(status));
		return;
	}
	code = WEXITSTATUS(status);
	if (code != t->exit_status) {
		snprintf(j->why, sizeof(j->why), "exit status %d, expected %d",
			 code, t->exit_status);
		return;
	}
	for (int i = 0; i < t->nr_expect; i++) {
		if (!matches(t->expect[i], j->out)) {
			snprintf(j->why, sizeof(j->why), "output lacks /%.100s/",
				 t->expect[i]);
			return;
		}
	}
	for (int i = 0; i < t->nr_reject; i++) {
		if (matches(t->reject[i], j->out)) {
			snprintf(j->why, sizeof(j->why), "output has /%.100s/",
				 t->reject[i]);
			return;
		}
	}
	j->result = R_PASS;
}

static void drain(struct job *j)
{
	char tmp[4096];
	ssize_t n;

	while ((n = read(j->fd, tmp, sizeof(tmp))) > 0) {
		size_t room = OUTPUT_MAX - j->out_len;
		size_t c = (size_t)n < room ? (size_t)n : room;

		memcpy(j->out + j->out_len, tmp, c);
		j->out_len += c;
	}
	if (n == 0) {
		int status;

		close(j->fd);
		j->fd = -1;
		waitpid(j->pid, &status, 0);
		judge(j, status);
	}
}

static void print_result(struct job *j, int num, bool verbose)
{
	static const char *const names[] = { [R_PASS] = "ok", [R_FAIL] = "not ok",
					     [R_SKIP] = "ok" };
	char *line, *save = NULL;

	printf("%s %d - %s", names[j->result], num, j->t->name);
	if (j->result == R_SKIP)
		printf(" # SKIP %s", j->why);
	else if (j->result == R_FAIL)
		printf(" # %s (%s:%d)", j->why, j->t->file, j->t->line);
	printf("\n");
	if (j->out && (j->result == R_FAIL || verbose)) {
		for (line = strtok_r(j->out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			printf("#   %s\n", line);
	}
	fflush(stdout);
	free(j->out);
	j->out = NULL;
}

static const char *default_guests(const char *manifest, char *buf, size_t len)
{
	char *copy = strdup(manifest);
	struct stat st;

	/* A built tree keeps guests in build/guests/<arch>; else beside it. */
	if (!stat("build/guests/x86", &st) && strstr(manifest, "guests/x86"))
		snprintf(buf, len, "build/guests/x86");
	else
		snprintf(buf, len, "%s", copy ? dirname(copy) : ".");
	free(copy);
	return buf;
}

static int run_jobs(struct job *jobs, int nr, int parallel, bool verbose,
		    const char *self)
{
	int next = 0, printed = 0, running = 0, counts[5] = { 0 };
	bool have_kvm = kvm_usable();

	printf("TAP version 13\n1..%d\n", nr);
	if (!have_kvm)
		printf("# SKIP: /dev/kvm is missing or not accessible: every test is skipped\n");
	while (printed < nr) {
		struct pollfd p[64];
		int idx[64], np = 0;
		double t = now(), wait = 1.0;

		while (next < nr && running < parallel) {
			struct job *j = &jobs[next++];

			if (!have_kvm) {
				j->result = R_SKIP;
				snprintf(j->why, sizeof(j->why), "/dev/kvm not available");
			} else if (start_job(j, self) == 0) {
				running++;
			} else if (j->result != R_FAIL) {
				j->result = R_FAIL;
				snprintf(j->why, sizeof(j->why), "cannot start: %s",
					 strerror(errno));
			}
		}
		while (printed < nr && jobs[printed].result >= R_PASS) {
			counts[jobs[printed].result]++;
			print_result(&jobs[printed], printed + 1, verbose);
			printed++;
		}
		for (int i = 0; i < next && np < 64; i++) {
			struct job *j = &jobs[i];

			if (j->result != R_RUNNING)
				continue;
			if (t >= j->deadline && !j->timed_out) {
				j->timed_out = true;
				kill(-j->pid, SIGKILL);
			}
			if (j->deadline - t < wait)
				wait = j->deadline - t > 0 ? j->deadline - t : 0;
			p[np] = (struct pollfd){ j->fd, POLLIN, 0 };
			idx[np++] = i;
		}
		if (np && poll(p, (nfds_t)np, (int)(wait * 1000) + 1) > 0) {
			for (int i = 0; i < np; i++) {
				if (!p[i].revents)
					continue;
				drain(&jobs[idx[i]]);
				if (jobs[idx[i]].result != R_RUNNING)
					running--;
			}
		}
	}
	printf("%d passed, %d failed, %d skipped\n", counts[R_PASS],
	       counts[R_FAIL], counts[R_SKIP]);
	return counts[R_FAIL] ? 1 : 0;
}

int cmd_test(int argc, char **argv)
{
	const char *guest_dir = getenv("KVMKIT_GUESTS");
	struct test_case *tests = NULL;
	int nr = 0, parallel = 1, ret, first;
	char guests[64][256], self[4096];
	struct job *jobs;
	bool verbose = false;
	ssize_t n;
	long v;

	for (first = 1; first < argc && argv[first][0] == '-'; first++) {
		const char *a = argv[first];

		if (!strcmp(a, "-v")) {
			verbose = true;
		} else if (!strncmp(a, "-j", 2) && (a[2] || first + 1 < argc)) {
			if (parse_int(a[2] ? a + 2 : argv[++first], 1, 64, &v)) {
				fprintf(stderr, "kvmkit test: -j wants 1..64\n");
				return 2;
			}
			parallel = (int)v;
		} else if (!strcmp(a, "--guest-dir") && first + 1 < argc) {
			guest_dir = argv[++first];
		} else {
			fprintf(stderr, "kvmkit test: unknown option '%s'\n", a);
			return 2;
		}
	}
	if (first >= argc || argc - first > 64) {
		fprintf(stderr, "usage: kvmkit test [-j N] [-v] [--guest-dir DIR] MANIFEST... (at most 64)\n");
		return 2;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = '\0';

	int owner[64 + 1];

	for (int i = first; i < argc; i++) {
		void *text;
		size_t len;
		char *s;

		owner[i - first] = nr;
		if (load_file(argv[i], 1 << 20, &text, &len))
			return 2;
		s = realloc(text, len + 1);
		if (!s) {
			free(text);
			return 1;
		}
		s[len] = '\0';
		ret = manifest_parse(argv[i], s, &tests, &nr);
		free(s);
		if (ret)
			return 2;
		if (guest_dir)
			snprintf(guests[i - first], sizeof(guests[0]), "%s", guest_dir);
		else
			default_guests(argv[i], guests[i - first], sizeof(guests[0]));
	}
	owner[argc - first] = nr;
	jobs = calloc((size_t)nr + 1, sizeof(*jobs));
	if (!jobs)
		return 1;
	for (int m = 0; m < argc - first; m++) {
		for (int i = owner[m]; i < owner[m + 1]; i++) {
			jobs[i].t = &tests[i];
			jobs[i].guests = guests[m];
			jobs[i].fd = -1;
		}
	}
	ret = run_jobs(jobs, nr, parallel, verbose, self);
	free(jobs);
	manifest_free(tests, nr);
	return ret;
}
