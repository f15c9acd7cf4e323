/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test manifests for `kvmkit test` (docs/testing.md):
 *
 *   [name]
 *   args    = -c 2 ${GUESTS}/smp.elf   kvmkit run arguments
 *   exit    = 0                        expected exit status (default 0)
 *   expect  = ^Hello                   POSIX ERE the output must match
 *                                      (repeatable: all must match)
 *   reject  = panic                    ERE the output must not match
 *   timeout = 10                       seconds (default 30)
 */
#ifndef KVMKIT_MANIFEST_H
#define KVMKIT_MANIFEST_H

#include <stddef.h>

#define MANIFEST_MAX_PATTERNS 8

struct test_case {
	char name[64];
	char args[1024];
	int exit_status;
	int timeout;
	char *expect[MANIFEST_MAX_PATTERNS];
	int nr_expect;
	char *reject[MANIFEST_MAX_PATTERNS];
	int nr_reject;
	const char *file;
	int line;
};

/*
 * Append the tests of @path to *tests (realloc'd).  Returns 0, or -1 after
 * printing "file:line: problem".
 */
int manifest_parse(const char *path, const char *text,
		   struct test_case **tests, int *nr);
void manifest_free(struct test_case *tests, int nr);

/*
 * Split @args into argv words (blanks separate, '...' and "..." quote),
 * replacing ${GUESTS} with @guests.  Returns the count or -1.
 */
int manifest_split_args(const char *args, const char *guests, char *buf,
			size_t buflen, char **argv, int max);

#endif
