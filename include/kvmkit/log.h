/* SPDX-License-Identifier: GPL-2.0 */
/* Logging: one line per message, prefixed with the program name. */
#ifndef KVMKIT_LOG_H
#define KVMKIT_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level log_level;

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parse "error|warning|info|debug"; -1 on an unknown name. */
int log_parse_level(const char *name);

#define pr_err(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)                                                    \
	do {                                                             \
		if (log_level >= LOG_DEBUG)                              \
			log_msg(LOG_DEBUG, __VA_ARGS__);                 \
	} while (0)

#endif
