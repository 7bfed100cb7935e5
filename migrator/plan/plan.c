/*
 * plan.c: changelog + history -> what to do with each changeset, and
 * checksum validation (spec 7.1-7.3).
 */
#include "../engine/engine_int.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/checksum.h"
#include "migrator/error.h"
#include "migrator/load.h"
#include "migrator/util.h"

void mg_plan_release(mg_plan *p)
{
	free(p->steps);
	mg_buf_release(&p->problems);
	memset(p, 0, sizeof(*p));
}

static const char *filter_reason(const mg_engine *e, const mg_changeset *cs)
{
	if (cs->ignore)
		return "ignored";
	if (!mg_dbms_matches_ci(cs->dbms))
		return "dbms does not match postgresql";
	if (!mg_changeset_contexts_match(cs, e->o.contexts))
		return "context does not match";
	if (!mg_changeset_labels_match(cs, e->o.labels))
		return "labels do not match";
	return NULL;
}

/* ANY, all, *, with or without the "1:" a version-less value gets
 * (spec 7.2), in any case. */
static bool is_wildcard(const char *v)
{
	if (mg_str_startswith(v, "1:"))
		v += 2;
	return mg_strieq(v, "any") || mg_strieq(v, "all") || !strcmp(v, "*");
}

/* The changeset's checksum in the stored row's version. */
static void checksum_as_stored(mg_buf *out, const mg_step *s, int version)
{
	if (version >= 9) {
		mg_buf_puts(out, s->checksum);
		return;
	}
	mg_checksum_changeset(out, s->cs, 8);
	if (version != 8 && out->len > 1)
		out->ptr[0] = (char)('0' + version);
}

/* spec 7.2 isCheckSumValid */
static bool checksum_valid(const mg_step *s, const char *stored,
			   mg_buf *now)
{
	const mg_changeset *cs = s->cs;

	for (size_t i = 0; i < cs->nvalid_checksums; i++)
		if (is_wildcard(cs->valid_checksums[i]))
			return true;
	if (!stored || !*stored)
		return true;
	checksum_as_stored(now, s, mg_checksum_version(stored));
	if (mg_checksum_equal(now->ptr, stored))
		return true;
	for (size_t i = 0; i < cs->nvalid_checksums; i++)
		if (mg_checksum_equal(cs->valid_checksums[i], now->ptr) ||
		    mg_checksum_equal(cs->valid_checksums[i], stored))
			return true;
	return false;
}

/* "path::id::author was: X but is now: Y", then what changed as far as
 * the row tells (its DESCRIPTION) and each change's checksum now. */
static void explain_mismatch(mg_buf *out, mg_changelog *cl, const mg_step *s,
			     const char *stored, const char *now)
{
	mg_buf desc = MG_BUF_INIT;

	mg_buf_printf(out, "%s was: %s but is now: %s\n",
		      mg_changeset_key(cl, s->cs), stored, now);
	mg_changeset_description(&desc, s->cs);
	if (s->row->description && strcmp(s->row->description, desc.ptr))
		mg_buf_printf(out, "    changes were: %s; now: %s\n",
			      s->row->description, desc.ptr);
	for (size_t i = 0; i < s->cs->nchanges; i++) {
		const mg_change *c = &s->cs->changes[i];
		mg_buf ck = MG_BUF_INIT;

		mg_checksum_change(&ck, c, mg_checksum_version(stored) >= 9 ? 9 : 8);
		mg_buf_printf(out, "    change %zu (%s, %s:%u): %s\n", i + 1,
			      c->type->name, c->node->file, c->node->line, ck.ptr);
		mg_buf_release(&ck);
	}
	mg_buf_release(&desc);
}

static void plan_existing(mg_plan *p, mg_step *s, mg_changelog *cl)
{
	const char *stored = s->row->md5sum;
	mg_buf now = MG_BUF_INIT;
	bool valid = checksum_valid(s, stored, &now);
	bool changed = stored && *stored && !mg_checksum_equal(now.ptr, stored);

	if (s->cs->run_always) {
		s->kind = MG_STEP_RERUN;
	} else if (s->cs->run_on_change && changed) {
		s->kind = MG_STEP_RERUN;
	} else {
		s->kind = MG_STEP_RAN;
		if (!valid) {
			explain_mismatch(&p->problems, cl, s, stored, now.ptr);
			p->nproblems++;
		} else if (!stored || !*stored ||
			   (mg_checksum_version(stored) < 9 && !changed)) {
			s->refresh_checksum = true;
		}
	}
	mg_buf_release(&now);
}

/*
 * Ordering guard (ours): a new changeset that sorts before changesets
 * already applied (typically a file includeAll picked up late) would run
 * out of order; Liquibase runs it silently. Warn, or refuse with
 * --strict-order.
 */
static int check_order(mg_engine *e, mg_changelog *cl, mg_plan *p)
{
	size_t last_applied = 0, late = 0;
	bool any = false;
	mg_buf list = MG_BUF_INIT;

	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].row) {
			last_applied = i;
			any = true;
		}
	for (size_t i = 0; any && i < last_applied; i++) {
		const mg_step *s = &p->steps[i];
		const char *key;

		if (s->kind != MG_STEP_RUN || s->cs->run_order != MG_RUN_ORDER_DEFAULT)
			continue;
		key = mg_changeset_key(cl, s->cs);
		late++;
		mg_buf_printf(&list, "%s (%s:%u)\n", key, s->cs->node->file,
			      s->cs->line);
		if (!e->o.strict_order)
			mg_engine__emit(e, MG_EV_WARNING, 0, 0, key,
					"new changeset sorts before changesets already "
					"applied; it will run out of order "
					"(--strict-order refuses this)");
	}
	if (late && e->o.strict_order) {
		mg_error_set(MG_EINVALID, "%zu new changeset%s sort%s before "
					  "changesets already applied",
			     late, late == 1 ? "" : "s", late == 1 ? "s" : "");
		mg_error_set_detail("%s", list.ptr);
		mg_error_set_hint("rename the file so that it sorts after the "
				  "applied ones, or run without --strict-order");
	}
	mg_buf_release(&list);
	return late && e->o.strict_order ? MG_EINVALID : 0;
}

int mg_engine_plan(mg_engine *e, mg_changelog *cl, mg_plan *out)
{
	const mg_history *h;
	mg_buf key = MG_BUF_INIT;
	int error;

	memset(out, 0, sizeof(*out));
	e->cl = cl;
	if ((error = mg_engine_history(e, &h)) < 0)
		return error;
	out->steps = mg_xcalloc(cl->nsets + 1, sizeof(mg_step));
	for (size_t i = 0; i < cl->nsets; i++) {
		mg_step *s = &out->steps[out->n++];
		mg_buf ck = MG_BUF_INIT;

		s->cs = cl->sets[i];
		mg_checksum_changeset(&ck, s->cs, 9);
		snprintf(s->checksum, sizeof(s->checksum), "%s", ck.ptr);
		mg_buf_release(&ck);
		mg_buf_reset(&key);
		mg_buf_printf(&key, "%s::%s::%s", s->cs->filename, s->cs->id,
			      s->cs->author);
		s->row = mg_strmap_get(&h->index, key.ptr);
		if ((s->why = filter_reason(e, s->cs))) {
			s->kind = MG_STEP_FILTERED;
			continue;
		}
		if (s->row)
			plan_existing(out, s, cl);
		else
			s->kind = MG_STEP_RUN;
		if (s->kind == MG_STEP_RUN || s->kind == MG_STEP_RERUN)
			out->to_run++;
	}
	mg_buf_release(&key);
	if (out->nproblems) {
		mg_error_set(MG_ECHECKSUM, "validation failed: %zu changeset%s "
					   "check sum%s",
			     out->nproblems, out->nproblems == 1 ? "" : "s",
			     out->nproblems == 1 ? "" : "s");
		mg_error_set_detail("%s", out->problems.ptr);
		mg_error_set_hint("if the change was intended, add a <validCheckSum> "
				  "with the new value, or run 'migrator "
				  "clear-checksums'");
		return MG_ECHECKSUM;
	}
	return check_order(e, cl, out);
}
