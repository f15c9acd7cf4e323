// SPDX-License-Identifier: GPL-2.0
/*
 * Sparse ID -> pointer map for the ITS (DeviceIDs, EventIDs, ICIDs, all
 * below 1 << 16): a first level of block pointers sized for the ID
 * range, 256-slot blocks allocated on first use.  A guest that maps
 * many IDs costs memory in proportion, never a scan of the whole range.
 */
#include <errno.h>
#include <stdlib.h>

#include "gic/its.h"

#define BLOCK_SHIFT 8
#define BLOCK_SLOTS (1U << BLOCK_SHIFT)

void its_idmap_init(struct its_idmap *m, unsigned int id_bits)
{
	m->blocks = NULL;
	m->limit = 1U << id_bits;
	m->nr_blocks = (m->limit + BLOCK_SLOTS - 1) >> BLOCK_SHIFT;
	m->count = 0;
}

void *its_idmap_get(const struct its_idmap *m, uint32_t id)
{
	void **blk;

	if (id >= m->limit || !m->blocks)
		return NULL;
	blk = m->blocks[id >> BLOCK_SHIFT];
	return blk ? blk[id & (BLOCK_SLOTS - 1)] : NULL;
}

int its_idmap_set(struct its_idmap *m, uint32_t id, void *p)
{
	void ***blk;
	void **slot;

	if (id >= m->limit)
		return -ERANGE;
	if (!m->blocks) {
		m->blocks = calloc(m->nr_blocks, sizeof(*m->blocks));
		if (!m->blocks)
			return -ENOMEM;
	}
	blk = &m->blocks[id >> BLOCK_SHIFT];
	if (!*blk) {
		*blk = calloc(BLOCK_SLOTS, sizeof(**blk));
		if (!*blk)
			return -ENOMEM;
	}
	slot = &(*blk)[id & (BLOCK_SLOTS - 1)];
	if (!*slot)
		m->count++;
	*slot = p;
	return 0;
}

void *its_idmap_take(struct its_idmap *m, uint32_t id)
{
	void *p = its_idmap_get(m, id);

	if (p) {
		m->blocks[id >> BLOCK_SHIFT][id & (BLOCK_SLOTS - 1)] = NULL;
		m->count--;
	}
	return p;
}

void *its_idmap_next(const struct its_idmap *m, uint64_t from, int64_t *id)
{
	if (!m->blocks || !m->count)
		return NULL;
	while (from < m->limit) {
		void **blk = m->blocks[from >> BLOCK_SHIFT];

		if (!blk) {
			from = (from | (BLOCK_SLOTS - 1)) + 1;
			continue;
		}
		if (blk[from & (BLOCK_SLOTS - 1)]) {
			*id = (int64_t)from;
			return blk[from & (BLOCK_SLOTS - 1)];
		}
		from++;
	}
	return NULL;
}

void its_idmap_clear(struct its_idmap *m, void (*free_fn)(void *))
{
	if (!m->blocks)
		return;
	for (uint32_t b = 0; b < m->nr_blocks; b++) {
		if (!m->blocks[b])
			continue;
		for (uint32_t i = 0; free_fn && i < BLOCK_SLOTS; i++)
			if (m->blocks[b][i])
				free_fn(m->blocks[b][i]);
		free(m->blocks[b]);
	}
	free(m->blocks);
	m->blocks = NULL;
	m->count = 0;
}
