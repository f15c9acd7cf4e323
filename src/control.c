// SPDX-License-Identifier: GPL-2.0
/* The VM side of the control socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "kvmkit/control.h"
#include "kvmkit/log.h"
#include "kvmkit/snapshot.h"
#include "kvmkit/vm.h"

const char *control_dir(void)
{
	static char dir[256];
	const char *env = getenv("KVMKIT_RUN_DIR");

	if (env && *env)
		return env;
	env = getenv("XDG_RUNTIME_DIR");
	if (env && *env)
		snprintf(dir, sizeof(dir), "%s/kvmkit", env);
	else
		snprintf(dir, sizeof(dir), "/run/kvmkit");
	return dir;
}

static int socket_path(const char *name, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s.sock",
		     control_dir(), name) >= (int)sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

static int connect_to(const char *name)
{
	struct sockaddr_un sa;
	int fd;

	if (socket_path(name, &sa))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int control_listen(struct vm *vm)
{
	struct sockaddr_un sa;
	int fd;

	if (mkdir(control_dir(), 0700) < 0 && errno != EEXIST) {
		pr_err("cannot create %s: %s", control_dir(), strerror(errno));
		return -1;
	}
	if (socket_path(vm->name, &sa)) {
		pr_err("VM name '%s' makes too long a socket path", vm->name);
		return -1;
	}
	fd = connect_to(vm->name);
	if (fd >= 0) {
		close(fd);
		pr_err("a VM named '%s' is already running", vm->name);
		return -1;
	}
	unlink(sa.sun_path);	/* a stale socket from a VM that died */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 8) < 0) {
		pr_err("control socket %s: %s", sa.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

void control_close(struct vm *vm, int listen_fd)
{
	struct sockaddr_un sa;

	if (listen_fd < 0)
		return;
	close(listen_fd);
	if (!socket_path(vm->name, &sa))
		unlink(sa.sun_path);
}

int json_get_string(const char *json, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p, *end;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(json, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != ':')
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '"')
		return -1;
	end = strchr(p, '"');
	if (!end || (size_t)(end - p) >= len)
		return -1;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return 0;
}

int json_get_bool(const char *json, const char *key, bool *out)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(json, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	p += strspn(p, " \t");
	if (*p++ != ':')
		return -1;
	p += strspn(p, " \t");
	if (!strncmp(p, "true", 4))
		*out = true;
	else if (!strncmp(p, "false", 5))
		*out = false;
	else
		return -1;
	return 0;
}

static const char *state_name(struct vm *vm)
{
	static const char *const names[] = { "running", "paused", "stopping" };

	return names[__atomic_load_n(&vm->state, __ATOMIC_SEQ_CST)];
}

static void reply_result(char *out, size_t len, int err)
{
	if (!err)
		snprintf(out, len, "{\"ok\":true}\n");
	else
		snprintf(out, len, "{\"ok\":false,\"error\":\"%s\"}\n",
			 err == -EALREADY ? "already in that state" :
			 err == -ESHUTDOWN ? "the VM is stopping" :
					     strerror(-err));
}

/* {"cmd":"snapshot","dir":"/abs/path","live":true}: runs to the end here. */
static void handle_snapshot(struct vm *vm, const char *req, char *out,
			    size_t len)
{
	struct snap_error e = { 0 };
	struct snap_result r;
	char dir[SNAP_DIR_MAX];
	bool live = false;

	if (json_get_string(req, "dir", dir, sizeof(dir)) || dir[0] != '/') {
		snprintf(out, len,
			 "{\"ok\":false,\"error\":\"snapshot wants an absolute \\\"dir\\\"\"}\n");
		return;
	}
	json_get_bool(req, "live", &live);
	if (vm_snapshot(vm, dir, live, &r, &e)) {
		/* Keep the reply valid JSON: the message may quote a path. */
		for (char *c = e.msg; *c; c++)
			if (*c == '"' || *c == '\\')
				*c = '\'';
		snprintf(out, len, "{\"ok\":false,\"error\":\"%s\"}\n", e.msg);
		return;
	}
	snprintf(out, len,
		 "{\"ok\":true,\"live\":%s,\"rounds\":%u,\"final_pages\":%llu,"
		 "\"downtime_ms\":%.3f,"
		 "\"total_ms\":%.3f,\"console_bytes\":%llu,\"mem_bytes\":%llu,"
		 "\"written_bytes\":%llu}\n",
		 r.live ? "true" : "false", r.rounds,
		 (unsigned long long)r.final_pages, r.downtime_ms, r.total_ms,
		 (unsigned long long)r.console_bytes,
		 (unsigned long long)r.mem_bytes,
		 (unsigned long long)r.written_bytes);
}

static void handle_request(struct vm *vm, const char *req, char *out,
			   size_t len)
{
	char cmd[32];

	if (json_get_string(req, "cmd", cmd, sizeof(cmd))) {
		snprintf(out, len, "{\"ok\":false,\"error\":\"no cmd\"}\n");
		return;
	}
	if (!strcmp(cmd, "status")) {
		snprintf(out, len,
			 "{\"ok\":true,\"name\":\"%s\",\"pid\":%d,\"state\":\"%s\","
			 "\"cpus\":%d,\"mem_mib\":%llu}\n",
			 vm->name, (int)getpid(), state_name(vm), vm->nr_vcpus,
			 (unsigned long long)(vm->mem_size >> 20));
	} else if (!strcmp(cmd, "pause")) {
		reply_result(out, len, vm_pause(vm));
	} else if (!strcmp(cmd, "resume")) {
		reply_result(out, len, vm_resume(vm));
	} else if (!strcmp(cmd, "snapshot")) {
		handle_snapshot(vm, req, out, len);
	} else if (!strcmp(cmd, "stop")) {
		snprintf(out, len, "{\"ok\":true}\n");
		vm_request_stop(vm, 0);
	} else {
		snprintf(out, len,
			 "{\"ok\":false,\"error\":\"unknown cmd '%.32s'\"}\n", cmd);
	}
}

void control_serve(struct vm *vm, int listen_fd)
{
	char req[SNAP_DIR_MAX + 512], out[512];
	size_t got = 0;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	/* One request line per connection; a silent client gets 1 s. */
	while (got < sizeof(req) - 1) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 1000) <= 0)
			break;
		n = read(fd, req + got, sizeof(req) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(req, '\n', got))
			break;
	}
	req[got] = '\0';
	if (!memchr(req, '\n', got))
		snprintf(out, sizeof(out),
			 "{\"ok\":false,\"error\":\"request must be one line\"}\n");
	else
		handle_request(vm, req, out, sizeof(out));
	/* A client that already hung up must not kill the VM with SIGPIPE. */
	if (send(fd, out, strlen(out), MSG_NOSIGNAL) < 0)
		pr_debug("control reply: %s", strerror(errno));
	close(fd);
}

int control_request(const char *name, const char *req, char *reply,
		    size_t len)
{
	size_t got = 0;
	int fd = connect_to(name);

	if (fd < 0)
		return fd;
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		close(fd);
		return -errno;
	}
	while (got < len - 1) {
		ssize_t n = read(fd, reply + got, len - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	reply[got] = '\0';
	close(fd);
	return got ? 0 : -EPIPE;
}
