// SPDX-License-Identifier: GPL-2.0
/*
 * `kvmkit test` manifests (src/manifest.c): parsing good manifests, every
 * rejection with its "file:line: problem" message, and splitting args
 * into argv words (quoting, ${GUESTS}, exact and overflowing buffers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kvmkit/manifest.h"

/* The outcome of one manifest_parse call. */
struct mp {
	int ret;
	struct test_case *tests;
	int nr;
	char err[2048];
};

static struct mp mp;

/* Parse @text as @path, appending to mp; stderr captured in mp.err. */
static int parse_into(const char *path, const char *text)
{
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(f);
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	mp.ret = manifest_parse(path, text, &mp.tests, &mp.nr);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(mp.err, 1, sizeof(mp.err) - 1, f);
	mp.err[n] = '\0';
	fclose(f);
	return mp.ret;
}

static int mp_reset(void **state)
{
	manifest_free(mp.tests, mp.nr);
	memset(&mp, 0, sizeof(mp));
	return 0;
}

/* Rejected: -1 and exactly the one line @msg on stderr. */
static void assert_rejected(const char *text, const char *msg)
{
	int ret = parse_into("t.manifest", text);

	if (ret != -1)
		fail_msg("accepted: '%s'", text);
	assert_string_equal(mp.err, msg);
	mp_reset(NULL);
}

/* ---- good manifests ---------------------------------------------------- */

static const char good[] =
	"# A comment, then a blank line\n"
	"\n"
	"[hello]\n"
	"args = ${GUESTS}/hello.elf\n"
	"expect = ^Hello from\n"
	"expect = ^all 1 vCPU\\(s\\) checked in\n"
	"timeout = 20\n"
	"\n"
	"  [exit-42]  \n"
	"\targs\t=\t-p 42 ${GUESTS}/exit_status.elf  \n"
	"exit=42\n"
	"reject = panic|BUG\n"
	"reject = oops\n"
	"   # indented comment\n"
	"[last]\n"
	"args = -c 2 -m 64M x.elf";	/* no final newline */

static void test_good_manifest(void **state)
{
	struct test_case *t;

	assert_int_equal(parse_into("good.manifest", good), 0);
	assert_string_equal(mp.err, "");
	assert_int_equal(mp.nr, 3);

	t = &mp.tests[0];
	assert_string_equal(t->name, "hello");
	assert_string_equal(t->args, "${GUESTS}/hello.elf");
	assert_int_equal(t->exit_status, 0);
	assert_int_equal(t->timeout, 20);
	assert_int_equal(t->nr_expect, 2);
	assert_string_equal(t->expect[0], "^Hello from");
	assert_string_equal(t->expect[1], "^all 1 vCPU\\(s\\) checked in");
	assert_int_equal(t->nr_reject, 0);
	assert_string_equal(t->file, "good.manifest");
	assert_int_equal(t->line, 3);

	t = &mp.tests[1];
	assert_string_equal(t->name, "exit-42");
	assert_string_equal(t->args, "-p 42 ${GUESTS}/exit_status.elf");
	assert_int_equal(t->exit_status, 42);
	assert_int_equal(t->timeout, 30);	/* the default */
	assert_int_equal(t->nr_expect, 0);
	assert_int_equal(t->nr_reject, 2);
	assert_string_equal(t->reject[0], "panic|BUG");
	assert_string_equal(t->reject[1], "oops");
	assert_int_equal(t->line, 9);

	t = &mp.tests[2];
	assert_string_equal(t->name, "last");
	assert_string_equal(t->args, "-c 2 -m 64M x.elf");
	assert_int_equal(t->line, 15);
}

static void test_values_and_limits(void **state)
{
	char name63[70], text[4096];

	/* '=' inside a value, CRLF line ends, the range ends of each number. */
	assert_int_equal(parse_into("m",
				    "[a]\r\n"
				    "args = -p key=value img\r\n"
				    "exit = 255\r\n"
				    "timeout = 3600\r\n"
				    "expect = a=b\r\n"
				    "[b]\n"
				    "args = img\n"
				    "exit = 0\n"
				    "timeout = 1\n"), 0);
	assert_int_equal(mp.nr, 2);
	assert_string_equal(mp.tests[0].args, "-p key=value img");
	assert_int_equal(mp.tests[0].exit_status, 255);
	assert_int_equal(mp.tests[0].timeout, 3600);
	assert_string_equal(mp.tests[0].expect[0], "a=b");
	assert_int_equal(mp.tests[1].exit_status, 0);
	assert_int_equal(mp.tests[1].timeout, 1);
	mp_reset(NULL);

	/* The longest name, the most patterns, the longest args. */
	memset(name63, 'n', 63);
	name63[63] = '\0';
	snprintf(text, sizeof(text), "[%s]\nargs = %01023d\n", name63, 7);
	for (int i = 0; i < MANIFEST_MAX_PATTERNS; i++) {
		strcat(text, "expect = e\n");
		strcat(text, "reject = r\n");
	}
	assert_int_equal(parse_into("m", text), 0);
	assert_string_equal(mp.tests[0].name, name63);
	assert_int_equal(strlen(mp.tests[0].args), 1023);
	assert_int_equal(mp.tests[0].nr_expect, MANIFEST_MAX_PATTERNS);
	assert_int_equal(mp.tests[0].nr_reject, MANIFEST_MAX_PATTERNS);

	/* A later key overrides an earlier one. */
	mp_reset(NULL);
	assert_int_equal(parse_into("m", "[x]\nargs = a\nargs = b\nexit = 1\n"
				    "exit = 2\n"), 0);
	assert_string_equal(mp.tests[0].args, "b");
	assert_int_equal(mp.tests[0].exit_status, 2);
}

static void test_empty_manifests(void **state)
{
	assert_int_equal(parse_into("m", ""), 0);
	assert_int_equal(mp.nr, 0);
	assert_int_equal(parse_into("m", "\n\n   \n# only comments\n\t\n"), 0);
	assert_int_equal(mp.nr, 0);
	assert_null(mp.tests);
}

static void test_two_files_append(void **state)
{
	static const char a[] = "[one]\nargs = a.elf\n[two]\nargs = b.elf\n";
	static const char b[] = "[three]\nargs = c.elf\n";

	assert_int_equal(parse_into("a.manifest", a), 0);
	assert_int_equal(parse_into("b.manifest", b), 0);
	assert_int_equal(mp.nr, 3);
	assert_string_equal(mp.tests[0].name, "one");
	assert_string_equal(mp.tests[1].name, "two");
	assert_string_equal(mp.tests[2].name, "three");
	assert_string_equal(mp.tests[1].file, "a.manifest");
	assert_string_equal(mp.tests[2].file, "b.manifest");
	assert_int_equal(mp.tests[2].line, 1);
	assert_string_equal(mp.tests[2].args, "c.elf");
}

/* ---- rejected manifests -------------------------------------------------- */

static void test_unknown_key(void **state)
{
	assert_rejected("[a]\nargs = x\nexpected = y\n",
			"t.manifest:3: unknown key: expected\n");
	assert_rejected("[a]\nArgs = x\n", "t.manifest:2: unknown key: Args\n");
	assert_rejected("[a]\n = x\n", "t.manifest:2: unknown key: \n");
}

static void test_key_before_header(void **state)
{
	assert_rejected("# c\nargs = x\n[a]\nargs = y\n",
			"t.manifest:2: key before the first [test]\n");
	assert_rejected("exit = 1\n",
			"t.manifest:1: key before the first [test]\n");
}

static void test_bad_header(void **state)
{
	char text[128];

	assert_rejected("[]\nargs = x\n",
			"t.manifest:1: bad test header: []\n");
	assert_rejected("[a\nargs = x\n",
			"t.manifest:1: bad test header: [a\n");
	assert_rejected("[a]b\nargs = x\n",
			"t.manifest:1: bad test header: [a]b\n");
	assert_rejected("[a]]\nargs = x\n",
			"t.manifest:1: bad test header: [a]]\n");
	assert_rejected("[a] # comment\nargs = x\n",
			"t.manifest:1: bad test header: [a] # comment\n");
	assert_rejected("[a]\nargs = x\n[\n",
			"t.manifest:3: bad test header: [\n");
	/* 64 characters do not fit the name. */
	snprintf(text, sizeof(text), "[%064d]\nargs = x\n", 0);
	assert_rejected(text, "t.manifest:1: bad test header: [0000000000000000"
			"000000000000000000000000000000000000000000000000]\n");
	/* Neither a header nor key = value. */
	assert_rejected("[a]\nargs x\n",
			"t.manifest:2: expected key = value: args x\n");
	assert_rejected("junk\n", "t.manifest:1: expected key = value: junk\n");
}

static void test_bad_regex(void **state)
{
	assert_rejected("[a]\nargs = x\nexpect = (unclosed\n",
			"t.manifest:3: bad regular expression: (unclosed\n");
	assert_rejected("[a]\nargs = x\nreject = a[\n",
			"t.manifest:3: bad regular expression: a[\n");
	assert_rejected("[a]\nargs = x\nexpect = *\n",
			"t.manifest:3: bad regular expression: *\n");
}

static void test_too_many_patterns(void **state)
{
	char text[1024] = "[a]\nargs = x\n";

	for (int i = 0; i <= MANIFEST_MAX_PATTERNS; i++)
		strcat(text, "reject = r\n");
	assert_rejected(text, "t.manifest:11: too many patterns\n");
}

static void test_exit_out_of_range(void **state)
{
	assert_rejected("[a]\nargs = x\nexit = 256\n",
			"t.manifest:3: exit wants 0..255: 256\n");
	assert_rejected("[a]\nargs = x\nexit = -1\n",
			"t.manifest:3: exit wants 0..255: -1\n");
	assert_rejected("[a]\nargs = x\nexit = zero\n",
			"t.manifest:3: exit wants 0..255: zero\n");
	assert_rejected("[a]\nargs = x\nexit =\n",
			"t.manifest:3: exit wants 0..255: \n");
	assert_rejected("[a]\nargs = x\nexit = 1 2\n",
			"t.manifest:3: exit wants 0..255: 1 2\n");
	assert_rejected("[a]\nargs = x\nexit = 99999999999999999999\n",
			"t.manifest:3: exit wants 0..255: "
			"99999999999999999999\n");
}

static void test_timeout_out_of_range(void **state)
{
	assert_rejected("[a]\nargs = x\ntimeout = 0\n",
			"t.manifest:3: timeout wants 1..3600 seconds: 0\n");
	assert_rejected("[a]\nargs = x\ntimeout = 3601\n",
			"t.manifest:3: timeout wants 1..3600 seconds: 3601\n");
	assert_rejected("[a]\nargs = x\ntimeout = 10s\n",
			"t.manifest:3: timeout wants 1..3600 seconds: 10s\n");
	assert_rejected("[a]\nargs = x\ntimeout = -5\n",
			"t.manifest:3: timeout wants 1..3600 seconds: -5\n");
}

static void test_without_args(void **state)
{
	assert_rejected("[a]\nexit = 1\n",
			"t.manifest:1: test has no args: a\n");
	assert_rejected("[a]\nargs = x\n\n[b]\nexpect = y\n",
			"t.manifest:4: test has no args: b\n");
	assert_rejected("[a]\nargs =\n", "t.manifest:1: test has no args: a\n");

	/* Only this file's tests are checked, and each once. */
	assert_int_equal(parse_into("a.manifest", "[a]\nargs = x\n"), 0);
	assert_int_equal(parse_into("b.manifest", "[b]\n"), -1);
	assert_string_equal(mp.err, "b.manifest:1: test has no args: b\n");
}

static void test_long_lines(void **state)
{
	char *text = malloc(4096);

	assert_non_null(text);
	/* args of 1024 characters do not fit. */
	snprintf(text, 4096, "[a]\nargs = %01024d\n", 0);
	assert_rejected(text, "t.manifest:2: args too long\n");
	/* A line of 1200 characters is too long to read at all. */
	snprintf(text, 4096, "[a]\nargs = x\nexpect = %01191d\n", 0);
	assert_int_equal(strlen(strchr(text + 12, 'e')), 1201);
	assert_rejected(text, "t.manifest:3: line too long\n");
	/* 1199 characters are fine. */
	snprintf(text, 4096, "[a]\nargs = x\nexpect = %01190d\n", 0);
	assert_int_equal(parse_into("t.manifest", text), 0);
	assert_int_equal(strlen(mp.tests[0].expect[0]), 1190);
	free(text);
}

static void test_error_keeps_earlier_tests(void **state)
{
	/* A failing parse leaves what it added freeable by manifest_free. */
	assert_int_equal(parse_into("m", "[a]\nargs = x\nexpect = e\n"
				    "[b]\nargs = y\nreject = r\nexit = 300\n"),
			 -1);
	assert_int_equal(mp.nr, 2);
	assert_string_equal(mp.tests[0].expect[0], "e");
	assert_string_equal(mp.tests[1].reject[0], "r");
}

/* ---- manifest_split_args ---------------------------------------------- */

#define MAXW 16

struct split {
	int n;
	char buf[512];
	char *argv[MAXW];
};

static struct split *split(const char *args, const char *guests, size_t buflen,
			   int max)
{
	static struct split s;

	memset(&s, 0, sizeof(s));
	assert_true(buflen <= sizeof(s.buf));
	s.n = manifest_split_args(args, guests, s.buf, buflen, s.argv, max);
	return &s;
}

static void assert_words(struct split *s, int n, ...)
{
	va_list ap;

	assert_int_equal(s->n, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(s->argv[i], va_arg(ap, const char *));
	va_end(ap);
}

static void test_split_plain(void **state)
{
	assert_words(split("-c 2 -m 64M img.elf", "g", 512, MAXW), 5, "-c", "2",
		     "-m", "64M", "img.elf");
	assert_words(split("  \t lead  and\ttrail \t ", "g", 512, MAXW), 3,
		     "lead", "and", "trail");
}

static void test_split_empty(void **state)
{
	assert_words(split("", "g", 512, MAXW), 0);
	assert_words(split("   \t  ", "g", 512, MAXW), 0);
	assert_words(split("", "g", 0, 0), 0);
}

static void test_split_quoting(void **state)
{
	assert_words(split("-p \"0 20000\" x.elf", "g", 512, MAXW), 3, "-p",
		     "0 20000", "x.elf");
	assert_words(split("-p 'pio 10000' x", "g", 512, MAXW), 3, "-p",
		     "pio 10000", "x");
	/* The other quote is literal inside a quoted part. */
	assert_words(split("\"it's\" 'say \"hi\"'", "g", 512, MAXW), 2, "it's",
		     "say \"hi\"");
	/* Quotes join with what touches them; '' or "" is an empty word. */
	assert_words(split("a\"b c\"d '' \"\" e", "g", 512, MAXW), 4, "ab cd",
		     "", "", "e");
	assert_words(split("--name='my vm'", "g", 512, MAXW), 1,
		     "--name=my vm");
	/* Unterminated quotes. */
	assert_int_equal(split("-p \"open", "g", 512, MAXW)->n, -1);
	assert_int_equal(split("'", "g", 512, MAXW)->n, -1);
	assert_int_equal(split("a 'b\" c", "g", 512, MAXW)->n, -1);
}

static void test_split_guests(void **state)
{
	assert_words(split("${GUESTS}/hello.elf", "build/guests/x86", 512,
			   MAXW), 1, "build/guests/x86/hello.elf");
	assert_words(split("-k ${GUESTS}/a.elf -i ${GUESTS}/rd${GUESTS}", "/g",
			   512, MAXW), 4, "-k", "/g/a.elf", "-i", "/g/rd/g");
	/* Inside quotes too; a directory with blanks stays one word. */
	assert_words(split("\"${GUESTS}/x y.elf\"", "my dir", 512, MAXW), 1,
		     "my dir/x y.elf");
	assert_words(split("${GUESTS}", "my dir", 512, MAXW), 1, "my dir");
	/* Only the exact spelling expands. */
	assert_words(split("${GUEST}/a $GUESTS/b ${guests} $${GUESTS}", "G",
			   512, MAXW), 4, "${GUEST}/a", "$GUESTS/b",
		     "${guests}", "$G");
	/* An empty guest directory. */
	assert_words(split("${GUESTS}/a.elf", "", 512, MAXW), 1, "/a.elf");
}

static void test_split_max_words(void **state)
{
	assert_words(split("a b c", "g", 512, 3), 3, "a", "b", "c");
	assert_int_equal(split("a b c d", "g", 512, 3)->n, -1);
	assert_int_equal(split("a", "g", 512, 0)->n, -1);
	/* Trailing blanks are no extra word. */
	assert_words(split("a b c   ", "g", 512, 3), 3, "a", "b", "c");
}

static void test_split_buffer_bounds(void **state)
{
	struct split *s;

	/* "abc" + NUL fills 4 bytes exactly; 3 are too few. */
	assert_words(split("abc", "g", 4, MAXW), 1, "abc");
	assert_int_equal(split("abc", "g", 3, MAXW)->n, -1);
	/* Two words: "ab\0cd\0" is 6 bytes. */
	assert_words(split("ab cd", "g", 6, MAXW), 2, "ab", "cd");
	assert_int_equal(split("ab cd", "g", 5, MAXW)->n, -1);
	/* An empty word needs its NUL too. */
	assert_words(split("ab ''", "g", 4, MAXW), 2, "ab", "");
	assert_int_equal(split("ab ''", "g", 3, MAXW)->n, -1);
	assert_int_equal(split("''", "g", 0, MAXW)->n, -1);
	assert_int_equal(split("a", "g", 0, MAXW)->n, -1);
	assert_int_equal(split("a", "g", 1, MAXW)->n, -1);

	/* ${GUESTS} expansion: "/guests/x" + NUL is 10 bytes. */
	assert_words(split("${GUESTS}/x", "/guests", 10, MAXW), 1, "/guests/x");
	assert_int_equal(split("${GUESTS}/x", "/guests", 9, MAXW)->n, -1);
	assert_words(split("${GUESTS}", "/guests", 8, MAXW), 1, "/guests");
	assert_int_equal(split("${GUESTS}", "/guests", 7, MAXW)->n, -1);

	/* Nothing is written past buflen. */
	s = split("aaaa bbbb cccc dddd", "g", 12, MAXW);
	assert_int_equal(s->n, -1);
	for (size_t i = 12; i < sizeof(s->buf); i++)
		assert_int_equal(s->buf[i], 0);
	s = split("${GUESTS}${GUESTS}${GUESTS}", "0123456789", 25, MAXW);
	assert_int_equal(s->n, -1);
	for (size_t i = 25; i < sizeof(s->buf); i++)
		assert_int_equal(s->buf[i], 0);
}

static void test_split_heap_exact(void **state)
{
	/* Exact-size heap buffers, so ASan sees any overrun. */
	for (size_t len = 0; len < 40; len++) {
		char *buf = malloc(len ? len : 1);
		char *argv[8];
		int n;

		assert_non_null(buf);
		n = manifest_split_args("-p 'a b' ${GUESTS}/c.elf x", "/gd",
					buf, len, argv, 8);
		/* "-p\0a b\0/gd/c.elf\0x\0" is 19 bytes. */
		if (len >= 19) {
			assert_int_equal(n, 4);
			assert_string_equal(argv[2], "/gd/c.elf");
			assert_string_equal(argv[3], "x");
		} else {
			assert_int_equal(n, -1);
		}
		free(buf);
	}
}

#define T(fn) cmocka_unit_test_teardown(fn, mp_reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_good_manifest),
		T(test_values_and_limits),
		T(test_empty_manifests),
		T(test_two_files_append),
		T(test_unknown_key),
		T(test_key_before_header),
		T(test_bad_header),
		T(test_bad_regex),
		T(test_too_many_patterns),
		T(test_exit_out_of_range),
		T(test_timeout_out_of_range),
		T(test_without_args),
		T(test_long_lines),
		T(test_error_keeps_earlier_tests),
		T(test_split_plain),
		T(test_split_empty),
		T(test_split_quoting),
		T(test_split_guests),
		T(test_split_max_words),
		T(test_split_buffer_bounds),
		T(test_split_heap_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
