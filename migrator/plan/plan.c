/*
 * plan.c: changelog + history -> what to do with each changeset, and
 * checksum validation (spec 7.1-7.3). Pure: the engine reads the
 * history, calls mg_plan_make and reports the plan's warnings.
 */
#include "migrator/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrator/checksum.h"
#include "migrator/error.h"
#include "migrator/util.h"

void mg_plan_release(mg_plan *p)
{
	free(p->steps);
	free(p->late);
	mg_buf_release(&p->problems);
	memset(p, 0, sizeof(*p));
}

/* "filename::id::author" into `out` (reset first), the history's key. */
static const char *changeset_key(mg_buf *out, const mg_changeset *cs)
{
	mg_buf_reset(out);
	mg_buf_printf(out, "%s::%s::%s", cs->filename, cs->id, cs->author);
	return out->ptr;
}

static const char *filter_reason(const mg_plan_opts *o,
				 const mg_changeset *cs)
{
	if (cs->ignore)
		return "ignored";
	if (!mg_dbms_matches_ci(cs->dbms))
		return "dbms does not match postgresql";
	if (!mg_changeset_contexts_match(cs, o->contexts))
		return "context does not match";
	if (!mg_changeset_labels_match(cs, o->labels))
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
static void explain_mismatch(mg_buf *out, const mg_step *s,
			     const char *stored, const char *now)
{
	mg_buf desc = MG_BUF_INIT, key = MG_BUF_INIT;

	mg_buf_printf(out, "%s was: %s but is now: %s\n",
		      changeset_key(&key, s->cs), stored, now);
	mg_buf_release(&key);
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

static void plan_existing(mg_plan *p, mg_step *s)
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
			explain_mismatch(&p->problems, s, stored, now.ptr);
			p->nproblems++;
		} else if (!stored || !*stored ||
			   (mg_checksum_version(stored) < 9 && !changed)) {
			s->refresh_checksum = true;
		}
	}
	mg_buf_release(&now);
}

/* --strict-order: the late changesets are an error. */
static int refuse_late(const mg_plan *p)
{
	mg_buf list = MG_BUF_INIT, key = MG_BUF_INIT;

	for (size_t k = 0; k < p->nlate; k++) {
		const mg_changeset *cs = p->steps[p->late[k]].cs;

		mg_buf_printf(&list, "%s (%s:%u)\n", changeset_key(&key, cs),
			      cs->node->file, cs->line);
	}
	mg_error_set(MG_EINVALID, "%zu new changeset%s sort%s before "
				  "changesets already applied",
		     p->nlate, p->nlate == 1 ? "" : "s",
		     p->nlate == 1 ? "s" : "");
	mg_error_set_detail("%s", list.ptr);
	mg_error_set_hint("rename the file so that it sorts after the "
			  "applied ones, or run without --strict-order");
	mg_buf_release(&list);
	mg_buf_release(&key);
	return MG_EINVALID;
}

/*
 * Ordering guard (ours): a new changeset that sorts before changesets
 * already applied (typically a file includeAll picked up late) would run
 * out of order; Liquibase runs it silently. The plan lists them (the
 * engine warns of each), or refuses them with --strict-order.
 */
static int check_order(const mg_plan_opts *o, mg_plan *p)
{
	size_t last_applied = 0, alloc = 0;
	bool any = false;

	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].row) {
			last_applied = i;
			any = true;
		}
	for (size_t i = 0; any && i < last_applied; i++) {
		const mg_step *s = &p->steps[i];

		if (s->kind != MG_STEP_RUN || s->cs->run_order != MG_RUN_ORDER_DEFAULT)
			continue;
		MG_VEC_GROW(p->late, alloc, p->nlate + 1);
		p->late[p->nlate++] = i;
	}
	return p->nlate && o->strict_order ? refuse_late(p) : 0;
}

/* One changeset: its checksum, its row, and what to do with it. */
static void plan_step(mg_plan *p, mg_step *s, const mg_history *h,
		      const mg_plan_opts *o, mg_buf *key)
{
	mg_buf ck = MG_BUF_INIT;

	mg_checksum_changeset(&ck, s->cs, 9);
	snprintf(s->checksum, sizeof(s->checksum), "%s", ck.ptr);
	mg_buf_release(&ck);
	s->row = mg_strmap_get(&h->index, changeset_key(key, s->cs));
	if ((s->why = filter_reason(o, s->cs))) {
		s->kind = MG_STEP_FILTERED;
		return;
	}
	if (s->row)
		plan_existing(p, s);
	else
		s->kind = MG_STEP_RUN;
	if (s->kind == MG_STEP_RUN || s->kind == MG_STEP_RERUN)
		p->to_run++;
}

int mg_plan_make(const mg_changelog *cl, const mg_history *h,
		 const mg_plan_opts *o, mg_plan *out)
{
	mg_buf key = MG_BUF_INIT;

	memset(out, 0, sizeof(*out));
	out->steps = mg_xcalloc(cl->nsets + 1, sizeof(mg_step));
	for (size_t i = 0; i < cl->nsets; i++) {
		mg_step *s = &out->steps[out->n++];

		s->cs = cl->sets[i];
		plan_step(out, s, h, o, &key);
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
	return check_order(o, out);
}
