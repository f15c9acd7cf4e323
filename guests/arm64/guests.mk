# arm64 bare-metal test guests (guests/arm64/*.c + lib/), cross-built with
# aarch64-linux-gnu-gcc: freestanding, linked at the start of RAM
# (0x80000000), as ELF (NAME.elf) and flat binary (NAME.bin).  `make
# ARCH=arm64` builds them with kvmkit; `make arm64-guests` alone.

ARM64_GUEST_CC := aarch64-linux-gnu-gcc
ARM64_GUEST_OBJCOPY := aarch64-linux-gnu-objcopy
ARM64_GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector \
	-fno-pic -fno-pie -mgeneral-regs-only -mstrict-align -mno-outline-atomics -nostdlib -static \
	-Wall -Wextra -Werror -Wno-unused-parameter -Iguests/arm64/lib \
	-fno-asynchronous-unwind-tables
ARM64_GUEST_LDFLAGS := -nostdlib -static -no-pie \
	-Wl,-T,guests/arm64/lib/guest.ld -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack

ARM64_GUEST_OUT := build/guests/arm64
ARM64_GUEST_LIB_OBJS := $(patsubst guests/arm64/lib/%,$(ARM64_GUEST_OUT)/obj/lib/%.o,\
	$(wildcard guests/arm64/lib/*.c guests/arm64/lib/*.S))
ARM64_GUEST_NAMES := $(patsubst guests/arm64/%.c,%,$(wildcard guests/arm64/*.c))
ARM64_GUESTS := $(ARM64_GUEST_NAMES:%=$(ARM64_GUEST_OUT)/%.elf) \
	$(ARM64_GUEST_NAMES:%=$(ARM64_GUEST_OUT)/%.bin)

$(ARM64_GUEST_OUT)/obj/%.c.o: guests/arm64/%.c $(wildcard guests/arm64/lib/*.h)
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  CC      $@" || true
	$(Q)$(ARM64_GUEST_CC) $(ARM64_GUEST_CFLAGS) -c -o $@ $<

$(ARM64_GUEST_OUT)/obj/%.S.o: guests/arm64/%.S
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  AS      $@" || true
	$(Q)$(ARM64_GUEST_CC) $(ARM64_GUEST_CFLAGS) -c -o $@ $<

$(ARM64_GUEST_OUT)/%.elf: $(ARM64_GUEST_OUT)/obj/%.c.o $(ARM64_GUEST_LIB_OBJS) \
		guests/arm64/lib/guest.ld
	@echo "  LD      $@"
	$(Q)$(ARM64_GUEST_CC) $(ARM64_GUEST_CFLAGS) $(ARM64_GUEST_LDFLAGS) -o $@ \
		$< $(ARM64_GUEST_LIB_OBJS)

$(ARM64_GUEST_OUT)/%.bin: $(ARM64_GUEST_OUT)/%.elf
	$(Q)$(ARM64_GUEST_OBJCOPY) -O binary $< $@

arm64-guests: $(ARM64_GUESTS)
	@cp guests/arm64/*.manifest $(ARM64_GUEST_OUT)/

ifeq ($(ARCH),arm64)
guests: arm64-guests
endif

.PHONY: arm64-guests

# The default arm64 Linux guest: the Debian arm64 kernel the QEMU host
# boots (scripts/fetch-arm64-host caches it) with a busybox initramfs.
# Kept out of build/guests/arm64, which every QEMU host run carries.
ARM64_LINUX_OUT := build/arm64-linux
arm64-linux-guest:
	@scripts/fetch-arm64-host
	@mkdir -p $(ARM64_LINUX_OUT)
	@set -e; eval "$$(scripts/fetch-arm64-host --print | \
		awk '$$1 == "kernel" { print "k=" $$2 } $$1 == "busybox" { print "b=" $$2 }')"; \
	cp "$$k" $(ARM64_LINUX_OUT)/Image; \
	guests/arm64/linux/mkinitramfs $(ARM64_LINUX_OUT)/initramfs.gz "$$b"
	@echo "  GUEST   $(ARM64_LINUX_OUT)/Image $(ARM64_LINUX_OUT)/initramfs.gz"

.PHONY: arm64-linux-guest
