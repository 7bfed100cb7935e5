/*
 * match.c: whether a changeset (or one change) applies to this run, as
 * Liquibase 4.28's changeset filters decide it: DbmsChangeSetFilter
 * (spec 1.3), ContextChangeSetFilter and LabelChangeSetFilter. The
 * context and label expressions themselves are evaluated by expr.c.
 */
#include "migrator/model.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

/* Whether `item` is in the list, counting the items not negated. */
static bool dbms_item(const char *list, const char *item, size_t *count)
{
	const char *p = list, *it;
	size_t n = strlen(item), len;
	bool found = false;

	*count = 0;
	while (mg_list_next(&p, &it, &len)) {
		if (it[0] != '!')
			(*count)++;
		if (len == n && memcmp(it, item, n) == 0)
			found = true;
	}
	return found;
}

/* §1.3 DatabaseList.definitionMatches, case-sensitive. */
bool mg_dbms_matches(const char *dbms)
{
	size_t positives;

	if (!dbms || !*dbms)
		return true;
	if (dbms_item(dbms, "all", &positives))
		return true;
	if (dbms_item(dbms, "none", &positives) ||
	    dbms_item(dbms, "!postgresql", &positives))
		return false;
	return positives == 0 || dbms_item(dbms, "postgresql", &positives);
}

/* A changeset's or a dbms precondition's list, which Liquibase lower-cases
 * first (DatabaseList.toDbmsSet, DBMSPrecondition.setType). */
bool mg_dbms_matches_ci(const char *dbms)
{
	char *low;
	bool r;

	if (!dbms)
		return true;
	low = mg_xstrdup(dbms);
	for (char *p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	r = mg_dbms_matches(low);
	free(low);
	return r;
}

/* ContextChangeSetFilter: the changeset's own expression and each one
 * it inherits (the changelogs' and the includes' that reached it). */
bool mg_changeset_contexts_match(const mg_changeset *cs, const char *runtime)
{
	if (!mg_context_matches(cs->context_own, runtime))
		return false;
	for (size_t i = 0; i < cs->ncontext_inherited; i++)
		if (!mg_context_matches(cs->context_inherited[i], runtime))
			return false;
	return true;
}

/* LabelChangeSetFilter: the filter matches the changeset's own labels
 * and each group of labels it inherits from includes. */
bool mg_changeset_labels_match(const mg_changeset *cs, const char *runtime)
{
	if (!mg_labels_match(cs->labels_own, runtime))
		return false;
	for (size_t i = 0; i < cs->nlabels_inherited; i++)
		if (!mg_labels_match(cs->labels_inherited[i], runtime))
			return false;
	return true;
}
