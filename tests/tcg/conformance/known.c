// SPDX-License-Identifier: GPL-2.0
/*
 * The kept differences.  docs/conformance.md gives the reason for each,
 * under the same name.  A match function pins the exact shape of the
 * difference, so anything else at the same operation still fails.
 */
#include <errno.h>
#include <string.h>

#include "known.h"

#define K (&kern->r[i])
#define S (&soft->r[i])

/*
 * "hole": the kernel reads 0 (and ignores writes) at an offset where its
 * own has_attr, recorded next, says there is no register; the model
 * answers -ENXIO as the doc says.
 */
static bool hole(const struct record *kern, const struct record *soft,
		 size_t i)
{
	const char *name = K->op + 4;	/* after "get " / "set " */
	size_t len = strcspn(name, "=");
	const struct rec *h;

	if (K->rc || K->val || S->rc != -ENXIO || i + 1 >= kern->n)
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
	if (!strncmp(K->op, "has ", 4))
		return K->rc == -ENXIO && !S->rc;
	return !K->rc && !S->rc && (K->val == 0 || K->val == 0xffffffff) &&
	       !(S->val & ~0xfULL);
}

/* "waker": the kernel's RAZ/WI WAKER, the model's ProcessorSleep. */
static bool waker(const struct record *kern, const struct record *soft,
		  size_t i)
{
	return !K->rc && !S->rc && K->val == 0 && S->val == 0x6;
}

/* "nr-irqs-1024": the doc's upper bound, which KVM refuses. */
static bool nr_irqs_1024(const struct record *kern, const struct record *soft,
			 size_t i)
{
	if (!strncmp(K->op, "set", 3))
		return K->rc == -EINVAL && !S->rc;
	return !K->rc && !S->rc && S->val == 1024;
}

/*
 * "icc-ctlr-host": ICC_CTLR_EL1.IDbits and A3V come from the host's
 * ICH_VTR_EL2 in KVM; the model's CPU interface is fixed (16-bit IDs,
 * no Aff3).  Only those two fields may differ.
 */
static bool icc_ctlr_host(const struct record *kern, const struct record *soft,
			  size_t i)
{
	const uint64_t fields = 1ULL << 15 | 7ULL << 11;

	return !K->rc && !S->rc && !((K->val ^ S->val) & ~fields);
}

/* "sysreg-enoent": KVM's -ENOENT for an encoding it does not know. */
static bool sysreg_enoent(const struct record *kern, const struct record *soft,
			  size_t i)
{
	return K->rc == -ENOENT && S->rc == -ENXIO;
}

/*
 * "vmcr-raw": KVM keeps PMR and the binary points as written until the
 * vCPU runs; the model applies the 5 priority bits and the minimum
 * binary points at once.  @mask and @min say how.
 */
static bool vmcr(const struct rec *k, const struct rec *s, uint64_t mask,
		 uint64_t min)
{
	uint64_t want = k->val & mask;

	return !k->rc && !s->rc && s->val == (want < min ? min : want);
}

static bool pmr_raw(const struct record *kern, const struct record *soft,
		    size_t i)
{
	return vmcr(K, S, 0xf8, 0);
}

static bool bpr0_raw(const struct record *kern, const struct record *soft,
		     size_t i)
{
	return vmcr(K, S, 7, 2);
}

static bool bpr1_raw(const struct record *kern, const struct record *soft,
		     size_t i)
{
	return vmcr(K, S, 7, 3);
}

/* "its-ctrl-unknown": KVM's ITS accepts any CTRL attribute silently. */
static bool its_ctrl_unknown(const struct record *kern,
			     const struct record *soft, size_t i)
{
	return !K->rc && S->rc == -ENXIO;
}

/* "its-restore-duplicate": KVM adds a second copy of a present device. */
static bool its_restore_dup(const struct record *kern,
			    const struct record *soft, size_t i)
{
	return !K->rc && S->rc == -EEXIST;
}

/* The same in the cross restores, where the kernel's run restores into
 * the model and the model's run into the kernel. */
static bool its_restore_dup_cross(const struct record *kern,
				  const struct record *soft, size_t i)
{
	return K->rc == -EEXIST && !S->rc;
}

/* "overlap-at-set": KVM checks this overlap at the first KVM_RUN. */
static bool overlap_at_set(const struct record *kern,
			   const struct record *soft, size_t i)
{
	return !K->rc && S->rc == -EINVAL;
}

const struct known_diff known_diffs[] = {
	{ "hole", "v[23].*", "get *", hole },
	{ "hole", "v[23].*", "set *", hole },
	{ "statusr", "v3.*", "get DIST 0x0010", statusr },
	{ "statusr", "v3.*", "get REDIST(cpu?) 0x00010", statusr },
	{ "statusr", "v3.*", "has REDIST(cpu?) 0x00010", statusr },
	{ "waker", "v3.*", "get REDIST(cpu?) 0x00014", waker },
	{ "nr-irqs-1024", "v[23].nr_irqs", "* NR_IRQS*", nr_irqs_1024 },
	{ "icc-ctlr-host", "v3.*", "get SYSREG(cpu?) 0xc664", icc_ctlr_host },
	{ "sysreg-enoent", "v3.*", "[gs]et SYSREG(cpu?) 0x*", sysreg_enoent },
	{ "vmcr-raw", "v3.*", "get SYSREG(cpu?) 0xc230", pmr_raw },
	{ "vmcr-raw", "v3.*", "get SYSREG(cpu0, bit 16) PMR", pmr_raw },
	{ "vmcr-raw", "v3.*", "get SYSREG(cpu?) 0xc643", bpr0_raw },
	{ "vmcr-raw", "v3.*", "get SYSREG(cpu?) 0xc663", bpr1_raw },
	{ "vmcr-raw", "v2.*", "get CPU(cpu?) 0x0008", bpr0_raw },
	{ "vmcr-raw", "v2.*", "get CPU(cpu?) 0x001c", bpr1_raw },
	{ "its-ctrl-unknown", "its.attr-errors", "ctrl ITS 3",
	  its_ctrl_unknown },
	{ "its-ctrl-unknown", "its.attr-errors", "ctrl ITS 99",
	  its_ctrl_unknown },
	{ "its-restore-duplicate", "its.restore-twice",
	  "ctrl ITS RESTORE_TABLES a third time, disabled", its_restore_dup },
	{ "its-restore-duplicate", "its.cross-twice",
	  "ctrl ITS RESTORE_TABLES a third time, disabled",
	  its_restore_dup_cross },
	{ "overlap-at-set", "v3.addr-redist", "set ADDR type 2 = 0x80c0000",
	  overlap_at_set },
};

const size_t nr_known_diffs = sizeof(known_diffs) / sizeof(known_diffs[0]);
