// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kvmkit/log.h"

enum log_level log_level = LOG_WARN;

static const char *const level_names[] = { "error", "warning", "info",
					   "debug" };

void log_msg(enum log_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* One write per line keeps lines whole across vCPU threads. */
	if (level == LOG_INFO)
		fprintf(stderr, "kvmkit: %s\n", buf);
	else
		fprintf(stderr, "kvmkit: %s: %s\n", level_names[level], buf);
}

int log_parse_level(const char *name)
{
	for (int i = 0; i <= LOG_DEBUG; i++)
		if (!strcmp(name, level_names[i]))
			return i;
	if (!strcmp(name, "warn"))
		return LOG_WARN;
	return -1;
}
