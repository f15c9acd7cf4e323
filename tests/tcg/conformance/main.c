// SPDX-License-Identifier: GPL-2.0
/*
 * gic-conformance v3|v2: run the script against the kernel's device,
 * then against kvmkit's software model, compare every result and print
 * TAP, one line per area.  v3 covers the GICv3 and the ITS (a --gic 3
 * QEMU host), v2 the GICv2 (a --gic 2 host).  Exit 0 all equal (or only
 * kept differences), 1 some differ, 77 when the kernel lacks the device.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "kvmkit/log.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct script {
	const char *name;
	uint32_t needs;
	int (*run)(struct record *rec, enum backend_choice backend);
};

static const struct script v3_scripts[] = {
	{ "gicv3", KVM_DEV_TYPE_ARM_VGIC_V3, script_v3 },
	{ "its", KVM_DEV_TYPE_ARM_VGIC_ITS, script_its },
	{ NULL, 0, NULL },
};

static const struct script v2_scripts[] = {
	{ "gicv2", KVM_DEV_TYPE_ARM_VGIC_V2, script_v2 },
	{ NULL, 0, NULL },
};

int main(int argc, char **argv)
{
	const struct script *s;
	int tap = 1, failed = 0;

	if (argc != 2 || (strcmp(argv[1], "v3") && strcmp(argv[1], "v2"))) {
		fprintf(stderr, "usage: gic-conformance v3|v2\n");
		return 2;
	}
	log_level = LOG_ERROR;
	s = !strcmp(argv[1], "v3") ? v3_scripts : v2_scripts;
	for (const struct script *t = s; t->name; t++) {
		if (!kernel_has_device(t->needs)) {
			printf("1..0 # SKIP the kernel has no %s device\n",
			       device_type_name(t->needs));
			return 77;
		}
	}
	for (; s->name; s++) {
		struct record kern = { 0 }, soft = { 0 };
		double t0 = now(), t1, t2;
		int nr = 0;

		s->run(&kern, BACKEND_KERNEL);
		t1 = now();
		s->run(&soft, BACKEND_SOFT);
		t2 = now();
		printf("# %s: %zu operations; kernel %.2f s, model %.2f s\n",
		       s->name, kern.n, t1 - t0, t2 - t1);
		failed += rec_compare(&kern, &soft, s->name, tap, &nr);
		tap += nr;
		rec_free(&kern);
		rec_free(&soft);
		fflush(stdout);
	}
	printf("1..%d\n", tap - 1);
	return failed ? 1 : 0;
}
