// SPDX-License-Identifier: GPL-2.0
/* Parsing of `kvmkit test` manifests. */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmkit/config.h"
#include "kvmkit/manifest.h"

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int fail(const char *path, int line, const char *why, const char *what)
{
	fprintf(stderr, "%s:%d: %s%s%s\n", path, line, why, what ? ": " : "",
		what ? what : "");
	return -1;
}

static int add_pattern(const char *path, int line, char **list, int *nr,
		       const char *val)
{
	regex_t re;

	if (*nr >= MANIFEST_MAX_PATTERNS)
		return fail(path, line, "too many patterns", NULL);
	if (regcomp(&re, val, REG_EXTENDED | REG_NOSUB | REG_NEWLINE))
		return fail(path, line, "bad regular expression", val);
	regfree(&re);
	list[(*nr)++] = strdup(val);
	return 0;
}

static int set_key(struct test_case *t, const char *path, int line,
		   const char *key, const char *val)
{
	long n;

	if (!strcmp(key, "args")) {
		if (strlen(val) >= sizeof(t->args))
			return fail(path, line, "args too long", NULL);
		strcpy(t->args, val);
	} else if (!strcmp(key, "exit")) {
		if (parse_int(val, 0, 255, &n))
			return fail(path, line, "exit wants 0..255", val);
		t->exit_status = (int)n;
	} else if (!strcmp(key, "timeout")) {
		if (parse_int(val, 1, 3600, &n))
			return fail(path, line, "timeout wants 1..3600 seconds", val);
		t->timeout = (int)n;
	} else if (!strcmp(key, "expect")) {
		return add_pattern(path, line, t->expect, &t->nr_expect, val);
	} else if (!strcmp(key, "reject")) {
		return add_pattern(path, line, t->reject, &t->nr_reject, val);
	} else {
		return fail(path, line, "unknown key", key);
	}
	return 0;
}

int manifest_parse(const char *path, const char *text,
		   struct test_case **tests, int *nr)
{
	struct test_case *t = NULL;
	const char *p = text;
	int line = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char buf[1200], *s, *eq;

		line++;
		if (len >= sizeof(buf))
			return fail(path, line, "line too long", NULL);
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (nl ? 1 : 0);
		s = trim(buf);
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			struct test_case *grown;

			if (!end || end[1] || end == s + 1 ||
			    (size_t)(end - s - 1) >= sizeof(t->name))
				return fail(path, line, "bad test header", s);
			grown = realloc(*tests, (size_t)(*nr + 1) * sizeof(**tests));
			if (!grown)
				return fail(path, line, "out of memory", NULL);
			*tests = grown;
			t = &grown[(*nr)++];
			memset(t, 0, sizeof(*t));
			memcpy(t->name, s + 1, (size_t)(end - s - 1));
			t->timeout = 30;
			t->file = path;
			t->line = line;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			return fail(path, line, "expected key = value", s);
		if (!t)
			return fail(path, line, "key before the first [test]", NULL);
		*eq = '\0';
		if (set_key(t, path, line, trim(s), trim(eq + 1)))
			return -1;
	}
	for (int i = 0; i < *nr; i++)
		if ((*tests)[i].file == path && !(*tests)[i].args[0])
			return fail(path, (*tests)[i].line, "test has no args",
				    (*tests)[i].name);
	return 0;
}

void manifest_free(struct test_case *tests, int nr)
{
	for (int i = 0; i < nr; i++) {
		for (int j = 0; j < tests[i].nr_expect; j++)
			free(tests[i].expect[j]);
		for (int j = 0; j < tests[i].nr_reject; j++)
			free(tests[i].reject[j]);
	}
	free(tests);
}

int manifest_split_args(const char *args, const char *guests, char *buf,
			size_t buflen, char **argv, int max)
{
	static const char var[] = "${GUESTS}";
	size_t o = 0;
	int n = 0;
	const char *p = args;

	while (*p) {
		char quote = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (n >= max)
			return -1;
		argv[n++] = buf + o;
		while (*p && (quote || !isspace((unsigned char)*p))) {
			if (!quote && (*p == '"' || *p == '\'')) {
				quote = *p++;
			} else if (quote && *p == quote) {
				quote = 0;
				p++;
			} else if (!strncmp(p, var, sizeof(var) - 1)) {
				size_t l = strlen(guests);

				if (o + l >= buflen)
					return -1;
				memcpy(buf + o, guests, l);
				o += l;
				p += sizeof(var) - 1;
			} else {
				if (o + 1 >= buflen)
					return -1;
				buf[o++] = *p++;
			}
		}
		if (quote || o >= buflen)	/* room for the NUL */
			return -1;
		buf[o++] = '\0';
	}
	return n;
}
