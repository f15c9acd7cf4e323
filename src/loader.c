// SPDX-License-Identifier: GPL-2.0
/* ELF64 and flat-binary loading into guest RAM. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvmkit/loader.h"
#include "kvmkit/log.h"

int load_file(const char *path, size_t max, void **buf, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	char *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;	/* pr_err may change errno */

		pr_err("%s: %s", path, strerror(err));
		return -err;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pr_err("%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > max) {
		pr_err("%s: %lld bytes is larger than guest RAM", path,
		       (long long)st.st_size);
		close(fd);
		return -EFBIG;
	}
	p = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, p + got, (size_t)st.st_size - got);
		if (n <= 0) {
			pr_err("%s: read failed", path);
			free(p);
			close(fd);
			return -EIO;
		}
		got += (size_t)n;
	}
	close(fd);
	*buf = p;
	*len = got;
	return 0;
}

int is_elf(const void *buf, size_t len)
{
	return len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

static int zero_guest(struct devhost *ram, uint64_t gpa, uint64_t len)
{
	static const uint8_t zeroes[4096];

	while (len) {
		size_t n = len < sizeof(zeroes) ? (size_t)len : sizeof(zeroes);
		int ret = devhost_guest_write(ram, gpa, zeroes, n);

		if (ret)
			return ret;
		gpa += n;
		len -= n;
	}
	return 0;
}

static int bad_elf(const char *name, const char *why)
{
	pr_err("%s: malformed ELF: %s", name, why);
	return -ENOEXEC;
}

static int load_segment(struct devhost *ram, const char *name, const void *buf,
			size_t len, const Elf64_Phdr *ph, struct load_info *info)
{
	uint64_t end = ph->p_paddr + ph->p_memsz;

	if (ph->p_filesz > ph->p_memsz)
		return bad_elf(name, "segment file size exceeds memory size");
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return bad_elf(name, "segment data lies beyond the end of the file");
	if (end < ph->p_paddr)
		return bad_elf(name, "segment wraps around the address space");
	if (devhost_guest_write(ram, ph->p_paddr,
				(const uint8_t *)buf + ph->p_offset,
				ph->p_filesz) ||
	    zero_guest(ram, ph->p_paddr + ph->p_filesz,
		       ph->p_memsz - ph->p_filesz)) {
		pr_err("%s: segment at 0x%llx-0x%llx lies outside guest RAM",
		       name, (unsigned long long)ph->p_paddr,
		       (unsigned long long)end);
		return -EFAULT;
	}
	if (ph->p_paddr < info->low)
		info->low = ph->p_paddr;
	if (end > info->high)
		info->high = end;
	return 0;
}

int elf_load(struct devhost *ram, const char *name, const void *buf,
	     size_t len, uint16_t machine, struct load_info *info)
{
	const Elf64_Ehdr *eh = buf;
	int loaded = 0;
	bool entry_loaded = false;

	if (len < sizeof(*eh) || !is_elf(buf, len))
		return bad_elf(name, "truncated header");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return bad_elf(name, "not a 64-bit ELF");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return bad_elf(name, "not a little-endian ELF");
	if (eh->e_machine != machine)
		return bad_elf(name, "built for another architecture");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
		return bad_elf(name, "no usable program headers");
	if (eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return bad_elf(name, "program headers lie beyond the end of the file");

	*info = (struct load_info){ .entry = eh->e_entry, .low = UINT64_MAX };
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		int ret;

		/* Copy: the headers need not be aligned in the file. */
		memcpy(&ph, (const uint8_t *)buf + eh->e_phoff + i * sizeof(ph),
		       sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		ret = load_segment(ram, name, buf, len, &ph, info);
		if (ret)
			return ret;
		loaded++;
		/* In a segment, not in a hole between two. */
		if (eh->e_entry - ph.p_paddr < ph.p_memsz)
			entry_loaded = true;
	}
	if (!loaded)
		return bad_elf(name, "no loadable segment");
	if (!entry_loaded)
		return bad_elf(name, "entry point lies outside the loaded segments");
	return 0;
}

int flat_load(struct devhost *ram, const char *name, const void *buf,
	      size_t len, uint64_t addr, struct load_info *info)
{
	if (!len) {
		pr_err("%s: empty image", name);
		return -ENOEXEC;
	}
	if (devhost_guest_write(ram, addr, buf, len)) {
		pr_err("%s: %zu bytes at 0x%llx do not fit in guest RAM", name,
		       len, (unsigned long long)addr);
		return -EFAULT;
	}
	*info = (struct load_info){ .entry = addr, .low = addr,
				    .high = addr + len };
	return 0;
}
