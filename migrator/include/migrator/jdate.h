/*
 * jdate.h: dates as Liquibase's Java code reads and prints them
 * (ISODateFormat over a lenient SimpleDateFormat: fields out of range
 * roll over, so 2024-02-30 is 2024-03-01). One implementation for the
 * checksums (model) and the SQL (sqlgen), so that both see the same
 * value.
 */
#ifndef MIGRATOR_JDATE_H
#define MIGRATOR_JDATE_H

#include <stdbool.h>

#include "migrator/buf.h"

typedef struct mg_jdate {
	long y, mo, d, h, mi, s;
	long nanos;
} mg_jdate;

typedef enum mg_jdate_kind {
	MG_JDATE_NONE = 0, /* did not parse (ParseException) */
	MG_JDATE_DATE,     /* java.sql.Date: 2024-03-04 */
	MG_JDATE_TIME,     /* java.sql.Time: 05:06:07 */
	MG_JDATE_TIMESTAMP /* java.sql.Timestamp: 2024-03-04T05:06:07.12 */
} mg_jdate_kind;

/* ISODateFormat.parse: by length, 8 = time, 10 = date, 19 = date-time,
 * longer with '.' at 19 = with a fraction. `t` is normalised. */
mg_jdate_kind mg_jdate_parse(mg_jdate *t, const char *s);
/* ISODateFormat.format: the ISO text of `t` as `kind` (fraction without
 * trailing zeros, none when zero). */
void mg_jdate_format(mg_buf *out, const mg_jdate *t, mg_jdate_kind kind);
/* Roll fields that are out of range over (lenient Calendar). */
void mg_jdate_normalize(mg_jdate *t);
/* Read "N<sep>N..." per `pattern` ('9' = a number, others literal). */
bool mg_jdate_scan(const char *s, const char *pattern, long *f);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
long mg_jdate_days(long y, long m, long d);

#endif
