#!/usr/bin/env bash
# The test cluster works: a database can be created, used over the socket and over TCP
# (as JDBC and migrator's libpq URLs do), and the dump helpers work.
# shellcheck source=tests/lib/test-lib.sh
. "$(dirname "$0")/../lib/test-lib.sh"

url=$(new_db mg_t0001)
assert_contains "$url" "/mg_t0001" "new_db prints the URL of the new database"

psql_q mg_t0001 "CREATE TABLE t (id int PRIMARY KEY, name text)"
psql_q mg_t0001 "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')"
assert_eq 3 "$(psql_q mg_t0001 'SELECT count(*) FROM t')" "rows counted over the socket"
assert_eq 3 "$(psql -XAtq -d "$url" -c 'SELECT count(*) FROM t')" "rows counted over TCP with the libpq URL"
assert_eq UTF8 "$(psql_q mg_t0001 'SHOW server_encoding')" "the database is UTF8"

url2=$(new_db mg_t0001)
assert_eq "$url" "$url2" "new_db on an existing name gives the same URL"
assert_eq 0 "$(psql_q mg_t0001 "SELECT count(*) FROM pg_class WHERE relname = 't'")" \
    "new_db on an existing name gives an empty database"
psql_q mg_t0001 "CREATE TABLE t (id int PRIMARY KEY, name text)"

if psql_q mg_t0001 "SELECT * FROM no_such_table" 2>/dev/null; then
    fail "psql_q reports SQL errors"
else
    pass "psql_q reports SQL errors"
fi

# dump_rows / dump_schema on a hand-made changelog table
psql_q mg_t0001 "CREATE TABLE databasechangelog (id varchar(255), author varchar(255),
    filename varchar(255), dateexecuted timestamp, orderexecuted int, exectype varchar(10),
    md5sum varchar(35), description varchar(255), comments varchar(255), tag varchar(255),
    liquibase varchar(20), contexts varchar(255), labels varchar(255), deployment_id varchar(10))"
psql_q mg_t0001 "INSERT INTO databasechangelog VALUES
    ('2', 'a', 'f.xml', now(), 2, 'EXECUTED', '9:x', 'sql', E'tab\\there', NULL, '4.28.0', NULL, NULL, '0000000222'),
    ('1', 'a', 'f.xml', now(), 1, 'EXECUTED', '9:y', 'sql', '', NULL, '4.28.0', NULL, NULL, '0000000999')"
expected=$(printf '%s\n' \
    $'id\tauthor\tfilename\tmd5sum\tdescription\tcomments\texectype\tcontexts\tlabels\torderexecuted\ttag\tliquibase\tdeployment' \
    $'1\ta\tf.xml\t9:y\tsql\t\tEXECUTED\t\\N\t\\N\t1\t\\N\t4.28.0\tD1' \
    $'2\ta\tf.xml\t9:x\tsql\ttab\\there\tEXECUTED\t\\N\t\\N\t2\t\\N\t4.28.0\tD2')
assert_eq "$expected" "$(dump_rows mg_t0001)" "dump_rows: order, NULLs, escapes, deployment ids"
schema=$(dump_schema mg_t0001)
assert_contains "$schema" "CREATE TABLE public.t (" "dump_schema shows user tables"
case "$schema" in
    *databasechangelog* | *"Dumped from"*) fail "dump_schema leaves out databasechangelog and the version header" ;;
    *) pass "dump_schema leaves out databasechangelog and the version header" ;;
esac

drop_db mg_t0001
assert_eq "" "$(psql_q postgres "SELECT datname FROM pg_database WHERE datname = 'mg_t0001'")" "drop_db"

finish
