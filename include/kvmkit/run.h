/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of the kvmkit binary. */
#ifndef KVMKIT_RUN_H
#define KVMKIT_RUN_H

#include "kvmkit/vm.h"

int cmd_run(int argc, char **argv);
int cmd_test(int argc, char **argv);

#endif
