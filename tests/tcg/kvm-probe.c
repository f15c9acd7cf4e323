/* kvm-probe: what the host's /dev/kvm offers, for tests/tcg/smoke.sh.
 *
 * Built static for arm64 and run inside scripts/qemu-host.  Prints one
 * "name=value" line per probe and exits with the status given as argv[1]
 * (default 0), so the runner's exit-status propagation can be checked too.
 * Exits 100 if /dev/kvm cannot be opened or a VM cannot be created.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#ifndef KVM_CAP_ARM_USER_IRQ
#define KVM_CAP_ARM_USER_IRQ 151
#endif

static void cap(int vm, const char *name, long nr)
{
	int r = ioctl(vm, KVM_CHECK_EXTENSION, nr);
	if (r < 0)
		printf("%s=error (%s)\n", name, strerror(errno));
	else
		printf("%s=%d\n", name, r);
}

static void device(int vm, const char *name, __u32 type)
{
	struct kvm_create_device cd = {
		.type = type,
		.flags = KVM_CREATE_DEVICE_TEST,
	};
	if (ioctl(vm, KVM_CREATE_DEVICE, &cd) == 0)
		printf("%s=yes\n", name);
	else
		printf("%s=no (%s)\n", name, strerror(errno));
}

int main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;
	int kvm, vm, api;

	setvbuf(stdout, NULL, _IOLBF, 0);
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("open_dev_kvm=error (%s)\n", strerror(errno));
		return 100;
	}
	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	printf("api_version=%d\n", api);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		printf("create_vm=error (%s)\n", strerror(errno));
		return 100;
	}
	printf("create_vm=ok\n");
	cap(vm, "cap_device_ctrl", KVM_CAP_DEVICE_CTRL);
	cap(vm, "cap_arm_user_irq", KVM_CAP_ARM_USER_IRQ);
	device(vm, "vgic_v2", KVM_DEV_TYPE_ARM_VGIC_V2);
	device(vm, "vgic_v3", KVM_DEV_TYPE_ARM_VGIC_V3);
	device(vm, "vgic_its", KVM_DEV_TYPE_ARM_VGIC_ITS);
	printf("exit_status=%d\n", status);
	close(vm);
	close(kvm);
	return status;
}
