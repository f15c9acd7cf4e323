// SPDX-License-Identifier: GPL-2.0
/* `kvmkit list`, `pause`, `resume`, `stop`: clients of the control socket. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kvmkit/control.h"

#define SOCK_SUFFIX ".sock"

/* Calls @fn for each VM with a live socket; removes stale ones. */
static int for_each_vm(int (*fn)(const char *name, void *arg), void *arg)
{
	DIR *d = opendir(control_dir());
	struct dirent *de;
	int ret = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char name[256], reply[512];

		if (n <= strlen(SOCK_SUFFIX) ||
		    strcmp(de->d_name + n - strlen(SOCK_SUFFIX), SOCK_SUFFIX))
			continue;
		snprintf(name, sizeof(name), "%.*s",
			 (int)(n - strlen(SOCK_SUFFIX)), de->d_name);
		if (control_request(name, "{\"cmd\":\"status\"}\n", reply,
				    sizeof(reply)) == -ECONNREFUSED) {
			char path[512];

			snprintf(path, sizeof(path), "%s/%s", control_dir(),
				 de->d_name);
			unlink(path);
			continue;
		}
		ret |= fn(name, arg);
	}
	closedir(d);
	return ret;
}

static int print_vm(const char *name, void *arg)
{
	char reply[512], state[32] = "?", buf[32];
	int pid = 0, cpus = 0;
	const char *p;

	(void)arg;
	if (control_request(name, "{\"cmd\":\"status\"}\n", reply, sizeof(reply)))
		return 0;
	json_get_string(reply, "state", state, sizeof(state));
	p = strstr(reply, "\"pid\":");
	if (p)
		sscanf(p + 6, "%d", &pid);
	p = strstr(reply, "\"cpus\":");
	if (p)
		sscanf(p + 7, "%d", &cpus);
	snprintf(buf, sizeof(buf), "%d", pid);
	printf("%-8s %-24s %-9s %d\n", buf, name, state, cpus);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "-a") && strcmp(argv[1], "--all")) {
		fprintf(stderr, "kvmkit list: unexpected argument '%s'\n", argv[1]);
		return 2;
	}
	printf("%-8s %-24s %-9s %s\n", "PID", "NAME", "STATE", "CPUS");
	return for_each_vm(print_vm, NULL) < 0 ? 1 : 0;
}

struct action {
	const char *cmd;
	int failures;
};

static int act(const char *name, void *arg)
{
	struct action *a = arg;
	char req[64], reply[512], err[128];
	int ret;

	snprintf(req, sizeof(req), "{\"cmd\":\"%s\"}\n", a->cmd);
	ret = control_request(name, req, reply, sizeof(reply));
	if (ret) {
		fprintf(stderr, "kvmkit %s: no VM named '%s' (%s)\n", a->cmd,
			name, strerror(-ret));
		a->failures++;
		return 0;
	}
	if (!strstr(reply, "\"ok\":true")) {
		if (json_get_string(reply, "error", err, sizeof(err)))
			snprintf(err, sizeof(err), "bad reply");
		fprintf(stderr, "kvmkit %s: %s: %s\n", a->cmd, name, err);
		a->failures++;
	}
	return 0;
}

/* kvmkit pause|resume|stop (--name NAME | NAME | --all | -a) */
int cmd_vm_action(int argc, char **argv)
{
	struct action a = { .cmd = argv[0] };
	const char *name = NULL;
	int all = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a")) {
			all = 1;
		} else if ((!strcmp(argv[i], "--name") || !strcmp(argv[i], "-n")) &&
			   i + 1 < argc) {
			name = argv[++i];
		} else if (argv[i][0] != '-' && !name) {
			name = argv[i];
		} else {
			fprintf(stderr, "kvmkit %s: unexpected argument '%s'\n",
				a.cmd, argv[i]);
			return 2;
		}
	}
	if (!all == !name) {
		fprintf(stderr, "kvmkit %s: give a VM name (--name NAME) or --all\n",
			a.cmd);
		return 2;
	}
	if (all)
		for_each_vm(act, &a);
	else
		act(name, &a);
	return a.failures ? 1 : 0;
}
