/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The software GICv3 ITS (KVM_DEV_TYPE_ARM_VGIC_ITS): state shared by
 * its.c (device ops, attribute groups), its_regs.c (register table),
 * its_cmd.c (command queue, translation), its_state.c (devices,
 * collections, ITEs) and its_abi.c (SAVE/RESTORE_TABLES, ABI REV0).
 *
 * One mutex per instance guards everything below; it is held while the
 * ITS calls into the GICv3 (gicv3_lpi.h), never the other way round.
 */
#ifndef KVMKIT_ITS_H
#define KVMKIT_ITS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/device.h"
#include "gic/gicv3_lpi.h"

#define ITS_BIT(n) (1ULL << (n))
#define ITS_GENMASK(h, l) ((~0ULL >> (63 - (h))) & ~((1ULL << (l)) - 1))

/* Two 64 KiB frames: control registers, then GITS_TRANSLATER's page. */
#define ITS_FRAME_SIZE 0x10000ULL
#define ITS_MMIO_SIZE (2 * ITS_FRAME_SIZE)
#define ITS_ADDR_UNDEF (~0ULL)	/* KVM's VGIC_ADDR_UNDEF, as read back */

/* Control frame registers. */
#define GITS_CTLR 0x0000
#define GITS_IIDR 0x0004
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER 0x0100
#define GITS_BASER_NR 8
#define GITS_IDREGS_BASE 0xffd0
#define GITS_PIDR4 0xffd0
#define GITS_PIDR0 0xffe0
#define GITS_PIDR1 0xffe4
#define GITS_PIDR2 0xffe8
#define GITS_CIDR0 0xfff0
#define GITS_CIDR1 0xfff4
#define GITS_CIDR2 0xfff8
#define GITS_CIDR3 0xfffc
/* Translation frame. */
#define GITS_TRANSLATER (ITS_FRAME_SIZE + 0x40)

#define GITS_CTLR_ENABLE ITS_BIT(0)
#define GITS_CTLR_QUIESCENT ITS_BIT(31)

/* GITS_IIDR: KVM's product ID 'K', implementer ARM, Revision = ABI. */
#define GITS_IIDR_REV_SHIFT 12
#define GITS_IIDR_REV_MASK ITS_GENMASK(15, 12)
#define GITS_IIDR_KVM ((0x4bU << 24) | 0x43b)
#define ITS_NR_ABIS 1		/* ABI REV0 only */

/* GITS_TYPER as KVM: PLPIS, ITT entry 8 bytes, 16 ID and Device bits. */
#define ITS_ESZ 8
#define ITS_DEV_BITS 16
#define ITS_EVENT_BITS 16
#define ITS_COLL_BITS 16	/* CIL == 0: 16-bit ICIDs */
#define GITS_TYPER_VALUE                                                 \
	(ITS_BIT(0) | (uint64_t)(ITS_ESZ - 1) << 4 |                     \
	 (uint64_t)(ITS_EVENT_BITS - 1) << 8 |                           \
	 (uint64_t)(ITS_DEV_BITS - 1) << 13)

/* Shareability and cacheability fields of GITS_CBASER/GITS_BASER<n>. */
#define GITS_SHARE_SHIFT 10
#define GITS_SHARE_MASK ITS_GENMASK(11, 10)
#define GITS_INNER_SHIFT 59
#define GITS_INNER_MASK ITS_GENMASK(61, 59)
#define GITS_OUTER_SHIFT 53
#define GITS_OUTER_MASK ITS_GENMASK(55, 53)
#define GIC_SHARE_INNER 1ULL
#define GIC_SHARE_OUTER 2ULL
#define GIC_CACHE_NCNB 0ULL
#define GIC_CACHE_NC 1ULL
#define GIC_CACHE_RAWB 3ULL
#define GIC_CACHE_SAME_AS_INNER 0ULL

#define GITS_CBASER_VALID ITS_BIT(63)
#define GITS_CBASER_ADDR(r) ((r) & ITS_GENMASK(51, 12))
#define GITS_CBASER_QUEUE_SIZE(r) ((((r) & 0xff) + 1) << 12)
#define ITS_CMD_SIZE 32
#define ITS_CMD_OFFSET(r) ((r) & ITS_GENMASK(19, 5))

#define GITS_BASER_VALID ITS_BIT(63)
#define GITS_BASER_INDIRECT ITS_BIT(62)
#define GITS_BASER_TYPE_SHIFT 56
#define GITS_BASER_TYPE(r) (((r) >> GITS_BASER_TYPE_SHIFT) & 7)
#define GITS_BASER_TYPE_DEVICE 1ULL
#define GITS_BASER_TYPE_COLLECTION 4ULL
#define GITS_BASER_ESZ_SHIFT 48
#define GITS_BASER_ESZ_MASK ITS_GENMASK(52, 48)
#define GITS_BASER_ESZ(r) ((((r) >> GITS_BASER_ESZ_SHIFT) & 0x1f) + 1)
#define GITS_BASER_RO_MASK (ITS_GENMASK(52, 48) | ITS_GENMASK(58, 56))
#define GITS_BASER_PAGE_SIZE_MASK ITS_GENMASK(9, 8)
#define GITS_BASER_PAGE_64K (2ULL << 8)
#define GITS_BASER_NR_PAGES(r) (((r) & 0xff) + 1)
/* 64 KiB pages: PA[47:16] in place, PA[51:48] in bits [15:12]. */
#define GITS_BASER_ADDR(r) \
	(((r) & ITS_GENMASK(47, 16)) | (((r) >> 12) & 0xf) << 48)
#define ITS_L2_SIZE 0x10000ULL	/* indirect tables: 64 KiB level 2 pages */
#define ITS_L1E_VALID ITS_BIT(63)
#define ITS_L1E_ADDR(e) ((e) & ITS_GENMASK(51, 16))

/* ABI REV0 table entries (arm-vgic-its.txt), 8 bytes little-endian. */
#define ITS_DTE_VALID ITS_BIT(63)
#define ITS_DTE_NEXT_SHIFT 49
#define ITS_DTE_NEXT_MASK ITS_GENMASK(62, 49)
#define ITS_DTE_ITT_SHIFT 5
#define ITS_DTE_ITT_MASK ITS_GENMASK(48, 5)
#define ITS_DTE_SIZE_MASK ITS_GENMASK(4, 0)
#define ITS_DTE_MAX_NEXT ((1U << 14) - 1)
#define ITS_CTE_VALID ITS_BIT(63)
#define ITS_CTE_RDBASE_SHIFT 16
#define ITS_CTE_ICID_MASK ITS_GENMASK(15, 0)
#define ITS_ITE_NEXT_SHIFT 48
#define ITS_ITE_PINTID_SHIFT 16
#define ITS_ITE_PINTID_MASK ITS_GENMASK(47, 16)
#define ITS_ITE_ICID_MASK ITS_GENMASK(15, 0)
#define ITS_ITE_MAX_NEXT ((1U << 16) - 1)

#define ITS_COLL_UNMAPPED 0xffffffffU

/*
 * A sparse map of IDs below 1 << 16 to pointers: 256-entry blocks made
 * on first use, so lookups are O(1) and walks go in ascending ID order
 * (the order the ABI wants for DTEs and ITEs).
 */
struct its_idmap {
	void ***blocks;
	uint32_t nr_blocks;
	uint32_t limit;		/* IDs are below this */
	uint32_t count;
};

void its_idmap_init(struct its_idmap *m, unsigned int id_bits);
void *its_idmap_get(const struct its_idmap *m, uint32_t id);
/* 0, -ERANGE for an ID out of the map, -ENOMEM; @p is not NULL. */
int its_idmap_set(struct its_idmap *m, uint32_t id, void *p);
void *its_idmap_take(struct its_idmap *m, uint32_t id);
/* The first entry at an ID >= @from (its ID into *@id), or NULL. */
void *its_idmap_next(const struct its_idmap *m, uint64_t from, int64_t *id);
/* Frees every entry with @free_fn (may be NULL) and the blocks. */
void its_idmap_clear(struct its_idmap *m, void (*free_fn)(void *));

/* Walk in ascending ID order; @ptr may be removed from the map inside. */
#define its_idmap_for_each(m, id, ptr)                                   \
	for (int64_t id = -1;                                            \
	     ((ptr) = its_idmap_next(m, (uint64_t)(id + 1), &id)) != NULL;)

struct its_ite {
	uint32_t intid;
	uint16_t icid;
	/* Cleared when the collection is unmapped (MAPC V=0), as KVM. */
	bool has_coll;
};

struct its_device {
	uint32_t id;
	uint32_t nbits;		/* EventID bits: MAPD Size + 1 */
	uint64_t itt_addr;
	struct its_idmap ites;	/* EventID -> struct its_ite */
};

struct its_coll {
	uint16_t id;
	uint32_t target;	/* vCPU index, or ITS_COLL_UNMAPPED */
};

struct its {
	pthread_mutex_t lock;
	struct device *dev;
	struct devhost *host;
	uint64_t base;		/* control frame, ITS_ADDR_UNDEF until set */
	bool enabled;
	uint32_t abi_rev;
	uint64_t cbaser;
	uint64_t cwriter;
	uint64_t creadr;
	uint64_t baser_dev;	/* GITS_BASER0: device table */
	uint64_t baser_coll;	/* GITS_BASER1: collection table */
	struct its_idmap devices;	/* DeviceID -> struct its_device */
	struct its_idmap colls;		/* ICID -> struct its_coll */
};

/* The GICv3 the ITS delivers to (ops NULL when there is none). */
struct its_gic {
	struct device *dev;
	const struct gicv3_lpi_ops *ops;
};

/* its_state.c: guest RAM, GIC and bookkeeping helpers (lock held). */
struct its_gic its_gic(struct its *its);
int its_nr_cpus(struct its *its);
int its_read_entry(struct its *its, uint64_t gpa, uint64_t *val);
int its_write_entry(struct its *its, uint64_t gpa, uint64_t val);
bool its_gpa_ok(struct its *its, uint64_t gpa);
bool its_check_id(struct its *its, uint64_t baser, uint32_t id,
		  uint64_t *eaddr);
bool its_check_event_id(struct its *its, const struct its_device *d,
			uint32_t event);
struct its_device *its_find_device(struct its *its, uint32_t devid);
struct its_ite *its_find_ite(struct its *its, uint32_t devid, uint32_t event,
			     struct its_device **dev);
struct its_coll *its_find_coll(struct its *its, uint32_t icid);
/* The collection an ITE points at when it is mapped to a vCPU, or NULL. */
struct its_coll *its_ite_coll(struct its *its, const struct its_ite *ite);
int its_device_add(struct its *its, uint32_t devid, uint64_t itt_addr,
		   uint32_t nbits, struct its_device **out);
void its_device_remove(struct its *its, struct its_device *d);
int its_coll_add(struct its *its, uint32_t icid, uint32_t target,
		 struct its_coll **out);
void its_coll_remove(struct its *its, uint32_t icid);
int its_ite_add(struct its_device *d, uint32_t event, uint32_t intid,
		uint32_t icid);
void its_ite_remove(struct its_device *d, uint32_t event);
void its_free_devices(struct its *its);
/* The same, dropping the pending state of their LPIs (MAPD V=0, reset). */
void its_device_forget(struct its *its, struct its_device *d);
void its_forget_devices(struct its *its);
/* A new ITE's LPI: the GIC reads its configuration and pending bit. */
int its_lpi_created(struct its *its, uint32_t icid, uint32_t intid);
void its_free_colls(struct its *its);

/* its_cmd.c: the command queue and translation (lock held). */
void its_process_commands(struct its *its);
/* 0, a positive ITS error (dropped), or -EBUSY like KVM's resolve. */
int its_trigger(struct its *its, uint32_t devid, uint32_t event);

/* its_regs.c: the register table. */
int its_mmio(void *opaque, int cpu, uint64_t offset, void *data, uint32_t len,
	     bool is_write);
int its_regs_has(uint64_t offset);
/* Attribute access; the caller holds the lock and did the -EBUSY check. */
int its_regs_uaccess(struct its *its, uint64_t offset, uint64_t *val,
		     bool is_write);
void its_set_abi(struct its *its, uint32_t rev);

/* its_abi.c: KVM_DEV_ARM_ITS_SAVE_TABLES / RESTORE_TABLES (lock held). */
int its_save_tables(struct its *its);
int its_restore_tables(struct its *its);

#endif
