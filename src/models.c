// SPDX-License-Identifier: GPL-2.0
/* The software models kvmkit can stand in for a missing kernel device. */
#include <stddef.h>

#include "kvmkit/models.h"

static const struct soft_model *const soft_models[] = {
	&gicv2_soft_model,  &gicv3_soft_model,	&its_soft_model,
	&mpic20_soft_model, &mpic42_soft_model, &flic_soft_model,
	&s390_vm_soft_model,
};

const struct soft_model *soft_model_find(uint32_t type)
{
	for (size_t i = 0; i < sizeof(soft_models) / sizeof(soft_models[0]); i++)
		if (soft_models[i]->type == type)
			return soft_models[i];
	return NULL;
}
