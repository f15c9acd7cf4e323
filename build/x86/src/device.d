build/x86/src/device.o: src/device.c include/kvmkit/device.h \
 include/kvmkit/bus.h include/kvmkit/log.h include/kvmkit/models.h
include/kvmkit/device.h:
include/kvmkit/bus.h:
include/kvmkit/log.h:
include/kvmkit/models.h:
