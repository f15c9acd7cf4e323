// SPDX-License-Identifier: GPL-2.0
/*
 * `kvmkit snapshot [--live] [--json] NAME DIR`: ask VM NAME, over its
 * control socket, to snapshot itself into DIR (docs/snapshot-format.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvmkit/control.h"
#include "kvmkit/snapshot.h"

static double num(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	return p ? strtod(p + strlen(pat), NULL) : 0;
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "kvmkit snapshot: ");
	fprintf(stderr, msg, arg);
	fputc('\n', stderr);
	return 2;
}

/* The VM runs elsewhere: send it an absolute path. */
static int absolute(const char *dir, char *out, size_t len)
{
	char cwd[SNAP_DIR_MAX];
	int n;

	if (dir[0] == '/') {
		n = snprintf(out, len, "%s", dir);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		n = snprintf(out, len, "%s/%s", cwd, dir);
	}
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	for (const char *c = out; *c; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			return -EINVAL;
	return 0;
}

int cmd_snapshot(int argc, char **argv)
{
	const char *name = NULL, *dir = NULL;
	char path[SNAP_DIR_MAX], req[SNAP_DIR_MAX + 128], reply[1024];
	char err[256];
	bool live = false, json = false;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--live")) {
			live = true;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if ((!strcmp(argv[i], "--name") || !strcmp(argv[i], "-n")) &&
			   i + 1 < argc && !name) {
			name = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: kvmkit snapshot [--live] [--json] (--name NAME | NAME) DIR\n"
			     "\n"
			     "Save VM NAME's memory and state into DIR (created if missing);\n"
			     "the VM goes on as it was.  --live copies memory while the guest\n"
			     "runs and pauses it only for the last pages and the vCPU state.\n"
			     "--json prints the VM's reply as it is.  Restore with\n"
			     "kvmkit restore DIR.");
			return 0;
		} else if (argv[i][0] == '-') {
			return usage_error("unknown option '%s'", argv[i]);
		} else if (!name) {
			name = argv[i];
		} else if (!dir) {
			dir = argv[i];
		} else {
			return usage_error("unexpected argument '%s'", argv[i]);
		}
	}
	if (!name || !dir)
		return usage_error("%s", "give a VM name and a directory (kvmkit snapshot [--live] NAME DIR)");
	ret = absolute(dir, path, sizeof(path));
	if (ret)
		return usage_error(ret == -EINVAL ?
				   "directory '%s' has a quote, backslash or control character" :
				   "directory '%s' makes too long a path", dir);
	snprintf(req, sizeof(req), "{\"cmd\":\"snapshot\",\"dir\":\"%s\",\"live\":%s}\n",
		 path, live ? "true" : "false");
	ret = control_request(name, req, reply, sizeof(reply));
	if (ret) {
		fprintf(stderr, "kvmkit snapshot: no VM named '%s' (%s)\n", name,
			strerror(-ret));
		return 1;
	}
	if (!strstr(reply, "\"ok\":true")) {
		if (json_get_string(reply, "error", err, sizeof(err)))
			snprintf(err, sizeof(err), "bad reply");
		fprintf(stderr, "kvmkit snapshot: %s: %s\n", name, err);
		return 1;
	}
	if (json) {
		fputs(reply, stdout);
		return 0;
	}
	printf("%s: snapshot in %s (%s): downtime %.2f ms, total %.1f ms, %.0f round(s), %.2f of %.0f MiB written, console at byte %.0f\n",
	       name, path, live ? "live" : "paused", num(reply, "downtime_ms"),
	       num(reply, "total_ms"), num(reply, "rounds"),
	       num(reply, "written_bytes") / (1 << 20),
	       num(reply, "mem_bytes") / (1 << 20), num(reply, "console_bytes"));
	return 0;
}
