// SPDX-License-Identifier: GPL-2.0
/*
 * Guest image loading (src/loader.c) into a fake guest RAM: ELF64 images
 * built here byte by byte, every malformed-header path with its errno,
 * segments at and beyond the edges of RAM, flat binaries, load_file, and
 * random corruption of a good image.  Images live in malloc'd buffers of
 * their exact size, so ASan catches any read past the end of the file.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_host.h"
#include "kvmkit/loader.h"

#define RAM_BASE 0x100000ULL
#define RAM_SIZE 0x100000ULL	/* guest RAM: [1 MiB, 2 MiB) */
#define RAM_END (RAM_BASE + RAM_SIZE)
#define IMG_MAX 0x8000
#define DATA_OFF 0x1000		/* segment data starts here in the file */

/* An ELF64 image under construction. */
struct img {
	uint8_t b[IMG_MAX];
	size_t len;
};

struct lt {
	struct fake_host *fh;
	struct img img;
	FILE *err;		/* stderr while a test runs */
	int saved_err;
	char msg[1024];
};

static Elf64_Ehdr *ehdr(struct img *im)
{
	return (Elf64_Ehdr *)im->b;
}

static Elf64_Phdr *phdr(struct img *im, int i)
{
	return (Elf64_Phdr *)(im->b + ehdr(im)->e_phoff) + i;
}

/* A valid x86-64 header with @nph program headers right after it. */
static void img_init(struct img *im, int nph)
{
	Elf64_Ehdr *eh = ehdr(im);

	memset(im, 0, sizeof(*im));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = RAM_BASE;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (Elf64_Half)nph;
	im->len = DATA_OFF;
}

/* Segment @i: @filesz bytes of a pattern at @off in the file. */
static void img_seg(struct img *im, int i, uint32_t type, uint64_t paddr,
		    uint64_t off, uint64_t filesz, uint64_t memsz)
{
	Elf64_Phdr *ph = phdr(im, i);

	*ph = (Elf64_Phdr){ .p_type = type, .p_flags = PF_R | PF_X,
			    .p_offset = off, .p_vaddr = paddr,
			    .p_paddr = paddr, .p_filesz = filesz,
			    .p_memsz = memsz, .p_align = 0x1000 };
	for (uint64_t j = 0; j < filesz && off + j < IMG_MAX; j++)
		im->b[off + j] = (uint8_t)(0x40 + i + j * 7);
	if (off + filesz > im->len && off + filesz <= IMG_MAX)
		im->len = off + filesz;
}

/* Capture what the loader prints, one call at a time. */
static void cap_begin(struct lt *t)
{
	fflush(stderr);
	assert_int_equal(ftruncate(fileno(t->err), 0), 0);
	rewind(t->err);
	dup2(fileno(t->err), STDERR_FILENO);
}

static const char *cap_end(struct lt *t)
{
	size_t n;

	fflush(stderr);
	dup2(t->saved_err, STDERR_FILENO);	/* cmocka reports there */
	rewind(t->err);
	n = fread(t->msg, 1, sizeof(t->msg) - 1, t->err);
	t->msg[n] = '\0';
	return t->msg;
}

/* Evaluate @expr with stderr captured in t->msg; cmocka keeps the real one. */
#define CAPTURE(t, expr)                                                 \
	({                                                               \
		int ret_;                                                \
		cap_begin(t);                                            \
		ret_ = (expr);                                           \
		cap_end(t);                                              \
		ret_;                                                    \
	})

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* elf_load of the image from an exact-size heap copy. */
static int load_elf_len(struct lt *t, size_t len, struct load_info *info)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, t->img.b, len);
	cap_begin(t);
	ret = elf_load(&t->fh->host, "guest.elf", copy, len, EM_X86_64, info);
	cap_end(t);
	free(copy);
	if (ret) {
		/* Failures say so in one line naming the file. */
		if (count_lines(t->msg) != 1 || !strstr(t->msg, "guest.elf: "))
			fail_msg("want one line naming the file, got '%s'",
				 t->msg);
	} else {
		assert_string_equal(t->msg, "");
	}
	return ret;
}

static int load_elf(struct lt *t, struct load_info *info)
{
	return load_elf_len(t, t->img.len, info);
}

/* Expect -ENOEXEC with @why in the message. */
static void assert_bad_elf(struct lt *t, const char *why)
{
	struct load_info info;
	int ret = load_elf(t, &info);

	if (ret != -ENOEXEC)
		fail_msg("%s: got %d, want -ENOEXEC", why, ret);
	if (!strstr(t->msg, why))
		fail_msg("message '%s' lacks '%s'", t->msg, why);
}

static void assert_outside_ram(struct lt *t)
{
	struct load_info info;
	int ret = load_elf(t, &info);

	if (ret != -EFAULT)
		fail_msg("got %d, want -EFAULT (%s)", ret, t->msg);
	assert_non_null(strstr(t->msg, "lies outside guest RAM"));
}

static int lt_setup(void **state)
{
	struct lt *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	t->fh = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	t->err = tmpfile();
	if (!t->err)
		return -1;
	t->saved_err = dup(STDERR_FILENO);
	/* Non-zero RAM shows which bytes the loader wrote or zeroed. */
	memset(t->fh->ram, 0xee, RAM_SIZE);
	*state = t;
	return 0;
}

static int lt_teardown(void **state)
{
	struct lt *t = *state;

	close(t->saved_err);
	fclose(t->err);
	fake_host_free(t->fh);
	free(t);
	return 0;
}

static uint8_t *ram(struct lt *t, uint64_t gpa)
{
	return fake_ram(t->fh, gpa);
}

/* ---- good images ------------------------------------------------------- */

static void test_elf_good(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;
	struct load_info info;

	img_init(im, 4);
	/* Text, a note (ignored), data + bss, an empty PT_LOAD (skipped). */
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x180, 0x180);
	img_seg(im, 1, PT_NOTE, 0x1f0000, DATA_OFF + 0x200, 0x10, 0x10);
	img_seg(im, 2, PT_LOAD, 0x102000, DATA_OFF + 0x400, 0x30, 0x2000);
	img_seg(im, 3, PT_LOAD, 0x1ff000, DATA_OFF + 0x800, 0, 0);
	ehdr(im)->e_entry = 0x100040;

	assert_int_equal(load_elf(t, &info), 0);
	assert_int_equal(info.entry, 0x100040);
	assert_int_equal(info.low, 0x100000);
	assert_int_equal(info.high, 0x104000);

	/* Text and data bytes at their physical addresses. */
	assert_memory_equal(ram(t, 0x100000), im->b + DATA_OFF, 0x180);
	assert_memory_equal(ram(t, 0x102000), im->b + DATA_OFF + 0x400, 0x30);
	/* bss zeroed up to memsz, not a byte further. */
	for (uint64_t a = 0x102030; a < 0x104000; a++)
		if (*ram(t, a))
			fail_msg("bss byte 0x%llx is 0x%02x",
				 (unsigned long long)a, *ram(t, a));
	assert_int_equal(*ram(t, 0x104000), 0xee);
	assert_int_equal(*ram(t, 0x100180), 0xee);
	assert_int_equal(*ram(t, 0x101fff), 0xee);
	/* The note and the empty segment wrote nothing. */
	assert_int_equal(*ram(t, 0x1f0000), 0xee);
	assert_int_equal(*ram(t, 0x1ff000), 0xee);
}

static void test_elf_bss_only_and_large(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;
	struct load_info info;

	/* A pure-bss segment bigger than the loader's zero buffer. */
	img_init(im, 2);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	img_seg(im, 1, PT_LOAD, 0x110000, DATA_OFF, 0, 0x12345);
	assert_int_equal(load_elf(t, &info), 0);
	assert_int_equal(info.low, 0x100000);
	assert_int_equal(info.high, 0x122345);
	for (uint64_t a = 0x110000; a < 0x122345; a++)
		if (*ram(t, a))
			fail_msg("bss byte 0x%llx not zeroed",
				 (unsigned long long)a);
	assert_int_equal(*ram(t, 0x122345), 0xee);
	assert_int_equal(*ram(t, 0x10ffff), 0xee);
}

static void test_elf_fills_ram_exactly(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;
	struct load_info info;

	/* From the first byte of RAM to the last. */
	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, RAM_BASE, DATA_OFF, 0x100, RAM_SIZE);
	ehdr(im)->e_entry = RAM_END - 1;
	assert_int_equal(load_elf(t, &info), 0);
	assert_int_equal(info.low, RAM_BASE);
	assert_int_equal(info.high, RAM_END);
	assert_int_equal(*ram(t, RAM_END - 1), 0);
}

static void test_elf_unaligned_phdrs(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;
	struct load_info info;
	Elf64_Phdr ph = { .p_type = PT_LOAD, .p_offset = DATA_OFF,
			  .p_paddr = 0x180000, .p_filesz = 4, .p_memsz = 8 };

	/* Program headers at an odd file offset. */
	img_init(im, 1);
	ehdr(im)->e_phoff = 0x41;
	memcpy(im->b + 0x41, &ph, sizeof(ph));
	memcpy(im->b + DATA_OFF, "\x11\x22\x33\x44", 4);
	im->len = DATA_OFF + 4;
	ehdr(im)->e_entry = 0x180000;
	assert_int_equal(load_elf(t, &info), 0);
	assert_memory_equal(ram(t, 0x180000), "\x11\x22\x33\x44\0\0\0\0", 8);
}

/* ---- the entry point ---------------------------------------------------- */

static void test_elf_entry_outside(void **state)
{
	static const uint64_t entries[] = {
		0x0, 0x0fffff, 0x100000 - 1,	/* below */
		0x104000, 0x1fffff, UINT64_MAX,	/* at the end and above */
		0x101000, 0x101fff,		/* in the gap between two */
	};
	struct lt *t = *state;
	struct img *im = &t->img;
	struct load_info info;

	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		img_init(im, 2);
		img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x100, 0x1000);
		img_seg(im, 1, PT_LOAD, 0x102000, DATA_OFF, 0x100, 0x2000);
		ehdr(im)->e_entry = entries[i];
		assert_bad_elf(t, "entry point lies outside the loaded "
				  "segments");
	}
	/* First and last byte of each segment are fine. */
	for (uint64_t e = 0x100000; e < 0x104000; e += 0x1000) {
		img_init(im, 2);
		img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x100, 0x1000);
		img_seg(im, 1, PT_LOAD, 0x102000, DATA_OFF, 0x100, 0x2000);
		ehdr(im)->e_entry = e == 0x101000 ? 0x100fff : e;
		assert_int_equal(load_elf(t, &info), 0);
		assert_int_equal(info.entry, ehdr(im)->e_entry);
	}
}

/* ---- malformed headers --------------------------------------------------- */

static void test_elf_truncated_header(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;
	struct load_info info;

	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	for (size_t len = 0; len < sizeof(Elf64_Ehdr); len++) {
		assert_int_equal(load_elf_len(t, len, &info), -ENOEXEC);
		assert_non_null(strstr(t->msg, "truncated header"));
	}
	/* Not an ELF at all. */
	im->b[EI_MAG1] = 'X';
	assert_bad_elf(t, "truncated header");
}

static void test_elf_bad_phdrs(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;
	const char *beyond = "program headers lie beyond the end of the file";

	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	ehdr(im)->e_phnum = 0;
	assert_bad_elf(t, "no usable program headers");

	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	ehdr(im)->e_phentsize = sizeof(Elf64_Phdr) - 1;
	assert_bad_elf(t, "no usable program headers");
	ehdr(im)->e_phentsize = 32;	/* an Elf32_Phdr size */
	assert_bad_elf(t, "no usable program headers");
	ehdr(im)->e_phentsize = 0;
	assert_bad_elf(t, "no usable program headers");

	static const uint64_t phoffs[] = {
		DATA_OFF + 0x10 + 1,	/* past the end */
		DATA_OFF + 0x10,	/* at the end: no room for one */
		DATA_OFF + 0x10 - sizeof(Elf64_Phdr) + 1, /* one byte short */
		UINT64_MAX,
		UINT64_MAX - sizeof(Elf64_Phdr) + 1,
		1ULL << 63,
	};
	for (size_t i = 0; i < sizeof(phoffs) / sizeof(phoffs[0]); i++) {
		img_init(im, 1);
		img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
		ehdr(im)->e_phoff = phoffs[i];
		assert_bad_elf(t, beyond);
	}
	/* More headers than the file holds (including extended numbering). */
	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	ehdr(im)->e_phnum = (DATA_OFF + 0x10 - sizeof(Elf64_Ehdr)) /
			    sizeof(Elf64_Phdr) + 1;
	assert_bad_elf(t, beyond);
	ehdr(im)->e_phnum = PN_XNUM;
	assert_bad_elf(t, beyond);
}

static void test_elf_wrong_kind(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;

	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	ehdr(im)->e_machine = EM_AARCH64;
	assert_bad_elf(t, "built for another architecture");
	ehdr(im)->e_machine = EM_386;
	assert_bad_elf(t, "built for another architecture");

	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	ehdr(im)->e_ident[EI_CLASS] = ELFCLASS32;
	assert_bad_elf(t, "not a 64-bit ELF");
	ehdr(im)->e_ident[EI_CLASS] = ELFCLASSNONE;
	assert_bad_elf(t, "not a 64-bit ELF");
	ehdr(im)->e_ident[EI_CLASS] = 0x7f;
	assert_bad_elf(t, "not a 64-bit ELF");

	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x10, 0x10);
	ehdr(im)->e_ident[EI_DATA] = ELFDATA2MSB;
	assert_bad_elf(t, "not a little-endian ELF");
	ehdr(im)->e_ident[EI_DATA] = ELFDATANONE;
	assert_bad_elf(t, "not a little-endian ELF");

	/* A 32-bit x86 ELF (EM_386, Elf32 layout) is refused by its class. */
	img_init(im, 1);
	ehdr(im)->e_ident[EI_CLASS] = ELFCLASS32;
	ehdr(im)->e_machine = EM_386;
	assert_bad_elf(t, "not a 64-bit ELF");
	assert_int_equal(*ram(t, 0x100000), 0xee);
}

static void test_elf_no_pt_load(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;

	img_init(im, 3);
	img_seg(im, 0, PT_NOTE, 0x100000, DATA_OFF, 0x10, 0x10);
	img_seg(im, 1, PT_GNU_STACK, 0, 0, 0, 0);
	img_seg(im, 2, PT_DYNAMIC, 0x100100, DATA_OFF, 0x10, 0x10);
	assert_bad_elf(t, "no loadable segment");

	/* PT_LOADs with nothing in memory do not count. */
	img_init(im, 2);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0, 0);
	img_seg(im, 1, PT_LOAD, 0x300000, DATA_OFF, 0, 0);
	assert_bad_elf(t, "no loadable segment");
	assert_int_equal(*ram(t, 0x100000), 0xee);
}

/* ---- malformed segments -------------------------------------------------- */

static void test_elf_segment_past_file(void **state)
{
	static const struct {
		uint64_t off, filesz;
	} cases[] = {
		{ DATA_OFF + 0x100 + 1, 0 },	/* offset past the end */
		{ DATA_OFF + 0x100, 1 },	/* at the end, one byte */
		{ DATA_OFF, 0x101 },		/* one byte too long */
		{ 0, DATA_OFF + 0x101 },
		{ UINT64_MAX, 1 },		/* offset + size wraps */
		{ 1, UINT64_MAX },
		{ UINT64_MAX, UINT64_MAX },
	};
	struct lt *t = *state;
	struct img *im = &t->img;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		img_init(im, 1);
		img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x100, 0x1000);
		im->len = DATA_OFF + 0x100;
		phdr(im, 0)->p_offset = cases[i].off;
		phdr(im, 0)->p_filesz = cases[i].filesz;
		/* memsz >= filesz, so only the file bound is wrong. */
		phdr(im, 0)->p_memsz = cases[i].filesz > 0x1000 ?
				       cases[i].filesz : 0x1000;
		assert_bad_elf(t, "segment data lies beyond the end of the "
				  "file");
	}
	/* An empty segment may start right at the end of the file. */
	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x100, 0x1000);
	im->len = DATA_OFF + 0x100;
	phdr(im, 0)->p_offset = im->len;
	phdr(im, 0)->p_filesz = 0;
	assert_int_equal(load_elf(t, &(struct load_info){ 0 }), 0);
	assert_int_equal(*ram(t, 0x100000), 0);
}

static void test_elf_filesz_gt_memsz(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;

	img_init(im, 1);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x100, 0xff);
	assert_bad_elf(t, "segment file size exceeds memory size");
	assert_int_equal(*ram(t, 0x100000), 0xee);
}

static void test_elf_segment_outside_ram(void **state)
{
	static const struct {
		uint64_t paddr, filesz, memsz;
	} cases[] = {
		{ 0x0, 0x10, 0x10 },			/* below RAM */
		{ RAM_BASE - 0x10, 0x20, 0x20 },	/* over its start */
		{ RAM_BASE - 1, 0, 2 },
		{ RAM_END, 0x10, 0x10 },		/* just past its end */
		{ RAM_END - 0x10, 0x20, 0x20 },		/* straddles its end */
		{ RAM_END - 1, 2, 2 },
		{ RAM_END - 0x10, 0x10, 0x11 },		/* only the bss does */
		{ RAM_END - 0x10, 0, 0x2000 },
		{ RAM_BASE, 0x10, RAM_SIZE + 1 },
		{ 0x80000000, 0, 0x1000 },		/* far above */
		{ UINT64_MAX - 0x1fff, 0x10, 0x1000 },	/* near the very top */
	};
	struct lt *t = *state;
	struct img *im = &t->img;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		img_init(im, 1);
		img_seg(im, 0, PT_LOAD, cases[i].paddr, DATA_OFF,
			cases[i].filesz, cases[i].memsz);
		assert_outside_ram(t);
	}
	/* A second segment outside RAM fails the load after a good first. */
	img_init(im, 2);
	img_seg(im, 0, PT_LOAD, RAM_BASE, DATA_OFF, 0x10, 0x10);
	img_seg(im, 1, PT_LOAD, RAM_END, DATA_OFF, 0x10, 0x10);
	assert_outside_ram(t);
}

static void test_elf_wrapping_segment(void **state)
{
	static const struct {
		uint64_t paddr, memsz;
	} cases[] = {
		{ UINT64_MAX - 0xf, 0x20 },
		{ UINT64_MAX, 2 },
		{ 0xfffffffffffff000ULL, 0x1000 },	/* ends at 2^64 */
		{ RAM_BASE, UINT64_MAX },
		{ RAM_BASE, 0 - RAM_BASE },
	};
	struct lt *t = *state;
	struct img *im = &t->img;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		img_init(im, 1);
		img_seg(im, 0, PT_LOAD, cases[i].paddr, DATA_OFF,
			cases[i].memsz < 0x10 ? cases[i].memsz : 0x10,
			cases[i].memsz);
		assert_bad_elf(t, "segment wraps around the address space");
	}
	assert_int_equal(*ram(t, RAM_BASE), 0xee);
}

static void test_elf_random_corruption(void **state)
{
	struct lt *t = *state;
	struct img *im = &t->img;
	uint64_t x = 0x2545f4914f6cdd1dULL;
	int ok = 0;

	/*
	 * Flip bytes in the headers of a good image: every outcome is a
	 * clean load or a documented error, never a crash or a stray read.
	 */
	for (int round = 0; round < 3000; round++) {
		struct load_info info;
		int ret;

		img_init(im, 3);
		img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x200, 0x800);
		img_seg(im, 1, PT_LOAD, 0x140000, DATA_OFF + 0x400, 0x100,
			0x3000);
		img_seg(im, 2, PT_NOTE, 0, DATA_OFF + 0x800, 0x20, 0x20);
		ehdr(im)->e_entry = 0x100010;
		for (int k = 0; k < 1 + round % 4; k++) {
			size_t at;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			at = (x >> 8) % (sizeof(Elf64_Ehdr) +
					 3 * sizeof(Elf64_Phdr));
			/* Random bytes, or the extremes 0x00 and 0xff. */
			im->b[at] = (uint8_t)(round % 3 ? x :
					      x >> 60 ? 0xff : 0);
		}
		ret = load_elf(t, &info);
		if (ret && ret != -ENOEXEC && ret != -EFAULT)
			fail_msg("round %d: unexpected %d", round, ret);
		if (!ret) {
			ok++;
			assert_true(info.low < info.high);
			assert_true(info.low >= RAM_BASE);
			assert_true(info.high <= RAM_END);
		}
	}
	assert_true(ok > 0);

	/* Every prefix of a good image: never a crash, whole file loads. */
	img_init(im, 2);
	img_seg(im, 0, PT_LOAD, 0x100000, DATA_OFF, 0x200, 0x800);
	img_seg(im, 1, PT_LOAD, 0x140000, DATA_OFF + 0x400, 0x100, 0x3000);
	ehdr(im)->e_entry = 0x100010;
	for (size_t len = 0; len < im->len; len++)
		assert_int_equal(load_elf_len(t, len, &(struct load_info){ 0 }),
				 -ENOEXEC);
	assert_int_equal(load_elf(t, &(struct load_info){ 0 }), 0);
}

static void test_is_elf(void **state)
{
	assert_true(is_elf("\x7f" "ELF", 4));
	assert_true(is_elf("\x7f" "ELF\x02\x01", 6));
	assert_false(is_elf("\x7f" "EL", 3));
	assert_false(is_elf("", 0));
	assert_false(is_elf("\x7f" "elf", 4));
	assert_false(is_elf("MZ\x90\x00", 4));
}

/* ---- flat images ------------------------------------------------------ */

static void test_flat_load(void **state)
{
	struct lt *t = *state;
	struct load_info info;
	uint8_t *img = malloc(0x3000);
	int ret;

	assert_non_null(img);
	for (int i = 0; i < 0x3000; i++)
		img[i] = (uint8_t)(i * 13 + 1);
	ret = CAPTURE(t, flat_load(&t->fh->host, "flat.bin", img, 0x3000,
				   RAM_BASE, &info));
	assert_int_equal(ret, 0);
	assert_string_equal(t->msg, "");
	assert_int_equal(info.entry, RAM_BASE);
	assert_int_equal(info.low, RAM_BASE);
	assert_int_equal(info.high, RAM_BASE + 0x3000);
	assert_memory_equal(ram(t, RAM_BASE), img, 0x3000);
	assert_int_equal(*ram(t, RAM_BASE + 0x3000), 0xee);

	/* Exactly up to the last byte of RAM. */
	assert_int_equal(flat_load(&t->fh->host, "flat.bin", img, 0x3000,
				   RAM_END - 0x3000, &info), 0);
	assert_int_equal(info.high, RAM_END);
	free(img);
}

static void test_flat_load_errors(void **state)
{
	static const uint64_t addrs[] = { RAM_END - 0xfff, RAM_END, 0,
					  RAM_BASE - 1, UINT64_MAX - 0x7ff,
					  UINT64_MAX };
	struct lt *t = *state;
	struct load_info info = { 1, 2, 3 };
	uint8_t *img = malloc(0x1000);
	int ret;

	assert_non_null(img);
	memset(img, 0x5a, 0x1000);
	ret = CAPTURE(t, flat_load(&t->fh->host, "flat.bin", img, 0, RAM_BASE,
				   &info));
	assert_int_equal(ret, -ENOEXEC);
	assert_non_null(strstr(t->msg, "flat.bin: empty image"));
	assert_int_equal(count_lines(t->msg), 1);

	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		ret = CAPTURE(t, flat_load(&t->fh->host, "flat.bin", img,
					   0x1000, addrs[i], &info));
		assert_int_equal(ret, -EFAULT);
		assert_non_null(strstr(t->msg, "do not fit in guest RAM"));
		assert_int_equal(count_lines(t->msg), 1);
	}
	/* Bigger than all of RAM. */
	free(img);
	img = calloc(1, RAM_SIZE + 1);
	assert_non_null(img);
	ret = CAPTURE(t, flat_load(&t->fh->host, "flat.bin", img,
				   RAM_SIZE + 1, RAM_BASE, &info));
	assert_int_equal(ret, -EFAULT);
	/* Failed loads leave info alone and RAM untouched. */
	assert_int_equal(info.entry, 1);
	assert_int_equal(info.low, 2);
	assert_int_equal(info.high, 3);
	assert_int_equal(*ram(t, RAM_BASE), 0xee);
	assert_int_equal(*ram(t, RAM_END - 1), 0xee);
	free(img);
}

/* ---- load_file -------------------------------------------------------- */

static void test_load_file(void **state)
{
	struct lt *t = *state;
	char dir[] = "/tmp/kvmkit-loader-XXXXXX", path[128], big[128];
	void *buf = NULL;
	size_t len = 0;
	int fd, ret;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/img", dir);
	snprintf(big, sizeof(big), "%s/empty", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello, guest", 12), 12);
	close(fd);
	fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);

	assert_int_equal(CAPTURE(t, load_file(path, 12, &buf, &len)), 0);
	assert_string_equal(t->msg, "");
	assert_int_equal(len, 12);
	assert_memory_equal(buf, "hello, guest", 12);
	free(buf);

	/* An empty file reads as zero bytes (the loaders refuse it). */
	buf = NULL;
	assert_int_equal(load_file(big, 12, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_non_null(buf);
	free(buf);

	/* Larger than the limit. */
	buf = NULL;
	assert_int_equal(CAPTURE(t, load_file(path, 11, &buf, &len)), -EFBIG);
	assert_non_null(strstr(t->msg, "12 bytes is larger than guest RAM"));
	assert_int_equal(count_lines(t->msg), 1);
	assert_null(buf);

	/* A missing file: ENOENT and the usual text. */
	snprintf(big, sizeof(big), "%s/no-such-file", dir);
	ret = CAPTURE(t, load_file(big, 1 << 20, &buf, &len));
	assert_int_equal(ret, -ENOENT);
	assert_non_null(strstr(t->msg,
			       "no-such-file: No such file or directory"));
	assert_int_equal(count_lines(t->msg), 1);

	/* A directory. */
	ret = CAPTURE(t, load_file(dir, 1 << 20, &buf, &len));
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(t->msg, "not a regular file"));
	assert_int_equal(count_lines(t->msg), 1);

	/* A character device is no image either. */
	ret = CAPTURE(t, load_file("/dev/zero", 1 << 20, &buf, &len));
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(t->msg, "/dev/zero: not a regular file"));
	assert_null(buf);

	unlink(path);
	unlink(big);
	snprintf(big, sizeof(big), "%s/empty", dir);
	unlink(big);
	rmdir(dir);
}

static void test_load_file_errno_survives_message(void **state)
{
	struct lt *t = *state;
	void *buf = NULL;
	size_t len;
	int ret, saved = dup(STDERR_FILENO);

	/*
	 * With stderr closed the message fails (EBADF); the returned
	 * error must still be the open()'s.
	 */
	assert_true(saved >= 0);
	fflush(stderr);
	close(STDERR_FILENO);
	ret = load_file("/nonexistent/kvmkit-image", 1 << 20, &buf, &len);
	dup2(saved, STDERR_FILENO);
	close(saved);
	clearerr(stderr);
	assert_int_equal(ret, -ENOENT);
	(void)t;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, lt_setup, lt_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_elf_good),
		T(test_elf_bss_only_and_large),
		T(test_elf_fills_ram_exactly),
		T(test_elf_unaligned_phdrs),
		T(test_elf_entry_outside),
		T(test_elf_truncated_header),
		T(test_elf_bad_phdrs),
		T(test_elf_wrong_kind),
		T(test_elf_no_pt_load),
		T(test_elf_segment_past_file),
		T(test_elf_filesz_gt_memsz),
		T(test_elf_segment_outside_ram),
		T(test_elf_wrapping_segment),
		T(test_elf_random_corruption),
		T(test_is_elf),
		T(test_flat_load),
		T(test_flat_load_errors),
		T(test_load_file),
		T(test_load_file_errno_survives_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
