/*
 * jnumber.h: numbers as Liquibase's Java code reads and prints them. One
 * implementation for the checksums (model) and the SQL (sqlgen).
 */
#ifndef MIGRATOR_JNUMBER_H
#define MIGRATOR_JNUMBER_H

#include <stdbool.h>

#include "migrator/buf.h"

/*
 * NumberFormat.getInstance(Locale.US).parse: the longest prefix that is a
 * number ('-', digits with ',' grouping, '.', fraction, 'E' exponent; no
 * '+'). false = ParseException. Otherwise, unless `out` is NULL, append
 * the result's toString(): a Long when integral and in range, else a
 * Double.
 */
bool mg_jnumber_parse(mg_buf *out, const char *s);
/* Double.toString(d) */
void mg_jnumber_double(mg_buf *out, double d);

#endif
