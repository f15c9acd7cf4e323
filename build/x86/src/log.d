build/x86/src/log.o: src/log.c include/kvmkit/log.h
include/kvmkit/log.h:
