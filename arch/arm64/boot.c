// SPDX-License-Identifier: GPL-2.0
/*
 * Guest images on arm64: a Linux `Image` (Documentation/arm64/booting.rst),
 * an ELF64 or a flat binary, then the initrd and the DTB's place, laid
 * out as kvmtool does: kernel at RAM + text_offset, the DTB in the last
 * 2 MiB-aligned slot below min(RAM, 256M), the initrd just below it.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmkit/loader.h"
#include "kvmkit/log.h"
#include "arm64.h"

/* The 64-byte arm64 Image header, little-endian. */
#define IMAGE_HDR_SIZE 64
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE 16
#define IMAGE_MAGIC_OFF 56
#define IMAGE_MAGIC 0x644d5241U		/* "ARM\x64" */
#define IMAGE_OLD_TEXT_OFFSET 0x80000	/* image_size 0: before 3.17 */

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static bool is_arm64_image(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	return len >= IMAGE_HDR_SIZE &&
	       (uint32_t)le64(p + IMAGE_MAGIC_OFF) == IMAGE_MAGIC;
}

static int load_image(struct vm *vm, const char *path, const uint8_t *buf,
		      size_t len, struct load_info *info)
{
	uint64_t text_offset = le64(buf + IMAGE_TEXT_OFFSET);
	uint64_t image_size = le64(buf + IMAGE_SIZE);
	uint64_t addr;

	if (!image_size) {
		text_offset = IMAGE_OLD_TEXT_OFFSET;
		image_size = len;
	}
	if (image_size < len || text_offset > vm->mem_size ||
	    text_offset & 0xfff) {
		pr_err("%s: bad Image header (text_offset 0x%llx, image_size 0x%llx)",
		       path, (unsigned long long)text_offset,
		       (unsigned long long)image_size);
		return -ENOEXEC;
	}
	/* RAM starts 2 MiB aligned, so base + text_offset is as asked. */
	addr = ARM64_RAM_BASE + text_offset;
	if (image_size > vm->mem_size - text_offset) {
		pr_err("%s: the kernel needs %lluM from 0x%llx, more than guest RAM",
		       path, (unsigned long long)(image_size >> 20),
		       (unsigned long long)addr);
		return -EFBIG;
	}
	if (flat_load(&vm->devhost, path, buf, len, addr, info))
		return -EFAULT;
	/* BSS and the early page tables follow the file. */
	info->high = addr + image_size;
	pr_debug("%s: Image at 0x%llx, %llu bytes with BSS", path,
		 (unsigned long long)addr, (unsigned long long)image_size);
	return 0;
}

static int load_kernel(struct vm *vm, struct arm64_boot *boot,
		       uint64_t *end)
{
	const char *path = vm->cfg.kernel;
	struct load_info info;
	size_t len;
	void *buf;
	int ret;

	ret = load_file(path, vm->mem_size, &buf, &len);
	if (ret)
		return ret;
	if (is_arm64_image(buf, len)) {
		boot->linux_image = true;
		ret = load_image(vm, path, buf, len, &info);
	} else if (is_elf(buf, len)) {
		ret = elf_load(&vm->devhost, path, buf, len, EM_AARCH64, &info);
	} else {
		/* Bare metal: the start of RAM, entered there. */
		ret = flat_load(&vm->devhost, path, buf, len, ARM64_RAM_BASE,
				&info);
	}
	free(buf);
	if (ret)
		return ret;
	boot->entry = info.entry;
	*end = info.high;
	return 0;
}

static int load_initrd(struct vm *vm, struct arm64_boot *boot,
		       uint64_t kernel_end)
{
	const char *path = vm->cfg.initrd;
	uint64_t start;
	size_t len;
	void *buf;
	int ret;

	ret = load_file(path, boot->dtb - ARM64_RAM_BASE, &buf, &len);
	if (ret)
		return ret;
	start = (boot->dtb - len) & ~0xfffULL;
	if (start < kernel_end) {
		pr_err("%s: %zu bytes do not fit between the kernel (ends 0x%llx) and the DTB (0x%llx): give more memory",
		       path, len, (unsigned long long)kernel_end,
		       (unsigned long long)boot->dtb);
		free(buf);
		return -EFBIG;
	}
	ret = vm_write(vm, start, buf, len);
	free(buf);
	if (ret)
		return ret;
	boot->initrd_start = start;
	boot->initrd_end = start + len;
	return 0;
}

static void build_cmdline(struct vm *vm, struct arm64_boot *boot)
{
	const char *params = vm->cfg.params ? vm->cfg.params : "";
	const char *console = "";

	/* lkvm's default for a Linux guest: the 8250 is the console. */
	if (boot->linux_image && !vm->cfg.nodefaults &&
	    !strstr(params, "console="))
		console = *params ? "console=ttyS0 " : "console=ttyS0";
	snprintf(boot->cmdline, sizeof(boot->cmdline), "%s%s", console,
		 params);
}

int arm64_load_images(struct vm *vm, struct arm64_boot *boot)
{
	uint64_t low = vm->mem_size < ARM64_LOWMEM_LIMIT ? vm->mem_size :
			ARM64_LOWMEM_LIMIT;
	uint64_t last = ARM64_RAM_BASE + low - 1, kernel_end;
	int ret;

	if (!vm->cfg.kernel) {
		pr_err("no kernel: give a guest image with -k or as the last argument");
		return -EINVAL;
	}
	if (strlen(vm->cfg.params ? vm->cfg.params : "") >=
	    sizeof(boot->cmdline) - 16) {
		pr_err("--params: at most %zu characters", sizeof(boot->cmdline) - 16);
		return -E2BIG;
	}
	ret = load_kernel(vm, boot, &kernel_end);
	if (ret)
		return ret;
	/* kvmtool's slot: 2 MiB aligned, at least FDT_MAX_SIZE below the end. */
	boot->dtb = (last - (ARM64_FDT_MAX_SIZE + ARM64_FDT_ALIGN) +
		     ARM64_FDT_ALIGN - 1) & ~(ARM64_FDT_ALIGN - 1);
	if (last < ARM64_RAM_BASE + ARM64_FDT_MAX_SIZE + ARM64_FDT_ALIGN ||
	    boot->dtb < kernel_end) {
		pr_err("%s: the image (ends 0x%llx) leaves no room for the device tree below 0x%llx: give more memory",
		       vm->cfg.kernel, (unsigned long long)kernel_end,
		       (unsigned long long)last + 1);
		return -EFBIG;
	}
	if (vm->cfg.initrd) {
		ret = load_initrd(vm, boot, kernel_end);
		if (ret)
			return ret;
	}
	build_cmdline(vm, boot);
	pr_debug("entry 0x%llx, DTB 0x%llx, initrd 0x%llx-0x%llx",
		 (unsigned long long)boot->entry, (unsigned long long)boot->dtb,
		 (unsigned long long)boot->initrd_start,
		 (unsigned long long)boot->initrd_end);
	return 0;
}
