/*
 * rollback.c: rollback, rollback-count, rollback-to-date, the one-
 * changeset / one-update forms, their -sql previews and the future-
 * rollback scripts. Selection follows Liquibase 4.28 (spec 8.4): rows
 * newest first; a tag rolls back every row after the newest row tagged
 * with it, and that row too when it is a tagDatabase changeset.
 */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/error.h"
#include "migrator/model.h"
#include "migrator/util.h"

typedef struct rb_item {
	const mg_changeset *cs;
	mg_stmt_list stmts;
} rb_item;

typedef struct rb_list {
	rb_item *items;
	size_t n, alloc;
} rb_list;

static void rb_list_release(rb_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		mg_stmt_list_release(&l->items[i].stmts);
	free(l->items);
}

static void rb_add(rb_list *l, const mg_changeset *cs)
{
	MG_VEC_GROW(l->items, l->alloc, l->n + 1);
	memset(&l->items[l->n], 0, sizeof(rb_item));
	l->items[l->n++].cs = cs;
}

/* The changelog's changesets by key, built once per command. */
static void index_changesets(mg_strmap *m, mg_changelog *cl)
{
	for (size_t i = 0; i < cl->nsets; i++)
		mg_strmap_put(m, mg_changeset_key(cl, cl->sets[i]), cl->sets[i]);
}

static const mg_changeset *changeset_of_row(const mg_strmap *m,
					    const mg_history_row *r)
{
	mg_buf key = MG_BUF_INIT;
	const mg_changeset *cs;

	mg_history_row_key(&key, r);
	cs = mg_strmap_get(m, key.ptr);
	mg_buf_release(&key);
	return cs;
}

/* Is history row `i` (0 = oldest) selected? `*stop` ends the walk. */
static bool row_selected(const mg_history *h, size_t i, size_t seen,
			 const mg_rollback_options *o, bool *stop)
{
	const mg_history_row *r = &h->rows[i];

	switch (o->kind) {
	case MG_RB_COUNT:
		*stop = (long)seen + 1 >= o->count;
		return (long)seen < o->count;
	case MG_RB_TAG:
		if (r->tag && mg_strieq(r->tag, o->tag)) {
			*stop = true;
			return mg_streq(r->description, "tagDatabase");
		}
		return true;
	case MG_RB_DATE: {
		char when[64];

		snprintf(when, sizeof(when), "%s", o->date);
		for (char *p = when; *p; p++)
			if (*p == 'T')
				*p = ' ';
		return r->dateexecuted && strcmp(r->dateexecuted, when) > 0;
	}
	case MG_RB_CHANGESET: {
		mg_buf key = MG_BUF_INIT;
		bool same;

		mg_history_row_key(&key, r);
		same = !strcmp(key.ptr, o->changeset);
		mg_buf_release(&key);
		return same;
	}
	case MG_RB_DEPLOYMENT:
		return mg_streq(r->deployment_id, o->deployment_id);
	}
	return false;
}

static int tag_exists(const mg_history *h, const char *tag)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->rows[i].tag && mg_strieq(h->rows[i].tag, tag))
			return 0;
	return mg_error_set(MG_ENOTFOUND, "could not find tag '%s' in the "
					  "database",
			    tag);
}

static int select_applied(rb_list *out, mg_engine *e, mg_changelog *cl,
			  const mg_rollback_options *o)
{
	const mg_history *h;
	mg_strmap sets = MG_STRMAP_INIT;
	size_t seen = 0;
	int error;

	if ((error = mg_engine_history(e, &h)) < 0)
		return error;
	if (o->kind == MG_RB_TAG && (error = tag_exists(h, o->tag)) < 0)
		return error;
	index_changesets(&sets, cl);
	for (size_t i = h->n; i-- > 0;) {
		bool stop = false;
		const mg_changeset *cs;

		if (o->kind == MG_RB_COUNT && o->count <= 0)
			break;
		if (row_selected(h, i, seen, o, &stop)) {
			if (!(cs = changeset_of_row(&sets, &h->rows[i]))) {
				mg_error_set(MG_EINVALID,
					     "changeset '%s::%s::%s' is in the database "
					     "but not in the changelog, so its rollback "
					     "is unknown",
					     h->rows[i].filename, h->rows[i].id,
					     h->rows[i].author);
				mg_strmap_release(&sets);
				return MG_EINVALID;
			}
			rb_add(out, cs);
			seen++;
		}
		if (stop)
			break;
	}
	mg_strmap_release(&sets);
	if ((o->kind == MG_RB_CHANGESET || o->kind == MG_RB_DEPLOYMENT) && !out->n)
		return mg_error_set(MG_ENOTFOUND, "nothing in the database matches "
						  "'%s'",
				    o->kind == MG_RB_CHANGESET ? o->changeset
							       : o->deployment_id);
	return 0;
}

/* future-rollback-*: the changesets update would run, newest first. */
static int select_future(rb_list *out, mg_engine *e, mg_changelog *cl,
			 const mg_rollback_options *o)
{
	mg_plan plan;
	size_t first = 0, last, count = 0;
	int error;

	if ((error = mg_engine_plan(e, cl, &plan)) < 0)
		goto out;
	last = plan.n;
	if (o->kind == MG_RB_TAG) {
		/* pending changesets after the one that tags */
		for (size_t i = 0; i < plan.n; i++)
			for (size_t k = 0; k < plan.steps[i].cs->nchanges; k++) {
				const mg_change *c = &plan.steps[i].cs->changes[k];

				if (c->type->id == MG_CHANGE_TAG_DATABASE &&
				    mg_streq(mg_change_get(c, "tag"), o->tag))
					first = i + 1;
			}
	}
	if (o->kind == MG_RB_COUNT) {
		for (last = 0; last < plan.n && (long)count < o->count; last++)
			if (plan.steps[last].kind == MG_STEP_RUN)
				count++;
	}
	for (size_t i = last; i-- > first;)
		if (plan.steps[i].kind == MG_STEP_RUN)
			rb_add(out, plan.steps[i].cs);
out:
	mg_plan_release(&plan);
	return error;
}

static int build_all(rb_list *l, mg_engine *e, const mg_changelog *cl)
{
	int error;

	for (size_t i = 0; i < l->n; i++) {
		rb_item *it = &l->items[i];

		if ((error = mg_engine__rollback_sql(&it->stmts, e, cl, it->cs)) < 0) {
			mg_error_set_changeset(mg_changeset_key((mg_changelog *)cl,
								it->cs));
			return error;
		}
		for (size_t k = 0; k < it->stmts.n; k++) {
			error = mg_engine__modify(it->cs, &it->stmts.items[k],
						  true);
			if (error < 0) {
				mg_error_set_changeset(mg_changeset_key(
					(mg_changelog *)cl, it->cs));
				return error;
			}
		}
	}
	return 0;
}

static void delete_row(mg_buf *out, mg_engine *e, const mg_changeset *cs)
{
	mg_buf_puts(out, "DELETE FROM ");
	mg_engine__table(out, e, "databasechangelog");
	mg_engine__where_row(out, cs);
}

static void title(mg_buf *t, const mg_rollback_options *o, size_t n)
{
	if (o->future)
		mg_buf_puts(t, "SQL to roll back currently unexecuted changes");
	else if (o->kind == MG_RB_TAG)
		mg_buf_printf(t, "Rollback to '%s' Script", o->tag);
	else if (o->kind == MG_RB_DATE)
		mg_buf_printf(t, "Rollback to %s Script", o->date);
	else
		mg_buf_printf(t, "Rollback %zu Change(s) Script", n);
}

static void print_all(mg_engine *e, mg_changelog *cl, const rb_list *l,
		      const mg_rollback_options *o)
{
	FILE *f = o->sql_out;
	mg_buf t = MG_BUF_INIT, del = MG_BUF_INIT;

	mg_engine__print_lock_prologue(e, f);
	title(&t, o, l->n);
	mg_engine__print_header(e, f, t.ptr);
	for (size_t i = 0; i < l->n; i++) {
		fprintf(f, "-- Rolling Back ChangeSet: %s\n",
			mg_changeset_key(cl, l->items[i].cs));
		for (size_t k = 0; k < l->items[i].stmts.n; k++)
			mg_engine__print_stmt(f, l->items[i].stmts.items[k]);
		mg_buf_reset(&del);
		delete_row(&del, e, l->items[i].cs);
		mg_engine__print_stmt(f, del.ptr);
	}
	mg_engine__print_lock_epilogue(e, f);
	mg_buf_release(&t);
	mg_buf_release(&del);
}

static int run_one(mg_engine *e, mg_changelog *cl, rb_item *it, size_t i,
		   size_t n)
{
	const char *key = mg_changeset_key(cl, it->cs);
	mg_buf del = MG_BUF_INIT;
	mg_batch b = { 0 };
	size_t failed = 0;
	int error;

	mg_engine__emit(e, MG_EV_CHANGESET_START, i, n, key, NULL);
	mg_engine__step_start(e, i, n, it->cs, key);
	e->step.statements = it->stmts.n;
	for (size_t k = 0; k < it->stmts.n; k++)
		e->step.bytes += strlen(it->stmts.items[k]);
	delete_row(&del, e, it->cs);
	mg_stmt_list_add(&it->stmts, mg_buf_detach(&del));
	for (size_t k = 0; k < it->stmts.n; k++)
		mg_engine__emit(e, MG_EV_SQL, k, it->stmts.n, key, it->stmts.items[k]);
	b.stmts = (const char *const *)it->stmts.items;
	b.n = it->stmts.n;
	b.in_transaction = it->cs->run_in_transaction;
	error = mg_conn_run_batch(e->conn, &b, &failed);
	if (error < 0)
		mg_error_set_changeset(key);
	else
		mg_engine__emit(e, MG_EV_CHANGESET_DONE, i + 1, n, key, NULL);
	mg_engine__step_end(e, error < 0 ? MG_STATUS_FAILED
					  : MG_STATUS_ROLLED_BACK,
			    NULL);
	return error;
}

int mg_engine_rollback(mg_engine *e, mg_changelog *cl,
		       const mg_rollback_options *o, size_t *rolled)
{
	rb_list l = { 0 };
	int error;

	*rolled = 0;
	if (!o->sql_out && (error = mg_engine_lock(e)) < 0)
		return error;
	error = o->future ? select_future(&l, e, cl, o)
			  : select_applied(&l, e, cl, o);
	if (!error)
		error = build_all(&l, e, cl);
	if (!error && o->sql_out) {
		print_all(e, cl, &l, o);
		*rolled = l.n;
	}
	for (size_t i = 0; !error && !o->sql_out && i < l.n; i++) {
		if ((error = run_one(e, cl, &l.items[i], i, l.n)) == 0)
			(*rolled)++;
	}
	if (!o->sql_out)
		error = mg_engine__unlock_after(e, error);
	rb_list_release(&l);
	return error;
}
