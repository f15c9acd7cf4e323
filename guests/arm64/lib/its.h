/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ITS for arm64 test guests: its registers, enabling it with a
 * device and a collection table and a command queue in guest RAM, and
 * queueing commands.  One ITS and one queue per guest.
 */
#ifndef GUEST_ITS_H
#define GUEST_ITS_H

#include <stdint.h>

#define GITS_CTLR 0x00
#define GITS_TYPER 0x08
#define GITS_CBASER 0x80
#define GITS_CWRITER 0x88
#define GITS_CREADR 0x90
#define GITS_BASER 0x100
#define GITS_TRANSLATER 0x10040

#define BASER_VALID (1ULL << 63)
#define BASER_TYPE(r) ((r) >> 56 & 7)
#define BASER_ESZ(r) (((r) >> 48 & 0x1f) + 1)
#define BASER_PAGE_64K (2ULL << 8)
#define TYPE_DEVICE 1
#define TYPE_COLLECTION 4
#define CACHE_WB (7ULL << 59)		/* GITS_*: InnerCache RaWaWb */
#define RD_CACHE_WB (7ULL << 7)		/* GICR_PROP/PENDBASER */
#define SHARE_INNER (1ULL << 10)

static inline uint64_t guest_addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/*
 * Point GITS_BASER<n> at the device and collection tables (64 KiB
 * pages), the queue (64 KiB-aligned: KVM keeps CBASER[51:16]) at @cmdq,
 * and enable the ITS.  -1 when either table type is missing.
 */
int its_enable(void *dev_table, void *coll_table, uint64_t *cmdq);
/* Queue one 32-byte command. */
void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3);
/* Hand the queued commands to the ITS; -1 if it has not read them in 5 s. */
int its_run_cmds(void);
/* @cpu's redistributor: property table @prop (@id_bits), pending @pend, EnableLPIs. */
void gic_redist_enable_lpis(int cpu, const void *prop, unsigned int id_bits,
			    const void *pend);

#endif
