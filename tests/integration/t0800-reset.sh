#!/usr/bin/env bash
# Local dev reset: drop everything, re-apply with a context, summary; it
# and drop-all refuse a database that is not local unless --force and the
# database is listed in --allow-reset-on.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t0800
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cp -r "$MG_SRC/changelogs/example/." "$work/"
cd "$work" || exit 1
cl=db.changelog-master.xml

run "$MIGRATOR" update --changelog-file=$cl --url="$url" --contexts=prod
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM product")" "no seed data outside the dev context"
psql_q $db "CREATE TABLE scratch_junk (id int); INSERT INTO customer (email) VALUES ('x@y')" >/dev/null
run "$MIGRATOR" reset --changelog-file=$cl --url="$url" --contexts=dev
assert_eq 0 "$RC" "reset"
assert_contains "$ERR" "dropped everything, then ran 7 changesets" "with a summary"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE tablename='scratch_junk'")" "stray objects are gone"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM customer")" "and so is old data"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM product")" "seed data of the dev context is loaded"
assert_eq "f" "$(psql_q $db "SELECT locked FROM databasechangeloglock")" "the lock is released"

# a host name that is not loopback (libpq connects to hostaddr)
remote="host=db.staging.example hostaddr=127.0.0.1 port=$PGPORT dbname=$db user=$PGUSER"
run "$MIGRATOR" reset --changelog-file=$cl --url="$remote"
assert_eq 3 "$RC" "reset refuses a database that is not local"
assert_contains "$ERR" "refuses database '$db' on 'db.staging.example'" "and says why"
run "$MIGRATOR" drop-all --url="$remote"
assert_eq 3 "$RC" "drop-all refuses it too"
run "$MIGRATOR" drop-all --url="$remote" --force --allow-reset-on=other_db
assert_eq 3 "$RC" "--force alone is not enough"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM product")" "nothing was dropped"
run "$MIGRATOR" reset --changelog-file=$cl --url="$remote" --force --allow-reset-on="other,$db"
assert_eq 0 "$RC" "--force with the database listed in --allow-reset-on"
run "$MIGRATOR" drop-all --url="$url"
assert_eq 0 "$RC" "drop-all on a local database"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE schemaname='public'")" \
    "leaves nothing behind, DATABASECHANGELOG included"
finish
