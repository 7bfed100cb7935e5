/*
 * history.c: the DATABASECHANGELOG rows as the plan sees them, indexed
 * by the key a changeset matches them with.
 */
#include "migrator/plan.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

void mg_history_row_key(mg_buf *out, const mg_history_row *r)
{
	const char *f = r->filename ? r->filename : "";

	if (mg_str_startswith(f, "classpath:"))
		f += 10;
	if (*f == '/' || *f == '\\')
		f++;
	for (; *f; f++)
		mg_buf_putc(out, *f == '\\' ? '/' : *f);
	mg_buf_printf(out, "::%s::%s", r->id ? r->id : "",
		      r->author ? r->author : "");
}

void mg_history_index(mg_history *h)
{
	mg_buf key = MG_BUF_INIT;

	for (size_t i = 0; i < h->n; i++) {
		mg_buf_reset(&key);
		mg_history_row_key(&key, &h->rows[i]);
		mg_strmap_put(&h->index, key.ptr, &h->rows[i]);
	}
	mg_buf_release(&key);
}

void mg_history_release(mg_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		mg_history_row *r = &h->rows[i];

		free(r->id);
		free(r->author);
		free(r->filename);
		free(r->dateexecuted);
		free(r->exectype);
		free(r->md5sum);
		free(r->description);
		free(r->comments);
		free(r->tag);
		free(r->liquibase);
		free(r->contexts);
		free(r->labels);
		free(r->deployment_id);
	}
	free(h->rows);
	mg_strmap_release(&h->index);
	memset(h, 0, sizeof(*h));
}
