/*
 * update.c: update, update-count, update-to-tag, changelog-sync and
 * their -sql dry runs. One code path builds every statement; the dry run
 * prints what the real run executes, in the same order.
 */
#include "engine_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "migrator/error.h"
#include "migrator/model.h"
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
static int regex_replace_all(mg_buf *s, const char *pattern, const char *to)
{
	mg_regex *re;
	mg_buf out = MG_BUF_INIT;
	int error;

	/* the loader refused bad patterns with their position; a bad group
	 * reference in the replacement ($3 of a one-group pattern) shows
	 * only on a match, as in Java, and fails the changeset */
	if ((error = mg_regex_compile(&re, pattern, 0)) < 0)
		return error;
	if ((error = mg_regex_replace_all(&out, re, s->ptr, to)) == 0) {
		mg_buf_release(s);
		*s = out;
	}
	mg_regex_free(re);
	return error;
}

static int apply_visitor(mg_buf *s, const mg_node *v)
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
		int error = regex_replace_all(s, from, to ? to : "");

		if (error < 0)
			mg_error_set_location(v->file, (int)v->line, (int)v->col);
		return error;
	}
	return 0;
}

/* For rollback statements only visitors with applyToRollback apply. */
static bool applies_to_rollback(const mg_node *v)
{
	const char *a = mg_node_get(v, "applyToRollback");

	if (!a)
		a = mg_node_get(v->parent, "applyToRollback");
	return mg_java_bool(a);
}

int mg_engine__modify(const mg_changeset *cs, char **stmt, bool rollback)
{
	mg_buf s = MG_BUF_INIT;
	int error = 0;

	if (!cs->nmodify_sql)
		return 0;
	mg_buf_puts(&s, *stmt);
	for (size_t i = 0; i < cs->nmodify_sql && !error; i++)
		for (mg_node *v = cs->modify_sql[i]->first; v && !error;
		     v = v->next)
			if (v->name && !v->is_attr &&
			    (!rollback || applies_to_rollback(v)))
				error = apply_visitor(&s, v);
	if (error < 0) {
		mg_buf_release(&s);
		return error;
	}
	free(*stmt);
	*stmt = mg_buf_detach(&s);
	return 0;
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

/* <stop>: the changeset fails there, after the changes before it ran
 * (and are rolled back with it). */
static int stop_error(const mg_change *stop)
{
	const char *msg = mg_change_get(stop, "message");

	return mg_error_set(MG_ESTOP, "stopped by changeset: %s",
			    msg ? msg : "Stop command in changelog file");
}

/* The <output> messages of the first `n` changes. */
static void emit_outputs(mg_engine *e, const mg_changeset *cs, size_t n)
{
	for (size_t i = 0; i < n && i < cs->nchanges; i++) {
		const mg_change *c = &cs->changes[i];
		const char *msg = mg_change_get(c, "message");

		if (c->type->id == MG_CHANGE_OUTPUT)
			mg_engine__emit(e, MG_EV_OUTPUT, 0, 0,
					mg_change_get(c, "target"),
					msg ? msg : "");
	}
}

/* ---- where a changeset's statements go ----
 *
 * Every statement passes through cs_out: modifySql, then `take`, which
 * collects it (rollback, inverses), prints it (update-sql) or runs it
 * (update). The generators put statements as they make them, so a
 * loadData of any size is printed or run in pieces. */

typedef struct cs_out cs_out;
struct cs_out {
	mg_stmt_sink base;
	const mg_changeset *cs;
	const mg_change *c; /* the change generating */
	size_t nth;         /* its statements so far */
	size_t total;       /* the changeset's statements so far */
	int (*take)(cs_out *o, char *stmt, unsigned flags);
	void (*begin)(cs_out *o, const mg_change *c); /* optional */
};

static int cs_out_put(mg_stmt_sink *sink, char *stmt, unsigned flags)
{
	cs_out *o = MG_CONTAINER_OF(sink, cs_out, base);
	int error;

	/* a prepared statement is not SQL to Liquibase's visitors */
	if (!(flags & MG_STMT_PREPARED) &&
	    (error = mg_engine__modify(o->cs, &stmt, false)) < 0) {
		free(stmt);
		return error;
	}
	error = o->take(o, stmt, flags);
	o->nth++;
	o->total++;
	return error;
}

#define CS_OUT_INIT(cs, take) \
	{ { cs_out_put, 0 }, (cs), NULL, 0, 0, (take), NULL }

/* Does `c` make SQL on this database? */
static bool change_has_sql(const mg_change *c)
{
	if (c->type->dbms_targeted && !mg_dbms_matches(mg_change_get(c, "dbms")))
		return false;
	return c->type->id != MG_CHANGE_EXECUTE_COMMAND; /* run_stream() */
}

static int change_sql(cs_out *o, mg_engine *e, const mg_change *c)
{
	int error;

	o->c = c;
	o->nth = 0;
	if (o->begin)
		o->begin(o, c);
	if (c->type->id == MG_CHANGE_DROP_ALL_FOREIGN_KEY_CONSTRAINTS) {
		mg_stmt_list fks = MG_STMT_LIST_INIT;

		error = drop_all_fks(&fks, e, c);
		for (size_t k = 0; k < fks.n; k++) {
			if (!error)
				error = cs_out_put(&o->base, fks.items[k], 0);
			else
				free(fks.items[k]);
		}
		free(fks.items);
	} else {
		error = mg_sqlgen_change_to(&o->base, &e->gen, c);
	}
	if (error < 0 && !mg_error_last()->file)
		mg_error_set_location(c->node->file, (int)c->node->line,
				      (int)c->node->col);
	return error;
}

static int changeset_sql(cs_out *o, mg_engine *e, const mg_changeset *cs)
{
	int error = 0;

	if (cs->reused_body)
		return 0;
	for (size_t i = 0; i < cs->nchanges && !error; i++) {
		if (cs->changes[i].type->id == MG_CHANGE_STOP)
			return stop_error(&cs->changes[i]);
		if (change_has_sql(&cs->changes[i]))
			error = change_sql(o, e, &cs->changes[i]);
	}
	return error;
}

typedef struct list_out {
	cs_out o;
	mg_stmt_list *list;
} list_out;

static int list_take(cs_out *o, char *stmt, unsigned flags)
{
	(void)flags;
	mg_stmt_list_add(MG_CONTAINER_OF(o, list_out, o)->list, stmt);
	return 0;
}

int mg_engine_changeset_sql(mg_stmt_list *out, mg_engine *e,
			    const mg_changeset *cs)
{
	list_out l = { CS_OUT_INIT(cs, list_take), out };

	return changeset_sql(&l.o, e, cs);
}

/* update-sql: each statement ended as Liquibase ends it, loadData's
 * first one after Liquibase's warning line. */
typedef struct print_out {
	cs_out o;
	FILE *f;
	char *term; /* how the current change's statements end (NULL: ';') */
} print_out;

/* Liquibase prints this instead of a prepared statement; migrator then
 * shows, commented out, the statement it runs in its place. */
static void print_prepared(FILE *f, const char *stmt)
{
	fputs("WARNING: This statement uses a prepared statement which cannot "
	      "be execute directly by this script. Only works in 'update' "
	      "mode\n\n-- migrator runs: ", f);
	for (const char *p = stmt; *p; p++) {
		fputc(*p, f);
		if (*p == '\n')
			fputs("-- ", f);
	}
	fputs(";\n\n", f);
}

/* A change starts: how its statements end, and Liquibase's warning
 * before a change whose SQL depends on files or the live database
 * (generateStatementsVolatile), printed even when it makes none. */
static void print_begin(cs_out *o, const mg_change *c)
{
	print_out *p = MG_CONTAINER_OF(o, print_out, o);

	free(p->term);
	p->term = mg_sqlgen_terminator(c);
	if (c->type->checksum == MG_CK_LOADDATA ||
	    c->type->id == MG_CHANGE_DROP_ALL_FOREIGN_KEY_CONSTRAINTS)
		fputs("-- WARNING The following SQL may change each run "
		      "and therefore is possibly incorrect and/or "
		      "invalid:\n", p->f);
}

static int print_take(cs_out *o, char *stmt, unsigned flags)
{
	print_out *p = MG_CONTAINER_OF(o, print_out, o);
	FILE *f = p->f;

	if (flags & MG_STMT_PREPARED)
		print_prepared(f, stmt);
	else
		mg_engine__print_stmt_ended(f, stmt, p->term);
	free(stmt);
	if (ferror(f))
		return mg_error_set(MG_ERROR, "cannot write the SQL: %s",
				    strerror(errno));
	return 0;
}

/* update, for changesets that stream (loadData) or run commands: the
 * transaction stays open while statements go in pipelined batches. */
#define RUN_BATCH_STMTS 200
#define RUN_BATCH_BYTES ((size_t)4 << 20)
#define RUN_PROGRESS_SECONDS 5

typedef struct run_out {
	cs_out o;
	mg_engine *e;
	const char *key;
	bool in_tx;          /* the changeset's transaction is open */
	mg_stmt_list batch;  /* being filled */
	mg_stmt_list sent;   /* sent, its results not read yet */
	size_t bytes, ran;
	unsigned long long sent_bytes;
	time_t last_progress;
} run_out;

static void run_progress(run_out *r)
{
	time_t now = time(NULL);
	char text[96];

	r->e->step.statements = r->ran;
	r->e->step.rows = r->o.base.rows;
	r->e->step.bytes = r->sent_bytes;
	mg_engine__step_progress(r->e);
	if (now - r->last_progress < RUN_PROGRESS_SECONDS)
		return;
	r->last_progress = now;
	snprintf(text, sizeof(text), "%zu statements run so far", r->ran);
	mg_engine__emit(r->e, MG_EV_PROGRESS, r->ran, 0, r->key, text);
}

static mg_batch open_batch(const mg_stmt_list *l)
{
	mg_batch b = { (const char *const *)l->items, l->n, false, true };

	return b;
}

/* Read the results of the batch in flight, if any. */
static int run_wait(run_out *r)
{
	mg_batch b = open_batch(&r->sent);
	size_t failed = 0;
	int error = 0;

	if (r->sent.n)
		error = r->e->conn->driver->wait_batch(r->e->conn, &b, &failed);
	r->ran += r->sent.n;
	mg_stmt_list_release(&r->sent);
	run_progress(r);
	return error;
}

/* Send the batch being filled; with a driver that can, without waiting:
 * the server runs it while the next one is made, and its results are
 * read after the next is sent (at most two batches out). */
static int run_send(run_out *r)
{
	mg_batch b = open_batch(&r->batch);
	size_t failed = 0;
	int error, waited;

	if (!r->batch.n)
		return 0;
	r->sent_bytes += r->bytes;
	r->bytes = 0;
	if (!r->e->conn->driver->send_batch) {
		error = mg_conn_run_batch(r->e->conn, &b, &failed);
		r->ran += r->batch.n;
		mg_stmt_list_release(&r->batch);
		run_progress(r);
		return error;
	}
	error = r->e->conn->driver->send_batch(r->e->conn, &b);
	waited = run_wait(r);
	r->sent = r->batch;
	memset(&r->batch, 0, sizeof(r->batch));
	return waited < 0 ? waited : error;
}

/* Everything sent and its results read. */
static int run_flush(run_out *r)
{
	int error = run_send(r), waited = run_wait(r);

	return error < 0 ? error : waited;
}

static int run_take(cs_out *o, char *stmt, unsigned flags)
{
	run_out *r = MG_CONTAINER_OF(o, run_out, o);
	int error;

	(void)flags; /* runs as SQL, the values are literals */
	mg_engine__emit(r->e, MG_EV_SQL, r->ran + r->batch.n, 0, r->key, stmt);
	if (o->c->type->checksum != MG_CK_LOADDATA || !r->in_tx) {
		/* alone, by the simple protocol: it may hold several
		 * commands, or must commit on its own */
		if ((error = run_flush(r)) == 0)
			error = mg_conn_exec(r->e->conn, stmt);
		r->ran++;
		r->sent_bytes += strlen(stmt);
		free(stmt);
		return error;
	}
	r->bytes += strlen(stmt);
	mg_stmt_list_add(&r->batch, stmt);
	if (r->batch.n >= RUN_BATCH_STMTS || r->bytes >= RUN_BATCH_BYTES)
		return run_send(r);
	return 0;
}

static int run_stream(mg_engine *e, const mg_changeset *cs, const char *rec,
		      const char *key)
{
	run_out r = { CS_OUT_INIT(cs, run_take), e, key,
		      cs->run_in_transaction, MG_STMT_LIST_INIT,
		      MG_STMT_LIST_INIT, 0, 0, 0, time(NULL) };
	int error = 0;

	if (r.in_tx && (error = mg_conn_exec(e->conn, "BEGIN")) < 0)
		return error;
	for (size_t i = 0; i < cs->nchanges && !error && !cs->reused_body;
	     i++) {
		const mg_change *c = &cs->changes[i];

		if (c->type->id == MG_CHANGE_EXECUTE_COMMAND) {
			if ((error = run_flush(&r)) == 0)
				error = mg_engine__execute_command(e, c, key);
		} else if (c->type->id == MG_CHANGE_STOP) {
			if ((error = run_flush(&r)) == 0) {
				emit_outputs(e, cs, i);
				error = stop_error(c);
			}
		} else if (change_has_sql(c)) {
			/* a change may query the catalog (loadData types):
			 * nothing may be in flight then */
			if ((error = run_flush(&r)) == 0)
				error = change_sql(&r.o, e, c);
		}
	}
	if (!error)
		error = run_flush(&r);
	else
		run_wait(&r); /* drain what is in flight; the error stays */
	if (!error)
		error = mg_conn_exec(e->conn, rec);
	if (!error && r.in_tx)
		error = mg_conn_exec(e->conn, "COMMIT");
	if (error && r.in_tx)
		mg_conn_exec(e->conn, "ROLLBACK");
	e->step.statements = r.ran;
	e->step.rows = r.o.base.rows;
	e->step.bytes = r.sent_bytes;
	mg_stmt_list_release(&r.batch);
	mg_stmt_list_release(&r.sent);
	return error;
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

/* A changeset's comment as Liquibase prints it: split on "\n" (trailing
 * empty lines dropped, "\r" kept), every line after the first with its
 * own "-- ". */
static void print_comment_line(FILE *f, const char *comment)
{
	size_t len = strlen(comment);

	while (len && comment[len - 1] == '\n')
		len--;
	fputs("-- ", f);
	for (size_t i = 0; i < len; i++) {
		fputc(comment[i], f);
		if (comment[i] == '\n')
			fputs("-- ", f);
	}
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

/* One file's changelog-level preconditions. */
static int changelog_precondition(mg_engine *e, mg_changelog *cl,
				  const mg_node *pc, bool *skip_all)
{
	mg_buf why = MG_BUF_INIT;
	mg_pc_outcome r;
	int error = 0;

	r = mg_engine__preconditions(e, pc, &why);
	if (r == MG_PC_WARN) {
		mg_engine__emit(e, MG_EV_WARNING, 0, 0, cl->root_path, why.ptr);
	} else if (r == MG_PC_SKIP || r == MG_PC_MARK_RAN) {
		mg_engine__emit(e, MG_EV_WARNING, 0, 0, cl->root_path, why.ptr);
		*skip_all = true;
	} else if (r != MG_PC_RUN) {
		error = mg_error_set(MG_ERROR, "changelog precondition failed: %s",
				     why.ptr);
		mg_error_set_location(pc->file, (int)pc->line, (int)pc->col);
	}
	mg_buf_release(&why);
	return error;
}

/* Changelog-level preconditions of every file: once, before anything
 * runs. */
static int changelog_preconditions(mg_engine *e, mg_changelog *cl,
				   const mg_update_options *o, bool *skip_all)
{
	int error = 0;

	*skip_all = false;
	if (o->sql_out && o->skip_preconditions_in_sql)
		return 0;
	for (size_t i = 0; i < cl->npreconditions && !error && !*skip_all; i++)
		error = changelog_precondition(e, cl, cl->preconditions[i],
					       skip_all);
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

static int discard(mg_stmt_sink *sink, char *stmt, unsigned flags)
{
	(void)sink;
	(void)flags;
	free(stmt);
	return 0;
}

/* Liquibase validates every changeset to run before it runs any: a
 * change its generator refuses (a missing or disallowed attribute) stops
 * the update with nothing done. Changes that read files or the live
 * database (loadData, dropAllForeignKeyConstraints) are checked as they
 * run, in their changeset's transaction. */
static int validate_steps(mg_engine *e, const mg_plan *p, const bool *run)
{
	mg_stmt_sink sink = { discard, 0 };
	mg_buf key = MG_BUF_INIT;

	for (size_t i = 0; i < p->n; i++) {
		const mg_changeset *cs = p->steps[i].cs;

		for (size_t k = 0; run[i] && k < cs->nchanges; k++) {
			const mg_change *c = &cs->changes[k];
			int error;

			if (!change_has_sql(c) ||
			    c->type->checksum == MG_CK_LOADDATA ||
			    c->type->id == MG_CHANGE_STOP ||
			    c->type->id ==
				    MG_CHANGE_DROP_ALL_FOREIGN_KEY_CONSTRAINTS)
				continue;
			if ((error = mg_sqlgen_change_to(&sink, &e->gen, c)) < 0) {
				if (!mg_error_last()->file)
					mg_error_set_location(c->node->file,
							      (int)c->node->line,
							      (int)c->node->col);
				step_key(&key, cs);
				mg_error_set_changeset(key.ptr);
				mg_buf_release(&key);
				return error;
			}
		}
	}
	return 0;
}

static bool has_command(const mg_changeset *cs)
{
	for (size_t i = 0; i < cs->nchanges; i++)
		if (cs->changes[i].type->id == MG_CHANGE_EXECUTE_COMMAND)
			return true;
	return false;
}

/* Changesets run change by change: loadData, stop, executeCommand, and
 * dropAllForeignKeyConstraints, which reads the catalog as the changes
 * before it left it (as Liquibase, which runs each change before it
 * generates the next). */
static bool streams(const mg_changeset *cs)
{
	for (size_t i = 0; i < cs->nchanges; i++)
		if (cs->changes[i].type->checksum == MG_CK_LOADDATA ||
		    cs->changes[i].type->id == MG_CHANGE_STOP ||
		    cs->changes[i].type->id ==
			    MG_CHANGE_DROP_ALL_FOREIGN_KEY_CONSTRAINTS)
			return true;
	return has_command(cs);
}

/* executeCommand in update-sql: Liquibase's CommentStatement, the
 * executable and its arguments joined by spaces (whatever the os). */
static void print_command(FILE *f, const mg_change *c)
{
	const char *exe = mg_change_get(c, "executable");
	bool first = true;

	fprintf(f, "-- WARNING The following SQL may change each run and "
		   "therefore is possibly incorrect and/or invalid:\n-- %s ",
		exe ? exe : "null");
	for (mg_node *a = c->node->first; a; a = a->next) {
		const char *v = a->name && !strcmp(a->name, "arg")
					? mg_node_get(a, "value") : NULL;

		if (!v)
			continue;
		fprintf(f, "%s%s", first ? "" : " ", v);
		first = false;
	}
	fputs(";\n\n", f);
}

static void print_step_head(FILE *f, const mg_step *s, const char *key,
			    bool mark_ran)
{
	fprintf(f, "-- Changeset %s\n", key);
	if (s->cs->comment && *s->cs->comment)
		print_comment_line(f, s->cs->comment);
	if (mark_ran)
		fputs("-- precondition failed (onFail MARK_RAN): recorded, not "
		      "run\n", f);
	for (size_t i = 0; !mark_ran && i < s->cs->nchanges; i++)
		if (s->cs->changes[i].type->id == MG_CHANGE_EXECUTE_COMMAND)
			print_command(f, &s->cs->changes[i]);
	if (s->cs->reused_body)
		fputs("-- not run: this last formatted-SQL changeset has no SQL "
		      "of its own (Liquibase would run the previous changeset's "
		      "SQL again)\n", f);
}

/* One batch: the statements and the row, in one transaction. */
static int run_batched(mg_engine *e, const mg_changeset *cs, const char *rec,
		       const char *key)
{
	mg_stmt_list stmts = MG_STMT_LIST_INIT;
	size_t failed = 0;
	int error;

	if ((error = mg_engine_changeset_sql(&stmts, e, cs)) < 0)
		goto out;
	mg_stmt_list_add(&stmts, mg_xstrdup(rec));
	e->step.statements = stmts.n - 1;
	for (size_t i = 0; i < stmts.n; i++) {
		mg_engine__emit(e, MG_EV_SQL, i, stmts.n, key, stmts.items[i]);
		e->step.bytes += strlen(stmts.items[i]);
	}
	if (cs->run_in_transaction) {
		mg_batch b = { (const char *const *)stmts.items, stmts.n, true,
			       false };

		error = mg_conn_run_batch(e->conn, &b, &failed);
	} else {
		/* statements one by one outside a transaction, then the row
		 * in its own */
		mg_batch b = { (const char *const *)stmts.items, stmts.n - 1,
			       false, false };
		mg_batch r = { (const char *const *)&stmts.items[stmts.n - 1],
			       1, true, false };

		if ((error = mg_conn_run_batch(e->conn, &b, &failed)) == 0)
			error = mg_conn_run_batch(e->conn, &r, &failed);
	}
out:
	mg_stmt_list_release(&stmts);
	return error;
}

/*
 * The session died during the changeset (terminated by the server, a
 * network failure): its transaction committed together with its
 * DATABASECHANGELOG row, or not at all. The lock's session tells which,
 * and the error says so (MG_EDB, "rolled back", only when it did not).
 */
static void lost_outcome(mg_engine *e, const mg_changeset *cs, int order)
{
	mg_buf sql = MG_BUF_INIT, ord = MG_BUF_INIT;
	const char *params[5];
	mg_error saved;
	mg_rows *r = NULL;
	int error = MG_ERROR;

	mg_buf_printf(&ord, "%d", order);
	params[0] = cs->id;
	params[1] = cs->author;
	params[2] = cs->filename;
	params[3] = e->deployment_id;
	params[4] = ord.ptr;
	mg_buf_puts(&sql, "SELECT count(*) AS n FROM ");
	mg_engine__table(&sql, e, "databasechangelog");
	mg_buf_puts(&sql, " WHERE ID = $1 AND AUTHOR = $2 AND FILENAME = $3 "
			  "AND DEPLOYMENT_ID = $4 AND ORDEREXECUTED = $5::int");
	mg_error_save(&saved);
	if (e->lock_conn)
		error = mg_conn_query(&r, e->lock_conn, sql.ptr, params, 5);
	mg_error_restore(&saved);
	if (error < 0) {
		mg_error_set_code(MG_ERROR);
		mg_error_set_detail("the connection to the server was lost during "
				    "the changeset; whether it committed could "
				    "not be checked");
		mg_error_set_hint("run 'migrator status': a changeset and its "
				  "DATABASECHANGELOG row commit together, so it "
				  "is either applied and recorded or neither");
	} else if (!mg_streq(mg_rows_get(r, 0, "n"), "0")) {
		mg_error_set_code(MG_ERROR);
		mg_error_set_detail("the connection to the server was lost after "
				    "the changeset committed: it is applied and "
				    "recorded in DATABASECHANGELOG");
	} else {
		mg_error_set_detail("the connection to the server was lost during "
				    "the changeset; it did not commit "
				    "(DATABASECHANGELOG has no row for it)");
	}
	mg_rows_free(r);
	mg_buf_release(&sql);
	mg_buf_release(&ord);
}

static int run_step(mg_engine *e, const mg_step *s, const mg_update_options *o,
		    int order, bool mark_ran)
{
	mg_buf rec = MG_BUF_INIT, key = MG_BUF_INIT;
	bool runs_sql = !o->sync_only && !mark_ran;
	int error = 0;

	step_key(&key, s->cs);
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
		print_out p = { CS_OUT_INIT(s->cs, print_take), o->sql_out,
				NULL };

		p.o.begin = print_begin;
		print_step_head(o->sql_out, s, key.ptr, mark_ran);
		if (runs_sql)
			error = changeset_sql(&p.o, e, s->cs);
		e->step.statements = p.o.total;
		free(p.term);
		if (error == MG_ESTOP) /* as Liquibase ends it */
			fputs("-- WARNING The following SQL may change each run "
			      "and therefore is possibly incorrect and/or "
			      "invalid:\n", o->sql_out);
		if (!error)
			mg_engine__print_stmt(o->sql_out, rec.ptr);
		goto out;
	}
	if (!runs_sql) {
		mg_engine__emit(e, MG_EV_SQL, 0, 1, key.ptr, rec.ptr);
		error = mg_conn_exec(e->conn, rec.ptr);
	}
	else if (streams(s->cs))
		error = run_stream(e, s->cs, rec.ptr, key.ptr);
	else
		error = run_batched(e, s->cs, rec.ptr, key.ptr);
	if (!error && runs_sql)
		emit_outputs(e, s->cs, s->cs->nchanges);
	if (error < 0) {
		mg_error_set_changeset(key.ptr);
		if (mg_conn_info(e->conn, "lost"))
			lost_outcome(e, s->cs, order);
	}
out:
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
		/* update-sql: Liquibase does not check preconditions at all
		 * (onSqlOutput IGNORE). migrator checks them against the
		 * database as it is, before the changesets printed above
		 * have run; one that would stop the update may well pass
		 * once they have (a table they create), so it is shown as
		 * passing, with the reason, and the script goes on */
		if (o->sql_out) {
			fprintf(o->sql_out, "-- precondition of %s %s against the "
					    "database as it is now (%s); shown as "
					    "passing\n",
				key, *out == MG_PC_HALT_FAIL ? "fails" : "errors",
				why.ptr);
			*out = MG_PC_RUN;
			break;
		}
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

/* on_step: how a changeset that was run (or printed) ended. */
static void step_end(mg_engine *e, const mg_step *s,
		     const mg_update_options *o, bool mark_ran, int error)
{
	const char *exectype = mark_ran		       ? "MARK_RAN"
			       : s->kind == MG_STEP_RERUN ? "RERAN"
							  : "EXECUTED";
	mg_step_status st = MG_STATUS_RAN;

	if (error < 0)
		st = MG_STATUS_FAILED;
	else if (o->sql_out)
		st = MG_STATUS_PRINTED;
	else if (mark_ran)
		st = MG_STATUS_MARK_RAN;
	else if (o->sync_only)
		st = MG_STATUS_SYNCED;
	mg_engine__step_end(e, st, error < 0 ? NULL : exectype);
}

/* executeCommand runs only with --allow-execute-command. */
static int check_commands(const mg_engine *e, const mg_plan *p,
			  const bool *run, const mg_update_options *o)
{
	for (size_t i = 0; i < p->n && !o->sql_out && !o->sync_only; i++) {
		const mg_changeset *cs = p->steps[i].cs;
		int error;

		if (!run[i] || !has_command(cs) || e->o.allow_execute_command)
			continue;
		error = mg_error_set(MG_EINVALID, "changeset %s::%s::%s runs a "
						  "command (executeCommand)",
				     cs->filename, cs->id, cs->author);
		mg_error_set_location(cs->node->file, (int)cs->line, (int)cs->col);
		mg_error_set_hint("commands are off by default: add "
				  "'--allow-execute-command' to run them");
		return error;
	}
	return 0;
}

/* Which steps run (`run`), after every check that may stop the update
 * before it changes anything. */
static int prepare_steps(mg_engine *e, mg_changelog *cl, const mg_plan *p,
			 const mg_update_options *o, bool *run)
{
	bool skip_all = false;
	int error;

	if ((error = select_steps(p, o, run)) < 0 ||
	    (error = check_commands(e, p, run, o)) < 0)
		return error;
	if (!o->sync_only && (error = validate_steps(e, p, run)) < 0)
		return error;
	if ((error = changelog_preconditions(e, cl, o, &skip_all)) < 0)
		return error;
	if (skip_all)
		memset(run, 0, sizeof(bool) * p->n);
	return 0;
}

/* An update under way: the changesets done (k) of those to run (n). */
typedef struct run_state {
	size_t k, n;
	int order;  /* ORDEREXECUTED of the last row */
	mg_buf key; /* of the changeset in hand */
} run_state;

/* One selected step: its preconditions, then run and recorded. */
static int run_selected(mg_engine *e, const mg_step *s,
			const mg_update_options *o, run_state *st,
			mg_update_result *res)
{
	mg_pc_outcome pc;
	int error;

	mg_buf_reset(&st->key);
	step_key(&st->key, s->cs);
	/* Liquibase says "Running Changeset" before it checks the
	 * preconditions, and counts in "Run:" the changesets they
	 * skip and those whose failure failOnError=false swallows */
	if (!o->sql_out)
		mg_engine__emit(e, MG_EV_CHANGESET_START, st->k, st->n,
				st->key.ptr, NULL);
	mg_engine__step_start(e, st->k, st->n, s->cs, st->key.ptr);
	if ((error = step_preconditions(e, s, o, st->key.ptr, &pc)) < 0) {
		mg_engine__step_end(e, MG_STATUS_FAILED, NULL);
		return error;
	}
	if (pc == MG_PC_SKIP) {
		res->run++; /* nothing recorded, retried next run */
		mg_engine__step_end(e, MG_STATUS_SKIPPED, NULL);
		return 0;
	}
	error = run_step(e, s, o, ++st->order, pc == MG_PC_MARK_RAN);
	if (error == MG_EDB && !s->cs->fail_on_error) {
		/* Liquibase: failOnError=false swallows the failure and
		 * writes no row */
		mg_engine__emit(e, MG_EV_WARNING, st->k, st->n, st->key.ptr,
				mg_error_last()->message);
		mg_engine__step_end(e, MG_STATUS_FAILED_IGNORED, NULL);
		st->order--;
		res->run++;
		return 0;
	}
	step_end(e, s, o, pc == MG_PC_MARK_RAN, error);
	if (error)
		return error;
	mg_engine__note_ran(e, s->cs);
	res->run++;
	st->k++;
	if (!o->sql_out)
		mg_engine__emit(e, MG_EV_CHANGESET_DONE, st->k, st->n,
				st->key.ptr, NULL);
	return 0;
}

static int run_plan(mg_engine *e, mg_changelog *cl, const mg_plan *p,
		    const mg_update_options *o, mg_update_result *res)
{
	bool *run = mg_xcalloc(p->n + 1, sizeof(bool));
	run_state st = { 0, 0, e->hist.max_order, MG_BUF_INIT };
	int error;

	if ((error = prepare_steps(e, cl, p, o, run)) < 0)
		goto out;
	for (size_t i = 0; i < p->n; i++)
		st.n += run[i];
	for (size_t i = 0; i < p->n && !error; i++) {
		const mg_step *s = &p->steps[i];

		if (s->kind == MG_STEP_FILTERED)
			res->filtered++;
		else if (s->kind == MG_STEP_RAN)
			res->previously_run++;
		if (run[i])
			error = run_selected(e, s, o, &st, res);
	}
out:
	res->total = p->n;
	mg_buf_release(&st.key);
	free(run);
	return error;
}

int mg_engine_update(mg_engine *e, mg_changelog *cl,
		     const mg_update_options *o, mg_update_result *res)
{
	mg_plan plan;
	int error;

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
	error = mg_engine__unlock_after(e, error);
out:
	mg_plan_release(&plan);
	return error;
}
