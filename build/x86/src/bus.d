build/x86/src/bus.o: src/bus.c include/kvmkit/bus.h
include/kvmkit/bus.h:
