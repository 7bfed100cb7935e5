/*
 * precondition.c: the names a preConditions element may hold, for the
 * loader's check (parse/load.c) and the evaluator (engine/precondition.c).
 */
#include "migrator/model.h"

#include <string.h>

#include "migrator/util.h"

static bool in(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* the elements of dbchangelog-4.28.xsd's PreconditionElements group
 * (PreconditionFactory has the same names for YAML and JSON) */
bool mg_precondition_type_known(const char *name)
{
	static const char *const types[] = {
		"and", "or", "not", "dbms", "runningAs", "changeSetExecuted",
		"tableExists", "columnExists", "sequenceExists",
		"foreignKeyConstraintExists", "indexExists",
		"uniqueConstraintExists", "primaryKeyExists", "viewExists",
		"tableIsEmpty", "rowCount", "sqlCheck",
		"changeLogPropertyDefined", "expectedQuotingStrategy",
		"customPrecondition",
	};

	return in(types, MG_ARRAY_SIZE(types), name);
}

bool mg_precondition_attribute(const char *name)
{
	static const char *const attrs[] = {
		"onFail", "onError", "onFailMessage", "onErrorMessage",
		"onSqlOutput", "onUpdateSQL", "onUpdateSql",
	};

	return in(attrs, MG_ARRAY_SIZE(attrs), name);
}
