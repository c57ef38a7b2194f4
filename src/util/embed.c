#include <string.h>
#include "util/embed.h"

const struct kf_embed *kf_embed_find(const char *name)
{
	for (const struct kf_embed *e = kf_embedded; e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}
