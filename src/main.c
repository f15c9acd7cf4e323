// SPDX-License-Identifier: GPL-2.0
/* kvmkit: a small VMM on /dev/kvm.  Subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "kvmkit/control.h"
#include "kvmkit/run.h"
#include "kvmkit/snapshot.h"

static void usage(FILE *f)
{
	fputs("usage: kvmkit COMMAND [ARGS]\n"
	      "\n"
	      "  run [options] [kernel]     boot a guest (kvmkit run --help)\n"
	      "  test [-j N] MANIFEST...    scripted test boots, TAP output\n"
	      "  list                       running VMs\n"
	      "  pause  --name NAME|--all   park a VM's vCPUs\n"
	      "  resume --name NAME|--all   let them run again\n"
	      "  stop   --name NAME|--all   stop a VM\n"
	      "  snapshot [--live] NAME DIR save a VM into DIR\n"
	      "  restore [options] DIR      restore a snapshot into a new VM\n"
	      "  version                    print the version\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	/* An error is one line on stderr, like every other usage error. */
	if (!cmd) {
		fputs("kvmkit: no command given (see kvmkit --help)\n", stderr);
		return 2;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("kvmkit %s\n", KVMKIT_VERSION);
		return 0;
	}
	kvmkit_version = KVMKIT_VERSION;
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "test"))
		return cmd_test(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "snapshot"))
		return cmd_snapshot(argc - 1, argv + 1);
	if (!strcmp(cmd, "restore"))
		return cmd_restore(argc - 1, argv + 1);
	if (!strcmp(cmd, "pause") || !strcmp(cmd, "resume") ||
	    !strcmp(cmd, "stop"))
		return cmd_vm_action(argc - 1, argv + 1);
	fprintf(stderr, "kvmkit: unknown command '%s' (see kvmkit --help)\n", cmd);
	return 2;
}
