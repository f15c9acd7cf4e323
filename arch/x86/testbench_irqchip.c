// SPDX-License-Identifier: GPL-2.0
/*
 * --irqchip on the testbench: a GIC or MPIC model at the fixed addresses
 * of testbench.h, configured through the device-attribute ABI only, so
 * a kernel backend would take the very same calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvmkit/abi/arm.h"
#include "gic/gicv3.h"
#include "mpic/mpic.h"
#include "kvmkit/arch.h"
#include "kvmkit/log.h"
#include "testbench.h"

#ifndef KVM_DEV_MPIC_GRP_MISC
#define KVM_DEV_MPIC_GRP_MISC 1
#define KVM_DEV_MPIC_BASE_ADDR 0
#endif

#define TB_GIC_NR_IRQS 128

/*
 * Port TB_PORT_IRQ_LINE: the guest drives one of the controller's input
 * lines, as a device would (bits 0-23: SPI or source pin, bit 31: level).
 */
static int irq_line_port(void *opaque, int cpu, uint64_t offset, void *data,
			 uint32_t len, bool is_write)
{
	struct testbench *tb = opaque;
	uint32_t v;
	int ret;

	if (!is_write) {
		memset(data, 0, len);
		return 0;
	}
	v = (uint32_t)bus_get_le(data, len);
	ret = device_set_irq(tb->irqchip, v & 0xffffff, (int)(v >> 31));
	if (ret)
		pr_debug("irq-line %u: %s", v & 0xffffff, strerror(-ret));
	return 0;
}

/*
 * Port TB_PORT_MPIC_TIMER: "global timer n reached zero".  The MPIC's
 * timers do not count (neither do KVM's); this lets a guest test their
 * interrupt delivery.
 */
static int mpic_timer_port(void *opaque, int cpu, uint64_t offset,
			   void *data, uint32_t len, bool is_write)
{
	struct testbench *tb = opaque;
	const struct mpic_iface *mi = mpic_iface_of(tb->irqchip);

	if (!is_write) {
		memset(data, 0, len);
		return 0;
	}
	if (mi && mi->timer_expire)
		mi->timer_expire(tb->irqchip, (unsigned int)bus_get_le(data, len));
	return 0;
}

/*
 * MMIO TB_MMIO_MSI_GEN: a device that sends MSIs, as a PCI function would:
 * 0x00 DeviceID (RW), 0x08 doorbell address (RW, 64-bit), 0x10 data
 * (write: send).  A vCPU's own write to GITS_TRANSLATER carries no
 * DeviceID, so the ITS ignores it (as KVM's does).
 */
struct msi_gen {
	struct device *its;
	uint32_t devid;
	uint64_t addr;
};

static int msi_gen_access(void *opaque, int cpu, uint64_t offset, void *data,
			  uint32_t len, bool is_write)
{
	struct msi_gen *g = opaque;
	uint64_t v = is_write ? bus_get_le(data, len) : 0;
	int ret;

	switch (offset) {
	case 0x00:
		if (is_write)
			g->devid = (uint32_t)v;
		v = g->devid;
		break;
	case 0x08:
		if (is_write)
			g->addr = len == 8 ? v : (g->addr & ~0xffffffffULL) | v;
		v = g->addr;
		break;
	case 0x0c:
		if (is_write)
			g->addr = (g->addr & 0xffffffffULL) | v << 32;
		v = g->addr >> 32;
		break;
	case 0x10:
		if (is_write) {
			ret = device_signal_msi(g->its, g->addr, (uint32_t)v,
						g->devid);
			if (ret)
				pr_debug("msi-gen: %s", strerror(-ret));
		}
		v = 0;
		break;
	default:
		v = 0;
		break;
	}
	if (!is_write)
		bus_put_le(data, len, v);
	return 0;
}

static int add(struct vm *vm, uint32_t type, struct device **out)
{
	int ret = device_create(vm->vm_fd, &vm->devhost, type,
				vm->cfg.irqchip_backend, out);

	if (ret) {
		pr_err("--irqchip=%s: cannot create %s: %s", vm->cfg.irqchip,
		       device_type_name(type), strerror(-ret));
		return ret;
	}
	ret = vm_add_device(vm, *out);
	if (ret)
		device_destroy(*out);
	return ret;
}

static int set_addr(struct device *dev, uint64_t type, uint64_t addr)
{
	int ret = device_set(dev, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr);

	if (ret)
		pr_err("%s: setting address 0x%llx: %s", dev->name,
		       (unsigned long long)addr, strerror(-ret));
	return ret;
}

static int setup_gic(struct vm *vm, struct testbench *tb, bool v3, bool its)
{
	uint32_t nr_irqs = TB_GIC_NR_IRQS;
	struct device *gic, *itsdev;
	int ret;

	ret = add(vm, v3 ? KVM_DEV_TYPE_ARM_VGIC_V3 : KVM_DEV_TYPE_ARM_VGIC_V2,
		  &gic);
	if (ret)
		return ret;
	tb->irqchip = gic;
	if (v3)
		ret = set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_DIST, TB_GIC_DIST) ?:
		      set_addr(gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, TB_GICV3_REDIST);
	else
		ret = set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_DIST, TB_GIC_DIST) ?:
		      set_addr(gic, KVM_VGIC_V2_ADDR_TYPE_CPU, TB_GICV2_CPU);
	if (ret)
		return ret;
	ret = device_set(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	if (ret) {
		pr_err("%s: NR_IRQS: %s", gic->name, strerror(-ret));
		return ret;
	}
	if (!its)
		return 0;
	ret = add(vm, KVM_DEV_TYPE_ARM_VGIC_ITS, &itsdev);
	ret = ret ?: set_addr(itsdev, KVM_VGIC_ITS_ADDR_TYPE, TB_ITS);
	if (ret)
		return ret;
	tb->msi_gen = calloc(1, sizeof(*tb->msi_gen));
	if (!tb->msi_gen)
		return -ENOMEM;
	tb->msi_gen->its = itsdev;
	return bus_register(vm->mmio, TB_MMIO_MSI_GEN, 0x1000, msi_gen_access,
			    tb->msi_gen, "msi-gen");
}

bool testbench_msi_gen_get(struct testbench *tb, uint32_t *devid,
			   uint64_t *addr)
{
	if (!tb->msi_gen)
		return false;
	*devid = tb->msi_gen->devid;
	*addr = tb->msi_gen->addr;
	return true;
}

int testbench_msi_gen_set(struct testbench *tb, uint32_t devid, uint64_t addr)
{
	if (!tb->msi_gen)
		return -ENODEV;
	tb->msi_gen->devid = devid;
	tb->msi_gen->addr = addr;
	return 0;
}

static int setup_mpic(struct vm *vm, struct testbench *tb)
{
	uint64_t base = TB_MPIC;
	struct device *mpic;
	int ret = add(vm, KVM_DEV_TYPE_FSL_MPIC_42, &mpic);

	if (ret)
		return ret;
	tb->irqchip = mpic;
	ret = device_set(mpic, KVM_DEV_MPIC_GRP_MISC, KVM_DEV_MPIC_BASE_ADDR,
			 &base);
	if (ret) {
		pr_err("%s: BASE_ADDR: %s", mpic->name, strerror(-ret));
		return ret;
	}
	if (mpic->backend == DEV_BACKEND_SOFT)
		ret = bus_register(vm->pio, TB_PORT_MPIC_TIMER, 4,
				   mpic_timer_port, tb, "mpic-timer");
	return ret;
}

int testbench_irqchip_setup(struct vm *vm, struct testbench *tb)
{
	const char *chip = vm->cfg.irqchip;
	int ret;

	if (!chip || !strcmp(chip, "none"))
		return 0;
	tb->has_irqchip = true;
	if (!strcmp(chip, "gicv2")) {
		ret = setup_gic(vm, tb, false, false);
	} else if (!strcmp(chip, "gicv3")) {
		ret = setup_gic(vm, tb, true, false);
	} else if (!strcmp(chip, "gicv3-its")) {
		ret = setup_gic(vm, tb, true, true);
	} else if (!strcmp(chip, "mpic")) {
		ret = setup_mpic(vm, tb);
	} else {
		pr_err("--irqchip: the testbench offers none, gicv2, gicv3, gicv3-its or mpic, not '%s'",
		       chip);
		return -EINVAL;
	}
	return ret ?: bus_register(vm->pio, TB_PORT_IRQ_LINE, 4, irq_line_port,
				   tb, "irq-line");
}

/* After the vCPUs exist: CTRL_INIT, as the documented GIC order wants. */
int testbench_irqchip_finalize(struct vm *vm, struct testbench *tb)
{
	int ret;

	if (!tb->irqchip || tb->irqchip->type == KVM_DEV_TYPE_FSL_MPIC_42)
		return 0;
	for (int i = 0; i < vm->nr_devices; i++) {
		struct device *dev = vm->devices[i];

		ret = device_set(dev, KVM_DEV_ARM_VGIC_GRP_CTRL,
				 KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
		if (ret) {
			pr_err("%s: CTRL_INIT: %s", dev->name, strerror(-ret));
			return ret;
		}
	}
	if (tb->irqchip->type == KVM_DEV_TYPE_ARM_VGIC_V3) {
		/* The kernel's GICv3 has no MMIO CPU interface to offer. */
		if (tb->irqchip->backend != DEV_BACKEND_SOFT) {
			pr_err("the testbench's GICv3 CPU-interface window needs the software GICv3");
			return -ENOTSUP;
		}
		ret = gicv3_cpuif_map_window(tb->irqchip, TB_GICV3_CPUIF);
		if (ret) {
			pr_err("GICv3 CPU-interface window: %s", strerror(-ret));
			return ret;
		}
	}
	return 0;
}
