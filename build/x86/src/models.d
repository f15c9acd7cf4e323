build/x86/src/models.o: src/models.c include/kvmkit/models.h \
 include/kvmkit/device.h include/kvmkit/bus.h
include/kvmkit/models.h:
include/kvmkit/device.h:
include/kvmkit/bus.h:
