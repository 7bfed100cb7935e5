/*
 * values.h (internal): how Liquibase's ColumnConfig setters turn the
 * text of a column value into the value it hashes and renders (spec
 * 2.4): numbers keep their literal, dates are re-formatted, and what
 * does not parse becomes a computed value.
 */
#ifndef MIGRATOR_MODEL_VALUES_H
#define MIGRATOR_MODEL_VALUES_H

#include <stdbool.h>

#include "migrator/buf.h"
#include "migrator/node.h"

typedef struct mg_value {
	const char *name; /* field it ends up in; NULL = absent */
	mg_buf text;
} mg_value;

void mg_value_normalize(mg_value *out, const char *field, const char *raw,
			mg_scalar_kind kind);
void mg_value_release(mg_value *v);

/* Is this one of ConstraintsConfig's Boolean parameters? */
bool mg_constraint_field_bool(const char *name);

#endif
