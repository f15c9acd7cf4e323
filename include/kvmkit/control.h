/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket: each running VM listens on
 * <run dir>/<name>.sock for one-line JSON requests (docs/control.md).
 */
#ifndef KVMKIT_CONTROL_H
#define KVMKIT_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

struct vm;

/* $KVMKIT_RUN_DIR, else $XDG_RUNTIME_DIR/kvmkit, else /run/kvmkit. */
const char *control_dir(void);

/* Bind the VM's socket; -1 with a message when the name is taken. */
int control_listen(struct vm *vm);
/* Serve one connection on the listening fd (called when it is readable). */
void control_serve(struct vm *vm, int listen_fd);
void control_close(struct vm *vm, int listen_fd);

/* Client side: send @req to VM @name, put the reply line in @reply. */
int control_request(const char *name, const char *req, char *reply,
		    size_t len);

/* `kvmkit list|pause|resume|stop` */
int cmd_list(int argc, char **argv);
int cmd_vm_action(int argc, char **argv);

/* The string value of "key" in a flat JSON object, or -1. */
int json_get_string(const char *json, const char *key, char *out, size_t len);
/* The true/false value of "key", or -1. */
int json_get_bool(const char *json, const char *key, bool *out);

#endif
