// SPDX-License-Identifier: GPL-2.0
/*
 * The kept differences.  docs/conformance.md gives the reason for each,
 * under the same name.  A match function pins the exact shape of the
 * difference, so anything else at the same operation still fails.
 */
#include <errno.h>
#include <string.h>

#include "known.h"

/*
 * "hole": the kernel reads 0 (and ignores writes) at an offset where its
 * own has_attr, recorded next, says there is no register; the model
 * answers -ENXIO as the doc says.
 */
static bool hole(const struct record *kern, const struct record *soft,
		 size_t i)
{
	const struct rec *k = &kern->r[i], *s = &soft->r[i], *h;
	const char *name = k->op + 4;	/* after "get " / "set " */
	size_t len = strcspn(name, "=");

	if (k->rc || k->val || s->rc != -ENXIO || i + 1 >= kern->n)
		return false;
	if (len && name[len - 1] == ' ')
		len--;
	h = &kern->r[i + 1];
	return !strncmp(h->op, "has ", 4) && !strncmp(h->op + 4, name, len) &&
	       h->op[4 + len] == '\0' && h->rc == -ENXIO;
}

/* "statusr": the kernel's fixed STATUSR values, the model's stored ones. */
static bool statusr(const struct record *kern, const struct record *soft,
		    size_t i)
{
	const struct rec *k = &kern->r[i], *s = &soft->r[i];

	return !k->rc && !s->rc && (k->val == 0 || k->val == 0xffffffff) &&
	       !(s->val & ~0xfULL);
}

/* "waker": the kernel's RAZ/WI WAKER, the model's ProcessorSleep. */
static bool waker(const struct record *kern, const struct record *soft,
		  size_t i)
{
	const struct rec *k = &kern->r[i], *s = &soft->r[i];

	return !k->rc && !s->rc && k->val == 0 && s->val == 0x6;
}

/* "nr-irqs-1024": the doc's upper bound, which KVM refuses. */
static bool nr_irqs_1024(const struct record *kern, const struct record *soft,
			 size_t i)
{
	const struct rec *k = &kern->r[i], *s = &soft->r[i];

	if (strstr(k->op, "set"))
		return k->rc == -EINVAL && !s->rc;
	return !k->rc && !s->rc && s->val == 1024;
}

/*
 * "icc-ctlr-host": ICC_CTLR_EL1.IDbits and A3V come from the host's
 * ICH_VTR_EL2 in KVM; the model's CPU interface is fixed (16-bit IDs,
 * no Aff3).  Only those two fields may differ.
 */
static bool icc_ctlr_host(const struct record *kern, const struct record *soft,
			  size_t i)
{
	const struct rec *k = &kern->r[i], *s = &soft->r[i];
	const uint64_t fields = 1ULL << 15 | 7ULL << 11;

	return !k->rc && !s->rc && !((k->val ^ s->val) & ~fields);
}

const struct known_diff known_diffs[] = {
	{ "hole", "v3.*", "get *", hole },
	{ "hole", "v3.*", "set DIST 0x0110 = *", hole },
	{ "statusr", "v3.*", "get DIST 0x0010", statusr },
	{ "statusr", "v3.*", "get REDIST(cpu?) 0x00010", statusr },
	{ "waker", "v3.*", "get REDIST(cpu?) 0x00014", waker },
	{ "nr-irqs-1024", "v3.nr_irqs", "* NR_IRQS*", nr_irqs_1024 },
	{ "icc-ctlr-host", "v3.*", "get SYSREG(cpu?) 0xc664", icc_ctlr_host },
};

const size_t nr_known_diffs = sizeof(known_diffs) / sizeof(known_diffs[0]);
