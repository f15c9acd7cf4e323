# Unit tests (cmocka).  tests/unit/models/ exercise the portable device
# models and also build for s390x (big-endian, run under qemu-user);
# tests/unit/core/ exercise the host VMM core.  tests/unit/support/ holds
# the fake device host the model tests link against.

UNIT_SUPPORT_SRCS := $(wildcard tests/unit/support/*.c)
UNIT_MODEL_SRCS := $(wildcard tests/unit/models/test_*.c)
UNIT_CORE_SRCS := $(wildcard tests/unit/core/test_*.c)
UNIT_SUPPORT_OBJS := $(UNIT_SUPPORT_SRCS:%.c=$(O)/%.o)

ifeq ($(ARCH),$(HOST_ARCH))
UNIT_SRCS := $(UNIT_MODEL_SRCS) $(UNIT_CORE_SRCS)
UNIT_LIB := $(O)/libkvmkit.a
CMOCKA := -lcmocka
else
# Cross-built model tests link Debian's multiarch cmocka dynamically.
UNIT_SRCS := $(UNIT_MODEL_SRCS)
UNIT_LIB := $(O)/libmodels.a
CMOCKA := -L/usr/lib/$(patsubst %-,%,$(CROSS)) -lcmocka
endif
UNIT_BINS := $(UNIT_SRCS:%.c=$(O)/%)

$(O)/libmodels.a: $(MODEL_OBJS)
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(UNIT_SUPPORT_OBJS) $(UNIT_LIB)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(CMOCKA) $(LDLIBS)

$(O)/tests/%.o: KVMKIT_CFLAGS += -Itests/unit/support

unit-tests: $(UNIT_BINS)
	@printf '%s\n' $(UNIT_BINS) > $(O)/unit-tests.list

# Sanitized host build of every unit test, and the big-endian model tests.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

check-build:
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory O=build/san CFLAGS="$(SAN_FLAGS)" \
		LDLIBS="-pthread -fsanitize=address,undefined" unit-tests
	@$(MAKE) --no-print-directory ARCH=s390x unit-tests
	@# The static cross builds must keep building.
	@$(MAKE) --no-print-directory ARCH=s390x build/s390x/kvmkit
	@$(MAKE) --no-print-directory ARCH=ppc64 build/ppc64/kvmkit

check-run:
	@scripts/check-run

.PHONY: unit-tests

# Benchmark helper (scripts/bench).
$(O)/bench/kvmbench: tests/bench/kvmbench.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $<

bench-tools: $(O)/bench/kvmbench
.PHONY: bench-tools

# GIC conformance (tests/tcg/arm64-conformance.sh): kernel vGIC against
# the software models, run inside the QEMU arm64 host.  arm64 only.
CONF_SRCS := $(wildcard tests/tcg/conformance/*.c)
$(O)/tests/tcg/gic-conformance: $(CONF_SRCS:%.c=$(O)/%.o) $(O)/libmodels.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -o $@ $^ -pthread

gic-conformance: $(O)/tests/tcg/gic-conformance
.PHONY: gic-conformance

# GIC attribute streams between the kernel's vGIC and the software models
# (tests/tcg/arm64-gic-stream.sh), run inside the QEMU arm64 host.
$(O)/tests/tcg/gic-stream-cross: $(O)/tests/tcg/gic_stream_cross.o \
		$(O)/tests/tcg/conformance/env.o $(O)/libmodels.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(STATIC) -o $@ $^ -pthread

$(O)/tests/tcg/gic_stream_cross.o: KVMKIT_CFLAGS += -Itests/tcg

gic-stream-cross: $(O)/tests/tcg/gic-stream-cross
.PHONY: gic-stream-cross
