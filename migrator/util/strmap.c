/* strmap.c: open-addressing string map (see strmap.h). */
#include "migrator/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "migrator/util.h"

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t slot(const mg_strmap *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void grow(mg_strmap *m)
{
	mg_strmap bigger = { 0 };

	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.keys = mg_xcalloc(bigger.cap, sizeof(char *));
	bigger.values = mg_xcalloc(bigger.cap, sizeof(void *));
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			size_t j = slot(&bigger, m->keys[i]);

			bigger.keys[j] = m->keys[i];
			bigger.values[j] = m->values[i];
			bigger.n++;
		}
	free(m->keys);
	free(m->values);
	*m = bigger;
}

void mg_strmap_put(mg_strmap *m, const char *key, void *value)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	i = slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = mg_xstrdup(key);
		m->n++;
	}
	/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): grow() replaced the freed arrays */
	m->values[i] = value;
}

void *mg_strmap_get(const mg_strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = slot(m, key);
	return m->keys[i] ? m->values[i] : NULL;
}

void mg_strmap_release(mg_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}
