# kvmkit top-level build.  `make` builds the host binary; `make ARCH=arm64`
# (ppc64, s390x) cross builds a static one with Debian's cross compilers.
# `make check` and `make run` install their own dependencies first.

HOST_ARCH := $(shell uname -m | sed -e s/x86_64/x86/ -e s/aarch64/arm64/ -e s/ppc64le/ppc64/)
ARCH ?= $(HOST_ARCH)

CROSS_arm64 := aarch64-linux-gnu-
CROSS_ppc64 := powerpc64le-linux-gnu-
CROSS_s390x := s390x-linux-gnu-
ifneq ($(ARCH),$(HOST_ARCH))
CROSS ?= $(CROSS_$(ARCH))
STATIC := -static
endif

# `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

CC := $(CROSS)gcc
AR := $(CROSS)ar
O := build/$(ARCH)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
# CFLAGS is the user's (optimisation, sanitizers); the project's own flags
# stay in KVMKIT_CFLAGS so `make CFLAGS=...` keeps them.
CFLAGS ?= -O2 -g
KVMKIT_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -Iinclude -Idevices -MMD -MP -pthread
ALL_CFLAGS = $(KVMKIT_CFLAGS) $(CFLAGS)
LDLIBS ?= -pthread

# libfdt (device trees): the host's libfdt-dev; a cross build links the
# static one that scripts/cross-sysroot unpacks into build/sysroot/ARCH
# (Debian's libfdt-dev is not co-installable across architectures).
ifneq ($(ARCH),$(HOST_ARCH))
SYSROOT := build/sysroot/$(ARCH)
KVMKIT_CFLAGS += -I$(SYSROOT)/usr/include
FDT_LIBDIR := -L$(SYSROOT)/usr/lib/$(patsubst %-,%,$(CROSS))
endif
override LDLIBS += $(FDT_LIBDIR) -lfdt

# Portable software models (no host-arch ioctls) are built everywhere,
# also for the big-endian unit-test run.
DEVICE_SRCS ?= $(wildcard devices/*/*.c) $(wildcard arch/*/*_model.c)
MODEL_SRCS := $(DEVICE_SRCS) \
	src/attr_stream.c src/bus.c src/device.c src/log.c src/models.c
CORE_SRCS := $(filter-out src/main.c $(MODEL_SRCS),$(wildcard src/*.c)) \
	$(filter-out %_model.c,$(wildcard arch/$(ARCH)/*.c))
LIB_SRCS := $(MODEL_SRCS) $(CORE_SRCS)

LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
MODEL_OBJS := $(MODEL_SRCS:%.c=$(O)/%.o)

all: $(O)/kvmkit guests

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@[ -n "$(Q)" ] && echo "  CC      $(O)/$*.o" || true
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The version string is rewritten only when `git describe` changes.
$(O)/version.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define KVMKIT_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(O)/src/main.o: $(O)/version.h
$(O)/src/main.o: KVMKIT_CFLAGS += -include $(O)/version.h

$(O)/libkvmkit.a: $(LIB_OBJS)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(O)/kvmkit: $(O)/src/main.o $(LIB_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -o $@ $^ $(LDLIBS)
	@ln -sf $(ARCH)/kvmkit build/kvmkit-$(ARCH)
	@[ "$(ARCH)" != "$(HOST_ARCH)" ] || ln -sf $(ARCH)/kvmkit build/kvmkit

include guests/guests.mk
include guests/arm64/guests.mk
include tests/tests.mk

deps:
	@scripts/install-deps

check: deps
	@$(MAKE) --no-print-directory check-build
	@$(MAKE) --no-print-directory check-run

# Only the tests inside the QEMU arm64 host (tests/tcg/).
check-arm64: deps
	@$(MAKE) --no-print-directory all
	@scripts/check-run arm64

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-default

run-testbench: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-default testbench

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench

clean:
	rm -rf build

FORCE:
.PHONY: all deps check check-arm64 check-build check-run run run-testbench bench \
	clean guests
-include $(shell find build -name '*.d' 2>/dev/null)
