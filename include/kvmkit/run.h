/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of the kvmkit binary. */
#ifndef KVMKIT_RUN_H
#define KVMKIT_RUN_H

#include "kvmkit/vm.h"

struct snap_image;

int cmd_run(int argc, char **argv);
/* Build, run and tear down one VM; @img: restore it from a snapshot. */
int run_vm(const struct vm_config *cfg, struct snap_image *img);
int cmd_test(int argc, char **argv);

#endif
