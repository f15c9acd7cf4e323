// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "kvmkit/arch.h"

const struct arch_machine *arch_find_machine(const char *name)
{
	if (!name)
		return arch_machines[0];
	for (int i = 0; arch_machines[i]; i++)
		if (!strcmp(arch_machines[i]->name, name))
			return arch_machines[i];
	return NULL;
}
