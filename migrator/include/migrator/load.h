/*
 * load.h: read a changelog tree (all formats, includes, properties) into
 * the model, computing every changeset's FILENAME, CONTEXTS and LABELS
 * exactly as Liquibase 4.28 does (spec sections 2.5, 4.12, 4.13, 5).
 */
#ifndef MIGRATOR_LOAD_H
#define MIGRATOR_LOAD_H

#include "migrator/model.h"

typedef struct mg_load_options {
	const char *changelog_file; /* as given on the command line */
	const char *search_path;    /* comma-separated roots; NULL = "." */
	const char *const *properties; /* "name=value", -D first */
	size_t nproperties;
	const char *contexts;      /* runtime --contexts; NULL = all */
	const char *labels;        /* runtime --labels expression */
	bool allow_env;            /* ${NAME} may come from the environment */
	/* "database.*" properties of the connection (defined before -D
	 * ones, as in Liquibase), or none without a database */
	const char *const *db_properties;
	size_t ndb_properties;
} mg_load_options;

#define MG_LOAD_OPTIONS_INIT { NULL, NULL, NULL, 0, NULL, NULL, false, NULL, 0 }

/* Property value as the changelog saw it (global ones), or NULL. */
const char *mg_changelog_property(const mg_changelog *cl, const char *name);

/* MG_ENOTFOUND (file missing), MG_EPARSE (syntax), MG_EINVALID
 * (semantics); the error carries file:line:col. */
int mg_changelog_load(mg_changelog **out, const mg_load_options *opts);


#endif
