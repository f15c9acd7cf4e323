// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"

#define FH(h) ((struct fake_host *)(h)->opaque)

static bool in_ram(struct fake_host *fh, uint64_t gpa, size_t len)
{
	return gpa >= fh->ram_base && len <= fh->ram_size &&
	       gpa - fh->ram_base <= fh->ram_size - len;
}

static int fh_read(struct devhost *h, uint64_t gpa, void *buf, size_t len)
{
	struct fake_host *fh = FH(h);

	if (!in_ram(fh, gpa, len))
		return -EFAULT;
	memcpy(buf, fh->ram + (gpa - fh->ram_base), len);
	return 0;
}

static int fh_write(struct devhost *h, uint64_t gpa, const void *buf,
		    size_t len)
{
	struct fake_host *fh = FH(h);

	if (!in_ram(fh, gpa, len))
		return -EFAULT;
	memcpy(fh->ram + (gpa - fh->ram_base), buf, len);
	return 0;
}

static void fh_line(struct devhost *h, int cpu, int line, int level)
{
	struct fake_host *fh = FH(h);

	if (cpu < 0 || cpu >= FAKE_MAX_CPUS || line < 0 || line >= CPU_LINE_NR)
		abort();
	if (fh->lines[cpu][line] != !!level)
		fh->line_changes++;
	fh->lines[cpu][line] = !!level;
}

static int fh_nr_vcpus(struct devhost *h)
{
	return FH(h)->nr_vcpus;
}

static bool fh_running(struct devhost *h)
{
	return FH(h)->running;
}

static bool fh_have_run(struct devhost *h)
{
	return FH(h)->have_run;
}

static int fh_map(struct devhost *h, uint64_t base, uint64_t len,
		  bus_access_fn fn, void *opaque, const char *name)
{
	return bus_register(FH(h)->mmio, base, len, fn, opaque, name);
}

static int fh_unmap(struct devhost *h, uint64_t base)
{
	return bus_unregister(FH(h)->mmio, base);
}

static struct device *fh_find(struct devhost *h, uint32_t type)
{
	struct fake_host *fh = FH(h);

	for (int i = 0; i < FAKE_MAX_DEVICES; i++)
		if (fh->devices[i] && fh->devices[i]->type == type)
			return fh->devices[i];
	return NULL;
}

struct fake_host *fake_host_new(uint64_t ram_base, uint64_t ram_size,
				int nr_vcpus)
{
	struct fake_host *fh = calloc(1, sizeof(*fh));

	if (!fh)
		abort();
	fh->ram = calloc(1, ram_size ? ram_size : 1);
	fh->mmio = bus_create("fake-mmio");
	if (!fh->ram || !fh->mmio)
		abort();
	fh->ram_base = ram_base;
	fh->ram_size = ram_size;
	fh->nr_vcpus = nr_vcpus;
	fh->host = (struct devhost){
		.opaque = fh,
		.guest_read = fh_read,
		.guest_write = fh_write,
		.set_cpu_line = fh_line,
		.nr_vcpus = fh_nr_vcpus,
		.vcpus_running = fh_running,
		.vcpus_have_run = fh_have_run,
		.map_mmio = fh_map,
		.unmap_mmio = fh_unmap,
		.find_device = fh_find,
		.ipa_bits = 40,
	};
	return fh;
}

void fake_host_free(struct fake_host *fh)
{
	bus_destroy(fh->mmio);
	free(fh->ram);
	free(fh);
}

void fake_host_add_device(struct fake_host *fh, struct device *dev)
{
	for (int i = 0; i < FAKE_MAX_DEVICES; i++) {
		if (!fh->devices[i]) {
			fh->devices[i] = dev;
			return;
		}
	}
	abort();
}

int fake_mmio_access(struct fake_host *fh, int cpu, uint64_t gpa, void *data,
		     uint32_t len, bool is_write)
{
	return bus_access(fh->mmio, cpu, gpa, data, len, is_write);
}

/* MMIO data is in guest (little-endian) byte order, as in kvm_run. */
uint32_t fake_mmio_read32(struct fake_host *fh, int cpu, uint64_t gpa)
{
	uint8_t b[4] = { 0 };

	fake_mmio_access(fh, cpu, gpa, b, 4, false);
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

void fake_mmio_write32(struct fake_host *fh, int cpu, uint64_t gpa,
		       uint32_t val)
{
	uint8_t b[4] = { val, val >> 8, val >> 16, val >> 24 };

	fake_mmio_access(fh, cpu, gpa, b, 4, true);
}

uint64_t fake_mmio_read64(struct fake_host *fh, int cpu, uint64_t gpa)
{
	uint8_t b[8] = { 0 };
	uint64_t v = 0;

	fake_mmio_access(fh, cpu, gpa, b, 8, false);
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

void fake_mmio_write64(struct fake_host *fh, int cpu, uint64_t gpa,
		       uint64_t val)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = val >> (8 * i);
	fake_mmio_access(fh, cpu, gpa, b, 8, true);
}

void *fake_ram(struct fake_host *fh, uint64_t gpa)
{
	return in_ram(fh, gpa, 1) ? fh->ram + (gpa - fh->ram_base) : NULL;
}
