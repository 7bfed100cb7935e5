/*
 * update.c: update, update-count, update-to-tag, changelog-sync and
 * their -sql dry runs. One code path builds every statement; the dry run
 * prints what the real run executes, in the same order.
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migrator/checksum.h"
#include "migrator/error.h"
#include "migrator/regex.h"
#include "migrator/util.h"

/* ---- modifySql (applied to each generated statement) ---- */

static void replace_all(mg_buf *s, const char *from, const char *to)
{
	mg_buf out = MG_BUF_INIT;
	const char *p = s->ptr, *hit;
	size_t n = strlen(from);

	if (!n)
		return;
	while ((hit = strstr(p, from))) {
		mg_buf_put(&out, p, (size_t)(hit - p));
		mg_buf_puts(&out, to);
		p = hit + n;
	}
	mg_buf_puts(&out, p);
	mg_buf_release(s);
	*s = out;
}

/* RegExpReplaceSqlVisitor: sql.replaceAll(replace, with), java.util.regex
 * syntax for both the pattern and the replacement ($1, ${name}, \$). */
static void regex_replace_all(mg_buf *s, const char *pattern, const char *to)
{
	mg_regex *re;
	mg_buf out = MG_BUF_INIT;

	/* XXX: apply_visitor cannot fail, so a bad pattern or replacement
	 * leaves the statement unchanged where Liquibase would throw; the
	 * reason is only left in mg_error_last(). */
	if (mg_regex_compile(&re, pattern, 0) < 0)
		return;
	if (mg_regex_replace_all(&out, re, s->ptr, to) == 0) {
		mg_buf_release(s);
		*s = out;
	}
	mg_regex_free(re);
}

static void apply_visitor(mg_buf *s, const mg_node *v)
{
	const char *val = mg_node_get(v, "value");
	const char *from = mg_node_get(v, "replace");
	const char *to = mg_node_get(v, "with");

	if (!strcmp(v->name, "append") && val) {
		mg_buf_puts(s, val);
	} else if (!strcmp(v->name, "prepend") && val) {
		mg_buf tmp = MG_BUF_INIT;

		mg_buf_puts(&tmp, val);
		mg_buf_put(&tmp, s->ptr, s->len);
		mg_buf_release(s);
		*s = tmp;
	} else if (!strcmp(v->name, "replace") && from) {
		replace_all(s, from, to ? to : "");
	} else if (!strcmp(v->name, "regExpReplace") && from) {
		regex_replace_all(s, from, to ? to : "");
	}
}

/* For rollback statements only visitors with applyToRollback apply. */
static bool applies_to_rollback(const mg_node *v)
{
	const char *a = mg_node_get(v, "applyToRollback");

	if (!a)
		a = mg_node_get(v->parent, "applyToRollback");
	return mg_java_bool(a);
}

char *mg_engine__modify(const mg_changeset *cs, char *stmt, bool rollback)
{
	mg_buf s = MG_BUF_INIT;

	if (!cs->nmodify_sql)
		return stmt;
	mg_buf_puts(&s, stmt);
	free(stmt);
	for (size_t i = 0; i < cs->nmodify_sql; i++)
		for (mg_node *v = cs->modify_sql[i]->first; v; v = v->next)
			if (v->name && !v->is_attr &&
			    (!rollback || applies_to_rollback(v)))
				apply_visitor(&s, v);
	return mg_buf_detach(&s);
}

static char *modify(const mg_changeset *cs, char *stmt)
{
	return mg_engine__modify(cs, stmt, false);
}

/* dropAllForeignKeyConstraints depends on the live schema: one
 * dropForeignKeyConstraint per foreign key the table has now. */
static int drop_all_fks(mg_stmt_list *out, mg_engine *e, const mg_change *c)
{
	const char *table = mg_change_get(c, "baseTableName");
	const char *schema = mg_change_get(c, "baseTableSchemaName");
	mg_buf rel = MG_BUF_INIT;
	const char *params[1];
	mg_rows *r = NULL;
	int error;

	if (!table) {
		mg_error_set(MG_EINVALID, "dropAllForeignKeyConstraints needs "
					  "'baseTableName'");
		mg_error_set_location(c->node->file, (int)c->node->line,
				      (int)c->node->col);
		return MG_EINVALID;
	}
	mg_sqlgen_qualified(&rel, &e->gen, schema, table);
	params[0] = rel.ptr;
	error = mg_conn_query(&r, e->conn,
			      "SELECT conname FROM pg_catalog.pg_constraint WHERE "
			      "contype = 'f' AND conrelid = to_regclass($1) "
			      "ORDER BY conname",
			      params, 1);
	for (size_t i = 0; !error && i < r->nrows; i++) {
		mg_buf b = MG_BUF_INIT;

		mg_buf_puts(&b, "ALTER TABLE ");
		mg_buf_puts(&b, rel.ptr);
		mg_buf_puts(&b, " DROP CONSTRAINT ");
		mg_sqlgen_ident(&b, mg_rows_get(r, i, "conname"));
		mg_stmt_list_add(out, mg_buf_detach(&b));
	}
	mg_rows_free(r);
	mg_buf_release(&rel);
	return error;
}

/* Statements of a changeset; with `terms`, also how update-sql ends
 * each one (NULL = ';') and the warning line some need before them. */
static int changeset_sql(mg_stmt_list *out, mg_stmt_list *terms,
			 mg_stmt_list *notes, mg_engine *e,
			 const mg_changeset *cs)
{
	int error = 0;

	if (cs->reused_body)
		return 0;
	for (size_t i = 0; i < cs->nchanges && !error; i++) {
		const mg_change *c = &cs->changes[i];
		size_t before = out->n;
		bool volatile_sql = c->type->checksum == MG_CK_LOADDATA;

		if (c->type->dbms_targeted &&
		    !mg_dbms_matches(mg_change_get(c, "dbms")))
			continue;
		if (c->type->id == MG_CHANGE_EXECUTE_COMMAND)
			continue; /* not SQL: run by run_commands() */
		if (c->type->id == MG_CHANGE_DROP_ALL_FOREIGN_KEY_CONSTRAINTS)
			error = drop_all_fks(out, e, c);
		else
			error = mg_sqlgen_change(out, &e->gen, c);
		if (error < 0) {
			if (!mg_error_last()->file)
				mg_error_set_location(c->node->file,
						      (int)c->node->line,
						      (int)c->node->col);
			break;
		}
		for (size_t k = before; k < out->n; k++) {
			out->items[k] = modify(cs, out->items[k]);
			if (!terms)
				continue;
			mg_stmt_list_add(terms, mg_sqlgen_terminator(c));
			mg_stmt_list_add(notes, volatile_sql && k == before
				? mg_xstrdup("-- WARNING The following SQL may "
					     "change each run and therefore is "
					     "possibly incorrect and/or invalid:")
				: NULL);
		}
	}
	return error;
}

int mg_engine_changeset_sql(mg_stmt_list *out, mg_engine *e,
			    const mg_changeset *cs)
{
	return changeset_sql(out, NULL, NULL, e, cs);
}

/* ---- the update-sql frame (spec 6.3) ---- */

void mg_engine__print_stmt_ended(FILE *f, const char *sql, const char *term)
{
	if (!term)
		term = ";";
	fputs(sql, f);
	if (!mg_str_endswith(sql, term))
		fputs(term, f);
	fputs("\n\n", f);
}

void mg_engine__print_stmt(FILE *f, const char *sql)
{
	mg_engine__print_stmt_ended(f, sql, NULL);
}

void mg_engine__print_header(mg_engine *e, FILE *f, const char *title)
{
	char when[64];
	time_t t = time(NULL);
	const char *stars = "-- ***************************************"
			    "******************************\n";

	strftime(when, sizeof(when), "%-m/%-d/%y, %-I:%M %p", localtime(&t));
	fputs(stars, f);
	fprintf(f, "-- %s\n", title);
	fputs(stars, f);
	fprintf(f, "-- Change Log: %s\n", e->o.changelog_file);
	fprintf(f, "-- Ran at: %s\n", when);
	fprintf(f, "-- Against: %s\n", e->o.url_display ? e->o.url_display : "");
	fprintf(f, "-- Liquibase version: %s\n", MG_LIQUIBASE_VERSION);
	fputs(stars, f);
	fputc('\n', f);
}

void mg_engine__print_lock_prologue(mg_engine *e, FILE *f)
{
	mg_buf b = MG_BUF_INIT;

	if (!e->has_lock_table) {
		mg_engine__lock_table_ddl(&b, e);
		fprintf(f, "-- Create Database Lock Table\n%s;\n\n", b.ptr);
		mg_buf_reset(&b);
		fputs("-- Initialize Database Lock Table\n", f);
		mg_buf_puts(&b, "DELETE FROM ");
		mg_engine__table(&b, e, "databasechangeloglock");
		mg_engine__print_stmt(f, b.ptr);
		mg_buf_reset(&b);
		mg_buf_puts(&b, "INSERT INTO ");
		mg_engine__table(&b, e, "databasechangeloglock");
		mg_buf_puts(&b, " (ID, LOCKED) VALUES (1, FALSE)");
		mg_engine__print_stmt(f, b.ptr);
		mg_buf_reset(&b);
	}
	fputs("-- Lock Database\n", f);
	mg_buf_puts(&b, "UPDATE ");
	mg_engine__table(&b, e, "databasechangeloglock");
	mg_buf_puts(&b, " SET LOCKED = TRUE, LOCKEDBY = ");
	mg_sqlgen_literal(&b, mg_engine__lockedby());
	mg_buf_puts(&b, ", LOCKGRANTED = NOW() WHERE ID = 1 AND LOCKED = FALSE");
	mg_engine__print_stmt(f, b.ptr);
	mg_buf_release(&b);
}

void mg_engine__print_lock_epilogue(mg_engine *e, FILE *f)
{
	mg_buf b = MG_BUF_INIT;

	fputs("-- Release Database Lock\n", f);
	mg_buf_puts(&b, "UPDATE ");
	mg_engine__table(&b, e, "databasechangeloglock");
	mg_buf_puts(&b, " SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = "
			"NULL WHERE ID = 1");
	mg_engine__print_stmt(f, b.ptr);
	mg_buf_release(&b);
}

static void print_comment_line(FILE *f, const char *comment)
{
	fputs("-- ", f);
	for (const char *p = comment; *p; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
	fputc('\n', f);
}

/* ---- running ---- */

static bool has_change(const mg_changeset *cs, mg_change_id id,
		       const mg_change **found)
{
	for (size_t i = 0; i < cs->nchanges; i++)
		if (cs->changes[i].type->id == id) {
			if (found)
				*found = &cs->changes[i];
			return true;
		}
	return false;
}

/* Changelog-level preconditions: once, before anything runs. */
static int changelog_preconditions(mg_engine *e, mg_changelog *cl,
				   const mg_update_options *o, bool *skip_all)
{
	mg_buf why = MG_BUF_INIT;
	mg_pc_outcome r;
	int error = 0;

	*skip_all = false;
	if (!cl->preconditions || (o->sql_out && o->skip_preconditions_in_sql))
		return 0;
	r = mg_engine__preconditions(e, cl->preconditions, &why);
	if (r == MG_PC_WARN) {
		mg_engine__emit(e, MG_EV_WARNING, 0, 0, cl->root_path, why.ptr);
	} else if (r == MG_PC_SKIP || r == MG_PC_MARK_RAN) {
		mg_engine__emit(e, MG_EV_WARNING, 0, 0, cl->root_path, why.ptr);
		*skip_all = true;
	} else if (r != MG_PC_RUN) {
		error = mg_error_set(MG_ERROR, "changelog precondition failed: %s",
				     why.ptr);
		mg_error_set_location(cl->preconditions->file,
				      (int)cl->preconditions->line,
				      (int)cl->preconditions->col);
	}
	mg_buf_release(&why);
	return error;
}

/* Which steps to run, honouring update-count and update-to-tag. */
static int select_steps(const mg_plan *p, const mg_update_options *o,
			bool *run)
{
	long count = 0;
	bool tag_found = false;

	for (size_t i = 0; i < p->n; i++) {
		const mg_step *s = &p->steps[i];
		const mg_change *tag;

		run[i] = false;
		if (s->kind != MG_STEP_RUN && s->kind != MG_STEP_RERUN)
			continue;
		if (o->limit == MG_LIMIT_COUNT && count >= o->count)
			continue;
		if (o->limit == MG_LIMIT_TAG && tag_found)
			continue;
		run[i] = true;
		count++;
		if (o->limit == MG_LIMIT_TAG &&
		    has_change(s->cs, MG_CHANGE_TAG_DATABASE, &tag) &&
		    mg_streq(mg_change_get(tag, "tag"), o->tag))
			tag_found = true;
	}
	if (o->limit == MG_LIMIT_TAG && !tag_found) {
		bool anywhere = false;

		for (size_t i = 0; i < p->n; i++) {
			const mg_change *tag;

			if (has_change(p->steps[i].cs, MG_CHANGE_TAG_DATABASE,
				       &tag) &&
			    mg_streq(mg_change_get(tag, "tag"), o->tag))
				anywhere = true;
		}
		if (!anywhere)
			return mg_error_set(MG_EINVALID,
					    "tag '%s' is not in the changelog",
					    o->tag);
	}
	return 0;
}

static void step_key(mg_buf *out, const mg_changeset *cs)
{
	mg_buf_printf(out, "%s::%s::%s", cs->filename, cs->id, cs->author);
}

static int stop_change(const mg_changeset *cs)
{
	const mg_change *stop;

	if (!has_change(cs, MG_CHANGE_STOP, &stop))
		return 0;
	mg_error_set(MG_ESTOP, "stopped by changeset: %s",
		     mg_change_get(stop, "message")
			     ? mg_change_get(stop, "message")
			     : "Stop command in changelog file");
	return MG_ESTOP;
}

static void emit_outputs(mg_engine *e, const mg_changeset *cs)
{
	for (size_t i = 0; i < cs->nchanges; i++)
		if (cs->changes[i].type->id == MG_CHANGE_OUTPUT)
			mg_engine__emit(e, MG_EV_OUTPUT, 0, 0,
					mg_change_get(&cs->changes[i], "target"),
					mg_change_get(&cs->changes[i], "message")
						? mg_change_get(&cs->changes[i],
								"message")
						: "");
}

/* A changeset with executeCommand changes runs change by change (the
 * transaction stays open around the commands), then its row. */
static int run_commands(mg_engine *e, const mg_changeset *cs, const char *rec,
			const char *key)
{
	int error = 0;

	if (cs->run_in_transaction && (error = mg_conn_exec(e->conn, "BEGIN")) < 0)
		return error;
	for (size_t i = 0; i < cs->nchanges && !error; i++) {
		const mg_change *c = &cs->changes[i];
		mg_changeset one = *cs;
		mg_stmt_list stmts = MG_STMT_LIST_INIT;

		if (c->type->id == MG_CHANGE_EXECUTE_COMMAND) {
			error = mg_engine__execute_command(e, c, key);
			continue;
		}
		one.changes = (mg_change *)c;
		one.nchanges = 1;
		error = changeset_sql(&stmts, NULL, NULL, e, &one);
		for (size_t k = 0; !error && k < stmts.n; k++) {
			mg_engine__emit(e, MG_EV_SQL, k, stmts.n, key, stmts.items[k]);
			error = mg_conn_exec(e->conn, stmts.items[k]);
		}
		mg_stmt_list_release(&stmts);
	}
	if (!error)
		error = mg_conn_exec(e->conn, rec);
	if (!error && cs->run_in_transaction)
		error = mg_conn_exec(e->conn, "COMMIT");
	if (error && cs->run_in_transaction)
		mg_conn_exec(e->conn, "ROLLBACK");
	return error;
}

static bool has_command(const mg_changeset *cs)
{
	for (size_t i = 0; i < cs->nchanges; i++)
		if (cs->changes[i].type->id == MG_CHANGE_EXECUTE_COMMAND)
			return true;
	return false;
}

static int run_step(mg_engine *e, const mg_step *s, const mg_update_options *o,
		    int order, bool mark_ran)
{
	mg_stmt_list stmts = MG_STMT_LIST_INIT, terms = MG_STMT_LIST_INIT;
	mg_stmt_list notes = MG_STMT_LIST_INIT;
	mg_buf rec = MG_BUF_INIT, key = MG_BUF_INIT;
	size_t failed = 0;
	int error = 0;

	step_key(&key, s->cs);
	if (!o->sync_only && !mark_ran && (error = stop_change(s->cs)) < 0) {
		if (o->sql_out)
			fprintf(o->sql_out, "-- Changeset %s\n-- WARNING The "
					    "following SQL may change each run and "
					    "therefore is possibly incorrect and/or "
					    "invalid:\n",
				key.ptr);
		goto out;
	}
	if (!o->sync_only && !mark_ran &&
	    (error = changeset_sql(&stmts, o->sql_out ? &terms : NULL,
				   &notes, e, s->cs)) < 0)
		goto out;
	if (s->cs->reused_body)
		mg_engine__emit(e, MG_EV_WARNING, 0, 0, key.ptr,
				"this last formatted-SQL changeset has no SQL of "
				"its own; Liquibase would run the previous "
				"changeset's SQL again; recorded without running it");
	mg_engine__record_sql(&rec, e, s,
			      mark_ran		       ? "MARK_RAN"
			      : s->kind == MG_STEP_RERUN ? "RERAN"
						       : "EXECUTED",
			      order);
	if (o->sql_out) {
		fprintf(o->sql_out, "-- Changeset %s\n", key.ptr);
		if (s->cs->comment && *s->cs->comment)
			print_comment_line(o->sql_out, s->cs->comment);
		if (mark_ran)
			fputs("-- precondition failed (onFail MARK_RAN): "
			      "recorded, not run\n",
			      o->sql_out);
		for (size_t i = 0; !mark_ran && i < s->cs->nchanges; i++)
			if (s->cs->changes[i].type->id == MG_CHANGE_EXECUTE_COMMAND)
				fprintf(o->sql_out, "-- executeCommand: %s (run by "
						    "update, not SQL)\n",
					mg_change_get(&s->cs->changes[i],
						      "executable"));
		if (s->cs->reused_body)
			fputs("-- not run: this last formatted-SQL changeset has no "
			      "SQL of its own (Liquibase would run the previous "
			      "changeset's SQL again)\n",
			      o->sql_out);
		for (size_t i = 0; i < stmts.n; i++) {
			if (notes.items[i])
				fprintf(o->sql_out, "%s\n", notes.items[i]);
			mg_engine__print_stmt_ended(o->sql_out, stmts.items[i],
					 terms.items[i]);
		}
		mg_engine__print_stmt(o->sql_out, rec.ptr);
		goto out;
	}
	if (!o->sync_only && !mark_ran && has_command(s->cs)) {
		if ((error = run_commands(e, s->cs, rec.ptr, key.ptr)) < 0)
			mg_error_set_changeset(key.ptr);
		else
			emit_outputs(e, s->cs);
		goto out;
	}
	mg_stmt_list_add(&stmts, mg_xstrdup(rec.ptr));
	for (size_t i = 0; i < stmts.n; i++)
		mg_engine__emit(e, MG_EV_SQL, i, stmts.n, key.ptr, stmts.items[i]);
	{
		mg_batch b = { (const char *const *)stmts.items, stmts.n,
			       s->cs->run_in_transaction };

		if (!b.in_transaction) {
			/* statements one by one outside a transaction, then
			 * the row in its own */
			b.n = stmts.n - 1;
			error = mg_conn_run_batch(e->conn, &b, &failed);
			if (!error) {
				mg_batch r = { (const char *const *)&stmts.items[stmts.n - 1],
					       1, true };

				error = mg_conn_run_batch(e->conn, &r, &failed);
				failed = stmts.n - 1;
			}
		} else {
			error = mg_conn_run_batch(e->conn, &b, &failed);
		}
	}
	if (!error)
		emit_outputs(e, s->cs);
	if (error < 0)
		mg_error_set_changeset(key.ptr);
out:
	mg_stmt_list_release(&stmts);
	mg_stmt_list_release(&terms);
	mg_stmt_list_release(&notes);
	mg_buf_release(&rec);
	mg_buf_release(&key);
	return error;
}

static int refresh_checksums(mg_engine *e, const mg_plan *p, FILE *sql_out)
{
	mg_buf sql = MG_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < p->n && !error; i++) {
		const mg_step *s = &p->steps[i];

		if (!s->refresh_checksum)
			continue;
		mg_buf_reset(&sql);
		mg_engine__refresh_sql(&sql, e, s);
		if (sql_out) {
			/* update-sql shows v8 upgrades, not NULL refreshes */
			if (s->row->md5sum && *s->row->md5sum)
				mg_engine__print_stmt(sql_out, sql.ptr);
		} else {
			error = mg_conn_exec(e->conn, sql.ptr);
		}
	}
	mg_buf_release(&sql);
	return error;
}

/* A changeset's preconditions: run, skip, mark ran, or stop. */
static int step_preconditions(mg_engine *e, const mg_step *s,
			      const mg_update_options *o, const char *key,
			      mg_pc_outcome *out)
{
	mg_buf why = MG_BUF_INIT;
	int error = 0;

	*out = MG_PC_RUN;
	if (!s->cs->preconditions || o->sync_only ||
	    (o->sql_out && o->skip_preconditions_in_sql))
		return 0;
	*out = mg_engine__preconditions(e, s->cs->preconditions, &why);
	switch (*out) {
	case MG_PC_RUN:
		break;
	case MG_PC_WARN:
		mg_engine__emit(e, MG_EV_WARNING, 0, 0, key, why.ptr);
		break;
	case MG_PC_SKIP:
		if (o->sql_out)
			fprintf(o->sql_out, "-- Changeset %s\n-- skipped: "
					    "precondition failed (onFail CONTINUE): "
					    "%s\n\n", key, why.ptr);
		else
			mg_engine__emit(e, MG_EV_WARNING, 0, 0, key, why.ptr);
		break;
	case MG_PC_MARK_RAN:
		break;
	default:
		error = mg_error_set(MG_ERROR, "precondition %s: %s",
				     *out == MG_PC_HALT_FAIL ? "failed" : "errored",
				     why.ptr);
		mg_error_set_changeset(key);
		mg_error_set_location(s->cs->preconditions->file,
				      (int)s->cs->preconditions->line,
				      (int)s->cs->preconditions->col);
	}
	mg_buf_release(&why);
	return error;
}

static int run_plan(mg_engine *e, mg_changelog *cl, const mg_plan *p,
		    const mg_update_options *o, mg_update_result *res)
{
	bool skip_all = false;
	bool *run = mg_xcalloc(p->n + 1, sizeof(bool));
	size_t n = 0, k = 0;
	int order = e->hist.max_order, error;
	mg_buf key = MG_BUF_INIT;
	mg_pc_outcome pc;

	if ((error = select_steps(p, o, run)) < 0)
		goto out;
	for (size_t i = 0; i < p->n && !o->sql_out && !o->sync_only; i++) {
		const mg_changeset *cs = p->steps[i].cs;

		if (!run[i] || !has_command(cs) || e->o.allow_execute_command)
			continue;
		error = mg_error_set(MG_EINVALID, "changeset %s::%s::%s runs a "
						  "command (executeCommand)",
				     cs->filename, cs->id, cs->author);
		mg_error_set_location(cs->node->file, (int)cs->line, (int)cs->col);
		mg_error_set_hint("commands are off by default: add "
				  "'--allow-execute-command' to run them");
		goto out;
	}
	if ((error = changelog_preconditions(e, cl, o, &skip_all)) < 0)
		goto out;
	if (skip_all)
		memset(run, 0, sizeof(bool) * p->n);
	for (size_t i = 0; i < p->n; i++)
		n += run[i];
	for (size_t i = 0; i < p->n && !error; i++) {
		const mg_step *s = &p->steps[i];

		if (s->kind == MG_STEP_FILTERED)
			res->filtered++;
		else if (s->kind == MG_STEP_RAN)
			res->previously_run++;
		if (!run[i])
			continue;
		mg_buf_reset(&key);
		step_key(&key, s->cs);
		if ((error = step_preconditions(e, s, o, key.ptr, &pc)) < 0)
			break;
		if (pc == MG_PC_SKIP) {
			continue; /* nothing recorded, retried next run */
		}
		if (!o->sql_out)
			mg_engine__emit(e, MG_EV_CHANGESET_START, k, n, key.ptr,
					NULL);
		error = run_step(e, s, o, ++order, pc == MG_PC_MARK_RAN);
		if (error == MG_EDB && !s->cs->fail_on_error) {
			/* Liquibase: failOnError=false swallows the failure and
			 * writes no row */
			mg_engine__emit(e, MG_EV_WARNING, k, n, key.ptr,
					mg_error_last()->message);
			error = 0;
			order--;
			continue;
		}
		if (!error) {
			res->run++;
			k++;
			if (!o->sql_out)
				mg_engine__emit(e, MG_EV_CHANGESET_DONE, k, n,
						key.ptr, NULL);
		}
	}
out:
	res->total = p->n;
	mg_buf_release(&key);
	free(run);
	return error;
}

int mg_engine_update(mg_engine *e, mg_changelog *cl,
		     const mg_update_options *o, mg_update_result *res)
{
	mg_plan plan;
	int error, unlock_error;

	memset(res, 0, sizeof(*res));
	memset(&plan, 0, sizeof(plan));
	if (o->sql_out) {
		mg_engine__print_lock_prologue(e, o->sql_out);
		mg_engine__create_changelog_table(e, o->sql_out);
		mg_engine__print_header(e, o->sql_out, "Update Database Script");
		if ((error = mg_engine_plan(e, cl, &plan)) < 0 ||
		    (error = refresh_checksums(e, &plan, o->sql_out)) < 0)
			goto out;
		error = run_plan(e, cl, &plan, o, res);
		/* Liquibase releases (and prints) the lock twice after a stop */
		if (error == MG_ESTOP)
			mg_engine__print_lock_epilogue(e, o->sql_out);
		if (!error || error == MG_ESTOP)
			mg_engine__print_lock_epilogue(e, o->sql_out);
		goto out;
	}
	if ((error = mg_engine_lock(e)) < 0)
		goto out;
	if ((error = mg_engine__create_changelog_table(e, NULL)) < 0 ||
	    (error = mg_engine_plan(e, cl, &plan)) < 0 ||
	    (error = refresh_checksums(e, &plan, NULL)) < 0)
		goto unlock;
	error = run_plan(e, cl, &plan, o, res);
unlock:
	unlock_error = mg_engine_unlock(e);
	if (!error)
		error = unlock_error;
out:
	mg_plan_release(&plan);
	return error;
}
