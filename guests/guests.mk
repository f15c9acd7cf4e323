# Bare-metal test guests, built with the host compiler for the x86
# testbench machine: freestanding, no libc, linked at 1 MiB.

GUEST_CC := gcc
GUEST_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector \
	-fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
	-nostdlib -static -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iguests/x86/lib -fno-asynchronous-unwind-tables
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,guests/x86/lib/guest.ld \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack

GUEST_LIB_SRCS := $(wildcard guests/x86/lib/*.c) $(wildcard guests/x86/lib/*.S)
GUEST_LIB_OBJS := $(patsubst %,build/guests/%.o,$(GUEST_LIB_SRCS))
X86_GUESTS := $(patsubst guests/x86/%.c,build/guests/x86/%.elf,\
	$(wildcard guests/x86/*.c))

build/guests/%.c.o: %.c $(wildcard guests/x86/lib/*.h)
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  CC      $@" || true
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

build/guests/%.S.o: %.S
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  CC      $@" || true
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

build/guests/x86/%.elf: build/guests/guests/x86/%.c.o $(GUEST_LIB_OBJS) guests/x86/lib/guest.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $< $(GUEST_LIB_OBJS)

.SECONDARY:

ifeq ($(HOST_ARCH),x86)
guests: $(X86_GUESTS)
else
guests:
endif
