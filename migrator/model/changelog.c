/*
 * changelog.c: what the model knows of a loaded changelog on its own:
 * a changeset's key and releasing the whole tree (the loader builds it).
 */
#include "migrator/model.h"

#include <stdlib.h>

void mg_changelog_free(mg_changelog *cl)
{
	if (!cl)
		return;
	for (size_t i = 0; i < cl->nwarnings; i++)
		free(cl->warnings[i]);
	free(cl->warnings);
	free(cl->sets);
	free(cl->preconditions);
	mg_arena_release(&cl->arena);
	free(cl);
}

const char *mg_changeset_key(mg_changelog *cl, const mg_changeset *cs)
{
	return mg_arena_printf(&cl->arena, "%s::%s::%s", cs->filename, cs->id,
			       cs->author);
}
