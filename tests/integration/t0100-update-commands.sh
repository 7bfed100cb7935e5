#!/usr/bin/env bash
# Every issue-2 command against a real database, on the example changelog.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t0100
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cp -r "$MG_SRC/changelogs/example/." "$work/"
cd "$work" || exit 1
cl=db.changelog-master.xml

run "$MIGRATOR" update-sql --changelog-file=$cl --url="$url"
assert_eq 0 "$RC" "update-sql exits 0"
assert_contains "$OUT" "CREATE TABLE public.customer" "update-sql prints the DDL"
assert_contains "$OUT" "-- Changeset db.changelog-master.xml::1::shop" "update-sql names each changeset"
assert_contains "$OUT" "INSERT INTO public.databasechangelog" "update-sql prints the bookkeeping"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE schemaname='public'")" \
    "update-sql changes nothing"

run "$MIGRATOR" status --verbose --changelog-file=$cl --url="$url"
assert_contains "$OUT" "7 changesets have not been applied" "status counts pending changesets"
assert_contains "$OUT" "changes/orders.yaml::orders-1::shop" "status --verbose names them"

run "$MIGRATOR" update --changelog-file=$cl --url="$url"
assert_eq 0 "$RC" "update exits 0"
assert_eq "7" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "update records 7 rows"
assert_eq "1" "$(psql_q $db "SELECT count(DISTINCT deployment_id) FROM databasechangelog")" \
    "one deployment id per run"
assert_eq "10" "$(psql_q $db "SELECT length(deployment_id) FROM databasechangelog LIMIT 1")" \
    "the deployment id has 10 digits"
assert_eq "v1.0" "$(psql_q $db "SELECT tag FROM databasechangelog WHERE id='release-1.0'")" \
    "tagDatabase sets TAG"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM product")" "the seed row was inserted"
assert_eq "f" "$(psql_q $db "SELECT locked FROM databasechangeloglock")" "the lock row is released"

run "$MIGRATOR" update --changelog-file=$cl --url="$url"
assert_eq 0 "$RC" "a second update exits 0"
assert_contains "$ERR" "Previously run:               7" "a second update runs nothing"

run "$MIGRATOR" status --changelog-file=$cl --url="$url" --output=json
assert_contains "$OUT" '"pending": 0' "status --output json"

run "$MIGRATOR" history --url="$url"
assert_contains "$OUT" "changes/reports.sql::reports-1::shop" "history lists rows"
run "$MIGRATOR" history --url="$url" --output json
assert_contains "$OUT" '"orderExecuted": 7' "history --output json"

stored=$(psql_q $db "SELECT md5sum FROM databasechangelog WHERE id='1'")
run "$MIGRATOR" calculate-checksum --changelog-file=$cl \
    --changeset-identifier="db.changelog-master.xml::1::shop"
assert_eq "$stored" "$OUT" "calculate-checksum equals the stored checksum"

run "$MIGRATOR" tag --tag=after-demo --url="$url"
assert_eq 0 "$RC" "tag exits 0"
assert_eq "after-demo" "$(psql_q $db "SELECT tag FROM databasechangelog ORDER BY orderexecuted DESC LIMIT 1")" \
    "tag marks the newest row"
run "$MIGRATOR" tag-exists --tag=after-demo --url="$url"
assert_eq 0 "$RC" "tag-exists finds the tag"
run "$MIGRATOR" tag-exists --tag=nope --url="$url"
assert_eq 1 "$RC" "tag-exists exits 1 for a missing tag"

run "$MIGRATOR" clear-checksums --url="$url"
assert_eq "7" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE md5sum IS NULL")" \
    "clear-checksums nulls every checksum"
run "$MIGRATOR" update --changelog-file=$cl --url="$url"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE md5sum IS NULL")" \
    "the next update recomputes them"
assert_eq "$stored" "$(psql_q $db "SELECT md5sum FROM databasechangelog WHERE id='1'")" \
    "to the same values"

run "$MIGRATOR" validate --changelog-file=$cl --url="$url"
assert_eq 0 "$RC" "validate exits 0"

run "$MIGRATOR" list-locks --url="$url"
assert_contains "$OUT" "No locks held" "list-locks with no lock"
psql_q $db "UPDATE databasechangeloglock SET locked = TRUE, lockedby = 'someone', lockgranted = now()"
run "$MIGRATOR" list-locks --url="$url" --output=json
assert_contains "$OUT" '"holder": "someone"' "list-locks shows the lock row"
run "$MIGRATOR" release-locks --url="$url"
assert_eq "f" "$(psql_q $db "SELECT locked FROM databasechangeloglock")" "release-locks clears it"

# changelog-sync records without running
db2=t0100b
url2=$(new_db $db2)
at_exit "drop_db $db2"
run "$MIGRATOR" changelog-sync-sql --changelog-file=$cl --url="$url2"
assert_contains "$OUT" "INSERT INTO public.databasechangelog" "changelog-sync-sql prints the rows"
run "$MIGRATOR" changelog-sync --changelog-file=$cl --url="$url2"
assert_eq "7" "$(psql_q $db2 "SELECT count(*) FROM databasechangelog")" "changelog-sync records every changeset"
assert_eq "0" "$(psql_q $db2 "SELECT count(*) FROM pg_tables WHERE tablename='customer'")" \
    "changelog-sync runs nothing"

# update-count and update-to-tag
db3=t0100c
url3=$(new_db $db3)
at_exit "drop_db $db3"
run "$MIGRATOR" update-count --count=2 --changelog-file=$cl --url="$url3"
assert_eq "2" "$(psql_q $db3 "SELECT count(*) FROM databasechangelog")" "update-count --count=2 runs two"
run "$MIGRATOR" update-count-sql --count=1 --changelog-file=$cl --url="$url3"
assert_eq "1" "$(grep -c '^-- Changeset' <<<"$OUT")" "update-count-sql --count=1 prints one changeset"
run "$MIGRATOR" update-to-tag-sql --tag=v1.0 --changelog-file=$cl --url="$url3"
assert_eq "5" "$(grep -c '^-- Changeset' <<<"$OUT")" "update-to-tag-sql prints the changesets up to the tag"
assert_contains "$OUT" "'v1.0')" "and the tagging row"
run "$MIGRATOR" update-to-tag --tag=v1.0 --changelog-file=$cl --url="$url3"
assert_eq "7" "$(psql_q $db3 "SELECT count(*) FROM databasechangelog")" "update-to-tag runs up to the tag"
run "$MIGRATOR" update-to-tag --tag=missing --changelog-file=$cl --url="$url3"
assert_eq 3 "$RC" "update-to-tag with an unknown tag exits 3"

# help and version
for c in update update-sql update-count update-count-sql update-to-tag update-to-tag-sql \
    status history validate tag tag-exists calculate-checksum clear-checksums \
    changelog-sync changelog-sync-sql release-locks list-locks; do
    run "$MIGRATOR" $c --help
    [ "$RC" = 0 ] && [[ "$OUT" == *"usage: migrator $c"* ]] || fail "$c --help"
done
pass "--help for every command"
run "$MIGRATOR" --version
assert_contains "$OUT" "migrator" "--version"
run "$MIGRATOR" --help
assert_contains "$OUT" "Exit codes" "--help documents exit codes"
run "$MIGRATOR" frobnicate
assert_eq 2 "$RC" "an unknown command exits 2"
finish
